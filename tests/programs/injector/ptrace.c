/* SPDX-License-Identifier: Apache-2.0 */
/*
 * injector ptrace <request>: attaches to a sleeping child (PTRACE_ATTACH or
 * PTRACE_SEIZE) and, for the write requests, writes into it the way an
 * injector would, then detaches, kills and reaps it.
 */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "injector.h"

static void *victim_address(void)
{
	return (void *)(uintptr_t)&injector_victim_word;
}

static void wait_stop(pid_t child)
{
	int status = 0;

	if (waitpid(child, &status, __WALL) < 0)
		die("waitpid %d", child);
	if (!WIFSTOPPED(status)) {
		errno = 0;
		die("child %d did not stop (status %#x)", child, status);
	}
}

static void attach(pid_t child)
{
	if (ptrace(PTRACE_ATTACH, child, NULL, NULL) != 0)
		die("PTRACE_ATTACH %d", child);
	wait_stop(child);
}

static void seize(pid_t child)
{
	if (ptrace(PTRACE_SEIZE, child, NULL, NULL) != 0)
		die("PTRACE_SEIZE %d", child);
	/* A seized process runs on; stop it so it can be detached like an attached one. */
	if (ptrace(PTRACE_INTERRUPT, child, NULL, NULL) != 0)
		die("PTRACE_INTERRUPT %d", child);
	wait_stop(child);
}

/* PTRACE_POKETEXT or PTRACE_POKEDATA: flips a bit of the victim word. */
static void poke_word(pid_t child, int request)
{
	long word;

	errno = 0;
	word = ptrace(PTRACE_PEEKDATA, child, victim_address(), NULL);
	if (word == -1 && errno != 0)
		die("PTRACE_PEEKDATA %d", child);
	if (ptrace((enum __ptrace_request)request, child, victim_address(), (void *)(intptr_t)(word ^ 1)) != 0)
		die("ptrace request %d on %d", request, child);
}

/* PTRACE_POKEUSER: writes a register back with the value it has. */
static void poke_user(pid_t child)
{
#if defined(__x86_64__)
	void *offset = (void *)offsetof(struct user, regs.r15);
	long value;

	errno = 0;
	value = ptrace(PTRACE_PEEKUSER, child, offset, NULL);
	if (value == -1 && errno != 0)
		die("PTRACE_PEEKUSER %d", child);
	if (ptrace(PTRACE_POKEUSER, child, offset, (void *)(intptr_t)value) != 0)
		die("PTRACE_POKEUSER %d", child);
#else
	/* No user area on this architecture: the request fails, which is still the attempt. */
	ptrace(PTRACE_POKEUSER, child, NULL, NULL);
#endif
}

/* PTRACE_SETREGS (x86-64) or PTRACE_SETREGSET: writes the registers back unchanged. */
static void set_registers(pid_t child, int use_regset)
{
	struct user_regs_struct registers;
	struct iovec vector = {.iov_base = &registers, .iov_len = sizeof(registers)};

	memset(&registers, 0, sizeof(registers));
#if defined(__x86_64__)
	if (!use_regset) {
		if (ptrace(PTRACE_GETREGS, child, NULL, &registers) != 0)
			die("PTRACE_GETREGS %d", child);
		if (ptrace(PTRACE_SETREGS, child, NULL, &registers) != 0)
			die("PTRACE_SETREGS %d", child);
		return;
	}
#else
	(void)use_regset;
#endif
	if (ptrace(PTRACE_GETREGSET, child, (void *)NT_PRSTATUS, &vector) != 0)
		die("PTRACE_GETREGSET %d", child);
	if (ptrace(PTRACE_SETREGSET, child, (void *)NT_PRSTATUS, &vector) != 0)
		die("PTRACE_SETREGSET %d", child);
}

int run_ptrace(const char *request)
{
	pid_t child;

	if (strcmp(request, "attach") != 0 && strcmp(request, "seize") != 0 && strcmp(request, "poketext") != 0 &&
	    strcmp(request, "pokedata") != 0 && strcmp(request, "pokeuser") != 0 && strcmp(request, "setregs") != 0 &&
	    strcmp(request, "setregset") != 0) {
		errno = EINVAL;
		die("unknown ptrace request %s", request);
	}
	child = spawn_sleeper();
	if (strcmp(request, "seize") == 0)
		seize(child);
	else
		attach(child);

	if (strcmp(request, "poketext") == 0)
		poke_word(child, PTRACE_POKETEXT);
	else if (strcmp(request, "pokedata") == 0)
		poke_word(child, PTRACE_POKEDATA);
	else if (strcmp(request, "pokeuser") == 0)
		poke_user(child);
	else if (strcmp(request, "setregs") == 0)
		set_registers(child, 0);
	else if (strcmp(request, "setregset") == 0)
		set_registers(child, 1);

	if (ptrace(PTRACE_DETACH, child, NULL, NULL) != 0)
		die("PTRACE_DETACH %d", child);
	end_child(child);
	print_target(child);
	return 0;
}
