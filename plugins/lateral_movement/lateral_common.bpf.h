/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of the lateral_movement object shares: its ring and the
 * core's dispatcher interface. Every rule of the plugin is about containers,
 * so host processes never reach its code: the core's dispatcher runs its
 * stages for tasks that may be in a container only (vigil_watch_host is left
 * false), and the raw_tp fallback asks vigil_begin_call() the same. Neither
 * runs for the sensor's own calls.
 */
#ifndef VIGIL_LATERAL_COMMON_BPF_H
#define VIGIL_LATERAL_COMMON_BPF_H

#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <vigil/bpf/dispatch.h>
#include <vigil/bpf/event.h>
#include <vigil/bpf/filters.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/task.h>
#include "lateral_events.h"

/* Token reads and watched connects are rare and alert-worthy: small, urgent records. */
VIGIL_RING_BUFFER(lateral_events, 256 * 1024);

#endif /* VIGIL_LATERAL_COMMON_BPF_H */
