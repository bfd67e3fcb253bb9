/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * The records the drift plugin's BPF programs write to the "drift_events"
 * ring and its detector reads.
 *
 * Compiled by clang -target bpf and by the C++ plugin: fixed-width types,
 * explicit padding, no pointers, every record starting with the common
 * struct vigil_event_header. The sizes are asserted on both sides. Append new
 * fields at the end of a record and bump DRIFT_RECORD_VERSION.
 *
 * Executions themselves come from the core's VIGIL_KIND_PROCESS_EXEC, which
 * the detector subscribes to: the kernel side adds only what the core's
 * record lacks, whether the file executed was changed after its container
 * started.
 */
#ifndef VIGIL_DRIFT_EVENTS_H
#define VIGIL_DRIFT_EVENTS_H

#include <vigil/bpf/event.h>

#define DRIFT_RECORD_VERSION 1
#define DRIFT_PATH_SIZE 256

/* Kinds private to this plugin's ring. */
enum drift_event_kind {
	DRIFT_KIND_CHANGED_EXEC = VIGIL_KIND_PLUGIN_BASE + 0, /* struct drift_changed_exec */
	DRIFT_KIND_OPEN = VIGIL_KIND_PLUGIN_BASE + 1,         /* struct drift_open */
	DRIFT_KIND_CONNECT = VIGIL_KIND_PLUGIN_BASE + 2,      /* struct drift_connect */
	DRIFT_KIND_LISTEN = VIGIL_KIND_PLUGIN_BASE + 3,       /* struct drift_listen */
	DRIFT_KIND_DNS = VIGIL_KIND_PLUGIN_BASE + 4,          /* struct drift_dns */
};

/* Why an executed file counts as changed since its container started. */
enum drift_changed_flags {
	DRIFT_IN_UPPER_LAYER = 1u << 0,    /* on overlayfs, with an upper dentry: written or copied up in the container */
	DRIFT_CHANGED_AFTER_START = 1u << 1, /* its inode's change time is after the container's start */
	DRIFT_START_UNKNOWN = 1u << 2,     /* the kernel side did not know the container's start: user space decides */
};

/*
 * DRIFT_KIND_CHANGED_EXEC: a successful exec (from execve's exit) of a file
 * that is not as its container's image had it, or of any file in a container
 * whose start the kernel side was not told yet. Sent for nothing else.
 */
struct drift_changed_exec {
	struct vigil_event_header header;
	__u64 inode;
	__u64 change_time_unix_ns; /* the inode's ctime */
	__u32 device;              /* the file system's dev_t, as the kernel encodes it */
	__u32 flags;               /* enum drift_changed_flags */
};

/* O_WRONLY | O_RDWR: the same on every architecture vigil builds for. */
#define DRIFT_OPEN_WRITE_ACCESS 3

/*
 * DRIFT_KIND_OPEN: an open, at its entry, for writing or of a path under a
 * sensitive prefix, that the container's profile did not already hold.
 */
struct drift_open {
	struct vigil_event_header header;
	__u64 open_flags;
	__u64 path_hash;  /* drift_path_hash() of the whole path, as the known-opens map is keyed */
	__u32 path_size;  /* bytes read with the NUL; 0 when unreadable */
	__u32 reserved;
	char path[DRIFT_PATH_SIZE];
};

/* An IP endpoint, laid out as struct vigil_endpoint of <vigil/bpf/sockaddr.h> (asserted in drift.bpf.c). */
struct drift_endpoint {
	__u16 family;     /* 2 IPv4, 10 IPv6 */
	__u16 port;       /* host byte order */
	__u8 address[16]; /* network byte order; IPv4 uses the first 4 bytes */
};
#define DRIFT_AF_INET 2
#define DRIFT_AF_INET6 10

/* DRIFT_KIND_CONNECT: a connect() to an IP address the container's profile did not already hold. */
struct drift_connect {
	struct vigil_event_header header;
	struct drift_endpoint remote;
	__u16 socket_type; /* SOCK_STREAM 1, SOCK_DGRAM 2, ...; 0 when unknown */
	__u16 reserved;
	__u32 reserved2[2];
};

/* DRIFT_KIND_LISTEN: a listen() on an IP socket. */
struct drift_listen {
	struct vigil_event_header header;
	__u16 family;      /* DRIFT_AF_INET or DRIFT_AF_INET6 */
	__u16 port;        /* the socket's local port, host order; 0 before bind (the kernel then picks one) */
	__u16 socket_type;
	__u16 reserved;
	__s32 fd;
	__u32 reserved2;
};

/* A DNS header (12 bytes, 14 over TCP) and a name of up to 241 bytes: longer names arrive cut short. */
#define DRIFT_DNS_PAYLOAD_SIZE 256

/*
 * DRIFT_KIND_DNS: the first bytes of a DNS query sent to port 53 (the core's
 * dns_send hook) whose name the container's profile did not already hold.
 */
struct drift_dns {
	struct vigil_event_header header;
	__u64 name_hash;     /* drift_name_hash() of the question's name as sent (length-prefixed labels) */
	__u32 payload_size;  /* bytes captured in payload */
	__u32 reserved;
	__u8 payload[DRIFT_DNS_PAYLOAD_SIZE];
};

/*
 * The known-behaviour maps user space fills from the profiles, so that what a
 * container's profile already holds never reaches user space again.
 */
struct drift_known_open {
	__u64 cgroup_id;
	__u64 path_hash; /* of the whole path, or with DRIFT_HASH_DIRECTORY, of its directory (a collapsed directory pattern) */
};
#define DRIFT_HASH_DIRECTORY 1ull /* set in a directory hash's lowest bit, cleared in a path's */
#define DRIFT_HASH_WRITE 2ull     /* set for write access, cleared for a read */

struct drift_known_name {
	__u64 cgroup_id;
	__u64 name_hash;
};

struct drift_known_connect {
	__u64 cgroup_id;
	__u8 address[16]; /* masked to its network for a collapsed entry */
	__u16 port;
	__u16 prefix;     /* 0 for the exact address, else 24 (IPv4) or 64 (IPv6) */
	__u32 reserved;
};

/* Per container: its start, in unix ns, for DRIFT_CHANGED_AFTER_START. */
struct drift_container_start {
	__u64 started_unix_ns;
};

/* FNV-1a, 64 bits: the same on both sides. */
#define DRIFT_FNV_OFFSET 0xcbf29ce484222325ull
#define DRIFT_FNV_PRIME 0x100000001b3ull

#ifdef __cplusplus
static_assert(sizeof(drift_changed_exec) == sizeof(vigil_event_header) + 24, "drift_changed_exec layout changed");
static_assert(sizeof(drift_open) == sizeof(vigil_event_header) + 24 + DRIFT_PATH_SIZE, "drift_open layout changed");
static_assert(sizeof(drift_connect) == sizeof(vigil_event_header) + 32, "drift_connect layout changed");
static_assert(sizeof(drift_listen) == sizeof(vigil_event_header) + 16, "drift_listen layout changed");
static_assert(sizeof(drift_dns) == sizeof(vigil_event_header) + 16 + DRIFT_DNS_PAYLOAD_SIZE, "drift_dns layout changed");
static_assert(sizeof(drift_known_open) == 16 && sizeof(drift_known_connect) == 32 && sizeof(drift_known_name) == 16,
              "drift map keys changed");
#endif

#endif /* VIGIL_DRIFT_EVENTS_H */
