/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/* The records the canary detector's BPF programs send. */
#ifndef CANARY_EVENTS_H
#define CANARY_EVENTS_H

#include <vigil/bpf/event.h>

#define CANARY_KIND_REMOVED (VIGIL_KIND_PLUGIN_BASE + 0)
#define CANARY_KIND_READ (VIGIL_KIND_PLUGIN_BASE + 1)
#define CANARY_NAME_SIZE 256

struct canary_removed {
	struct vigil_event_header header;
	char name[CANARY_NAME_SIZE]; /* the path as passed to unlink() or unlinkat(), truncated */
};

/* The canary opened for reading (O_RDONLY or O_RDWR), at the open's entry. */
struct canary_read {
	struct vigil_event_header header;
	__u32 open_flags;            /* the O_* flags as passed */
	__u32 reserved;
	char name[CANARY_NAME_SIZE]; /* the path as passed to open(), openat() or openat2(), truncated */
};

#endif
