/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * Recognising a DNS query in the first bytes of a message, for dns_send
 * stages (see dispatch.h): which detectors capture, user space parses
 * (<vigil/dns_query.hpp>).
 */
#ifndef VIGIL_BPF_DNS_H
#define VIGIL_BPF_DNS_H

#ifndef VIGIL_VMLINUX_H
#include <linux/types.h>
#endif

/* Bytes a caller reads to test both layouts: the header at 0 (UDP) or after TCP's two-byte length. */
#define VIGIL_DNS_HEAD_SIZE 16
/* A DNS header's size: the question's name follows it. */
#define VIGIL_DNS_HEADER_SIZE 12

/* A query's header at @at of @bytes (VIGIL_DNS_HEAD_SIZE of them): QR clear, opcode QUERY, one question, no answers. */
static __always_inline bool vigil_dns_query_at(const __u8 *bytes, int at)
{
	return (bytes[(at + 2) & 15] & 0xF8) == 0 && bytes[(at + 4) & 15] == 0 && bytes[(at + 5) & 15] == 1 &&
	       bytes[(at + 6) & 15] == 0 && bytes[(at + 7) & 15] == 0;
}

#endif /* VIGIL_BPF_DNS_H */
