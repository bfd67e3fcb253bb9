/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mount(), fsopen(), chroot() and pivot_root() from processes that may be in
 * a container. All are rare, so every one is sent from its exit with its
 * outcome; user space decides what the source, type and target mean. chroot
 * and pivot_root also report where the root directory ends up: on a mount of
 * which namespace, on which device, at the top of its filesystem or not.
 */
#ifndef VIGIL_ESCAPE_MOUNTS_BPF_H
#define VIGIL_ESCAPE_MOUNTS_BPF_H

#include "escape_common.bpf.h"
#include "escape_pending.bpf.h"

static __always_inline int on_mount_enter(const char *source, const char *target, const char *fstype, __u64 flags)
{
	struct pending_syscall *pending;

	if (!escape_watched())
		return 0;
	pending = new_pending(ESCAPE_SYSCALL_MOUNT);
	if (!pending)
		return 0;
	pending->flags = flags;
	pending->path_size = read_user_path(pending->path, ESCAPE_MOUNT_PATH_SIZE, source);
	read_user_path(pending->target, sizeof(pending->target), target);
	read_user_path(pending->fstype, sizeof(pending->fstype), fstype);
	pending->record_flags = record_flags_now();
	keep_pending(pending);
	return 0;
}

static __always_inline int on_fsopen_enter(const char *fstype, __u64 flags)
{
	struct pending_syscall *pending;

	if (!escape_watched())
		return 0;
	pending = new_pending(ESCAPE_SYSCALL_FSOPEN);
	if (!pending)
		return 0;
	pending->flags = flags;
	read_user_path(pending->fstype, sizeof(pending->fstype), fstype);
	pending->record_flags = record_flags_now();
	keep_pending(pending);
	return 0;
}

/* The exit of mount (@syscall ESCAPE_SYSCALL_MOUNT) or fsopen (ESCAPE_SYSCALL_FSOPEN). */
static __always_inline int on_mount_exit(__u16 syscall, long ret)
{
	struct pending_syscall *pending = find_pending(syscall);
	struct escape_mount *record;

	if (!pending)
		return 0;
	record = vigil_reserve(escape_events, sizeof(*record), ESCAPE_KIND_MOUNT);
	if (!record)
		goto done;
	vigil_fill_header(&record->header, sizeof(*record), ESCAPE_KIND_MOUNT, ESCAPE_RECORD_VERSION);
	record->ret = ret;
	record->mount_flags = pending->flags;
	record->record_flags = pending->record_flags;
	record->syscall = syscall;
	record->reserved = 0;
	__builtin_memcpy(record->source, pending->path, sizeof(record->source));
	__builtin_memcpy(record->target, pending->target, sizeof(record->target));
	__builtin_memcpy(record->fstype, pending->fstype, sizeof(record->fstype));
	vigil_submit_urgent(escape_events, record);
done:
	forget_pending();
	return 0;
}

/* The current task's root directory. */
static __always_inline void read_root(struct vfsmount **mount, struct dentry **dentry)
{
	struct task_struct *task = vigil_current_task();

	*mount = BPF_CORE_READ(task, fs, root.mnt);
	*dentry = BPF_CORE_READ(task, fs, root.dentry);
}

/* chroot (@syscall ESCAPE_SYSCALL_CHROOT) or pivot_root (ESCAPE_SYSCALL_PIVOT_ROOT) to @path. */
static __always_inline int on_root_change_enter(__u16 syscall, const char *path)
{
	struct pending_syscall *pending;
	struct vfsmount *mount;
	struct dentry *dentry;

	if (!escape_watched())
		return 0;
	pending = new_pending(syscall);
	if (!pending)
		return 0;
	pending->path_size = read_user_path(pending->path, sizeof(pending->path), path);
	read_root(&mount, &dentry);
	pending->old_root_mnt_ns = mount_namespace_of(mount);
	pending->old_root_dev = device_of(mount);
	pending->record_flags = record_flags_now();
	keep_pending(pending);
	return 0;
}

static __always_inline int on_root_change_exit(__u16 syscall, long ret)
{
	struct pending_syscall *pending = find_pending(syscall);
	struct escape_root_change *record;
	struct vfsmount *mount;
	struct dentry *dentry;

	if (!pending)
		return 0;
	record = vigil_reserve(escape_events, sizeof(*record), ESCAPE_KIND_ROOT_CHANGE);
	if (!record)
		goto done;
	vigil_fill_header(&record->header, sizeof(*record), ESCAPE_KIND_ROOT_CHANGE, ESCAPE_RECORD_VERSION);
	read_root(&mount, &dentry);
	record->ret = ret;
	record->record_flags = pending->record_flags;
	if (pending->path_size >= ESCAPE_PATH_SIZE)
		record->record_flags |= ESCAPE_FLAG_PATH_TRUNCATED;
	record->syscall = syscall;
	record->path_size = pending->path_size;
	record->old_root_mnt_ns = pending->old_root_mnt_ns;
	record->new_root_mnt_ns = mount_namespace_of(mount);
	record->old_root_dev = pending->old_root_dev;
	record->new_root_dev = device_of(mount);
	/* The top directory of a filesystem is its own parent. */
	record->new_root_is_fs_root = dentry && BPF_CORE_READ(dentry, d_parent) == dentry;
	record->reserved = 0;
	__builtin_memcpy(record->path, pending->path, sizeof(record->path));
	vigil_submit_urgent(escape_events, record);
done:
	forget_pending();
	return 0;
}

#endif /* VIGIL_ESCAPE_MOUNTS_BPF_H */
