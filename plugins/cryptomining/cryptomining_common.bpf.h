/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of the cryptomining object shares: its ring, its load-time
 * settings, and the test of whether the current task is watched at all.
 * Included by each cryptomining_*.bpf.h; compiled once, into cryptomining.bpf.c.
 */
#ifndef VIGIL_CRYPTOMINING_COMMON_BPF_H
#define VIGIL_CRYPTOMINING_COMMON_BPF_H

#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <vigil/bpf/event.h>
#include <vigil/bpf/filters.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/sockaddr.h>
#include <vigil/bpf/task.h>
#include "cryptomining_events.h"

/* Pool connects are rare and urgent; DNS queries are frequent and batched. */
VIGIL_RING_BUFFER(cryptomining_events, 256 * 1024);

/* Set by the plugin from its `containers_only` option: only tasks that may be in a container are watched. */
const volatile bool containers_only = false;
/* Set by the plugin from `pool_ports`: connects to these ports are sent, nothing else. */
const volatile __u16 pool_ports[CRYPTOMINING_MAX_POOL_PORTS] = {};
const volatile __u32 pool_port_count = 0;
/* Set by the plugin from `dns_rule`: false turns the DNS hooks into empty programs. */
const volatile bool watch_dns = true;

/* The sensor's own activity is never an event; with containers_only, neither is the host's. */
static __always_inline bool cryptomining_watched(void)
{
	if (vigil_is_sensor())
		return false;
	return !containers_only || vigil_maybe_in_container();
}

#endif /* VIGIL_CRYPTOMINING_COMMON_BPF_H */
