/* SPDX-License-Identifier: GPL-2.0 */
/*
 * connect() from a container to a watched endpoint: the API server, the
 * kubelet, etcd, the cloud metadata service. The table of endpoints is a
 * load-time constant the detector fills from its configuration, so the
 * verifier sees its size and nothing but the table is consulted per call.
 * The attempt is what counts: the record is sent at the syscall's entry.
 * The address is the one vigil_call_endpoint() read for the call, once for
 * every plugin that asks.
 */
#ifndef VIGIL_LATERAL_CONNECT_BPF_H
#define VIGIL_LATERAL_CONNECT_BPF_H

#include "lateral_common.bpf.h"
#include <vigil/bpf/sockaddr.h>

const volatile struct lateral_endpoint watched_endpoints[LATERAL_MAX_ENDPOINTS] = {};
const volatile __u32 watched_endpoint_count = 0;

static __always_inline bool same_address(const volatile __u8 *watched, const __u8 *address)
{
	for (int i = 0; i < 16; i++) {
		if (watched[i] != address[i])
			return false;
	}
	return true;
}

/* True when @endpoint matches an entry of the table: its address (or any), its port (or any). */
static __always_inline bool endpoint_watched(const struct vigil_endpoint *endpoint)
{
	for (__u32 i = 0; i < LATERAL_MAX_ENDPOINTS; i++) {
		const volatile struct lateral_endpoint *watched = &watched_endpoints[i];

		if (i >= watched_endpoint_count)
			return false;
		if (watched->port != 0 && watched->port != endpoint->port)
			continue;
		if (watched->family == 0)
			return true;
		if (watched->family == endpoint->family && same_address(watched->address, endpoint->address))
			return true;
	}
	return false;
}

/* A connect's entry, in a container: sends a lateral_connect record for a watched endpoint. */
static __always_inline void check_connect(struct vigil_call *call)
{
	const struct vigil_endpoint *endpoint;
	struct lateral_connect *record;

	if (watched_endpoint_count == 0)
		return;
	/* Tested, then taken from the call: clang may otherwise mask the pointer, which the verifier refuses. */
	if (!vigil_call_endpoint(call))
		return;
	endpoint = &call->endpoint;
	if (!endpoint_watched(endpoint))
		return;

	record = vigil_reserve(lateral_events, sizeof(*record), LATERAL_KIND_CONNECT);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), LATERAL_KIND_CONNECT, LATERAL_RECORD_VERSION);
	record->endpoint.family = endpoint->family;
	record->endpoint.port = endpoint->port;
	__builtin_memcpy(record->endpoint.address, endpoint->address, sizeof(endpoint->address));
	record->fd = call->fd;
	vigil_submit_urgent(lateral_events, record);
}

#endif /* VIGIL_LATERAL_CONNECT_BPF_H */
