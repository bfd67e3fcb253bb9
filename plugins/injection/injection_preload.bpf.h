/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LD_PRELOAD in the environment of an exec.
 *
 * The environment is scanned at the exec's entry, while the caller's envp is
 * still there, and the value kept per process until sched_process_exec knows
 * the exec succeeded (a failed exec's exit drops it). A tracepoint cannot
 * fault pages in, so an entry in memory the caller never touched (string
 * literals of a static binary, say) is unreadable at entry: then the scan is
 * done again at sched_process_exec over the new image's environment block,
 * which the kernel has just written and is therefore in memory.
 *
 * When the name repeats, glibc's loader takes the last value and musl's the
 * first: the last is kept and the repetition flagged, for user space to treat
 * as suspect whatever the values. A lone empty LD_PRELOAD preloads nothing.
 */
#ifndef VIGIL_INJECTION_PRELOAD_BPF_H
#define VIGIL_INJECTION_PRELOAD_BPF_H

#include "injection_common.bpf.h"
#include <vigil/bpf/strings.h>

/* How many environment entries are looked at; a longer environment is a known gap. */
#define ENVIRONMENT_SCAN_LIMIT 256
#define PRELOAD_PREFIX "LD_PRELOAD="
#define PRELOAD_PREFIX_LENGTH (sizeof(PRELOAD_PREFIX) - 1)
/* Room for one string of the environment block at sched_process_exec; longer ones are read in pieces. */
#define ENVIRONMENT_STRING_ROOM 4096

/* Kernel-side only: the entry could not read every entry; sched_process_exec must scan again. */
#define PENDING_PRELOAD_RESCAN (1u << 31)

/*
 * An LD_PRELOAD value between an exec's entry and its outcome. The counts
 * live here, in map memory the verifier does not follow, rather than in
 * registers: a register count would give the scan loops a different state
 * per count and iteration, too many to verify.
 */
struct pending_preload {
	__u32 flags;      /* INJECTION_EXEC_PRELOAD_TRUNCATED, _REPEATED, PENDING_PRELOAD_RESCAN */
	__u32 size;       /* bytes used in value, NUL included */
	__u32 seen;       /* LD_PRELOAD entries found */
	__u32 unreadable; /* entries that could not be read */
	char value[INJECTION_PRELOAD_SIZE];
};

/* Keyed by tgid: a process that execs keeps its tgid, whichever of its threads exec'd. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct pending_preload);
} pending_preloads SEC(".maps");

/* Room to scan in: too large for the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pending_preload);
} preload_scratch SEC(".maps");

struct environment_string {
	__u32 continued; /* the previous read stopped inside this string: it is no new entry */
	__u32 reserved;
	char text[ENVIRONMENT_STRING_ROOM];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct environment_string);
} environment_scratch SEC(".maps");

/* Records one LD_PRELOAD value found, read from @source (user memory if @user, else kernel). */
static __always_inline void note_preload(struct pending_preload *preload, const char *source, bool user)
{
	long size;

	preload->seen++;
	if (user)
		size = bpf_probe_read_user_str(preload->value, sizeof(preload->value), source);
	else
		size = bpf_probe_read_kernel_str(preload->value, sizeof(preload->value), source);
	if (size <= 0) {
		preload->value[0] = '\0';
		size = 1;
	}
	preload->size = (__u32)size;
	preload->flags = size == sizeof(preload->value) ? INJECTION_EXEC_PRELOAD_TRUNCATED : 0;
}

/* After a scan: whether it found anything to report, with the repetition flagged. */
static __always_inline bool preload_found(struct pending_preload *preload)
{
	if (preload->seen > 1)
		preload->flags |= INJECTION_EXEC_PRELOAD_REPEATED;
	return preload->seen > 1 || (preload->seen == 1 && preload->size > 1);
}

/*
 * At the exec's entry, execve_enter stage (or its raw_tp fallback), for a
 * watched task: keeps the value of LD_PRELOAD in @envp, if any, for
 * sched_process_exec.
 */
static __always_inline void on_exec_enter(const char *const *envp)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct pending_preload *preload;
	char head[sizeof(PRELOAD_PREFIX)];
	__u32 zero = 0;

	preload = bpf_map_lookup_elem(&preload_scratch, &zero);
	if (!preload || !envp)
		goto nothing;
	preload->seen = 0;
	preload->unreadable = 0;
	preload->flags = 0;
	preload->size = 0;
	for (int i = 0; i < ENVIRONMENT_SCAN_LIMIT; i++) {
		const char *entry = NULL;
		long size;

		if (bpf_probe_read_user(&entry, sizeof(entry), &envp[i]) != 0) {
			preload->unreadable++;
			break;
		}
		if (!entry)
			break;
		/* Only entries at least as long as the prefix fill head completely. */
		size = bpf_probe_read_user_str(head, sizeof(head), entry);
		if (size < 0)
			preload->unreadable++;
		if (size != sizeof(head) || !vigil_has_prefix(head, PRELOAD_PREFIX))
			continue;
		note_preload(preload, entry + PRELOAD_PREFIX_LENGTH, true);
	}
	if (preload->unreadable > 0) {
		preload->flags |= PENDING_PRELOAD_RESCAN;
		bpf_map_update_elem(&pending_preloads, &tgid, preload, BPF_ANY);
		return;
	}
	if (preload_found(preload)) {
		bpf_map_update_elem(&pending_preloads, &tgid, preload, BPF_ANY);
		return;
	}
nothing:
	/* Nothing to report for this exec: drop what an earlier, unfinished one may have left. */
	bpf_map_delete_elem(&pending_preloads, &tgid);
}

/*
 * The exit of execve/execveat, execve_exit stage (or its raw_tp fallback): a
 * failed exec's LD_PRELOAD must not be reported with a later one.
 */
static __always_inline void on_exec_exit(long ret)
{
	__u32 tgid;

	if (ret >= 0)
		return;
	tgid = bpf_get_current_pid_tgid() >> 32;
	bpf_map_delete_elem(&pending_preloads, &tgid);
}

/*
 * At sched_process_exec: scans the new image's environment block, NUL-separated
 * strings between mm->env_start and mm->env_end, into @preload.
 */
static __always_inline void rescan_environment(struct pending_preload *preload)
{
	struct mm_struct *mm = BPF_CORE_READ(vigil_current_task(), mm);
	unsigned long cursor = BPF_CORE_READ(mm, env_start);
	unsigned long end = BPF_CORE_READ(mm, env_end);
	struct environment_string *string;
	__u32 zero = 0;

	string = bpf_map_lookup_elem(&environment_scratch, &zero);
	if (!string)
		return;
	preload->seen = 0;
	preload->flags = 0;
	preload->size = 0;
	string->continued = 0;
	for (int i = 0; i < ENVIRONMENT_SCAN_LIMIT && cursor < end; i++) {
		long size = bpf_probe_read_user_str(string->text, sizeof(string->text), (const void *)cursor);

		if (size <= 0)
			break;
		if (!string->continued && size > (long)PRELOAD_PREFIX_LENGTH &&
		    vigil_has_prefix(string->text, PRELOAD_PREFIX))
			note_preload(preload, string->text + PRELOAD_PREFIX_LENGTH, false);
		/* A full read ended inside a string: the next read goes on with it. */
		string->continued = size == sizeof(string->text);
		cursor += string->continued ? (unsigned long)size - 1 : (unsigned long)size;
	}
}

/*
 * The LD_PRELOAD finding of the exec that just succeeded in process @tgid, or
 * NULL. The caller deletes the entry once it has sent it (forget_preload).
 */
static __always_inline struct pending_preload *preload_of_exec(__u32 tgid)
{
	struct pending_preload *preload = bpf_map_lookup_elem(&pending_preloads, &tgid);

	if (!preload || !(preload->flags & PENDING_PRELOAD_RESCAN))
		return preload;
	rescan_environment(preload);
	if (preload_found(preload))
		return preload;
	bpf_map_delete_elem(&pending_preloads, &tgid);
	return NULL;
}

static __always_inline void forget_preload(__u32 tgid)
{
	bpf_map_delete_elem(&pending_preloads, &tgid);
}

#endif /* VIGIL_INJECTION_PRELOAD_BPF_H */
