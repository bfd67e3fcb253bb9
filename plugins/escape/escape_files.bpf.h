/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opens from processes that may be in a container:
 *  - for writing, of a host-control file (cgroup release_agent and
 *    notify_on_release, core_pattern, sysrq-trigger, modprobe, binfmt_misc's
 *    register). The entry keeps the flags and path; the exit looks at the
 *    struct file the new fd points to, so that a relative path, a symlink or
 *    a filesystem mounted somewhere unusual is still recognised.
 *  - of "/proc/<pid>/root[/...]": another process's root directory, sent from
 *    the entry.
 *
 * Both are stages of the core's open_enter and open_exit hooks (see
 * vigil/bpf/dispatch.h): they get the call the core's dispatcher filled, and
 * only for tasks that may be in a container (this object leaves
 * vigil_watch_host false), so host processes never get here. The path and
 * its first bytes come from the call, read from user memory once whichever
 * plugin asks. The raw_tp fallback builds the same call and runs the same
 * bodies (escape.bpf.c).
 */
#ifndef VIGIL_ESCAPE_FILES_BPF_H
#define VIGIL_ESCAPE_FILES_BPF_H

#include "escape_common.bpf.h"
#include "escape_pending.bpf.h"
#include <vigil/bpf/dispatch.h>
#include <vigil/bpf/strings.h>

/* The records name an open's syscall by the call's own number. */
_Static_assert(ESCAPE_SYSCALL_OPEN == VIGIL_CALL_OPEN, "escape_syscall follows vigil_call_syscall");
_Static_assert(ESCAPE_SYSCALL_OPENAT == VIGIL_CALL_OPENAT, "escape_syscall follows vigil_call_syscall");
_Static_assert(ESCAPE_SYSCALL_OPENAT2 == VIGIL_CALL_OPENAT2, "escape_syscall follows vigil_call_syscall");
_Static_assert(ESCAPE_PATH_SIZE <= VIGIL_CALL_PATH_SIZE, "the call's path holds a record's");

/* A byte of a path buffer; the mask only tells the verifier the index is in bounds. */
#define PATH_AT(path, index) ((path)[(index) & (ESCAPE_PATH_SIZE - 1)])

/*
 * "/proc/<pid>/root", alone or followed by '/': the <pid> in @pid. Not
 * "/proc/self/root" nor "/proc/thread-self/root", the caller's own root.
 */
static __always_inline bool is_proc_root_path(const char *path, __u32 *pid)
{
	int at;
	char end;

	if (!vigil_has_prefix(path, "/proc/"))
		return false;
	at = vigil_skip_number(path, ESCAPE_PATH_SIZE, 6, pid);
	if (at < 0)
		return false;
	if (PATH_AT(path, at) != '/' || PATH_AT(path, at + 1) != 'r' || PATH_AT(path, at + 2) != 'o' ||
	    PATH_AT(path, at + 3) != 'o' || PATH_AT(path, at + 4) != 't')
		return false;
	end = PATH_AT(path, at + 5);
	return end == '\0' || end == '/';
}

static __always_inline void send_root_open(__u16 syscall, __u64 flags, const struct pending_syscall *pending,
					   __u32 pid)
{
	struct escape_root_open *record;

	/* The caller's own root, by its own number, is no other process's. */
	if (pid == vigil_task_ns_tgid(vigil_current_task()))
		return;
	record = vigil_reserve(escape_events, sizeof(*record), ESCAPE_KIND_ROOT_OPEN);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), ESCAPE_KIND_ROOT_OPEN, ESCAPE_RECORD_VERSION);
	record->flags = flags;
	record->target_ns_pid = pid;
	record->record_flags = record_flags_now();
	if (pending->path_size >= ESCAPE_PATH_SIZE)
		record->record_flags |= ESCAPE_FLAG_PATH_TRUNCATED;
	record->syscall = syscall;
	record->path_size = pending->path_size;
	record->reserved = 0;
	__builtin_memcpy(record->path, pending->path, sizeof(record->path));
	vigil_submit_urgent(escape_events, record);
}

/* Whether the call's path starts with "/proc/": its first bytes, not the whole path. */
static __always_inline bool starts_with_proc(struct vigil_call *call)
{
	const char *head = call->head;

	if (!vigil_call_head(call))
		return false;
	return head[0] == '/' && head[1] == 'p' && head[2] == 'r' && head[3] == 'o' && head[4] == 'c' &&
	       head[5] == '/';
}

/*
 * The call's path into @path (ESCAPE_PATH_SIZE bytes, zeroed), as a read of
 * ESCAPE_PATH_SIZE bytes would leave it: a longer path cut to its first 127
 * bytes and a NUL. Returns the bytes used, NUL included; 1 for an unreadable
 * path.
 */
static __always_inline __u16 copy_call_path(char *path, struct vigil_call *call)
{
	long size = vigil_call_path(call);

	if (size <= 0) {
		/*
		 * Nothing readable in the call's 256 bytes. The first 128 still
		 * can be: a path with no NUL before an unmapped page past them.
		 * Rare, and read only then.
		 */
		return read_user_path(path, ESCAPE_PATH_SIZE, (const char *)call->user_path);
	}
	__builtin_memcpy(path, call->path, ESCAPE_PATH_SIZE);
	if (size >= ESCAPE_PATH_SIZE) {
		path[ESCAPE_PATH_SIZE - 1] = '\0';
		return ESCAPE_PATH_SIZE;
	}
	return (__u16)size;
}

/* The entry of an open, open_enter stage (or its raw_tp fallback). */
static __always_inline void on_open_enter(struct vigil_call *call)
{
	__u16 syscall = call->syscall;
	__u64 flags = call->open_flags;
	struct pending_syscall *pending;
	__u32 pid = 0;

	/*
	 * Every open in every container passes here: one that neither writes
	 * nor names /proc leaves before the path is read and the entry cleared.
	 */
	if ((flags & ESCAPE_OPEN_WRITE_ACCESS) == 0 && !starts_with_proc(call))
		return;
	pending = new_pending(syscall);
	if (!pending)
		return;
	pending->path_size = copy_call_path(pending->path, call);
	if (is_proc_root_path(pending->path, &pid))
		send_root_open(syscall, flags, pending, pid);
	if ((flags & ESCAPE_OPEN_WRITE_ACCESS) == 0)
		return;
	pending->flags = flags;
	keep_pending(pending);
}

#define NAME_IS(name, literal) vigil_bytes_equal((name), (literal), sizeof(literal))

/* The host-control file an opened file is, from its filesystem, name and directory. */
static __always_inline __u32 control_file_opened(__u64 magic, const char *name, const char *parent)
{
	if (magic == ESCAPE_CGROUP_SUPER_MAGIC || magic == ESCAPE_CGROUP2_SUPER_MAGIC) {
		if (NAME_IS(name, "release_agent"))
			return ESCAPE_CONTROL_RELEASE_AGENT;
		if (NAME_IS(name, "notify_on_release"))
			return ESCAPE_CONTROL_NOTIFY_ON_RELEASE;
		return ESCAPE_CONTROL_NONE;
	}
	if (magic == ESCAPE_PROC_SUPER_MAGIC) {
		if (NAME_IS(name, "sysrq-trigger"))
			return ESCAPE_CONTROL_SYSRQ_TRIGGER;
		if (!NAME_IS(parent, "kernel"))
			return ESCAPE_CONTROL_NONE;
		if (NAME_IS(name, "core_pattern"))
			return ESCAPE_CONTROL_CORE_PATTERN;
		if (NAME_IS(name, "modprobe"))
			return ESCAPE_CONTROL_MODPROBE;
		return ESCAPE_CONTROL_NONE;
	}
	if (magic == ESCAPE_BINFMTFS_MAGIC && NAME_IS(name, "register"))
		return ESCAPE_CONTROL_BINFMT_REGISTER;
	return ESCAPE_CONTROL_NONE;
}

#define PATH_ENDS_WITH(pending, suffix)                                                                        \
	vigil_has_suffix((pending)->path, ESCAPE_PATH_SIZE, (pending)->path_size, suffix)

/* A failed open has no file to look at: the path it named is all there is. */
static __always_inline __u32 control_file_named(const struct pending_syscall *pending)
{
	if (PATH_ENDS_WITH(pending, "release_agent"))
		return ESCAPE_CONTROL_RELEASE_AGENT;
	if (PATH_ENDS_WITH(pending, "notify_on_release"))
		return ESCAPE_CONTROL_NOTIFY_ON_RELEASE;
	if (PATH_ENDS_WITH(pending, "kernel/core_pattern"))
		return ESCAPE_CONTROL_CORE_PATTERN;
	if (PATH_ENDS_WITH(pending, "sysrq-trigger"))
		return ESCAPE_CONTROL_SYSRQ_TRIGGER;
	if (PATH_ENDS_WITH(pending, "kernel/modprobe"))
		return ESCAPE_CONTROL_MODPROBE;
	if (PATH_ENDS_WITH(pending, "binfmt_misc/register"))
		return ESCAPE_CONTROL_BINFMT_REGISTER;
	return ESCAPE_CONTROL_NONE;
}

/* The exit of an open, open_exit stage (or its raw_tp fallback). */
static __always_inline void on_open_exit(struct vigil_call *call)
{
	__u16 syscall = call->syscall;
	long ret = call->ret;
	struct pending_syscall *pending;
	struct escape_control_open *record;
	__u32 control;
	__u64 magic = 0;

	/* Every open in every container ends here: without a write-open pending, before any map lookup. */
	pending = find_pending(syscall);
	if (!pending)
		return;
	char name[ESCAPE_NAME_SIZE] = {};
	char parent[ESCAPE_NAME_SIZE] = {};
	if (ret >= 0) {
		struct file *file = vigil_file_of_fd(ret);
		struct dentry *dentry = BPF_CORE_READ(file, f_path.dentry);

		magic = BPF_CORE_READ(file, f_inode, i_sb, s_magic);
		read_dentry_name(dentry, name, sizeof(name));
		read_dentry_name(BPF_CORE_READ(dentry, d_parent), parent, sizeof(parent));
		control = control_file_opened(magic, name, parent);
	} else {
		control = control_file_named(pending);
	}
	if (control == ESCAPE_CONTROL_NONE)
		goto done;

	record = vigil_reserve(escape_events, sizeof(*record), ESCAPE_KIND_CONTROL_OPEN);
	if (!record)
		goto done;
	vigil_fill_header(&record->header, sizeof(*record), ESCAPE_KIND_CONTROL_OPEN, ESCAPE_RECORD_VERSION);
	record->ret = ret;
	record->flags = pending->flags;
	record->fs_magic = magic;
	record->control = control;
	record->record_flags = record_flags_now();
	if (pending->path_size >= ESCAPE_PATH_SIZE)
		record->record_flags |= ESCAPE_FLAG_PATH_TRUNCATED;
	record->syscall = syscall;
	record->path_size = pending->path_size;
	record->reserved = 0;
	__builtin_memcpy(record->name, name, sizeof(record->name));
	__builtin_memcpy(record->parent, parent, sizeof(record->parent));
	__builtin_memcpy(record->path, pending->path, sizeof(record->path));
	vigil_submit_urgent(escape_events, record);
done:
	forget_pending();
}

#endif /* VIGIL_ESCAPE_FILES_BPF_H */
