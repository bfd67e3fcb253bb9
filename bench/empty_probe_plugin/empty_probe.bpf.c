// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark floors: one program on each tracepoint the core's dispatcher uses
 * (core/probes/hook_dispatch.bpf.c).
 *  - read_arguments false: the programs are empty, what any probe there costs
 *    at least;
 *  - read_arguments true: each entry program reads, from user memory, the
 *    least a detector there needs (the connect address, an open's or exec's
 *    first path bytes) and keeps nothing: the floor of any design that looks
 *    at the argument, in one program or many.
 */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile bool read_arguments = false;

/* Where the read bytes go, so that the compiler keeps the reads. */
__u64 read_sink = 0;

static __always_inline int read_argument(__u64 user_pointer, __u32 size /* <= 16 */)
{
	__u8 bytes[16] = {};

	if (!read_arguments)
		return 0;
	bpf_probe_read_user(bytes, size, (const void *)user_pointer);
	read_sink += bytes[2];
	return 0;
}

#define EMPTY(name, tracepoint)                                                                    \
	SEC("tp/syscalls/" tracepoint)                                                             \
	int name(void *ctx)                                                                        \
	{                                                                                          \
		return 0;                                                                          \
	}
/* An entry program: @size bytes at argument @index (a user pointer), when read_arguments. */
#define READER(name, tracepoint, index, size)                                                      \
	SEC("tp/syscalls/" tracepoint)                                                             \
	int name(struct trace_event_raw_sys_enter *ctx)                                            \
	{                                                                                          \
		return read_argument(ctx->args[index], size);                                      \
	}

#if defined(__TARGET_ARCH_x86)
/* open(2) exists on x86-64 only. */
READER(empty_open_enter, "sys_enter_open", 0, 8)
EMPTY(empty_open_exit, "sys_exit_open")
#endif
READER(empty_openat_enter, "sys_enter_openat", 1, 8)
EMPTY(empty_openat_exit, "sys_exit_openat")
READER(empty_openat2_enter, "sys_enter_openat2", 1, 8)
EMPTY(empty_openat2_exit, "sys_exit_openat2")
READER(empty_connect_enter, "sys_enter_connect", 1, 16)
READER(empty_execve_enter, "sys_enter_execve", 0, 8)
EMPTY(empty_execve_exit, "sys_exit_execve")
READER(empty_execveat_enter, "sys_enter_execveat", 1, 8)
EMPTY(empty_execveat_exit, "sys_exit_execveat")
