/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opens from a container of what may be a service-account token.
 *
 * openat is among the hottest syscalls, so this runs at entry only (an exit
 * stage would cost every open of every process) and sends only candidates:
 *  - an absolute path starting with one of the literal directory prefixes of
 *    the configured token patterns (a load-time table), or whose last
 *    component is "token": the second catches non-canonical spellings of the
 *    default paths ("//", "/./", "..") that user space normalizes and judges;
 *  - a relative path ending in "token", with the names of the directory it
 *    is relative to (the working directory, or the dirfd's) and of that
 *    directory's parent, so that `cd .../serviceaccount; cat token` is seen.
 * It reads the call the core's dispatcher filled (or the raw_tp fallback, the
 * same way): the path's head and the path itself through vigil_call_head()
 * and vigil_call_path(), which read user memory once per call for every
 * plugin that asks.
 */
#ifndef VIGIL_LATERAL_OPEN_BPF_H
#define VIGIL_LATERAL_OPEN_BPF_H

#include "lateral_common.bpf.h"
#include <vigil/bpf/files.h>
#include <vigil/bpf/strings.h>

/* The same on x86-64 and arm64. */
#define LATERAL_O_PATH 010000000

const volatile char token_prefixes[LATERAL_MAX_PREFIXES][LATERAL_PREFIX_SIZE] = {};
const volatile __u32 token_prefix_lengths[LATERAL_MAX_PREFIXES] = {};
const volatile __u32 token_prefix_count = 0;
/* False when every rule about token reads is switched off. */
const volatile bool watch_token_opens = false;

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

	if (dirfd == VIGIL_AT_FDCWD) {
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
static __always_inline bool may_name_a_token(struct vigil_call *call)
{
	const char *head;

	/*
	 * Tested, then taken from the call: clang may otherwise turn the reader's
	 * "valid ? call->head : NULL" into a mask of the pointer, which the
	 * verifier refuses.
	 */
	if (!vigil_call_head(call))
		return false;
	head = call->head;
	if (head[0] != '/' || head[1] == '/' || head[1] == '.')
		return true;
	for (__u32 k = 0; k < LATERAL_MAX_PREFIXES; k++) {
		if (k >= token_prefix_count)
			return false;
		for (__u32 i = 1; i < sizeof(call->head); i++) {
			char expected = token_prefixes[k][i];

			if (head[i] != expected || expected == '\0')
				break;
			if (expected == '/')
				return true;
		}
	}
	return false;
}

/* The record's code for the call's syscall. */
static __always_inline __u16 open_syscall(const struct vigil_call *call)
{
	switch (call->syscall) {
	case VIGIL_CALL_OPEN:
		return LATERAL_SYSCALL_OPEN;
	case VIGIL_CALL_OPENAT2:
		return LATERAL_SYSCALL_OPENAT2;
	default:
		return LATERAL_SYSCALL_OPENAT;
	}
}

/* An open's entry, in a container: sends a lateral_open record for a path that may be a token. */
static __always_inline void check_open(struct vigil_call *call)
{
	char base_name[LATERAL_NAME_SIZE] = {};
	char base_parent_name[LATERAL_NAME_SIZE] = {};
	struct lateral_open *record;
	const char *path;
	__u16 record_flags = 0;
	int dirfd = call->fd;
	long size;

	/* An O_PATH descriptor reads nothing. Every open of a container passes here: leave before any work. */
	if (!watch_token_opens || (call->open_flags & LATERAL_O_PATH) != 0)
		return;

	if (!may_name_a_token(call))
		return;

	/*
	 * Read into the call's 256-byte buffer, zeroed after the NUL, of which
	 * the record takes the first LATERAL_PATH_SIZE bytes. Longer paths
	 * cannot be a token path without "//" padding; a known gap.
	 */
	size = vigil_call_path(call);
	if (size <= 1 || size >= LATERAL_PATH_SIZE)
		return;
	path = call->path;

	if (path[0] == '/') {
		if (!has_token_prefix(path) && !vigil_has_suffix(path, LATERAL_PATH_SIZE, size, "/token"))
			return;
	} else {
		struct vfsmount *mnt = NULL;
		struct dentry *base = NULL;

		if (!vigil_has_suffix(path, LATERAL_PATH_SIZE, size, "token"))
			return;
		record_flags |= LATERAL_OPEN_RELATIVE;
		if (dirfd != VIGIL_AT_FDCWD)
			record_flags |= LATERAL_OPEN_BASE_FROM_FD;
		if (base_directory(dirfd, &mnt, &base)) {
			directory_names(mnt, base, base_name, base_parent_name);
		} else {
			record_flags |= LATERAL_OPEN_BASE_UNKNOWN;
		}
	}

	record = vigil_reserve(lateral_events, sizeof(*record), LATERAL_KIND_OPEN);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), LATERAL_KIND_OPEN, LATERAL_RECORD_VERSION);
	record->syscall = open_syscall(call);
	record->path_size = (__u16)size;
	record->flags = record_flags;
	record->reserved = 0;
	record->dirfd = dirfd;
	record->open_flags = (__u32)call->open_flags;
	__builtin_memcpy(record->path, call->path, sizeof(record->path));
	__builtin_memcpy(record->base_name, base_name, sizeof(record->base_name));
	__builtin_memcpy(record->base_parent_name, base_parent_name, sizeof(record->base_parent_name));
	vigil_submit_urgent(lateral_events, record);
}

#endif /* VIGIL_LATERAL_OPEN_BPF_H */
