// SPDX-License-Identifier: GPL-2.0
/*
 * The lateral_movement plugin's kernel side: the programs and the hooks they
 * sit on. What each job does lives in the lateral_*.bpf.h it includes,
 * written once and shared by a job's preferred program and its fallback:
 *
 *  group "syscalls": one tp/syscalls program per syscall, so that unrelated
 *    syscalls cost nothing (preference 0); where those cannot attach (no
 *    tracefs, syscall tracepoints compiled out), raw_tp/sys_enter, which sees
 *    every syscall and dispatches on its number (preference 1).
 */
#include "lateral_common.bpf.h"
#include <bpf/bpf_tracing.h>
#include <vigil/bpf/syscalls.h>
#include "lateral_open.bpf.h"
#include "lateral_connect.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* ---- group "syscalls", preference 0: tp/syscalls ------------------------- */

#if defined(__TARGET_ARCH_x86)
/* open(2) exists on x86-64 only; arm64 has openat alone. */
SEC("tp/syscalls/sys_enter_open")
int open_enter(struct trace_event_raw_sys_enter *ctx)
{
	return check_open(LATERAL_SYSCALL_OPEN, LATERAL_AT_FDCWD, (const char *)ctx->args[0], ctx->args[1]);
}
#endif

SEC("tp/syscalls/sys_enter_openat")
int openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return check_open(LATERAL_SYSCALL_OPENAT, (int)ctx->args[0], (const char *)ctx->args[1], ctx->args[2]);
}

SEC("tp/syscalls/sys_enter_openat2")
int openat2_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_openat2((int)ctx->args[0], (const char *)ctx->args[1], (const struct lateral_open_how *)ctx->args[2]);
}

SEC("tp/syscalls/sys_enter_connect")
int connect_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_connect((int)ctx->args[0], (const void *)ctx->args[1], ctx->args[2]);
}

/* ---- group "syscalls", preference 1: raw_tp, every syscall --------------- */

SEC("raw_tp/sys_enter")
int sys_enter_raw(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = (long)ctx->args[1];

	switch (nr) {
#if defined(__TARGET_ARCH_x86)
	case VIGIL_NR_open:
		return check_open(LATERAL_SYSCALL_OPEN, LATERAL_AT_FDCWD, (const char *)vigil_raw_syscall_arg(regs, 0),
				  vigil_raw_syscall_arg(regs, 1));
#endif
	case VIGIL_NR_openat:
		return check_open(LATERAL_SYSCALL_OPENAT, (int)vigil_raw_syscall_arg(regs, 0),
				  (const char *)vigil_raw_syscall_arg(regs, 1), vigil_raw_syscall_arg(regs, 2));
	case VIGIL_NR_openat2:
		return on_openat2((int)vigil_raw_syscall_arg(regs, 0), (const char *)vigil_raw_syscall_arg(regs, 1),
				  (const struct lateral_open_how *)vigil_raw_syscall_arg(regs, 2));
	case VIGIL_NR_connect:
		return on_connect((int)vigil_raw_syscall_arg(regs, 0), (const void *)vigil_raw_syscall_arg(regs, 1),
				  vigil_raw_syscall_arg(regs, 2));
	default:
		return 0;
	}
}
