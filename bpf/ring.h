/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * Ring buffers the sensor drains, with drop accounting and batched wakeups.
 *
 * Declare a ring with VIGIL_RING_BUFFER(name, bytes) and list its name in the
 * plugin descriptor. The macro also declares "<name>__drops", a per-CPU array
 * indexed by event kind that counts records the ring had no room for; the
 * sensor sums it per ring and per kind and reports it.
 *
 * Submitting wakes the sensor only when the ring is filling up (a quarter of
 * it by default) or when the caller asks for it: everything else is picked up
 * by the sensor's periodic drain, in batches, which is what keeps the cost of a
 * delivered event near the floor of a bare ring-buffer write.
 */
#ifndef VIGIL_BPF_RING_H
#define VIGIL_BPF_RING_H

#include <bpf/bpf_helpers.h>
#include "event.h"

#define VIGIL_RING_BUFFER(name, bytes)                                                                                 \
	struct {                                                                                                       \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                                                                    \
		__uint(max_entries, bytes);                                                                            \
	} name SEC(".maps");                                                                                           \
	struct {                                                                                                       \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                                               \
		__uint(max_entries, VIGIL_KIND_LIMIT);                                                                 \
		__type(key, __u32);                                                                                    \
		__type(value, __u64);                                                                                  \
	} name##__drops SEC(".maps")

/* Set by the sensor before load: wake it once this many bytes wait in a ring. */
const volatile __u64 vigil_wakeup_bytes = 64 * 1024;

/* Reserves a record of @size bytes for @kind in @ring, or counts a drop and returns NULL. */
#define vigil_reserve(ring, size, kind)                                                                              \
	({                                                                                                             \
		void *record__ = bpf_ringbuf_reserve(&(ring), (size), 0);                                              \
		if (!record__) {                                                                                       \
			__u32 kind__ = (kind) & (VIGIL_KIND_LIMIT - 1);                                                \
			__u64 *drops__ = bpf_map_lookup_elem(&ring##__drops, &kind__);                                 \
			if (drops__)                                                                                   \
				*drops__ += 1;                                                                         \
		}                                                                                                      \
		record__;                                                                                              \
	})

/* Submits a reserved record; the sensor is woken only if the ring is filling up. */
#define vigil_submit(ring, record)                                                                                   \
	bpf_ringbuf_submit((record), bpf_ringbuf_query(&(ring), BPF_RB_AVAIL_DATA) >= vigil_wakeup_bytes               \
					     ? BPF_RB_FORCE_WAKEUP                                             \
					     : BPF_RB_NO_WAKEUP)

/* Submits and wakes the sensor now: for rare, high-signal records that should alert at once. */
#define vigil_submit_urgent(ring, record) bpf_ringbuf_submit((record), 0)

#endif /* VIGIL_BPF_RING_H */
