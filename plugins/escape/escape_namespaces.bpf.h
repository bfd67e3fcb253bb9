/* SPDX-License-Identifier: GPL-2.0 */
/*
 * setns() and unshare(CLONE_NEWUSER), with the caller's namespaces before
 * (at entry) and after (at exit).
 *
 * setns is not filtered by "may be in a container": a process of a host-PID
 * container that has already joined the host's mount namespace looks exactly
 * like a host process to that test, and its next setns must still be seen.
 * setns is rare on a node (runtimes, `ip netns`), so user space gets every one
 * but the sensor's and decides by cgroup.
 */
#ifndef VIGIL_ESCAPE_NAMESPACES_BPF_H
#define VIGIL_ESCAPE_NAMESPACES_BPF_H

#include "escape_common.bpf.h"
#include "escape_pending.bpf.h"

static __always_inline int on_setns_enter(long fd, __u64 nstype)
{
	struct pending_syscall *pending;
	struct file *file;

	if (vigil_is_sensor())
		return 0;
	pending = new_pending(ESCAPE_SYSCALL_SETNS);
	if (!pending)
		return 0;
	pending->fd = (__s32)fd;
	pending->flags = nstype;
	/* A namespace file's inode number is the namespace's: where it leads, even if the call fails. */
	file = vigil_file_of_fd(fd);
	if (file) {
		pending->target_fs_magic = BPF_CORE_READ(file, f_inode, i_sb, s_magic);
		if (pending->target_fs_magic == ESCAPE_NSFS_MAGIC)
			pending->target_inum = (__u32)BPF_CORE_READ(file, f_inode, i_ino);
	}
	read_namespaces(&pending->before);
	pending->record_flags = record_flags_now();
	keep_pending(pending);
	return 0;
}

static __always_inline int on_unshare_enter(__u64 flags)
{
	struct pending_syscall *pending;

	if ((flags & ESCAPE_CLONE_NEWUSER) == 0 || !escape_watched())
		return 0;
	pending = new_pending(ESCAPE_SYSCALL_UNSHARE);
	if (!pending)
		return 0;
	pending->flags = flags;
	pending->fd = -1;
	read_namespaces(&pending->before);
	pending->record_flags = record_flags_now();
	keep_pending(pending);
	return 0;
}

/* The exit of setns (@syscall ESCAPE_SYSCALL_SETNS) or unshare (ESCAPE_SYSCALL_UNSHARE). */
static __always_inline int on_namespace_exit(__u16 syscall, long ret)
{
	struct pending_syscall *pending = find_pending(syscall);
	struct escape_namespace_change *record;
	__u16 kind = syscall == ESCAPE_SYSCALL_SETNS ? ESCAPE_KIND_SETNS : ESCAPE_KIND_UNSHARE;

	if (!pending)
		return 0;
	record = vigil_reserve(escape_events, sizeof(*record), kind);
	if (!record)
		goto done;
	vigil_fill_header(&record->header, sizeof(*record), kind, ESCAPE_RECORD_VERSION);
	record->ret = ret;
	record->flags = pending->flags;
	record->fd = pending->fd;
	record->record_flags = pending->record_flags;
	record->target_fs_magic = pending->target_fs_magic;
	record->target_inum = pending->target_inum;
	record->syscall = syscall;
	record->reserved = 0;
	record->before = pending->before;
	read_namespaces(&record->after);
	vigil_submit_urgent(escape_events, record);
done:
	forget_pending();
	return 0;
}

#endif /* VIGIL_ESCAPE_NAMESPACES_BPF_H */
