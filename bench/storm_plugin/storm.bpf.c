// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark probe: every getppid() of the processes in one cgroup sends one
 * header-only record, so a loop of getppid() becomes a measured storm of
 * records through the ring buffer, the drain loop and dispatch.
 */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <vigil/bpf/event.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/task.h>

char LICENSE[] SEC("license") = "GPL";

#define STORM_KIND (VIGIL_KIND_PLUGIN_BASE + 0)

VIGIL_RING_BUFFER(storm_events, 8 * 1024 * 1024);

/* The cgroup whose processes make the storm; set from the plugin's option. */
const volatile __u64 storm_cgroup_id = 0;

SEC("tp/syscalls/sys_enter_getppid")
int storm_getppid(void *ctx)
{
	struct vigil_event_header *header;

	if (bpf_get_current_cgroup_id() != storm_cgroup_id)
		return 0;
	header = vigil_reserve(storm_events, sizeof(*header), STORM_KIND);
	if (!header)
		return 0;
	vigil_fill_header(header, sizeof(*header), STORM_KIND, 1);
	vigil_submit(storm_events, header);
	return 0;
}
