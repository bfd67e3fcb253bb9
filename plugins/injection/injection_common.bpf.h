/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of the injection object shares: its ring, its load-time
 * switch, and the test of whether the current task is watched at all.
 * Included by each injection_*.bpf.h; compiled once, into injection.bpf.c.
 *
 * The switch is the SDK's vigil_watch_host (vigil/bpf/dispatch.h), set by the
 * plugin to the opposite of its `containers_only` option: the core's
 * dispatcher runs the object's stages (the opens and execs) for host tasks
 * only when it is set, vigil_begin_call() applies the same rule in the raw_tp
 * fallback, and injection_watched() in the programs of the rarer syscalls and
 * of sched_process_exec. Stage bodies do not test it again.
 */
#ifndef VIGIL_INJECTION_COMMON_BPF_H
#define VIGIL_INJECTION_COMMON_BPF_H

#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <vigil/bpf/dispatch.h>
#include <vigil/bpf/event.h>
#include <vigil/bpf/filters.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/task.h>
#include "injection_events.h"

/* Every record of the plugin; rare and alert-worthy, so it is small and submitted urgently. */
VIGIL_RING_BUFFER(injection_events, 256 * 1024);

/*
 * The sensor's own activity is never an event; with `containers_only`
 * (vigil_watch_host false), neither is the host's. The dispatcher's rule for
 * stages, for the programs that are not stages.
 */
static __always_inline bool injection_watched(void)
{
	if (vigil_is_sensor())
		return false;
	return vigil_watch_host || vigil_maybe_in_container();
}

#endif /* VIGIL_INJECTION_COMMON_BPF_H */
