// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of the canary detector: a file whose name ends with the canary
 * name was deleted, by unlinkat(2) (rm) or unlink(2) (most language runtimes). Only matching deletions reach user space.
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

static __always_inline int check_removal(const char *user_path)
{
	struct canary_removed *event;
	char path[CANARY_NAME_SIZE] = {};
	long length;

	if (vigil_is_sensor())
		return 0;
	length = bpf_probe_read_user_str(path, sizeof(path), user_path);
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

SEC("tp/syscalls/sys_enter_unlinkat")
int canary_unlinkat(struct trace_event_raw_sys_enter *ctx)
{
	return check_removal((const char *)ctx->args[1]);
}

/* unlink(2) exists on x86-64 but not on arm64: the plugin marks this program optional. */
SEC("tp/syscalls/sys_enter_unlink")
int canary_unlink(struct trace_event_raw_sys_enter *ctx)
{
	return check_removal((const char *)ctx->args[0]);
}
