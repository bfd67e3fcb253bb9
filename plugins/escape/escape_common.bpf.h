/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of the escape object shares: its ring, the test of whether
 * a task is watched, how the runtime's own container set-up is recognised,
 * the caller's namespaces, and an fd's struct file.
 * Included by each escape_*.bpf.h; compiled once, into escape.bpf.c.
 */
#ifndef VIGIL_ESCAPE_COMMON_BPF_H
#define VIGIL_ESCAPE_COMMON_BPF_H

#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <vigil/bpf/event.h>
#include <vigil/bpf/files.h>
#include <vigil/bpf/filters.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/task.h>
#include "escape_events.h"

/* Every record of the plugin; rare and alert-worthy, so it is submitted urgently. */
VIGIL_RING_BUFFER(escape_events, 256 * 1024);

/* O_WRONLY | O_RDWR: the same on every architecture vigil builds for. */
#define ESCAPE_OPEN_WRITE_ACCESS 3
#define ESCAPE_CLONE_NEWUSER 0x10000000UL

/* Container-only rules: the sensor's own activity and the host's are never candidates. */
static __always_inline bool escape_watched(void)
{
	return !vigil_is_sensor() && vigil_maybe_in_container();
}

/*
 * Cgroups (v2 ids) created since the sensor started in which nothing has
 * exec'd yet: a new container's, while its runtime sets it up. The entry is
 * dropped at the first exec inside (the entry point starting). LRU: a cgroup
 * no process ever execs in (a pod's parent cgroup) ages out.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} cgroups_in_setup SEC(".maps");

static __always_inline void note_cgroup_created(int hierarchy, __u64 id)
{
	__u8 yes = 1;

	/* Only the v2 hierarchy's ids are what bpf_get_current_cgroup_id() returns. */
	if (hierarchy == 0)
		bpf_map_update_elem(&cgroups_in_setup, &id, &yes, BPF_ANY);
}


/* The struct mount that embeds @vfs. */
static __always_inline struct mount *escape_real_mount(struct vfsmount *vfs)
{
	return (struct mount *)((char *)vfs - bpf_core_field_offset(struct mount, mnt));
}

/* The mount namespace a vfsmount belongs to; 0 for internal mounts (memfd, pipes) and on any fault. */
static __always_inline __u32 mount_namespace_of(struct vfsmount *vfs)
{
	struct mnt_namespace *ns = BPF_CORE_READ(escape_real_mount(vfs), mnt_ns);

	/* Internal mounts carry an error pointer instead of a namespace. */
	if ((unsigned long)ns >= (unsigned long)-4095L)
		return 0;
	return BPF_CORE_READ(ns, ns.inum);
}

/*
 * The runtime setting up the container, not the container itself: the cgroup
 * is new and nothing has exec'd in it, and the caller runs a program from
 * outside its own mount namespace (exec'd on the host before it unshared).
 * Either alone is not enough: a program inside the container could move
 * itself to a new cgroup, and a memfd's program is from no namespace at all.
 */
static __always_inline bool runtime_setting_up(void)
{
	struct task_struct *task = vigil_current_task();
	__u64 cgroup = bpf_get_current_cgroup_id();
	struct file *exe;

	if (!bpf_map_lookup_elem(&cgroups_in_setup, &cgroup))
		return false;
	exe = BPF_CORE_READ(task, mm, exe_file);
	if (!exe)
		return false;
	return mount_namespace_of(BPF_CORE_READ(exe, f_path.mnt)) != vigil_task_mnt_ns(task);
}

/*
 * An exec ends its cgroup's set-up when it runs a file of the task's own
 * mount namespace: the container's entry point. runc init re-executing
 * itself from a memfd (no namespace) after the runtime moved it into the
 * cgroup does not.
 */
static __always_inline void note_exec(void)
{
	struct task_struct *task = vigil_current_task();
	__u64 id = bpf_get_current_cgroup_id();
	struct file *exe;

	if (!bpf_map_lookup_elem(&cgroups_in_setup, &id))
		return;
	exe = BPF_CORE_READ(task, mm, exe_file);
	if (exe && mount_namespace_of(BPF_CORE_READ(exe, f_path.mnt)) != vigil_task_mnt_ns(task))
		return;
	bpf_map_delete_elem(&cgroups_in_setup, &id);
}

static __always_inline __u32 record_flags_now(void)
{
	return runtime_setting_up() ? ESCAPE_FLAG_RUNTIME_SETUP : 0;
}

/* The current task's namespaces. */
static __always_inline void read_namespaces(struct escape_namespaces *out)
{
	struct task_struct *task = vigil_current_task();
	struct nsproxy *proxy = BPF_CORE_READ(task, nsproxy);

	out->mnt = BPF_CORE_READ(proxy, mnt_ns, ns.inum);
	out->pid = vigil_task_pid_ns(task);
	out->pid_for_children = BPF_CORE_READ(proxy, pid_ns_for_children, ns.inum);
	out->net = BPF_CORE_READ(proxy, net_ns, ns.inum);
	out->uts = BPF_CORE_READ(proxy, uts_ns, ns.inum);
	out->ipc = BPF_CORE_READ(proxy, ipc_ns, ns.inum);
	out->cgroup = BPF_CORE_READ(proxy, cgroup_ns, ns.inum);
	out->user = BPF_CORE_READ(task, cred, user_ns, ns.inum);
}

/* The name of @dentry into @name, NUL-terminated; "" if unreadable. */
static __always_inline void read_dentry_name(struct dentry *dentry, char *name, __u32 size)
{
	const unsigned char *text = BPF_CORE_READ(dentry, d_name.name);

	if (bpf_probe_read_kernel_str(name, size, text) <= 0)
		name[0] = '\0';
}

/* The kernel dev_t of the filesystem @vfs mounts. */
static __always_inline __u32 device_of(struct vfsmount *vfs)
{
	return BPF_CORE_READ(vfs, mnt_sb, s_dev);
}

#endif /* VIGIL_ESCAPE_COMMON_BPF_H */
