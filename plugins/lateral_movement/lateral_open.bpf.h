/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opens from a container of what may be a service-account token.
 *
 * openat is among the hottest syscalls, so this runs at entry only (an exit
 * program would cost every open of every process) and sends only candidates:
 *  - an absolute path starting with one of the literal directory prefixes of
 *    the configured token patterns (a load-time table), or whose last
 *    component is "token": the second catches non-canonical spellings of the
 *    default paths ("//", "/./", "..") that user space normalizes and judges;
 *  - a relative path ending in "token", with the names of the directory it
 *    is relative to (the working directory, or the dirfd's) and of that
 *    directory's parent, so that `cd .../serviceaccount; cat token` is seen.
 * Shared by the tp/syscalls programs and the raw_tp fallback.
 */
#ifndef VIGIL_LATERAL_OPEN_BPF_H
#define VIGIL_LATERAL_OPEN_BPF_H

#include "lateral_common.bpf.h"
#include <vigil/bpf/files.h>
#include <vigil/bpf/strings.h>

/* The same on x86-64 and arm64. */
#define LATERAL_O_PATH 010000000
#define LATERAL_AT_FDCWD -100

const volatile char token_prefixes[LATERAL_MAX_PREFIXES][LATERAL_PREFIX_SIZE] = {};
const volatile __u32 token_prefix_lengths[LATERAL_MAX_PREFIXES] = {};
const volatile __u32 token_prefix_count = 0;
/* False when every rule about token reads is switched off. */
const volatile bool watch_token_opens = false;

/* struct open_how of openat2() as user space lays it out: flags come first. */
struct lateral_open_how {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
};

#define PATH_AT(path, index) ((path)[(index) & (LATERAL_PATH_SIZE - 1)])

static __always_inline bool has_token_prefix(const char *path)
{
	for (__u32 k = 0; k < LATERAL_MAX_PREFIXES; k++) {
		__u32 length;
		bool match = true;

		if (k >= token_prefix_count)
			return false;
		length = token_prefix_lengths[k];
		for (__u32 i = 0; i < LATERAL_PREFIX_SIZE; i++) {
			if (i >= length)
				break;
			if (PATH_AT(path, i) != token_prefixes[k][i]) {
				match = false;
				break;
			}
		}
		if (match && length > 0)
			return true;
	}
	return false;
}

/*
 * The directory a relative path of @dirfd starts from (the working directory
 * for AT_FDCWD), as a mount and a dentry; false when it cannot be read.
 */
static __always_inline bool base_directory(int dirfd, struct vfsmount **mnt, struct dentry **dentry)
{
	struct file *file;

	if (dirfd == LATERAL_AT_FDCWD) {
		struct fs_struct *fs = BPF_CORE_READ(vigil_current_task(), fs);

		*mnt = BPF_CORE_READ(fs, pwd.mnt);
		*dentry = BPF_CORE_READ(fs, pwd.dentry);
		return *mnt && *dentry;
	}
	file = vigil_file_of_fd(dirfd);
	if (!file)
		return false;
	*mnt = BPF_CORE_READ(file, f_path.mnt);
	*dentry = BPF_CORE_READ(file, f_path.dentry);
	return *mnt && *dentry;
}

static __always_inline void dentry_name(struct dentry *dentry, char *name)
{
	const unsigned char *text = BPF_CORE_READ(dentry, d_name.name);

	if (text)
		bpf_probe_read_kernel_str(name, LATERAL_NAME_SIZE, text);
}

/*
 * The names of a directory and of its parent as the process sees them. The
 * root of a bind mount is named after its source on the host (the kubelet's
 * "kube-api-access-xxxxx"), so at a mount's root the name of the mountpoint
 * ("serviceaccount") is taken instead.
 */
static __always_inline void directory_names(struct vfsmount *mnt, struct dentry *dentry, char *name, char *parent_name)
{
	struct dentry *root = BPF_CORE_READ(mnt, mnt_root);
	struct mount *mount = (struct mount *)((char *)mnt - bpf_core_field_offset(struct mount, mnt));
	struct dentry *mountpoint = BPF_CORE_READ(mount, mnt_mountpoint);
	struct dentry *named = dentry == root ? mountpoint : dentry;
	struct dentry *parent = BPF_CORE_READ(named, d_parent);

	if (parent == root && named != mountpoint)
		parent = mountpoint;
	dentry_name(named, name);
	dentry_name(parent, parent_name);
}

/*
 * Whether a path whose first 8 bytes are read (not the whole path: every
 * open in every container passes here) may be a token path: a relative path
 * (judged with its directory), a non-canonical start ("//", "/."), or a first
 * component that a configured token prefix starts with ("/var/", "/run/").
 * Anything else (/etc, /usr, /proc, /app, ...) leaves before the full read.
 */
static __always_inline bool may_name_a_token(const char *user_path)
{
	char head[8] = {};

	if (bpf_probe_read_user(head, sizeof(head), user_path) != 0 &&
	    bpf_probe_read_user_str(head, sizeof(head), user_path) <= 0)
		return false;
	if (head[0] != '/' || head[1] == '/' || head[1] == '.')
		return true;
	for (__u32 k = 0; k < LATERAL_MAX_PREFIXES; k++) {
		if (k >= token_prefix_count)
			return false;
		for (__u32 i = 1; i < sizeof(head); i++) {
			char expected = token_prefixes[k][i];

			if (head[i] != expected || expected == '\0')
				break;
			if (expected == '/')
				return true;
		}
	}
	return false;
}

static __always_inline int check_open(__u16 syscall, int dirfd, const char *user_path, __u64 flags)
{
	/* An O_PATH descriptor reads nothing. Every open of the node passes here: leave before any work. */
	if (!watch_token_opens || (flags & LATERAL_O_PATH) != 0 || !lateral_watched())
		return 0;

	if (!may_name_a_token(user_path))
		return 0;

	char path[LATERAL_PATH_SIZE] = {}; /* zeroed: the whole buffer goes to user space */
	char base_name[LATERAL_NAME_SIZE] = {};
	char base_parent_name[LATERAL_NAME_SIZE] = {};
	struct lateral_open *record;
	__u16 record_flags = 0;
	long size;
	/* Longer paths cannot be a token path without "//" padding; a known gap. */
	size = bpf_probe_read_user_str(path, sizeof(path), user_path);
	if (size <= 1 || size >= (long)sizeof(path))
		return 0;

	if (path[0] == '/') {
		if (!has_token_prefix(path) && !vigil_has_suffix(path, LATERAL_PATH_SIZE, size, "/token"))
			return 0;
	} else {
		struct vfsmount *mnt = NULL;
		struct dentry *base = NULL;

		if (!vigil_has_suffix(path, LATERAL_PATH_SIZE, size, "token"))
			return 0;
		record_flags |= LATERAL_OPEN_RELATIVE;
		if (dirfd != LATERAL_AT_FDCWD)
			record_flags |= LATERAL_OPEN_BASE_FROM_FD;
		if (base_directory(dirfd, &mnt, &base)) {
			directory_names(mnt, base, base_name, base_parent_name);
		} else {
			record_flags |= LATERAL_OPEN_BASE_UNKNOWN;
		}
	}

	record = vigil_reserve(lateral_events, sizeof(*record), LATERAL_KIND_OPEN);
	if (!record)
		return 0;
	vigil_fill_header(&record->header, sizeof(*record), LATERAL_KIND_OPEN, LATERAL_RECORD_VERSION);
	record->syscall = syscall;
	record->path_size = (__u16)size;
	record->flags = record_flags;
	record->reserved = 0;
	record->dirfd = dirfd;
	record->open_flags = (__u32)flags;
	__builtin_memcpy(record->path, path, sizeof(record->path));
	__builtin_memcpy(record->base_name, base_name, sizeof(record->base_name));
	__builtin_memcpy(record->base_parent_name, base_parent_name, sizeof(record->base_parent_name));
	vigil_submit_urgent(lateral_events, record);
	return 0;
}

static __always_inline int on_openat2(int dirfd, const char *user_path, const struct lateral_open_how *how)
{
	__u64 flags = 0;

	if (bpf_probe_read_user(&flags, sizeof(flags), &how->flags) != 0)
		return 0;
	return check_open(LATERAL_SYSCALL_OPENAT2, dirfd, user_path, flags);
}

#endif /* VIGIL_LATERAL_OPEN_BPF_H */
