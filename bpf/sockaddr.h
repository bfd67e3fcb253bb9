/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * Reading a socket address a process passes to connect(), sendto() or
 * sendmsg() out of its memory, as one fixed-size endpoint that records and
 * maps can carry. Only IPv4 and IPv6 are decoded; an IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d, what dual-stack clients pass) becomes plain IPv4 so that a
 * rule written for an IPv4 address matches both spellings.
 */
#ifndef VIGIL_BPF_SOCKADDR_H
#define VIGIL_BPF_SOCKADDR_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define VIGIL_AF_INET 2
#define VIGIL_AF_INET6 10

struct vigil_endpoint {
	__u16 family;     /* VIGIL_AF_INET, VIGIL_AF_INET6, or 0 when not an IP address */
	__u16 port;       /* host byte order */
	__u8 address[16]; /* network byte order; IPv4 uses the first 4 bytes, the rest are 0 */
};

/* The user-space layouts, spelled out: vmlinux.h describes kernel memory only. */
struct vigil_user_sockaddr_in {
	__u16 family;
	__u16 port; /* network byte order */
	__u8 address[4];
	__u8 zero[8];
};
struct vigil_user_sockaddr_in6 {
	__u16 family;
	__u16 port; /* network byte order */
	__u32 flowinfo;
	__u8 address[16];
	__u32 scope_id;
};

static __always_inline bool vigil_is_ipv4_mapped(const __u8 *address)
{
	for (int i = 0; i < 10; i++) {
		if (address[i] != 0)
			return false;
	}
	return address[10] == 0xff && address[11] == 0xff;
}

/*
 * Fills @out from the sockaddr at @user_address of @length bytes. Returns
 * false (with @out->family 0) for anything that is not a readable IPv4 or
 * IPv6 address: a unix socket, a NULL address, a short length.
 *
 * One read of user memory, not two (family, then the rest): on every
 * connect() of the node each such read is the largest part of the cost.
 */
static __always_inline bool vigil_read_endpoint(const void *user_address, __u64 length, struct vigil_endpoint *out)
{
	union {
		__u16 family;
		struct vigil_user_sockaddr_in in4;
		struct vigil_user_sockaddr_in6 in6;
	} address = {};
	__u32 size;

	__builtin_memset(out, 0, sizeof(*out));
	if (!user_address || length < sizeof(struct vigil_user_sockaddr_in))
		return false;
	size = length >= sizeof(struct vigil_user_sockaddr_in6) ? sizeof(struct vigil_user_sockaddr_in6)
								 : sizeof(struct vigil_user_sockaddr_in);
	if (bpf_probe_read_user(&address, size, user_address) != 0)
		return false;

	if (address.family == VIGIL_AF_INET) {
		out->family = VIGIL_AF_INET;
		out->port = bpf_ntohs(address.in4.port);
		__builtin_memcpy(out->address, address.in4.address, 4);
		return true;
	}
	if (address.family == VIGIL_AF_INET6 && size == sizeof(struct vigil_user_sockaddr_in6)) {
		out->port = bpf_ntohs(address.in6.port);
		if (vigil_is_ipv4_mapped(address.in6.address)) {
			out->family = VIGIL_AF_INET;
			__builtin_memcpy(out->address, &address.in6.address[12], 4);
		} else {
			out->family = VIGIL_AF_INET6;
			__builtin_memcpy(out->address, address.in6.address, 16);
		}
		return true;
	}
	return false;
}

#endif /* VIGIL_BPF_SOCKADDR_H */
