// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side of the canary detector: a file whose name ends with the canary
 * name was opened for reading, or deleted. Only matching calls reach user
 * space.
 *
 * Opens are hot: the core's dispatcher owns the one program on each open
 * tracepoint and runs the stages plugins subscribe with VIGIL_STAGE, so this
 * object attaches nothing there (canary_open_enter is a stage of the
 * open_enter hook: open, openat, openat2). It reads the path through
 * vigil_call_path(), once per call for every plugin that asks. Deletions are
 * cold syscalls no core hook covers: unlinkat(2) (rm) and unlink(2) (most
 * language runtimes) keep programs of their own.
 */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <vigil/bpf/dispatch.h>
#include <vigil/bpf/filters.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/task.h>
#include "canary_events.h"

char LICENSE[] SEC("license") = "GPL";

VIGIL_RING_BUFFER(canary_events, 64 * 1024);

/* Set by the plugin from its `canary_name` option before load. */
const volatile char canary_name[16] = "vigil-canary";
const volatile __u32 canary_name_length = 12;

/* The same on x86-64 and arm64. */
#define CANARY_O_ACCMODE 03
#define CANARY_O_WRONLY 01
#define CANARY_O_PATH 010000000

/* True when the NUL-terminated @path, whose strlen+1 is @length, ends with the canary name. */
static __always_inline bool names_the_canary(const char *path, long length)
{
	if (length <= canary_name_length)
		return false;
	for (__u32 i = 0; i < 16; i++) {
		long position = length - 1 - canary_name_length + i;
		if (i >= canary_name_length)
			break;
		if (position < 0 || position >= CANARY_NAME_SIZE)
			return false;
		/* Masked as well: the verifier must see the bound on the index itself. */
		if (path[position & (CANARY_NAME_SIZE - 1)] != canary_name[i])
			return false;
	}
	return true;
}

/* ---- opens: a stage of the core's dispatcher ------------------------------ */

/* Runs for every task: the plugin sets vigil_watch_host, and the dispatcher has already dropped the sensor. */
VIGIL_STAGE(open_enter, canary_open_enter, call)
{
	struct canary_read *event;
	long length;

	/* Writing the canary is not reading it, and an O_PATH descriptor reads nothing. */
	if ((call->open_flags & CANARY_O_ACCMODE) == CANARY_O_WRONLY || (call->open_flags & CANARY_O_PATH) != 0)
		return;
	length = vigil_call_path(call);
	if (!names_the_canary(call->path, length))
		return;
	event = vigil_reserve(canary_events, sizeof(*event), CANARY_KIND_READ);
	if (!event)
		return;
	vigil_fill_header(&event->header, sizeof(*event), CANARY_KIND_READ, 1);
	event->open_flags = (__u32)call->open_flags;
	event->reserved = 0;
	__builtin_memcpy(event->name, call->path, sizeof(event->name)); /* zeroed after the NUL */
	vigil_submit_urgent(canary_events, event);
}

/* ---- deletions: programs of its own --------------------------------------- */

static __always_inline int check_removal(const char *user_path)
{
	struct canary_removed *event;
	char path[CANARY_NAME_SIZE] = {};
	long length;

	if (vigil_is_sensor())
		return 0;
	length = bpf_probe_read_user_str(path, sizeof(path), user_path);
	if (!names_the_canary(path, length))
		return 0;
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
