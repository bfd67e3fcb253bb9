// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of the canary detector: a file whose name ends with the canary
 * name was deleted. Only matching deletions reach user space.
 */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <vigil/bpf/filters.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/task.h>
#include "canary_events.h"

char LICENSE[] SEC("license") = "GPL";

VIGIL_RING_BUFFER(canary_events, 64 * 1024);

/* Set by the plugin from its `canary_name` option before load. */
const volatile char canary_name[16] = "vigil-canary";
const volatile __u32 canary_name_length = 12;

SEC("tp/syscalls/sys_enter_unlinkat")
int canary_unlinkat(struct trace_event_raw_sys_enter *ctx)
{
	struct canary_removed *event;
	char path[CANARY_NAME_SIZE] = {};
	long length;

	if (vigil_is_sensor())
		return 0;
	length = bpf_probe_read_user_str(path, sizeof(path), (const char *)ctx->args[1]);
	if (length <= canary_name_length)
		return 0;
	/* Compare the tail of the path with the canary name. */
	for (__u32 i = 0; i < 16; i++) {
		long position = length - 1 - canary_name_length + i;
		if (i >= canary_name_length)
			break;
		if (position < 0 || position >= CANARY_NAME_SIZE || path[position] != canary_name[i])
			return 0;
	}
	event = vigil_reserve(canary_events, sizeof(*event), CANARY_KIND_REMOVED);
	if (!event)
		return 0;
	vigil_fill_header(&event->header, sizeof(*event), CANARY_KIND_REMOVED, 1);
	__builtin_memcpy(event->name, path, sizeof(path));
	vigil_submit_urgent(canary_events, event);
	return 0;
}
