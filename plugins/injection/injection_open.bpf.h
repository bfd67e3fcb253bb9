/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opens for writing of another process's memory file (/proc/<pid>/mem,
 * /proc/<pid>/task/<tid>/mem) or of /etc/ld.so.preload.
 *
 * openat is among the hottest syscalls, so this runs at entry only (an exit
 * program would cost every open) and leaves at the first test for nearly all
 * of them: opens that do not ask for write access never read their path.
 * Shared by the tp/syscalls programs and the raw_tp fallback.
 */
#ifndef VIGIL_INJECTION_OPEN_BPF_H
#define VIGIL_INJECTION_OPEN_BPF_H

#include "injection_common.bpf.h"
#include <vigil/bpf/strings.h>

/* O_WRONLY | O_RDWR: the same on every architecture vigil builds for. */
#define INJECTION_OPEN_WRITE_ACCESS 3

/* struct open_how of openat2() as user space lays it out: flags come first. */
struct injection_open_how {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
};

/*
 * A byte of the path buffer. Real indexes stay below 40 (the longest path
 * looked for is 37 bytes); the mask only tells the verifier they are in bounds.
 */
#define OPEN_PATH_AT(path, index) ((path)[(index) & (INJECTION_OPEN_PATH_SIZE - 1)])

/* True when @path holds the first @length bytes of @literal from index @at. */
static __always_inline bool path_matches_at(const char *path, int at, const char *literal, int length)
{
#pragma unroll
	for (int i = 0; i < 24; i++) {
		if (i >= length)
			return true;
		if (OPEN_PATH_AT(path, at + i) != literal[i])
			return false;
	}
	return false;
}

/* @path continues with @literal from @at, and ends there. */
#define path_ends_with_at(path, at, literal) path_matches_at((path), (at), (literal), sizeof(literal))
/* @path continues with @literal from @at. */
#define path_continues_with_at(path, at, literal) path_matches_at((path), (at), (literal), sizeof(literal) - 1)

/*
 * "/etc/ld.so.preload", or the mem file of a process other than the caller.
 * "/proc/self/..." and "/proc/thread-self/..." have no digits and are the
 * caller itself; so is its own number, as its pid namespace (the one its
 * /proc normally shows) numbers it.
 */
static __always_inline bool open_path_watched(const char *path)
{
	__u32 pid = 0;
	__u32 tid = 0;
	int at;

	if (path_ends_with_at(path, 0, "/etc/ld.so.preload"))
		return true;
	if (!path_continues_with_at(path, 0, "/proc/"))
		return false;
	at = vigil_skip_number(path, INJECTION_OPEN_PATH_SIZE, 6, &pid);
	if (at < 0)
		return false;
	if (!path_ends_with_at(path, at, "/mem")) {
		if (!path_continues_with_at(path, at, "/task/"))
			return false;
		at = vigil_skip_number(path, INJECTION_OPEN_PATH_SIZE, at + 6, &tid);
		if (at < 0 || !path_ends_with_at(path, at, "/mem"))
			return false;
	}
	return pid != vigil_task_ns_tgid(vigil_current_task());
}

/* A write-open: sends it if its path is one of ours. */
static __always_inline int check_write_open(__u16 syscall, const char *user_path, __u64 flags)
{
	char path[INJECTION_OPEN_PATH_SIZE] = {}; /* zeroed: the whole buffer goes to user space */
	struct injection_open *record;
	long size;

	if (!injection_watched())
		return 0;
	/* Paths longer than the buffer cannot be one of ours; an unreadable one is a known gap. */
	size = bpf_probe_read_user_str(path, sizeof(path), user_path);
	if (size <= 0 || size >= (long)sizeof(path))
		return 0;
	if (!open_path_watched(path))
		return 0;

	record = vigil_reserve(injection_events, sizeof(*record), INJECTION_KIND_OPEN);
	if (!record)
		return 0;
	vigil_fill_header(&record->header, sizeof(*record), INJECTION_KIND_OPEN, INJECTION_RECORD_VERSION);
	record->flags = flags;
	record->syscall = syscall;
	record->path_size = (__u16)size;
	record->reserved = 0;
	__builtin_memcpy(record->path, path, sizeof(record->path));
	vigil_submit_urgent(injection_events, record);
	return 0;
}

static __always_inline int on_open(__u16 syscall, const char *user_path, __u64 flags)
{
	/* Nearly every open leaves here, before any path is read. */
	if ((flags & INJECTION_OPEN_WRITE_ACCESS) == 0)
		return 0;
	return check_write_open(syscall, user_path, flags);
}

static __always_inline int on_openat2(const char *user_path, const struct injection_open_how *how)
{
	__u64 flags = 0;

	if (bpf_probe_read_user(&flags, sizeof(flags), &how->flags) != 0)
		return 0;
	return on_open(INJECTION_SYSCALL_OPENAT2, user_path, flags);
}

#endif /* VIGIL_INJECTION_OPEN_BPF_H */
