// SPDX-License-Identifier: GPL-2.0
/* Benchmark floor: an empty program on sys_enter_openat, what any probe there costs at least. */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp/syscalls/sys_enter_openat")
int empty_openat(void *ctx)
{
	return 0;
}
