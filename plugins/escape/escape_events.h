/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * The records the escape plugin's BPF programs write to the "escape_events"
 * ring and its detector reads.
 *
 * Compiled by clang -target bpf and by the C++ plugin: fixed-width types,
 * explicit padding, no pointers, every record starting with the common
 * struct vigil_event_header. The sizes are asserted on both sides. Append new
 * fields at the end of a record and bump ESCAPE_RECORD_VERSION.
 */
#ifndef VIGIL_ESCAPE_EVENTS_H
#define VIGIL_ESCAPE_EVENTS_H

#include <vigil/bpf/event.h>

#define ESCAPE_RECORD_VERSION 1

/* Kinds private to this plugin's ring. */
enum escape_event_kind {
	ESCAPE_KIND_CONTROL_OPEN = VIGIL_KIND_PLUGIN_BASE + 0, /* struct escape_control_open */
	ESCAPE_KIND_ROOT_OPEN = VIGIL_KIND_PLUGIN_BASE + 1,    /* struct escape_root_open */
	ESCAPE_KIND_MOUNT = VIGIL_KIND_PLUGIN_BASE + 2,        /* struct escape_mount */
	ESCAPE_KIND_ROOT_CHANGE = VIGIL_KIND_PLUGIN_BASE + 3,  /* struct escape_root_change */
	ESCAPE_KIND_SETNS = VIGIL_KIND_PLUGIN_BASE + 4,        /* struct escape_namespace_change */
	ESCAPE_KIND_UNSHARE = VIGIL_KIND_PLUGIN_BASE + 5,      /* struct escape_namespace_change */
	ESCAPE_KIND_KERNEL_LOAD = VIGIL_KIND_PLUGIN_BASE + 6,  /* struct escape_kernel_load */
};

/* Set on any record; found by the kernel side. */
enum escape_record_flags {
	/*
	 * The caller is the container runtime setting the container up: its
	 * cgroup was created and no process has exec'd in it yet, and the caller
	 * runs a program that is not a file of its current mount namespace
	 * (runc init, exec'd on the host, then moved into the new namespaces).
	 */
	ESCAPE_FLAG_RUNTIME_SETUP = 1u << 0,
	/* The path in the record filled its field: only its beginning is there. */
	ESCAPE_FLAG_PATH_TRUNCATED = 1u << 1,
	/* An entry record no exit record will follow: only the entry is hooked (the raw_tp fallback). */
	ESCAPE_FLAG_NO_EXIT = 1u << 2,
};

/* The syscall a record came from. */
enum escape_syscall {
	ESCAPE_SYSCALL_OPEN = 1,
	ESCAPE_SYSCALL_OPENAT = 2,
	ESCAPE_SYSCALL_OPENAT2 = 3,
	ESCAPE_SYSCALL_MOUNT = 4,
	ESCAPE_SYSCALL_CHROOT = 5,
	ESCAPE_SYSCALL_PIVOT_ROOT = 6,
	ESCAPE_SYSCALL_SETNS = 7,
	ESCAPE_SYSCALL_UNSHARE = 8,
	ESCAPE_SYSCALL_INIT_MODULE = 9,
	ESCAPE_SYSCALL_FINIT_MODULE = 10,
	ESCAPE_SYSCALL_BPF = 11,
	ESCAPE_SYSCALL_FSOPEN = 12,
};

/* The host-control files an open for writing can reach. */
enum escape_control_file {
	ESCAPE_CONTROL_NONE = 0,
	ESCAPE_CONTROL_RELEASE_AGENT = 1,     /* cgroup v1 release_agent */
	ESCAPE_CONTROL_NOTIFY_ON_RELEASE = 2, /* cgroup v1 notify_on_release */
	ESCAPE_CONTROL_CORE_PATTERN = 3,      /* /proc/sys/kernel/core_pattern */
	ESCAPE_CONTROL_SYSRQ_TRIGGER = 4,     /* /proc/sysrq-trigger */
	ESCAPE_CONTROL_MODPROBE = 5,          /* /proc/sys/kernel/modprobe */
	ESCAPE_CONTROL_BINFMT_REGISTER = 6,   /* binfmt_misc register */
};

/* Filesystem magic numbers (s_magic) the kernel side tells files apart by. */
#define ESCAPE_CGROUP_SUPER_MAGIC 0x27e0ebULL
#define ESCAPE_CGROUP2_SUPER_MAGIC 0x63677270ULL
#define ESCAPE_PROC_SUPER_MAGIC 0x9fa0ULL
#define ESCAPE_BINFMTFS_MAGIC 0x42494e4dULL
#define ESCAPE_NSFS_MAGIC 0x6e736673ULL

#define ESCAPE_PATH_SIZE 128
#define ESCAPE_NAME_SIZE 32

/*
 * ESCAPE_KIND_CONTROL_OPEN: a finished open for writing of a host-control file
 * (from a process that may be in a container). When the open succeeded, the
 * kernel side identified the file from the opened struct file itself (its
 * filesystem, name and parent directory's name), so relative paths, symlinks
 * and odd mount points make no difference; when it failed, from the path.
 */
struct escape_control_open {
	struct vigil_event_header header;
	__s64 ret;       /* the fd, or a negative errno */
	__u64 flags;     /* open flags */
	__u64 fs_magic;  /* the opened file's filesystem (0 when the open failed) */
	__u32 control;   /* enum escape_control_file */
	__u32 record_flags; /* enum escape_record_flags */
	__u16 syscall;   /* ESCAPE_SYSCALL_OPEN, _OPENAT or _OPENAT2 */
	__u16 path_size; /* bytes used in path, NUL included */
	__u32 reserved;
	char name[ESCAPE_NAME_SIZE];   /* the opened file's name (success only) */
	char parent[ESCAPE_NAME_SIZE]; /* its directory's name (success only) */
	char path[ESCAPE_PATH_SIZE];   /* the path as passed */
};

/*
 * ESCAPE_KIND_ROOT_OPEN: an open of "/proc/<pid>/root" or a path below it,
 * another process's root directory, from a process that may be in a
 * container. Sent from the syscall's entry: the outcome is not known.
 */
struct escape_root_open {
	struct vigil_event_header header;
	__u64 flags;          /* open flags */
	__u32 target_ns_pid;  /* <pid>, in the caller's pid namespace */
	__u32 record_flags;   /* enum escape_record_flags */
	__u16 syscall;        /* ESCAPE_SYSCALL_OPEN, _OPENAT or _OPENAT2 */
	__u16 path_size;
	__u32 reserved;
	char path[ESCAPE_PATH_SIZE];
};

#define ESCAPE_MOUNT_PATH_SIZE 96
#define ESCAPE_FSTYPE_SIZE 32

/* ESCAPE_KIND_MOUNT: a finished mount() (or fsopen()) from a process that may be in a container. */
struct escape_mount {
	struct vigil_event_header header;
	__s64 ret;
	__u64 mount_flags;  /* MS_* flags (mount), or fsopen flags */
	__u32 record_flags; /* enum escape_record_flags */
	__u16 syscall;      /* ESCAPE_SYSCALL_MOUNT or _FSOPEN */
	__u16 reserved;
	char source[ESCAPE_MOUNT_PATH_SIZE]; /* dev_name, or "" */
	char target[ESCAPE_MOUNT_PATH_SIZE]; /* dir_name, or "" */
	char fstype[ESCAPE_FSTYPE_SIZE];     /* type, or "" */
};

/*
 * ESCAPE_KIND_ROOT_CHANGE: a finished chroot() or pivot_root() from a process
 * that may be in a container, with where its root directory is afterwards.
 */
struct escape_root_change {
	struct vigil_event_header header;
	__s64 ret;
	__u32 record_flags;    /* enum escape_record_flags */
	__u16 syscall;         /* ESCAPE_SYSCALL_CHROOT or _PIVOT_ROOT */
	__u16 path_size;
	__u32 old_root_mnt_ns; /* mount namespace of the mount the root was on before */
	__u32 new_root_mnt_ns; /* ... and after: another namespace's mount means a foreign root */
	__u32 old_root_dev;    /* the kernel dev_t (major << 20 | minor) of the root's filesystem */
	__u32 new_root_dev;
	__u32 new_root_is_fs_root; /* 1 when the new root is the top directory of its filesystem */
	__u32 reserved;
	char path[ESCAPE_PATH_SIZE]; /* chroot's path, or pivot_root's new_root */
};

/* Namespace inode numbers of a task, as in /proc/<pid>/ns/<type>. */
struct escape_namespaces {
	__u32 mnt;
	__u32 pid;              /* the pid namespace the task lives in */
	__u32 pid_for_children; /* the one its children get: what setns(CLONE_NEWPID) changes */
	__u32 net;
	__u32 uts;
	__u32 ipc;
	__u32 cgroup;
	__u32 user;
};

/*
 * ESCAPE_KIND_SETNS and ESCAPE_KIND_UNSHARE: a finished setns() or unshare()
 * (unshare only with CLONE_NEWUSER), with the caller's namespaces before and
 * after. setns records come from every process but the sensor: a host-PID
 * container process that has already joined the host's mount namespace looks
 * like a host process to the kernel, so user space decides by cgroup.
 */
struct escape_namespace_change {
	struct vigil_event_header header;
	__s64 ret;
	__u64 flags;         /* setns: nstype; unshare: the CLONE_* flags */
	__s32 fd;            /* setns: the fd argument */
	__u32 record_flags;  /* enum escape_record_flags */
	__u64 target_fs_magic; /* setns: the fd's filesystem (nsfs for a namespace file) */
	__u32 target_inum;   /* setns on an nsfs file: the namespace's inode number */
	__u16 syscall;       /* ESCAPE_SYSCALL_SETNS or _UNSHARE */
	__u16 reserved;
	struct escape_namespaces before;
	struct escape_namespaces after;
};

/* Which side of the syscall an escape_kernel_load comes from. */
enum escape_load_phase {
	ESCAPE_PHASE_ENTER = 1, /* the attempt: sent before the kernel acts, in case it never returns */
	ESCAPE_PHASE_EXIT = 2,  /* the outcome */
};

#define ESCAPE_BPF_PROG_LOAD 5

/*
 * ESCAPE_KIND_KERNEL_LOAD: init_module(), finit_module() or bpf(BPF_PROG_LOAD)
 * from a process that may be in a container, once at entry and once at exit.
 */
struct escape_kernel_load {
	struct vigil_event_header header;
	__s64 ret;           /* exit only */
	__u64 argument;      /* init_module: the image length; finit_module: its flags; bpf: the program type */
	__s32 fd;            /* finit_module: the module file's fd */
	__u32 record_flags;  /* enum escape_record_flags */
	__u16 syscall;       /* ESCAPE_SYSCALL_INIT_MODULE, _FINIT_MODULE or _BPF */
	__u16 phase;         /* enum escape_load_phase */
	__u32 reserved;
	char name[ESCAPE_NAME_SIZE]; /* finit_module: the file's name; bpf: the program's name */
};

#ifdef __cplusplus
#define ESCAPE_ASSERT_SIZE(type, size) static_assert(sizeof(struct type) == (size), #type " changed size")
#else
#define ESCAPE_ASSERT_SIZE(type, size) _Static_assert(sizeof(struct type) == (size), #type " changed size")
#endif
ESCAPE_ASSERT_SIZE(vigil_event_header, 80);
ESCAPE_ASSERT_SIZE(escape_control_open, 312);
ESCAPE_ASSERT_SIZE(escape_root_open, 232);
ESCAPE_ASSERT_SIZE(escape_mount, 328);
ESCAPE_ASSERT_SIZE(escape_root_change, 248);
ESCAPE_ASSERT_SIZE(escape_namespace_change, 184);
ESCAPE_ASSERT_SIZE(escape_kernel_load, 144);
#undef ESCAPE_ASSERT_SIZE

#endif /* VIGIL_ESCAPE_EVENTS_H */
