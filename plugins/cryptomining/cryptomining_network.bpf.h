/* SPDX-License-Identifier: GPL-2.0 */
/*
 * connect() to a mining pool port, and DNS queries (UDP or TCP to port 53).
 *
 * connect is seen at its entry: the attempt is what counts, so a refused or
 * unreachable pool still shows. A connect to port 53 is remembered per
 * (process, fd) in a small LRU map, so that a later send() or sendmsg() on
 * that socket, which carries no address, can be recognised as a DNS query.
 *
 * Only port-53 traffic has its payload read: the first bytes, enough for the
 * DNS header and the question name, which user space parses. A payload that
 * does not look like a DNS query (the fd was closed and reused for something
 * else) drops the remembered socket, so a stale entry costs one read at most.
 *
 * connect is a stage of the core's dispatcher (connect_enter): the call it
 * hands over is already known to be watched (not the sensor; in a container,
 * or any task with vigil_watch_host), and its address is read once for every
 * plugin that asks (vigil_call_endpoint). sendto, sendmsg and sendmmsg, which
 * only this plugin watches, keep their own tp/syscalls programs and their
 * own test (cryptomining_watched). The raw_tp fallback runs the same bodies.
 */
#ifndef VIGIL_CRYPTOMINING_NETWORK_BPF_H
#define VIGIL_CRYPTOMINING_NETWORK_BPF_H

#include "cryptomining_common.bpf.h"
#include <vigil/bpf/dns.h>

/* Sockets connected to port 53, keyed by tgid << 32 | fd. LRU: never full, never stale for long. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct vigil_endpoint);
} dns_sockets SEC(".maps");

/* struct user_msghdr and struct iovec as user space lays them out (64-bit). */
struct cryptomining_user_msghdr {
	__u64 name;
	__u32 name_length;
	__u32 padding;
	__u64 iov;
	__u64 iov_count;
};
struct cryptomining_iovec {
	__u64 base;
	__u64 length;
};

static __always_inline __u64 socket_key(long fd)
{
	return (bpf_get_current_pid_tgid() & 0xFFFFFFFF00000000ull) | (__u32)fd;
}

static __always_inline bool is_pool_port(__u16 port)
{
#pragma unroll
	for (int i = 0; i < CRYPTOMINING_MAX_POOL_PORTS; i++) {
		if (i >= pool_port_count)
			return false;
		if (pool_ports[i] == port)
			return true;
	}
	return false;
}

/* A connect's entry of a watched task: a pool port sends a record; port 53 remembers the socket. */
static __always_inline void check_connect(struct vigil_call *call)
{
	const struct vigil_endpoint *remote;
	struct cryptomining_connect *record;
	__u64 key;

	/* Tested, then taken from the call: clang may otherwise mask the pointer, which the verifier refuses. */
	if (!vigil_call_endpoint(call))
		return;
	remote = &call->endpoint;
	if (remote->port == CRYPTOMINING_DNS_PORT) {
		if (watch_dns) {
			key = socket_key(call->fd);
			bpf_map_update_elem(&dns_sockets, &key, remote, BPF_ANY);
		}
		return;
	}
	if (!is_pool_port(remote->port))
		return;
	record = vigil_reserve(cryptomining_events, sizeof(*record), CRYPTOMINING_KIND_POOL_CONNECT);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), CRYPTOMINING_KIND_POOL_CONNECT,
			  CRYPTOMINING_RECORD_VERSION);
	__builtin_memcpy(&record->remote, remote, sizeof(record->remote));
	record->fd = call->fd;
	record->reserved[0] = 0;
	record->reserved[1] = 0;
	vigil_submit_urgent(cryptomining_events, record);
}

/*
 * Sends the first bytes of @buffer (@length long), a message to @server on
 * @fd, if they look like a DNS query: over UDP (the header first) or TCP (a
 * two-byte length first). @remembered: @server came from dns_sockets.
 */
static __always_inline void send_dns(__u16 syscall, long fd, const void *buffer, __u64 length,
				     const struct vigil_endpoint *server, bool remembered)
{
	struct cryptomining_dns *record;
	__u8 head[16] = {};
	__u32 size;

	if (length < 17 || bpf_probe_read_user(head, sizeof(head), buffer) != 0)
		return;
	if (!vigil_dns_query_at(head, 0) && !vigil_dns_query_at(head, 2)) {
		if (remembered) {
			__u64 key = socket_key(fd);

			bpf_map_delete_elem(&dns_sockets, &key);
		}
		return;
	}
	if (!cryptomining_watched())
		return;
	record = vigil_reserve(cryptomining_events, sizeof(*record), CRYPTOMINING_KIND_DNS_QUERY);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), CRYPTOMINING_KIND_DNS_QUERY, CRYPTOMINING_RECORD_VERSION);
	__builtin_memcpy(&record->server, server, sizeof(record->server));
	/* At most 255 bytes, so that the mask below proves the bound to the verifier. */
	size = length < CRYPTOMINING_DNS_PAYLOAD_SIZE ? (__u32)length : CRYPTOMINING_DNS_PAYLOAD_SIZE - 1;
	size &= CRYPTOMINING_DNS_PAYLOAD_SIZE - 1;
	if (bpf_probe_read_user(record->payload, size, buffer) != 0)
		size = 0;
	record->payload_size = size;
	record->total_size = length > 0xFFFFFFFFull ? 0xFFFFFFFFu : (__u32)length;
	record->syscall = syscall;
	record->reserved = 0;
	record->fd = (__s32)fd;
	record->reserved2 = 0;
	vigil_submit(cryptomining_events, record);
}

/* Where a message goes: @address if given and on port 53, else the socket's remembered :53 peer. */
static __always_inline bool dns_destination(long fd, const void *address, __u64 address_length,
					    struct vigil_endpoint *server, bool *remembered)
{
	struct vigil_endpoint *known;
	__u64 key;

	*remembered = false;
	if (address)
		return vigil_read_endpoint(address, address_length, server) && server->port == CRYPTOMINING_DNS_PORT;
	key = socket_key(fd);
	known = bpf_map_lookup_elem(&dns_sockets, &key);
	if (!known)
		return false;
	__builtin_memcpy(server, known, sizeof(*server));
	*remembered = true;
	return true;
}

static __always_inline int on_sendto(long fd, const void *buffer, __u64 length, const void *address,
				     __u64 address_length)
{
	struct vigil_endpoint server;
	bool remembered;

	if (!watch_dns || !dns_destination(fd, address, address_length, &server, &remembered))
		return 0;
	send_dns(CRYPTOMINING_SYSCALL_SENDTO, fd, buffer, length, &server, remembered);
	return 0;
}

/* sendmsg() and the first message of sendmmsg() (struct mmsghdr starts with its msghdr). */
static __always_inline int on_sendmsg(__u16 syscall, long fd, const void *message)
{
	struct cryptomining_user_msghdr header = {};
	struct cryptomining_iovec first = {};
	struct vigil_endpoint server;
	bool remembered;

	if (!watch_dns || !message || bpf_probe_read_user(&header, sizeof(header), message) != 0)
		return 0;
	if (!dns_destination(fd, (const void *)header.name, header.name_length, &server, &remembered))
		return 0;
	if (header.iov_count == 0 || bpf_probe_read_user(&first, sizeof(first), (const void *)header.iov) != 0)
		return 0;
	send_dns(syscall, fd, (const void *)first.base, first.length, &server, remembered);
	return 0;
}

#endif /* VIGIL_CRYPTOMINING_NETWORK_BPF_H */
