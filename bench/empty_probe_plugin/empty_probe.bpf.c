// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark floor: one empty program on each tracepoint the core's dispatcher
 * uses (core/probes/hook_dispatch.bpf.c), what any probe there costs at least.
 */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define EMPTY(name, tracepoint)                                                                    \
	SEC("tp/syscalls/" tracepoint)                                                             \
	int name(void *ctx)                                                                        \
	{                                                                                          \
		return 0;                                                                          \
	}

#if defined(__TARGET_ARCH_x86)
/* open(2) exists on x86-64 only. */
EMPTY(empty_open_enter, "sys_enter_open")
EMPTY(empty_open_exit, "sys_exit_open")
#endif
EMPTY(empty_openat_enter, "sys_enter_openat")
EMPTY(empty_openat_exit, "sys_exit_openat")
EMPTY(empty_openat2_enter, "sys_enter_openat2")
EMPTY(empty_openat2_exit, "sys_exit_openat2")
EMPTY(empty_connect_enter, "sys_enter_connect")
EMPTY(empty_execve_enter, "sys_enter_execve")
EMPTY(empty_execve_exit, "sys_exit_execve")
EMPTY(empty_execveat_enter, "sys_enter_execveat")
EMPTY(empty_execveat_exit, "sys_exit_execveat")
