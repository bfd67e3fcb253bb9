/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/* The one record the canary detector's BPF program sends. */
#ifndef CANARY_EVENTS_H
#define CANARY_EVENTS_H

#include <vigil/bpf/event.h>

#define CANARY_KIND_REMOVED (VIGIL_KIND_PLUGIN_BASE + 0)
#define CANARY_NAME_SIZE 256

struct canary_removed {
	struct vigil_event_header header;
	char name[CANARY_NAME_SIZE]; /* the path as passed to unlink() or unlinkat(), truncated */
};

#endif
