/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of the cryptomining object shares: its ring, its load-time
 * settings, the core's dispatcher interface, and the test of whether the
 * current task is watched at all. Included by each cryptomining_*.bpf.h;
 * compiled once, into cryptomining.bpf.c.
 */
#ifndef VIGIL_CRYPTOMINING_COMMON_BPF_H
#define VIGIL_CRYPTOMINING_COMMON_BPF_H

#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <vigil/bpf/dispatch.h>
#include <vigil/bpf/event.h>
#include <vigil/bpf/filters.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/sockaddr.h>
#include <vigil/bpf/task.h>
#include "cryptomining_events.h"

/* Pool connects are rare and urgent; DNS queries are frequent and batched. */
VIGIL_RING_BUFFER(cryptomining_events, 256 * 1024);

/* Set by the plugin from `pool_ports`: connects to these ports are sent, nothing else. */
const volatile __u16 pool_ports[CRYPTOMINING_MAX_POOL_PORTS] = {};
const volatile __u32 pool_port_count = 0;
/* Set by the plugin from `dns_rule`: false turns the DNS hooks into empty programs. */
const volatile bool watch_dns = true;

/*
 * Host tasks are watched when the SDK's vigil_watch_host is set, which the
 * plugin sets from its `containers_only` option (watch_host = !containers_only):
 * the core's dispatcher then runs the connect stage for host tasks too, and
 * the plugin's own programs (sendto, sendmsg, sendmmsg, the raw_tp fallback
 * through vigil_begin_call) apply the same rule. The sensor's own activity is
 * never an event.
 */
static __always_inline bool cryptomining_watched(void)
{
	return !vigil_is_sensor() && (vigil_watch_host || vigil_maybe_in_container());
}

#endif /* VIGIL_CRYPTOMINING_COMMON_BPF_H */
