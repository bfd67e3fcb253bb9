// SPDX-License-Identifier: GPL-2.0
/* Benchmark floor: empty programs on sys_enter_openat and sys_enter_connect, what any probe there costs at least. */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp/syscalls/sys_enter_openat")
int empty_openat(void *ctx)
{
	return 0;
}

SEC("tp/syscalls/sys_enter_connect")
int empty_connect(void *ctx)
{
	return 0;
}
