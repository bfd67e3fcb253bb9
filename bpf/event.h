/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * The record layout every vigil BPF program writes and the sensor reads.
 *
 * Compiled by clang -target bpf and by the C++ host, so it uses fixed-width
 * kernel types only, explicit padding, and no pointers. Append new fields at
 * the end of a payload and bump that kind's version; never reorder.
 */
#ifndef VIGIL_BPF_EVENT_H
#define VIGIL_BPF_EVENT_H

#ifndef VIGIL_VMLINUX_H
#include <linux/types.h>
#endif

#define VIGIL_COMM_SIZE 16

/*
 * Event kinds (enum vigil_event_kind): in the SDK's <vigil/event_kinds.h>, the
 * one list the plugin ABI shares. A record's kind is in its header.
 */
#include <vigil/event_kinds.h>

/* The header that starts every record, whatever its kind: 80 bytes. */
struct vigil_event_header {
	__u32 size;         /* whole record in bytes, header included */
	__u16 kind;         /* enum vigil_event_kind, or a plugin's own kind */
	__u16 version;      /* layout version of this kind's payload */
	__u64 timestamp_ns; /* CLOCK_BOOTTIME, from bpf_ktime_get_boot_ns() */
	__u32 tid;          /* kernel thread id, as the initial pid namespace sees it */
	__u32 tgid;         /* process id, as the initial pid namespace sees it */
	__u32 parent_tgid;  /* real parent's process id */
	__u32 ns_tgid;      /* process id as the task's own pid namespace sees it */
	__u32 uid;
	__u32 gid;
	__u64 cgroup_id;    /* cgroup v2 id: the inode of the cgroup's directory */
	__u32 mnt_ns;       /* namespace inode numbers, as in /proc/<pid>/ns/<type> */
	__u32 pid_ns;
	__u32 net_ns;
	__u32 reserved;
	char comm[VIGIL_COMM_SIZE];
};

#define VIGIL_EXEC_FILENAME_SIZE 256
#define VIGIL_EXEC_ARGS_SIZE 1024

/* Exec flags, found by the kernel side so user space need not re-check. */
enum vigil_exec_flags {
	VIGIL_EXEC_ARGS_TRUNCATED = 1u << 0,
	VIGIL_EXEC_FILENAME_TRUNCATED = 1u << 1,
};

/* VIGIL_KIND_PROCESS_EXEC: a successful execve/execveat; the header is the new image. */
struct vigil_process_exec {
	struct vigil_event_header header;
	__u64 process_start_ns; /* task start time, CLOCK_BOOTTIME: with tgid, a unique key */
	__u32 old_tid;          /* differs from tgid when a non-leader thread exec'd */
	__u32 flags;            /* enum vigil_exec_flags */
	__u16 filename_size;    /* bytes used in filename, NUL included */
	__u16 args_size;        /* bytes used in args, the last NUL included */
	__u32 reserved;
	char filename[VIGIL_EXEC_FILENAME_SIZE]; /* the path as passed to exec */
	char args[VIGIL_EXEC_ARGS_SIZE];         /* argv, each argument NUL-terminated */
};

/* VIGIL_KIND_PROCESS_FORK: a new process (not a thread); the header is the parent. */
struct vigil_process_fork {
	struct vigil_event_header header;
	__u64 child_start_ns;
	__u32 child_tgid;
	__u32 child_ns_tgid;
};

/* VIGIL_KIND_PROCESS_EXIT: the last thread of a process exited. */
struct vigil_process_exit {
	struct vigil_event_header header;
	__u64 process_start_ns;
	__s32 exit_code;
	__u32 reserved;
};

#define VIGIL_CGROUP_PATH_SIZE 512

/* VIGIL_KIND_CGROUP_CREATED / _REMOVED: a cgroup in the v2 (unified) hierarchy. */
struct vigil_cgroup_change {
	struct vigil_event_header header;
	__u64 cgroup_id;
	__u32 level;
	__u32 path_size; /* bytes used in path, NUL included */
	char path[VIGIL_CGROUP_PATH_SIZE]; /* relative to the hierarchy root, starts with '/' */
};

#endif /* VIGIL_BPF_EVENT_H */
