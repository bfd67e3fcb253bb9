/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * The records the injection plugin's BPF programs write to the
 * "injection_events" ring and its detector reads.
 *
 * Compiled by clang -target bpf and by the C++ plugin: fixed-width types,
 * explicit padding, no pointers, every record starting with the common
 * struct vigil_event_header. The sizes are asserted on both sides, so a field
 * added on one side only fails the build instead of garbling records. Append
 * new fields at the end of a record and bump INJECTION_RECORD_VERSION.
 */
#ifndef VIGIL_INJECTION_EVENTS_H
#define VIGIL_INJECTION_EVENTS_H

#include <vigil/bpf/event.h>

#define INJECTION_RECORD_VERSION 1

/* Kinds private to this plugin's ring. */
enum injection_event_kind {
	INJECTION_KIND_PTRACE = VIGIL_KIND_PLUGIN_BASE + 0,    /* struct injection_ptrace */
	INJECTION_KIND_VM_WRITEV = VIGIL_KIND_PLUGIN_BASE + 1, /* struct injection_vm_writev */
	INJECTION_KIND_OPEN = VIGIL_KIND_PLUGIN_BASE + 2,      /* struct injection_open */
	INJECTION_KIND_EXEC = VIGIL_KIND_PLUGIN_BASE + 3,      /* struct injection_exec */
};

/*
 * The ptrace requests the kernel side watches, by number (the same on x86-64
 * and arm64; arm64 has no SETREGS or SETFPREGS and fails them with -EIO).
 */
enum injection_ptrace_request {
	INJECTION_PTRACE_POKETEXT = 4,
	INJECTION_PTRACE_POKEDATA = 5,
	INJECTION_PTRACE_POKEUSER = 6,
	INJECTION_PTRACE_SETREGS = 13,
	INJECTION_PTRACE_SETFPREGS = 15,
	INJECTION_PTRACE_ATTACH = 16,
	INJECTION_PTRACE_SETREGSET = 0x4205,
	INJECTION_PTRACE_SEIZE = 0x4206,
};

/*
 * INJECTION_KIND_PTRACE: a finished ptrace() whose request attaches to or
 * writes into another process. Sent from the syscall's exit, so ret is known.
 */
struct injection_ptrace {
	struct vigil_event_header header;
	__s64 request;       /* PTRACE_ATTACH, PTRACE_POKETEXT, ... */
	__s64 ret;           /* the syscall's return value: 0, or a negative errno */
	__u64 address;       /* the addr argument: where a POKE wrote */
	__u32 target_ns_pid; /* the pid argument, as the caller's pid namespace numbers it */
	__u32 reserved;
};

/* INJECTION_KIND_VM_WRITEV: a finished process_vm_writev() into another process. */
struct injection_vm_writev {
	struct vigil_event_header header;
	__s64 ret;              /* bytes written, or a negative errno */
	__u64 remote_address;   /* base of the first remote iovec (0 if unreadable) */
	__u64 remote_length;    /* length of the first remote iovec */
	__u32 target_ns_pid;    /* the pid argument, in the caller's pid namespace */
	__u32 local_iov_count;  /* liovcnt */
	__u32 remote_iov_count; /* riovcnt */
	__u32 reserved;
};

/* Which open call an injection_open came from. */
enum injection_open_syscall {
	INJECTION_SYSCALL_OPEN = 1,
	INJECTION_SYSCALL_OPENAT = 2,
	INJECTION_SYSCALL_OPENAT2 = 3,
};

/* Long enough for "/proc/4294967295/task/4294967295/mem" and "/etc/ld.so.preload". */
#define INJECTION_OPEN_PATH_SIZE 64

/*
 * INJECTION_KIND_OPEN: an open for writing of /proc/<pid>/mem,
 * /proc/<pid>/task/<tid>/mem (another process's) or /etc/ld.so.preload.
 * Sent from the syscall's entry (an exit program would cost every open), so
 * whether the open succeeded is not known.
 */
struct injection_open {
	struct vigil_event_header header;
	__u64 flags;     /* open flags: O_WRONLY or O_RDWR is always set */
	__u16 syscall;   /* enum injection_open_syscall */
	__u16 path_size; /* bytes used in path, NUL included */
	__u32 reserved;
	char path[INJECTION_OPEN_PATH_SIZE]; /* the path as passed */
};

/* What made an exec worth a record; several can be set. */
enum injection_exec_flags {
	INJECTION_EXEC_MEMFD = 1u << 0,               /* the executable is a memfd_create() file */
	INJECTION_EXEC_DEV_SHM = 1u << 1,             /* the executable lives under /dev/shm */
	INJECTION_EXEC_LD_PRELOAD = 1u << 2,          /* LD_PRELOAD was in the new image's environment */
	INJECTION_EXEC_PRELOAD_TRUNCATED = 1u << 3,   /* ld_preload holds only the value's beginning */
	INJECTION_EXEC_FILENAME_TRUNCATED = 1u << 4,  /* filename holds only the path's beginning */
	INJECTION_EXEC_PRELOAD_REPEATED = 1u << 5,    /* LD_PRELOAD appeared more than once; ld_preload is the last */
};

#define INJECTION_EXE_NAME_SIZE 64
#define INJECTION_FILENAME_SIZE 256
#define INJECTION_PRELOAD_SIZE 256

/* INJECTION_KIND_EXEC: a successful exec; the header is the new image. */
struct injection_exec {
	struct vigil_event_header header;
	__u32 flags;         /* enum injection_exec_flags */
	__u16 filename_size; /* bytes used in filename, NUL included */
	__u16 preload_size;  /* bytes used in ld_preload, NUL included; 0 without LD_PRELOAD */
	char exe_name[INJECTION_EXE_NAME_SIZE];  /* the executable's file name: "memfd:<name>" for a memfd */
	char filename[INJECTION_FILENAME_SIZE];  /* the path as passed to exec */
	char ld_preload[INJECTION_PRELOAD_SIZE]; /* the value of LD_PRELOAD, without "LD_PRELOAD=" */
};

/* Both compilers check the layout, so the two sides cannot drift apart. */
#ifdef __cplusplus
#define INJECTION_ASSERT_SIZE(type, size) static_assert(sizeof(struct type) == (size), #type " changed size")
#else
#define INJECTION_ASSERT_SIZE(type, size) _Static_assert(sizeof(struct type) == (size), #type " changed size")
#endif
INJECTION_ASSERT_SIZE(vigil_event_header, 80);
INJECTION_ASSERT_SIZE(injection_ptrace, 112);
INJECTION_ASSERT_SIZE(injection_vm_writev, 120);
INJECTION_ASSERT_SIZE(injection_open, 160);
INJECTION_ASSERT_SIZE(injection_exec, 664);
#undef INJECTION_ASSERT_SIZE

#endif /* VIGIL_INJECTION_EVENTS_H */
