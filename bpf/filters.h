/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * In-kernel filters shared by every program. The sensor sets these constants
 * before load, so the verifier sees them as constants and prunes dead branches.
 */
#ifndef VIGIL_BPF_FILTERS_H
#define VIGIL_BPF_FILTERS_H

#include <bpf/bpf_helpers.h>
#include "task.h"

/* The sensor's own process: its activity is never an event. */
const volatile __u32 vigil_sensor_tgid = 0;
/* The host's mount and pid namespaces (pid 1's where readable, else the sensor's). */
const volatile __u32 vigil_host_mnt_ns = 0;
const volatile __u32 vigil_host_pid_ns = 0;

static __always_inline bool vigil_is_sensor(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == vigil_sensor_tgid;
}

/*
 * A cheap superset of "runs in a container": outside the host's mount or pid
 * namespace. User space makes the exact call from the cgroup; this only keeps
 * host noise out of the ring for container-only rules. Where the host
 * namespaces are unknown (0), everything is a candidate.
 *
 * Every syscall program of every plugin starts here, for every process on
 * the node, so it is written for speed: through the BTF task pointer
 * (kernel 5.11 and later) the namespace fields are plain loads, where
 * BPF_CORE_READ costs one helper call per pointer followed.
 */
static __always_inline bool vigil_btf_task_maybe_in_container(struct task_struct *task)
{
	struct pid *pid;

	if (task->nsproxy->mnt_ns->ns.inum != vigil_host_mnt_ns)
		return true;
	pid = task->thread_pid;
	/* A pid of the root namespace (every host process) needs no variable index. */
	if (pid->level == 0)
		return pid->numbers[0].ns->ns.inum != vigil_host_pid_ns;
	return vigil_pid_ns_of(pid) != vigil_host_pid_ns;
}

static __always_inline bool vigil_maybe_in_container(void)
{
	if (vigil_host_mnt_ns == 0)
		return true;
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf))
		return vigil_btf_task_maybe_in_container(bpf_get_current_task_btf());
	struct task_struct *task = vigil_current_task();

	return vigil_task_mnt_ns(task) != vigil_host_mnt_ns || vigil_task_pid_ns(task) != vigil_host_pid_ns;
}

/*
 * vigil_maybe_in_container() and vigil_is_sensor() from one look at the
 * current task. For the core's dispatcher, on every hot syscall of the node:
 * a helper call costs about 50 ns on a kernel with return-thunk mitigations,
 * and the BTF task pointer answers both.
 */
static __always_inline void vigil_classify_current(bool *in_container, bool *is_sensor)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf)) {
		struct task_struct *task = bpf_get_current_task_btf();

		*is_sensor = (__u32)task->tgid == vigil_sensor_tgid;
		*in_container = vigil_host_mnt_ns == 0 || vigil_btf_task_maybe_in_container(task);
		return;
	}
	*is_sensor = vigil_is_sensor();
	*in_container = vigil_maybe_in_container();
}

#endif /* VIGIL_BPF_FILTERS_H */
