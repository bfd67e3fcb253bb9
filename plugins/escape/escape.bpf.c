// SPDX-License-Identifier: GPL-2.0
/*
 * The escape plugin's kernel side: the programs and the hooks they sit on.
 * What each job does lives in the escape_*.bpf.h it includes, written once
 * and shared by a job's preferred program and its fallback:
 *
 *  group "syscalls" (preference 0): the opens (open, openat, openat2, entry
 *    and exit), the hottest syscalls of a node, as stages of the core's
 *    open_enter and open_exit hooks: the core's one dispatcher program per
 *    tracepoint runs them, for container tasks only, with the path read from
 *    user memory once for every plugin that asks; escape attaches nothing to
 *    those tracepoints itself, so a host's opens cost it nothing. The rarer
 *    syscalls (mount, fsopen, chroot, pivot_root, setns, unshare, bpf): one
 *    tp/syscalls program per syscall and side, so that unrelated syscalls
 *    cost nothing.
 *    Where any of those cannot attach (no tracefs, syscall tracepoints
 *    disabled, so no dispatcher either): raw_tp/sys_enter and raw_tp/sys_exit,
 *    which see every syscall and dispatch on its number (preference 1); for
 *    the opens they build the same struct vigil_call (vigil_begin_call) and
 *    run the stages' bodies.
 *  group "modules": init_module and finit_module, apart because kernels built
 *    without loadable modules have no tracepoints for them (the calls exist
 *    and fail): tp/syscalls (preference 0), raw_tp (preference 1).
 *  group "setup": the cgroup creations and execs that tell the runtime's
 *    set-up of a new container from the container's own work:
 *    tp/cgroup + tp/sched (preference 0), tp_btf, which needs no tracefs
 *    (preference 1).
 */
#include "escape_common.bpf.h"
#include <bpf/bpf_tracing.h>
#include <vigil/bpf/dispatch.h>
#include <vigil/bpf/syscalls.h>
#include "escape_files.bpf.h"
#include "escape_mounts.bpf.h"
#include "escape_namespaces.bpf.h"
#include "escape_kernel.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define ARG(ctx, index) ((ctx)->args[index])

/* ---- group "syscalls", preference 0: stages and tp/syscalls ------------- */

/*
 * The opens are stages of the core's dispatcher (see vigil/bpf/dispatch.h),
 * listed in the group like the tp/syscalls programs: the core runs them from
 * its one program per open tracepoint, for container tasks only. Where the
 * dispatcher cannot attach they count as not attached, and the group falls
 * back to raw_tp, which builds the same call and runs the same bodies.
 */
VIGIL_STAGE(open_enter, escape_open_enter, call)
{
	on_open_enter(call);
}

VIGIL_STAGE(open_exit, escape_open_exit, call)
{
	on_open_exit(call);
}

SEC("tp/syscalls/sys_enter_mount")
int mount_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_mount_enter((const char *)ARG(ctx, 0), (const char *)ARG(ctx, 1), (const char *)ARG(ctx, 2),
			      ARG(ctx, 3));
}

SEC("tp/syscalls/sys_exit_mount")
int mount_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_mount_exit(ESCAPE_SYSCALL_MOUNT, ctx->ret);
}

SEC("tp/syscalls/sys_enter_fsopen")
int fsopen_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_fsopen_enter((const char *)ARG(ctx, 0), ARG(ctx, 1));
}

SEC("tp/syscalls/sys_exit_fsopen")
int fsopen_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_mount_exit(ESCAPE_SYSCALL_FSOPEN, ctx->ret);
}

SEC("tp/syscalls/sys_enter_chroot")
int chroot_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_root_change_enter(ESCAPE_SYSCALL_CHROOT, (const char *)ARG(ctx, 0));
}

SEC("tp/syscalls/sys_exit_chroot")
int chroot_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_root_change_exit(ESCAPE_SYSCALL_CHROOT, ctx->ret);
}

SEC("tp/syscalls/sys_enter_pivot_root")
int pivot_root_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_root_change_enter(ESCAPE_SYSCALL_PIVOT_ROOT, (const char *)ARG(ctx, 0));
}

SEC("tp/syscalls/sys_exit_pivot_root")
int pivot_root_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_root_change_exit(ESCAPE_SYSCALL_PIVOT_ROOT, ctx->ret);
}

SEC("tp/syscalls/sys_enter_setns")
int setns_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_setns_enter((long)ARG(ctx, 0), ARG(ctx, 1));
}

SEC("tp/syscalls/sys_exit_setns")
int setns_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_namespace_exit(ESCAPE_SYSCALL_SETNS, ctx->ret);
}

SEC("tp/syscalls/sys_enter_unshare")
int unshare_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_unshare_enter(ARG(ctx, 0));
}

SEC("tp/syscalls/sys_exit_unshare")
int unshare_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_namespace_exit(ESCAPE_SYSCALL_UNSHARE, ctx->ret);
}

SEC("tp/syscalls/sys_enter_bpf")
int bpf_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_bpf_enter((long)ARG(ctx, 0), (const struct escape_prog_load_attr *)ARG(ctx, 1));
}

SEC("tp/syscalls/sys_exit_bpf")
int bpf_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_kernel_load_exit(ESCAPE_SYSCALL_BPF, ctx->ret);
}

/* ---- group "syscalls", preference 1: raw_tp, every syscall --------------- */

#define RAW_ARG(regs, index) vigil_raw_syscall_arg((regs), (index))

/* An open's entry without the dispatcher: the same call, and escape_open_enter's body. */
static __always_inline int open_enter_raw(__u16 syscall, int dirfd, __u64 path, __u64 flags)
{
	struct vigil_call *call = vigil_begin_call(VIGIL_HOOK_OPEN_ENTER, syscall);

	if (call) {
		vigil_call_open(call, dirfd, path, flags);
		escape_open_enter_body(call);
	}
	return 0;
}

static __always_inline int openat2_enter_raw(int dirfd, __u64 path, __u64 how)
{
	struct vigil_call *call = vigil_begin_call(VIGIL_HOOK_OPEN_ENTER, VIGIL_CALL_OPENAT2);

	if (call && vigil_call_openat2(call, dirfd, path, how))
		escape_open_enter_body(call);
	return 0;
}

static __always_inline int open_exit_raw(__u16 syscall, long ret)
{
	struct vigil_call *call = vigil_begin_call(VIGIL_HOOK_OPEN_EXIT, syscall);

	if (call) {
		call->ret = ret;
		escape_open_exit_body(call);
	}
	return 0;
}

SEC("raw_tp/sys_enter")
int sys_enter_raw(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = (long)ctx->args[1];

	switch (nr) {
#if defined(__TARGET_ARCH_x86)
	case VIGIL_NR_open:
		return open_enter_raw(VIGIL_CALL_OPEN, VIGIL_AT_FDCWD, RAW_ARG(regs, 0), RAW_ARG(regs, 1));
#endif
	case VIGIL_NR_openat:
		return open_enter_raw(VIGIL_CALL_OPENAT, (int)RAW_ARG(regs, 0), RAW_ARG(regs, 1), RAW_ARG(regs, 2));
	case VIGIL_NR_openat2:
		return openat2_enter_raw((int)RAW_ARG(regs, 0), RAW_ARG(regs, 1), RAW_ARG(regs, 2));
	case VIGIL_NR_mount:
		return on_mount_enter((const char *)RAW_ARG(regs, 0), (const char *)RAW_ARG(regs, 1),
				      (const char *)RAW_ARG(regs, 2), RAW_ARG(regs, 3));
	case VIGIL_NR_fsopen:
		return on_fsopen_enter((const char *)RAW_ARG(regs, 0), RAW_ARG(regs, 1));
	case VIGIL_NR_chroot:
		return on_root_change_enter(ESCAPE_SYSCALL_CHROOT, (const char *)RAW_ARG(regs, 0));
	case VIGIL_NR_pivot_root:
		return on_root_change_enter(ESCAPE_SYSCALL_PIVOT_ROOT, (const char *)RAW_ARG(regs, 0));
	case VIGIL_NR_setns:
		return on_setns_enter((long)RAW_ARG(regs, 0), RAW_ARG(regs, 1));
	case VIGIL_NR_unshare:
		return on_unshare_enter(RAW_ARG(regs, 0));
	case VIGIL_NR_bpf:
		return on_bpf_enter((long)RAW_ARG(regs, 0), (const struct escape_prog_load_attr *)RAW_ARG(regs, 1));
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
#if defined(__TARGET_ARCH_x86)
	case VIGIL_NR_open:
		return open_exit_raw(VIGIL_CALL_OPEN, ret);
#endif
	case VIGIL_NR_openat:
		return open_exit_raw(VIGIL_CALL_OPENAT, ret);
	case VIGIL_NR_openat2:
		return open_exit_raw(VIGIL_CALL_OPENAT2, ret);
	case VIGIL_NR_mount:
		return on_mount_exit(ESCAPE_SYSCALL_MOUNT, ret);
	case VIGIL_NR_fsopen:
		return on_mount_exit(ESCAPE_SYSCALL_FSOPEN, ret);
	case VIGIL_NR_chroot:
		return on_root_change_exit(ESCAPE_SYSCALL_CHROOT, ret);
	case VIGIL_NR_pivot_root:
		return on_root_change_exit(ESCAPE_SYSCALL_PIVOT_ROOT, ret);
	case VIGIL_NR_setns:
		return on_namespace_exit(ESCAPE_SYSCALL_SETNS, ret);
	case VIGIL_NR_unshare:
		return on_namespace_exit(ESCAPE_SYSCALL_UNSHARE, ret);
	case VIGIL_NR_bpf:
		return on_kernel_load_exit(ESCAPE_SYSCALL_BPF, ret);
	default:
		return 0;
	}
}

/* ---- group "modules": tp/syscalls (0), raw_tp entry only (1) ------------- */

SEC("tp/syscalls/sys_enter_init_module")
int init_module_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_kernel_load_enter(ESCAPE_SYSCALL_INIT_MODULE, ARG(ctx, 1), -1, NULL, true);
}

SEC("tp/syscalls/sys_exit_init_module")
int init_module_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_kernel_load_exit(ESCAPE_SYSCALL_INIT_MODULE, ctx->ret);
}

SEC("tp/syscalls/sys_enter_finit_module")
int finit_module_enter(struct trace_event_raw_sys_enter *ctx)
{
	return on_kernel_load_enter(ESCAPE_SYSCALL_FINIT_MODULE, ARG(ctx, 2), (long)ARG(ctx, 0), NULL, true);
}

SEC("tp/syscalls/sys_exit_finit_module")
int finit_module_exit(struct trace_event_raw_sys_exit *ctx)
{
	return on_kernel_load_exit(ESCAPE_SYSCALL_FINIT_MODULE, ctx->ret);
}

/*
 * The fallback runs on every syscall of the node, so it is entry-only: half
 * the cost, and the attempt is what matters. The module syscall tracepoints
 * are missing where the kernel is built without module support; there the
 * call can only fail, and an attempt from a container is still worth telling.
 */
SEC("raw_tp/sys_enter")
int module_enter_raw(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];

	switch ((long)ctx->args[1]) {
	case VIGIL_NR_init_module:
		return on_kernel_load_enter(ESCAPE_SYSCALL_INIT_MODULE, RAW_ARG(regs, 1), -1, NULL, false);
	case VIGIL_NR_finit_module:
		return on_kernel_load_enter(ESCAPE_SYSCALL_FINIT_MODULE, RAW_ARG(regs, 2), (long)RAW_ARG(regs, 0),
					    NULL, false);
	default:
		return 0;
	}
}

/* ---- group "setup" -------------------------------------------------------- */

SEC("tp/cgroup/cgroup_mkdir")
int cgroup_mkdir_tp(struct trace_event_raw_cgroup *ctx)
{
	note_cgroup_created(BPF_CORE_READ(ctx, root), BPF_CORE_READ(ctx, id));
	return 0;
}

SEC("tp/sched/sched_process_exec")
int exec_tp(void *ctx)
{
	note_exec();
	return 0;
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(cgroup_mkdir_btf, struct cgroup *cgroup, const char *path)
{
	note_cgroup_created(BPF_CORE_READ(cgroup, root, hierarchy_id), BPF_CORE_READ(cgroup, kn, id));
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_btf, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	note_exec();
	return 0;
}
