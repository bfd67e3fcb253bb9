/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of the lateral_movement object shares: its ring and the
 * test of whether the current task is watched at all. Every rule of the
 * plugin is about containers, so host processes leave here, in the kernel.
 */
#ifndef VIGIL_LATERAL_COMMON_BPF_H
#define VIGIL_LATERAL_COMMON_BPF_H

#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <vigil/bpf/event.h>
#include <vigil/bpf/filters.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/task.h>
#include "lateral_events.h"

/* Token reads and watched connects are rare and alert-worthy: small, urgent records. */
VIGIL_RING_BUFFER(lateral_events, 256 * 1024);

/* The sensor's own activity is never an event, nor is the host's. */
static __always_inline bool lateral_watched(void)
{
	return !vigil_is_sensor() && vigil_maybe_in_container();
}

#endif /* VIGIL_LATERAL_COMMON_BPF_H */
