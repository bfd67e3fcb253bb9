// SPDX-License-Identifier: GPL-2.0
/*
 * One trivial program per attach type, for `vigil check`: each is loaded and
 * attached on its own, so the report says what this kernel really allows
 * rather than what its version number suggests. The hooks chosen exist on
 * every kernel vigil supports.
 */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp/syscalls/sys_enter_getppid")
int probe_tracepoint(void *ctx) { return 0; }

SEC("tp_btf/sys_enter")
int BPF_PROG(probe_tp_btf, struct pt_regs *regs, long id) { return 0; }

SEC("raw_tp/sys_enter")
int probe_raw_tracepoint(void *ctx) { return 0; }

SEC("fentry/vfs_read")
int BPF_PROG(probe_fentry) { return 0; }

SEC("fexit/vfs_read")
int BPF_PROG(probe_fexit) { return 0; }

SEC("lsm/file_open")
int BPF_PROG(probe_lsm, struct file *file) { return 0; }

SEC("kprobe/vfs_read")
int probe_kprobe(void *ctx) { return 0; }

SEC("cgroup/connect4")
int probe_cgroup(struct bpf_sock_addr *ctx) { return 1; }

SEC("iter/task")
int probe_iterator(void *ctx) { return 0; }
