/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * The event kinds: the one list, shared by the plugin ABI (plugin_abi.h) and
 * the BPF record layout (bpf/event.h), so detectors, their BPF programs and
 * the sensor agree on every number.
 *
 * Included by BPF C next to vmlinux.h, by plain C and by C++: only an enum,
 * no includes, no types.
 *
 * Kinds below VIGIL_KIND_PLUGIN_BASE belong to the core and can be subscribed
 * to by any detector (vigil_plugin_descriptor.subscribed_kinds); kinds from
 * VIGIL_KIND_PLUGIN_BASE up are private to the plugin whose ring buffer
 * carries them. Every kind is below VIGIL_KIND_LIMIT so that drop counters can
 * be a small array indexed by kind.
 *
 * A number is never changed or reused. A new core kind takes the next free
 * number and comes with the ABI minor that introduces it; the layout of each
 * kind's record is versioned apart, by vigil_event_header.version.
 */
#ifndef VIGIL_EVENT_KINDS_H
#define VIGIL_EVENT_KINDS_H

enum vigil_event_kind {
	VIGIL_KIND_NONE = 0,
	VIGIL_KIND_PROCESS_EXEC = 1,
	VIGIL_KIND_PROCESS_FORK = 2,
	VIGIL_KIND_PROCESS_EXIT = 3,
	VIGIL_KIND_CGROUP_CREATED = 4,
	VIGIL_KIND_CGROUP_REMOVED = 5,
	/*
	 * A Kubernetes API server audit event (ABI 1.4). Never written by a BPF
	 * program: the sensor receives it (webhook, log file) in user space and
	 * hands it to subscribers with a header of zeros but for size, kind and
	 * timestamp_ns (when the sensor dispatched it), and the event itself in
	 * vigil_event.audit (see plugin_abi.h).
	 */
	VIGIL_KIND_AUDIT_EVENT = 6,
	/*
	 * An alert another detector raised (ABI 1.5), for detectors that join
	 * findings. Never written by a BPF program: the sensor hands each alert it
	 * admitted (enriched, not a repeat the dedup window held back) to the
	 * subscribers other than its raiser, after the drain pass that raised it,
	 * with a header of zeros but for size, kind and timestamp_ns, and the
	 * alert in vigil_event.alert (see plugin_abi.h). Alerts raised while
	 * handling one are not handed on again, so detectors cannot loop.
	 */
	VIGIL_KIND_ALERT_RAISED = 7,
	VIGIL_KIND_PLUGIN_BASE = 128,
	VIGIL_KIND_LIMIT = 256,
};

#endif /* VIGIL_EVENT_KINDS_H */
