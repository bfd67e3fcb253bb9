/* SPDX-License-Identifier: Apache-2.0 */
/*
 * injector benign: look-alikes of every technique that must raise nothing:
 * reading files, a process opening or writing its own memory, the debugger's
 * PTRACE_TRACEME, a plain fork, and execs without LD_PRELOAD.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "injector.h"

static void read_file(const char *path)
{
	char buffer[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return; /* a minimal container image may have no /etc/passwd */
		die("open %s", path);
	}
	while (read(fd, buffer, sizeof(buffer)) > 0)
		;
	close(fd);
}

/* Opens this process's own memory file as @path with @flags; writing it is the process's own business. */
static void open_own_memory(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		die("open %s", path);
	close(fd);
}

/* The debugger pattern: the child asks to be traced and execs; the parent lets it run. */
static void traced_child(void)
{
	char *argv[] = {"injector", "exit-ok", NULL};
	int status = 0;
	pid_t child = fork();

	if (child < 0)
		die("fork");
	if (child == 0) {
		silence_output();
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(126);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	if (waitpid(child, &status, 0) < 0)
		die("waitpid");
	if (WIFSTOPPED(status)) {
		/* Stopped at its exec: continue it to its end. */
		if (ptrace(PTRACE_CONT, child, NULL, NULL) != 0)
			die("PTRACE_CONT %d", child);
		if (wait_exit(child) != 0) {
			errno = 0;
			die("the traced child failed");
		}
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errno = 0;
		die("the traced child failed (status %#x)", status);
	}
}

/* process_vm_readv and process_vm_writev on itself: not another process. */
static void own_memory_calls(void)
{
	long source = 7;
	long target = 0;
	struct iovec from = {.iov_base = &source, .iov_len = sizeof(source)};
	struct iovec to = {.iov_base = &target, .iov_len = sizeof(target)};

	if (process_vm_readv(getpid(), &to, 1, &from, 1, 0) != (ssize_t)sizeof(target))
		die("process_vm_readv self");
	if (process_vm_writev(getpid(), &from, 1, &to, 1, 0) != (ssize_t)sizeof(target))
		die("process_vm_writev self");
}

static void plain_fork(void)
{
	pid_t child = fork();

	if (child < 0)
		die("fork");
	if (child == 0)
		_exit(0);
	if (wait_exit(child) != 0) {
		errno = 0;
		die("the forked child failed");
	}
}

int run_benign(void)
{
	char own_mem[64];

	read_file("/etc/passwd");
	open_own_memory("/proc/self/mem", O_RDONLY);
	open_own_memory("/proc/self/mem", O_RDWR);
	snprintf(own_mem, sizeof(own_mem), "/proc/%d/mem", (int)getpid());
	open_own_memory(own_mem, O_RDWR);
	traced_child();
	own_memory_calls();
	plain_fork();
	print_ok();
	return 0;
}
