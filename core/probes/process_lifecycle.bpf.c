// SPDX-License-Identifier: GPL-2.0
/*
 * The core's own probes: process exec, fork and exit for the process table,
 * and cgroup creation and removal for the container resolver.
 *
 * Each job has a preferred program and a fallback (see process_lifecycle.cpp):
 *  - exec, exit, cgroups: the stable tp/ tracepoint first; tp_btf/ where tracefs
 *    is not available (tp_btf attaches by BTF id and needs no tracefs).
 *  - fork: tp_btf/ first, raw_tp/ second. tp/sched/sched_process_fork cannot
 *    tell a new thread from a new process, and the table only wants processes.
 */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <vigil/bpf/event.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/task.h>

char LICENSE[] SEC("license") = "GPL";

VIGIL_RING_BUFFER(lifecycle_events, 1024 * 1024);

/* ---- exec ---------------------------------------------------------------- */

static __always_inline void fill_exec_args(struct vigil_process_exec *event, struct task_struct *task)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	unsigned long start = BPF_CORE_READ(mm, arg_start);
	unsigned long end = BPF_CORE_READ(mm, arg_end);
	unsigned long length = end > start ? end - start : 0;

	if (length > VIGIL_EXEC_ARGS_SIZE) {
		length = VIGIL_EXEC_ARGS_SIZE;
		event->flags |= VIGIL_EXEC_ARGS_TRUNCATED;
	}
	event->args_size = 0;
	if (length > 0 && bpf_probe_read_user(event->args, length, (void *)start) == 0)
		event->args_size = (__u16)length;
}

static __always_inline int send_exec(const char *kernel_filename, __u32 old_tid)
{
	struct task_struct *task = vigil_current_task();
	struct vigil_process_exec *event;
	long size;

	event = vigil_reserve(lifecycle_events, sizeof(*event), VIGIL_KIND_PROCESS_EXEC);
	if (!event)
		return 0;
	vigil_fill_header(&event->header, sizeof(*event), VIGIL_KIND_PROCESS_EXEC, 1);
	event->process_start_ns = vigil_task_start_ns(task);
	event->old_tid = old_tid;
	event->flags = 0;
	event->reserved = 0;
	size = bpf_probe_read_kernel_str(event->filename, sizeof(event->filename), kernel_filename);
	event->filename_size = size > 0 ? (__u16)size : 0;
	if (size == sizeof(event->filename))
		event->flags |= VIGIL_EXEC_FILENAME_TRUNCATED;
	fill_exec_args(event, task);
	vigil_submit(lifecycle_events, event);
	return 0;
}

SEC("tp/sched/sched_process_exec")
int exec_tracepoint(struct trace_event_raw_sched_process_exec *ctx)
{
	unsigned int offset = BPF_CORE_READ(ctx, __data_loc_filename) & 0xFFFF;

	return send_exec((const char *)ctx + offset, (__u32)BPF_CORE_READ(ctx, old_pid));
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_btf, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	return send_exec(BPF_CORE_READ(bprm, filename), (__u32)old_pid);
}

/* ---- fork ---------------------------------------------------------------- */

static __always_inline int send_fork(struct task_struct *child)
{
	struct vigil_process_fork *event;
	__u32 child_pid = BPF_CORE_READ(child, pid);
	__u32 child_tgid = BPF_CORE_READ(child, tgid);

	if (child_pid != child_tgid)
		return 0; /* a new thread, not a new process */
	event = vigil_reserve(lifecycle_events, sizeof(*event), VIGIL_KIND_PROCESS_FORK);
	if (!event)
		return 0;
	vigil_fill_header(&event->header, sizeof(*event), VIGIL_KIND_PROCESS_FORK, 1);
	event->child_tgid = child_tgid;
	event->child_start_ns = BPF_CORE_READ(child, start_boottime);
	event->child_ns_tgid = vigil_task_ns_tgid(child);
	vigil_submit(lifecycle_events, event);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf, struct task_struct *parent, struct task_struct *child)
{
	return send_fork(child);
}

SEC("raw_tp/sched_process_fork")
int fork_raw(struct bpf_raw_tracepoint_args *ctx)
{
	return send_fork((struct task_struct *)ctx->args[1]);
}

/* ---- exit ---------------------------------------------------------------- */

static __always_inline int send_exit(void)
{
	struct task_struct *task = vigil_current_task();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct vigil_process_exit *event;

	if ((__u32)pid_tgid != (__u32)(pid_tgid >> 32))
		return 0; /* a thread other than the leader: the process lives on */
	event = vigil_reserve(lifecycle_events, sizeof(*event), VIGIL_KIND_PROCESS_EXIT);
	if (!event)
		return 0;
	vigil_fill_header(&event->header, sizeof(*event), VIGIL_KIND_PROCESS_EXIT, 1);
	event->process_start_ns = vigil_task_start_ns(task);
	event->exit_code = BPF_CORE_READ(task, exit_code);
	event->reserved = 0;
	vigil_submit(lifecycle_events, event);
	return 0;
}

SEC("tp/sched/sched_process_exit")
int exit_tracepoint(void *ctx)
{
	return send_exit();
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_btf, struct task_struct *task)
{
	return send_exit();
}

/* ---- cgroups (v2 hierarchy only) ----------------------------------------- */

static __always_inline int send_cgroup(__u16 kind, int hierarchy, __u64 id, int level, const char *path)
{
	struct vigil_cgroup_change *event;
	long size;

	if (hierarchy != 0)
		return 0; /* a cgroup v1 hierarchy; the v2 one (id 0) is what cgroup ids refer to */
	event = vigil_reserve(lifecycle_events, sizeof(*event), kind);
	if (!event)
		return 0;
	vigil_fill_header(&event->header, sizeof(*event), kind, 1);
	event->cgroup_id = id;
	event->level = (__u32)level;
	size = bpf_probe_read_kernel_str(event->path, sizeof(event->path), path);
	event->path_size = size > 0 ? (__u32)size : 0;
	/* Woken at once: a container's first events should find their cgroup known. */
	vigil_submit_urgent(lifecycle_events, event);
	return 0;
}

static __always_inline int cgroup_tracepoint(struct trace_event_raw_cgroup *ctx, __u16 kind)
{
	unsigned int offset = BPF_CORE_READ(ctx, __data_loc_path) & 0xFFFF;

	return send_cgroup(kind, BPF_CORE_READ(ctx, root), BPF_CORE_READ(ctx, id), BPF_CORE_READ(ctx, level),
			   (const char *)ctx + offset);
}

static __always_inline int cgroup_btf(struct cgroup *cgroup, const char *path, __u16 kind)
{
	return send_cgroup(kind, BPF_CORE_READ(cgroup, root, hierarchy_id), BPF_CORE_READ(cgroup, kn, id),
			   BPF_CORE_READ(cgroup, level), path);
}

SEC("tp/cgroup/cgroup_mkdir")
int cgroup_mkdir_tracepoint(struct trace_event_raw_cgroup *ctx)
{
	return cgroup_tracepoint(ctx, VIGIL_KIND_CGROUP_CREATED);
}

SEC("tp/cgroup/cgroup_rmdir")
int cgroup_rmdir_tracepoint(struct trace_event_raw_cgroup *ctx)
{
	return cgroup_tracepoint(ctx, VIGIL_KIND_CGROUP_REMOVED);
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(cgroup_mkdir_btf, struct cgroup *cgroup, const char *path)
{
	return cgroup_btf(cgroup, path, VIGIL_KIND_CGROUP_CREATED);
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(cgroup_rmdir_btf, struct cgroup *cgroup, const char *path)
{
	return cgroup_btf(cgroup, path, VIGIL_KIND_CGROUP_REMOVED);
}
