// SPDX-License-Identifier: GPL-2.0
/*
 * The injection plugin's kernel side: the programs and the hooks they sit on.
 * What each job does lives in the injection_*.bpf.h it includes, written once
 * and shared by a job's preferred program and its fallback:
 *
 *  group "syscalls": one tp/syscalls program per syscall, so that unrelated
 *    syscalls cost nothing (preference 0); where those cannot attach (no
 *    tracefs, syscall tracepoints compiled out), raw_tp/sys_enter and
 *    raw_tp/sys_exit, which see every syscall and dispatch on its number
 *    (preference 1).
 *  group "exec": tp/sched/sched_process_exec (preference 0), and
 *    tp_btf/sched_process_exec, which needs no tracefs (preference 1).
 */
#include "injection_common.bpf.h"
#include <bpf/bpf_tracing.h>
#include <vigil/bpf/syscalls.h>
#include "injection_calls.bpf.h"
#include "injection_exec.bpf.h"
#include "injection_preload.bpf.h"
#include "injection_open.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* ---- group "syscalls", preference 0: tp/syscalls ------------------------- */

SEC("tp/syscalls/sys_enter_ptrace")
int ptrace_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_ptrace_enter((long)ctx->args[0], (long)ctx->args[1], ctx->args[2]);
}

SEC("tp/syscalls/sys_exit_ptrace")
int ptrace_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_call_exit(INJECTION_KIND_PTRACE, ctx->ret);
}

SEC("tp/syscalls/sys_enter_process_vm_writev")
int vm_writev_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_vm_writev_enter((long)ctx->args[0], ctx->args[2], (const void *)ctx->args[3], ctx->args[4]);
}

SEC("tp/syscalls/sys_exit_process_vm_writev")
int vm_writev_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_call_exit(INJECTION_KIND_VM_WRITEV, ctx->ret);
}

#if defined(__TARGET_ARCH_x86)
/* open(2) exists on x86-64 only; arm64 has openat alone. */
SEC("tp/syscalls/sys_enter_open")
int open_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_open(INJECTION_SYSCALL_OPEN, (const char *)ctx->args[0], ctx->args[1]);
}
#endif

SEC("tp/syscalls/sys_enter_openat")
int openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_open(INJECTION_SYSCALL_OPENAT, (const char *)ctx->args[1], ctx->args[2]);
}

SEC("tp/syscalls/sys_enter_openat2")
int openat2_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_openat2((const char *)ctx->args[1], (const struct injection_open_how *)ctx->args[2]);
}

SEC("tp/syscalls/sys_enter_execve")
int execve_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_exec_enter((const char *const *)ctx->args[2]);
}

SEC("tp/syscalls/sys_exit_execve")
int execve_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_exec_exit(ctx->ret);
}

SEC("tp/syscalls/sys_enter_execveat")
int execveat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_exec_enter((const char *const *)ctx->args[3]);
}

SEC("tp/syscalls/sys_exit_execveat")
int execveat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_exec_exit(ctx->ret);
}

/* ---- group "syscalls", preference 1: raw_tp, every syscall --------------- */

SEC("raw_tp/sys_enter")
int sys_enter_raw(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = (long)ctx->args[1];

	switch (nr) {
	case VIGIL_NR_ptrace:
		return on_ptrace_enter((long)vigil_raw_syscall_arg(regs, 0), (long)vigil_raw_syscall_arg(regs, 1),
				       vigil_raw_syscall_arg(regs, 2));
	case VIGIL_NR_process_vm_writev:
		return on_vm_writev_enter((long)vigil_raw_syscall_arg(regs, 0), vigil_raw_syscall_arg(regs, 2),
					  (const void *)vigil_raw_syscall_arg(regs, 3), vigil_raw_syscall_arg(regs, 4));
#if defined(__TARGET_ARCH_x86)
	case VIGIL_NR_open:
		return on_open(INJECTION_SYSCALL_OPEN, (const char *)vigil_raw_syscall_arg(regs, 0),
			       vigil_raw_syscall_arg(regs, 1));
#endif
	case VIGIL_NR_openat:
		return on_open(INJECTION_SYSCALL_OPENAT, (const char *)vigil_raw_syscall_arg(regs, 1),
			       vigil_raw_syscall_arg(regs, 2));
	case VIGIL_NR_openat2:
		return on_openat2((const char *)vigil_raw_syscall_arg(regs, 1),
				  (const struct injection_open_how *)vigil_raw_syscall_arg(regs, 2));
	case VIGIL_NR_execve:
		return on_exec_enter((const char *const *)vigil_raw_syscall_arg(regs, 2));
	case VIGIL_NR_execveat:
		return on_exec_enter((const char *const *)vigil_raw_syscall_arg(regs, 3));
	default:
		return 0;
	}
}

SEC("raw_tp/sys_exit")
int sys_exit_raw(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long ret = (long)ctx->args[1];

	switch (vigil_raw_syscall_nr(regs)) {
	case VIGIL_NR_ptrace:
		return on_call_exit(INJECTION_KIND_PTRACE, ret);
	case VIGIL_NR_process_vm_writev:
		return on_call_exit(INJECTION_KIND_VM_WRITEV, ret);
	case VIGIL_NR_execve:
	case VIGIL_NR_execveat:
		return on_exec_exit(ret);
	default:
		return 0;
	}
}

/* ---- group "exec" --------------------------------------------------------- */

SEC("tp/sched/sched_process_exec")
int exec_tp(struct trace_event_raw_sched_process_exec *ctx)
{
	unsigned int offset = BPF_CORE_READ(ctx, __data_loc_filename) & 0xFFFF;

	return on_exec_done((const char *)ctx + offset);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_btf, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	return on_exec_done(BPF_CORE_READ(bprm, filename));
}
