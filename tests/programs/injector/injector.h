/* SPDX-License-Identifier: Apache-2.0 */
/*
 * injector: one injection technique (or a benign look-alike) per subcommand,
 * for the integration tests of the injection detector. Each subcommand exits 0
 * on success and prints exactly one line: "target <pid>" (the victim's pid, as
 * the injector's pid namespace numbers it) or "ok".
 */
#ifndef INJECTOR_H
#define INJECTOR_H

#include <sys/types.h>

/* A word every forked child has at the same address as its parent: the thing injected into. */
extern volatile long injector_victim_word;

/* Prints "injector: <message>: <errno text>" to stderr and exits 1. */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *format, ...);

/* A child that sleeps until it is killed (or its parent dies). */
pid_t spawn_sleeper(void);
/* Kills @child and reaps it. */
void end_child(pid_t child);
/* Waits for @child to exit and returns its exit status; dies if it did not exit normally. */
int wait_exit(pid_t child);
/* In a child: sends stdout and stderr to /dev/null, so only the parent prints its one line. */
void silence_output(void);
/* Copies the running executable into @fd. */
void copy_self_to(int fd);

void print_target(pid_t pid);
void print_ok(void);

/* Subcommands. */
int run_ptrace(const char *request);
int run_vm_writev(void);
int run_proc_mem(void);
int run_memfd_exec(void);
int run_shm_exec(void);
int run_ld_preload_env(void);
int run_ld_so_preload(void);
int run_benign(void);

#endif
