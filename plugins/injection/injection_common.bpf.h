/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of the injection object shares: its ring, its load-time
 * switch, and the test of whether the current task is watched at all.
 * Included by each injection_*.bpf.h; compiled once, into injection.bpf.c.
 */
#ifndef VIGIL_INJECTION_COMMON_BPF_H
#define VIGIL_INJECTION_COMMON_BPF_H

#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <vigil/bpf/event.h>
#include <vigil/bpf/filters.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/task.h>
#include "injection_events.h"

/* Every record of the plugin; rare and alert-worthy, so it is small and submitted urgently. */
VIGIL_RING_BUFFER(injection_events, 256 * 1024);

/* Set by the plugin from its `containers_only` option: only tasks that may be in a container are watched. */
const volatile bool containers_only = false;

/* The sensor's own activity is never an event; with containers_only, neither is the host's. */
static __always_inline bool injection_watched(void)
{
	if (vigil_is_sensor())
		return false;
	return !containers_only || vigil_maybe_in_container();
}

#endif /* VIGIL_INJECTION_COMMON_BPF_H */
