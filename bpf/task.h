/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * Reading the current task through CO-RE: namespaces, pids as a namespace sees
 * them, and the common header every event starts with.
 */
#ifndef VIGIL_BPF_TASK_H
#define VIGIL_BPF_TASK_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "event.h"

static __always_inline struct task_struct *vigil_current_task(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

/* The pid of @task's thread group leader as the task's own pid namespace sees it. */
static __always_inline __u32 vigil_task_ns_tgid(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, group_leader, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	int nr = 0;

	bpf_core_read(&nr, sizeof(nr), &pid->numbers[level & 31].nr);
	return (__u32)nr;
}

/* The pid namespace @pid was allocated in: the deepest of its levels. */
static __always_inline __u32 vigil_pid_ns_of(struct pid *pid)
{
	unsigned int level = BPF_CORE_READ(pid, level);
	struct pid_namespace *ns = NULL;

	bpf_core_read(&ns, sizeof(ns), &pid->numbers[level & 31].ns);
	return BPF_CORE_READ(ns, ns.inum);
}

/* The pid namespace @task lives in (not the one its children will get). */
static __always_inline __u32 vigil_task_pid_ns(struct task_struct *task)
{
	return vigil_pid_ns_of(BPF_CORE_READ(task, thread_pid));
}

static __always_inline __u32 vigil_task_mnt_ns(struct task_struct *task)
{
	return BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
}

static __always_inline __u32 vigil_task_net_ns(struct task_struct *task)
{
	return BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
}

/* Start time in CLOCK_BOOTTIME, the clock of the event timestamps. */
static __always_inline __u64 vigil_task_start_ns(struct task_struct *task)
{
	return BPF_CORE_READ(task, group_leader, start_boottime);
}

/* Fills @header for the current task; @size and @kind describe the record. */
static __always_inline void vigil_fill_header(struct vigil_event_header *header, __u32 size, __u16 kind,
					       __u16 version)
{
	struct task_struct *task = vigil_current_task();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 uid_gid = bpf_get_current_uid_gid();

	header->size = size;
	header->kind = kind;
	header->version = version;
	header->timestamp_ns = bpf_ktime_get_boot_ns();
	header->tid = (__u32)pid_tgid;
	header->tgid = pid_tgid >> 32;
	header->parent_tgid = BPF_CORE_READ(task, real_parent, tgid);
	header->ns_tgid = vigil_task_ns_tgid(task);
	header->uid = (__u32)uid_gid;
	header->gid = uid_gid >> 32;
	header->cgroup_id = bpf_get_current_cgroup_id();
	header->mnt_ns = vigil_task_mnt_ns(task);
	header->pid_ns = vigil_task_pid_ns(task);
	header->net_ns = vigil_task_net_ns(task);
	header->reserved = 0;
	bpf_get_current_comm(header->comm, sizeof(header->comm));
}

#endif /* VIGIL_BPF_TASK_H */
