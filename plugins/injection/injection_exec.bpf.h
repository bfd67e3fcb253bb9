/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Execs worth a record, sent from sched_process_exec once the new image runs:
 * of a memfd_create() file, of a file under /dev/shm, or with LD_PRELOAD in
 * the environment (found by injection_preload.bpf.h). Shared by the
 * tp/sched program and its tp_btf fallback.
 */
#ifndef VIGIL_INJECTION_EXEC_BPF_H
#define VIGIL_INJECTION_EXEC_BPF_H

#include "injection_common.bpf.h"
#include <vigil/bpf/strings.h>
#include "injection_preload.bpf.h"

/* The name of @dentry's file into @name, NUL-terminated; "" if unreadable. */
static __always_inline void read_dentry_name(struct dentry *dentry, char *name, __u32 size)
{
	const unsigned char *text = BPF_CORE_READ(dentry, d_name.name);

	if (bpf_probe_read_kernel_str(name, size, text) <= 0)
		name[0] = '\0';
}

/* The struct mount that embeds @vfs, the vfsmount a struct path points to. */
static __always_inline struct mount *real_mount(struct vfsmount *vfs)
{
	return (struct mount *)((char *)vfs - bpf_core_field_offset(struct mount, mnt));
}

/*
 * True when @file's mount is mounted on a directory "shm" inside a directory
 * "dev": /dev/shm, whatever path or symlink the exec used to reach the file.
 * Walks up from the mount's root the way the kernel builds a path: a dentry
 * that is the root of its mount stands for that mount's mount point, so /dev
 * and /dev/shm being mounts themselves (as they are on hosts and in
 * containers) and mounts stacked on one another are crossed.
 */
static __always_inline bool on_dev_shm_mount(struct file *file)
{
	struct vfsmount *vfs = BPF_CORE_READ(file, f_path.mnt);
	struct mount *mnt = real_mount(vfs);
	struct dentry *dentry = BPF_CORE_READ(vfs, mnt_root);
	bool seen_shm = false;
	char name[8] = {};

	for (int step = 0; step < 8; step++) {
		if (dentry == BPF_CORE_READ(mnt, mnt.mnt_root)) {
			struct mount *parent = BPF_CORE_READ(mnt, mnt_parent);

			if (!parent || parent == mnt)
				return false; /* the root of the namespace */
			dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = parent;
			continue;
		}
		read_dentry_name(dentry, name, sizeof(name));
		if (seen_shm)
			return vigil_bytes_equal(name, "dev", sizeof("dev"));
		if (!vigil_bytes_equal(name, "shm", sizeof("shm")))
			return false;
		seen_shm = true;
		dentry = BPF_CORE_READ(dentry, d_parent);
	}
	return false;
}

/* sched_process_exec: the new image runs. @filename is the path exec was given (kernel memory). */
static __always_inline int on_exec_done(const char *filename)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct task_struct *task = vigil_current_task();
	char exe_name[INJECTION_EXE_NAME_SIZE] = {};
	struct pending_preload *preload;
	struct injection_exec *record;
	char head[16] = {};
	struct file *exe;
	__u32 flags = 0;
	long size;

	if (!injection_watched())
		return 0;
	preload = preload_of_exec(tgid);
	if (preload)
		flags |= INJECTION_EXEC_LD_PRELOAD |
			 (preload->flags & (INJECTION_EXEC_PRELOAD_TRUNCATED | INJECTION_EXEC_PRELOAD_REPEATED));

	/* The file the new image runs from: after a #! script, its interpreter. */
	exe = BPF_CORE_READ(task, mm, exe_file);
	read_dentry_name(BPF_CORE_READ(exe, f_path.dentry), exe_name, sizeof(exe_name));
	if (vigil_has_prefix(exe_name, "memfd:"))
		flags |= INJECTION_EXEC_MEMFD;
	if (bpf_probe_read_kernel_str(head, sizeof(head), filename) <= 0)
		head[0] = '\0';
	if (vigil_has_prefix(head, "/dev/shm/") || (exe && on_dev_shm_mount(exe)))
		flags |= INJECTION_EXEC_DEV_SHM;
	if (flags == 0)
		return 0;

	record = vigil_reserve(injection_events, sizeof(*record), INJECTION_KIND_EXEC);
	if (!record)
		goto done;
	vigil_fill_header(&record->header, sizeof(*record), INJECTION_KIND_EXEC, INJECTION_RECORD_VERSION);
	__builtin_memcpy(record->exe_name, exe_name, sizeof(record->exe_name));
	__builtin_memset(record->filename, 0, sizeof(record->filename));
	size = bpf_probe_read_kernel_str(record->filename, sizeof(record->filename), filename);
	record->filename_size = size > 0 ? (__u16)size : 0;
	if (size == sizeof(record->filename))
		flags |= INJECTION_EXEC_FILENAME_TRUNCATED;
	/* Ring memory is not cleared: no byte of an earlier record may show after the NUL. */
	__builtin_memset(record->ld_preload, 0, sizeof(record->ld_preload));
	record->preload_size = 0;
	if (preload && bpf_probe_read_kernel_str(record->ld_preload, sizeof(record->ld_preload), preload->value) > 0)
		record->preload_size = (__u16)preload->size;
	record->flags = flags;
	vigil_submit_urgent(injection_events, record);
done:
	if (preload)
		forget_preload(tgid);
	return 0;
}

#endif /* VIGIL_INJECTION_EXEC_BPF_H */
