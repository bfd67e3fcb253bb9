/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A watched syscall between its entry and its exit: the entry keeps its
 * arguments (and what the caller looked like before) per thread, the exit
 * sends them with the outcome. Shared by every entry/exit pair of the object.
 */
#ifndef VIGIL_ESCAPE_PENDING_BPF_H
#define VIGIL_ESCAPE_PENDING_BPF_H

#include "escape_common.bpf.h"

struct pending_syscall {
	__u16 syscall;   /* enum escape_syscall: which exit may use it */
	__u16 path_size; /* bytes used in path */
	__u32 record_flags;
	__u64 flags;     /* open flags, mount flags, nstype, clone flags, ... */
	__u64 argument;  /* kernel loads: see escape_kernel_load.argument */
	__u64 target_fs_magic;
	__s32 fd;
	__u32 target_inum;
	__u32 old_root_mnt_ns;
	__u32 old_root_dev;
	struct escape_namespaces before;
	char path[ESCAPE_PATH_SIZE];                   /* open path, mount source, chroot path */
	char target[ESCAPE_MOUNT_PATH_SIZE];           /* mount target */
	char fstype[ESCAPE_FSTYPE_SIZE];               /* mount type */
};

/* Keyed by pid_tgid: a thread is in one syscall at a time. LRU, so a lost exit cannot fill it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct pending_syscall);
} pending_syscalls SEC(".maps");

/* Room to build an entry in: too large for the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pending_syscall);
} pending_scratch SEC(".maps");

/* A zeroed entry for @syscall to fill, or NULL. */
static __always_inline struct pending_syscall *new_pending(__u16 syscall)
{
	__u32 zero = 0;
	struct pending_syscall *pending = bpf_map_lookup_elem(&pending_scratch, &zero);

	if (!pending)
		return NULL;
	__builtin_memset(pending, 0, sizeof(*pending));
	pending->syscall = syscall;
	return pending;
}

/*
 * At least the number of entries in pending_syscalls (never fewer: an entry
 * the LRU evicts or a thread overwrites is not subtracted), so that the exit
 * of every open in every container can skip the map lookup when it is 0.
 */
__u64 pending_entries = 0;

static __always_inline void keep_pending(struct pending_syscall *pending)
{
	__u64 id = bpf_get_current_pid_tgid();

	__sync_fetch_and_add(&pending_entries, 1);
	bpf_map_update_elem(&pending_syscalls, &id, pending, BPF_ANY);
}

/* This thread's pending entry if it is one of @syscall's, else NULL. */
static __always_inline struct pending_syscall *find_pending(__u16 syscall)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pending_syscall *pending;

	if (pending_entries == 0)
		return NULL;
	pending = bpf_map_lookup_elem(&pending_syscalls, &id);
	if (!pending || pending->syscall != syscall)
		return NULL;
	return pending;
}

static __always_inline void forget_pending(void)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (bpf_map_delete_elem(&pending_syscalls, &id) == 0)
		__sync_fetch_and_sub(&pending_entries, 1);
}

/* Reads the user string @source into @buffer; returns the bytes used, NUL included (1 for unreadable). */
static __always_inline __u16 read_user_path(char *buffer, __u32 size, const char *source)
{
	long used = source ? bpf_probe_read_user_str(buffer, size, source) : 0;

	if (used <= 0) {
		buffer[0] = '\0';
		return 1;
	}
	return (__u16)used;
}

#endif /* VIGIL_ESCAPE_PENDING_BPF_H */
