/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * The records the lateral_movement plugin's BPF programs write to the
 * "lateral_events" ring and its detector reads, and the load-time tables the
 * detector fills before the programs load.
 *
 * Compiled by clang -target bpf and by the C++ plugin: fixed-width types,
 * explicit padding, no pointers, every record starting with the common
 * struct vigil_event_header. Sizes are asserted on both sides. Append new
 * fields at the end of a record and bump LATERAL_RECORD_VERSION.
 */
#ifndef VIGIL_LATERAL_EVENTS_H
#define VIGIL_LATERAL_EVENTS_H

#include <vigil/bpf/event.h>

#define LATERAL_RECORD_VERSION 1

/* Kinds private to this plugin's ring. */
enum lateral_event_kind {
	LATERAL_KIND_OPEN = VIGIL_KIND_PLUGIN_BASE + 0,    /* struct lateral_open */
	LATERAL_KIND_CONNECT = VIGIL_KIND_PLUGIN_BASE + 1, /* struct lateral_connect */
};

/* Which call an open record came from. */
enum lateral_open_syscall {
	LATERAL_SYSCALL_OPEN = 1,
	LATERAL_SYSCALL_OPENAT = 2,
	LATERAL_SYSCALL_OPENAT2 = 3,
};

/* What the kernel side knew about an open's path. */
enum lateral_open_flags {
	LATERAL_OPEN_RELATIVE = 1u << 0,      /* path is relative: base_name/base_parent_name say to what */
	LATERAL_OPEN_BASE_FROM_FD = 1u << 1,  /* relative to the dirfd argument, not the working directory */
	LATERAL_OPEN_BASE_UNKNOWN = 1u << 2,  /* the base directory could not be read */
};

/* Room for ".../serviceaccount/..2024_01_01_00_00_00.123456789/token" and more. */
#define LATERAL_PATH_SIZE 128
/* A directory's own name, as its dentry holds it. */
#define LATERAL_NAME_SIZE 32

/* Address families, as <sys/socket.h> numbers them on every architecture vigil builds for. */
#define LATERAL_AF_INET 2
#define LATERAL_AF_INET6 10

/*
 * An IP endpoint: the layout of bpf/sockaddr.h's struct vigil_endpoint, which
 * the C++ side cannot include. In a connect record it is where the process
 * connects to; in the watched table family 0 is any address and port 0 any port.
 */
struct lateral_endpoint {
	__u16 family;     /* LATERAL_AF_INET, LATERAL_AF_INET6; 0 in the watched table: any address */
	__u16 port;       /* host byte order; 0 in the watched table: any port */
	__u8 address[16]; /* network byte order; IPv4 uses the first 4 bytes */
};
#define LATERAL_MAX_ENDPOINTS 16

/*
 * LATERAL_KIND_OPEN: an open (not O_PATH) from a container of a path that
 * may be a service-account token. Sent from the syscall's entry, so whether
 * it succeeded is not known.
 */
struct lateral_open {
	struct vigil_event_header header;
	__u16 syscall;   /* enum lateral_open_syscall */
	__u16 path_size; /* bytes used in path, NUL included */
	__u16 flags;     /* enum lateral_open_flags */
	__u16 reserved;
	__s32 dirfd;     /* the dirfd argument (AT_FDCWD for open) */
	__u32 open_flags;
	char path[LATERAL_PATH_SIZE];               /* the path as passed */
	char base_name[LATERAL_NAME_SIZE];          /* relative paths: the name of the directory they start in */
	char base_parent_name[LATERAL_NAME_SIZE];   /* ... and of its parent */
};

/* LATERAL_KIND_CONNECT: a connect() from a container to a watched endpoint, at its entry. */
struct lateral_connect {
	struct vigil_event_header header;
	struct lateral_endpoint endpoint; /* where to; IPv4-mapped IPv6 comes as IPv4 */
	__s32 fd;
};
#define LATERAL_MAX_ENDPOINTS 16

/* Literal directory prefixes of the token path patterns, compared in the kernel. */
#define LATERAL_MAX_PREFIXES 4
#define LATERAL_PREFIX_SIZE 64

#ifdef __cplusplus
#define LATERAL_ASSERT_SIZE(type, size) static_assert(sizeof(struct type) == (size), #type " changed size")
#else
#define LATERAL_ASSERT_SIZE(type, size) _Static_assert(sizeof(struct type) == (size), #type " changed size")
#endif
LATERAL_ASSERT_SIZE(vigil_event_header, 80);
LATERAL_ASSERT_SIZE(lateral_endpoint, 20);
LATERAL_ASSERT_SIZE(lateral_open, 288);
LATERAL_ASSERT_SIZE(lateral_connect, 104);
#undef LATERAL_ASSERT_SIZE

#endif /* VIGIL_LATERAL_EVENTS_H */
