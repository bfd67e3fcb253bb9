/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opens for writing of another process's memory file (/proc/<pid>/mem,
 * /proc/<pid>/task/<tid>/mem) or of /etc/ld.so.preload.
 *
 * openat is among the hottest syscalls, so this runs at entry only (an exit
 * stage would cost every open) and leaves at the first test for nearly all
 * of them: opens that do not ask for write access never read their path.
 * It is a stage of the core's open_enter hook (vigil/bpf/dispatch.h): the
 * call comes filled by the dispatcher, for the tasks injection watches, and
 * the path is read from user memory once per call whichever plugin asks.
 * Shared by the stage and the raw_tp fallback, which builds the same call.
 */
#ifndef VIGIL_INJECTION_OPEN_BPF_H
#define VIGIL_INJECTION_OPEN_BPF_H

#include "injection_common.bpf.h"
#include <vigil/bpf/strings.h>

/* O_WRONLY | O_RDWR: the same on every architecture vigil builds for. */
#define INJECTION_OPEN_WRITE_ACCESS 3

/* The records name an open's syscall by the call's own number. */
_Static_assert(INJECTION_SYSCALL_OPEN == VIGIL_CALL_OPEN, "injection_open_syscall follows vigil_call_syscall");
_Static_assert(INJECTION_SYSCALL_OPENAT == VIGIL_CALL_OPENAT, "injection_open_syscall follows vigil_call_syscall");
_Static_assert(INJECTION_SYSCALL_OPENAT2 == VIGIL_CALL_OPENAT2, "injection_open_syscall follows vigil_call_syscall");
_Static_assert(INJECTION_OPEN_PATH_SIZE <= VIGIL_CALL_PATH_SIZE, "the call's path holds a record's");

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

/* An open's entry, open_enter stage (or its raw_tp fallback): sends it if it writes a path of ours. */
static __always_inline void on_open(struct vigil_call *call)
{
	struct injection_open *record;
	long size;

	/* Nearly every open leaves here, before any path is read. */
	if ((call->open_flags & INJECTION_OPEN_WRITE_ACCESS) == 0)
		return;
	/*
	 * Paths longer than a record's cannot be one of ours; an unreadable one
	 * is a known gap. Below INJECTION_OPEN_PATH_SIZE bytes, the call's path
	 * holds what a read into a record-sized buffer would: the path, its NUL,
	 * zeros.
	 */
	size = vigil_call_path(call);
	if (size <= 0 || size >= INJECTION_OPEN_PATH_SIZE)
		return;
	if (!open_path_watched(call->path))
		return;

	record = vigil_reserve(injection_events, sizeof(*record), INJECTION_KIND_OPEN);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), INJECTION_KIND_OPEN, INJECTION_RECORD_VERSION);
	record->flags = call->open_flags;
	record->syscall = call->syscall;
	record->path_size = (__u16)size;
	record->reserved = 0;
	__builtin_memcpy(record->path, call->path, sizeof(record->path));
	vigil_submit_urgent(injection_events, record);
}

#endif /* VIGIL_INJECTION_OPEN_BPF_H */
