// SPDX-License-Identifier: GPL-2.0
/*
 * The injection plugin's kernel side: the programs and the hooks they sit on.
 * What each job does lives in the injection_*.bpf.h it includes, written once
 * and shared by a job's preferred program and its fallback:
 *
 *  group "syscalls" (preference 0): the opens (open, openat, openat2, entry
 *    only) and the execs (execve, execveat, entry and exit), among the
 *    hottest syscalls of a node, as stages of the core's open_enter,
 *    execve_enter and execve_exit hooks: the core's one dispatcher program
 *    per tracepoint runs them, for container tasks and, unless
 *    `containers_only`, host tasks (the SDK's vigil_watch_host), with the path
 *    read from user memory once for every plugin that asks; injection
 *    attaches nothing to those tracepoints itself. The rare ptrace and
 *    process_vm_writev: one tp/syscalls program per syscall and side, so that
 *    unrelated syscalls cost nothing.
 *    Where any of those cannot attach (no tracefs, syscall tracepoints
 *    compiled out or disabled, so no dispatcher either): raw_tp/sys_enter and
 *    raw_tp/sys_exit, which see every syscall and dispatch on its number
 *    (preference 1); for the opens and execs they build the same struct
 *    vigil_call (vigil_begin_call) and run the stages' bodies.
 *  group "exec": tp/sched/sched_process_exec (preference 0), and
 *    tp_btf/sched_process_exec, which needs no tracefs (preference 1).
 */
#include "injection_common.bpf.h"
#include <bpf/bpf_tracing.h>
#include <vigil/bpf/dispatch.h>
#include <vigil/bpf/syscalls.h>
#include "injection_calls.bpf.h"
#include "injection_exec.bpf.h"
#include "injection_preload.bpf.h"
#include "injection_open.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* ---- group "syscalls", preference 0: tp/syscalls and stages ------------- */

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

/*
 * The opens and execs are stages of the core's dispatcher (see
 * vigil/bpf/dispatch.h), listed in the group like the tp/syscalls programs:
 * the core runs them from its one program per tracepoint, for container
 * tasks and, unless `containers_only`, host tasks (vigil_watch_host). Where
 * the dispatcher cannot attach they count as not attached, and the group
 * falls back to raw_tp, which builds the same call and runs the same bodies.
 */
VIGIL_STAGE(open_enter, injection_open_enter, call)
{
	on_open(call);
}

VIGIL_STAGE(execve_enter, injection_execve_enter, call)
{
	on_exec_enter((const char *const *)call->user_envp);
}

VIGIL_STAGE(execve_exit, injection_execve_exit, call)
{
	on_exec_exit(call->ret);
}

/* ---- group "syscalls", preference 1: raw_tp, every syscall --------------- */

#define RAW_ARG(regs, index) vigil_raw_syscall_arg((regs), (index))

/* An open's entry without the dispatcher: the same call, and injection_open_enter's body. */
static __always_inline int open_enter_raw(__u16 syscall, int dirfd, __u64 path, __u64 flags)
{
	struct vigil_call *call = vigil_begin_call(VIGIL_HOOK_OPEN_ENTER, syscall);

	if (call) {
		vigil_call_open(call, dirfd, path, flags);
		injection_open_enter_body(call);
	}
	return 0;
}

static __always_inline int openat2_enter_raw(int dirfd, __u64 path, __u64 how)
{
	struct vigil_call *call = vigil_begin_call(VIGIL_HOOK_OPEN_ENTER, VIGIL_CALL_OPENAT2);

	if (call && vigil_call_openat2(call, dirfd, path, how))
		injection_open_enter_body(call);
	return 0;
}

static __always_inline int execve_enter_raw(__u16 syscall, int dirfd, __u64 filename, __u64 argv, __u64 envp,
					    __u64 flags)
{
	struct vigil_call *call = vigil_begin_call(VIGIL_HOOK_EXECVE_ENTER, syscall);

	if (call) {
		vigil_call_execve(call, dirfd, filename, argv, envp, flags);
		injection_execve_enter_body(call);
	}
	return 0;
}

static __always_inline int execve_exit_raw(__u16 syscall, long ret)
{
	struct vigil_call *call = vigil_begin_call(VIGIL_HOOK_EXECVE_EXIT, syscall);

	if (call) {
		call->ret = ret;
		injection_execve_exit_body(call);
	}
	return 0;
}

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
		return open_enter_raw(VIGIL_CALL_OPEN, VIGIL_AT_FDCWD, RAW_ARG(regs, 0), RAW_ARG(regs, 1));
#endif
	case VIGIL_NR_openat:
		return open_enter_raw(VIGIL_CALL_OPENAT, (int)RAW_ARG(regs, 0), RAW_ARG(regs, 1), RAW_ARG(regs, 2));
	case VIGIL_NR_openat2:
		return openat2_enter_raw((int)RAW_ARG(regs, 0), RAW_ARG(regs, 1), RAW_ARG(regs, 2));
	case VIGIL_NR_execve:
		return execve_enter_raw(VIGIL_CALL_EXECVE, VIGIL_AT_FDCWD, RAW_ARG(regs, 0), RAW_ARG(regs, 1),
					RAW_ARG(regs, 2), 0);
	case VIGIL_NR_execveat:
		return execve_enter_raw(VIGIL_CALL_EXECVEAT, (int)RAW_ARG(regs, 0), RAW_ARG(regs, 1), RAW_ARG(regs, 2),
					RAW_ARG(regs, 3), RAW_ARG(regs, 4));
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
		return execve_exit_raw(VIGIL_CALL_EXECVE, ret);
	case VIGIL_NR_execveat:
		return execve_exit_raw(VIGIL_CALL_EXECVEAT, ret);
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
