/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * The records the cryptomining plugin's BPF programs write to the
 * "cryptomining_events" ring and its detector reads.
 *
 * Compiled by clang -target bpf and by the C++ plugin: fixed-width types,
 * explicit padding, no pointers, every record starting with the common
 * struct vigil_event_header. The sizes are asserted on both sides. Append new
 * fields at the end of a record and bump CRYPTOMINING_RECORD_VERSION.
 */
#ifndef VIGIL_CRYPTOMINING_EVENTS_H
#define VIGIL_CRYPTOMINING_EVENTS_H

#include <vigil/bpf/event.h>

#define CRYPTOMINING_RECORD_VERSION 1

/* Kinds private to this plugin's ring. */
enum cryptomining_event_kind {
	CRYPTOMINING_KIND_POOL_CONNECT = VIGIL_KIND_PLUGIN_BASE + 0, /* struct cryptomining_connect */
	CRYPTOMINING_KIND_DNS_QUERY = VIGIL_KIND_PLUGIN_BASE + 1,    /* struct cryptomining_dns */
};

/* The most pool ports the kernel side can filter on (configure_bpf fills them). */
#define CRYPTOMINING_MAX_POOL_PORTS 16

/* The DNS port: its traffic is the only payload the kernel side copies. */
#define CRYPTOMINING_DNS_PORT 53

/* How the endpoint of a record is laid out: struct vigil_endpoint of <vigil/bpf/sockaddr.h>. */
struct cryptomining_endpoint {
	__u16 family;     /* 2 (AF_INET) or 10 (AF_INET6) */
	__u16 port;       /* host byte order */
	__u8 address[16]; /* network byte order; IPv4 in the first 4 bytes */
};

/* CRYPTOMINING_KIND_POOL_CONNECT: a connect() to one of the configured pool ports, seen at its entry. */
struct cryptomining_connect {
	struct vigil_event_header header;
	struct cryptomining_endpoint remote;
	__s32 fd;
	__u32 reserved[2];
};

/* Which call carried a DNS query. */
enum cryptomining_dns_syscall {
	CRYPTOMINING_SYSCALL_SENDTO = 1,   /* sendto() with a :53 address, or send() on a socket connected to :53 */
	CRYPTOMINING_SYSCALL_SENDMSG = 2,  /* sendmsg(): the first iovec */
	CRYPTOMINING_SYSCALL_SENDMMSG = 3, /* sendmmsg(): the first message's first iovec */
	CRYPTOMINING_SYSCALL_WRITE = 4,    /* reserved: write() is not hooked (its cost), kept so numbers stay stable */
};

/* A DNS header (12 bytes) and a QNAME of up to 243 bytes: longer names arrive cut short. */
#define CRYPTOMINING_DNS_PAYLOAD_SIZE 256

/*
 * CRYPTOMINING_KIND_DNS_QUERY: the first bytes of a datagram (or stream
 * sendmmsg) sent to port 53, seen at the call's entry. User space parses the
 * question name out of it.
 */
struct cryptomining_dns {
	struct vigil_event_header header;
	struct cryptomining_endpoint server; /* the :53 address; family 0 when the socket was connected earlier */
	__u32 payload_size;                  /* bytes captured in payload */
	__u32 total_size;                    /* the call's length argument (first iovec for sendmsg/sendmmsg) */
	__u16 syscall;                       /* enum cryptomining_dns_syscall */
	__u16 reserved;
	__s32 fd;
	__u32 reserved2;
	__u8 payload[CRYPTOMINING_DNS_PAYLOAD_SIZE];
};

/* Both compilers check the layout, so the two sides cannot drift apart. */
#ifdef __cplusplus
#define CRYPTOMINING_ASSERT_SIZE(type, size) static_assert(sizeof(struct type) == (size), #type " changed size")
#else
#define CRYPTOMINING_ASSERT_SIZE(type, size) _Static_assert(sizeof(struct type) == (size), #type " changed size")
#endif
CRYPTOMINING_ASSERT_SIZE(vigil_event_header, 80);
CRYPTOMINING_ASSERT_SIZE(cryptomining_endpoint, 20);
CRYPTOMINING_ASSERT_SIZE(cryptomining_connect, 112);
CRYPTOMINING_ASSERT_SIZE(cryptomining_dns, 376);
#undef CRYPTOMINING_ASSERT_SIZE

#endif /* VIGIL_CRYPTOMINING_EVENTS_H */
