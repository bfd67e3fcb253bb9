/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptrace() and process_vm_writev() into another process.
 *
 * Both are rare, so they are watched at entry and exit: the entry keeps the
 * arguments of a call worth reporting per thread, the exit sends them with the
 * return value, so user space can tell an injection from a refused attempt.
 * The functions here are shared by the tp/syscalls programs and the raw_tp
 * fallback in injection.bpf.c.
 */
#ifndef VIGIL_INJECTION_CALLS_BPF_H
#define VIGIL_INJECTION_CALLS_BPF_H

#include "injection_common.bpf.h"

/* The arguments of a watched call between its entry and its exit. */
struct pending_call {
	__u32 kind;         /* INJECTION_KIND_PTRACE or INJECTION_KIND_VM_WRITEV: the record to send */
	__u32 target;       /* the pid argument, in the caller's pid namespace */
	__s64 request;      /* ptrace: the request */
	__u64 address;      /* ptrace: addr; process_vm_writev: the first remote iovec's base */
	__u64 length;       /* process_vm_writev: the first remote iovec's length */
	__u32 local_count;  /* process_vm_writev: liovcnt */
	__u32 remote_count; /* process_vm_writev: riovcnt */
};

/* Keyed by pid_tgid: a thread is in one syscall at a time. LRU, so a lost exit cannot fill it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct pending_call);
} pending_calls SEC(".maps");

/* struct iovec as user space lays it out. */
struct injection_iovec {
	__u64 base;
	__u64 length;
};

/* The requests that attach to a process or write into it. */
static __always_inline bool ptrace_request_watched(long request)
{
	switch (request) {
	case INJECTION_PTRACE_ATTACH:
	case INJECTION_PTRACE_SEIZE:
	case INJECTION_PTRACE_POKETEXT:
	case INJECTION_PTRACE_POKEDATA:
	case INJECTION_PTRACE_POKEUSER:
	case INJECTION_PTRACE_SETREGS:
	case INJECTION_PTRACE_SETFPREGS:
	case INJECTION_PTRACE_SETREGSET:
		return true;
	default:
		return false;
	}
}

/*
 * A pid argument naming another process. Both sides number it in the caller's
 * pid namespace, so the caller's own ns tgid means itself. (ptrace refuses
 * threads of the caller's own group; they fail and are reported as failed.)
 */
static __always_inline bool targets_other_process(long pid)
{
	if (pid <= 0)
		return false;
	return (__u32)pid != vigil_task_ns_tgid(vigil_current_task());
}

static __always_inline void remember_call(const struct pending_call *call)
{
	__u64 id = bpf_get_current_pid_tgid();

	bpf_map_update_elem(&pending_calls, &id, call, BPF_ANY);
}

/* Drops what an earlier call may have left (its exit lost), so this call's exit cannot report it. */
static __always_inline void forget_call(void)
{
	__u64 id = bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&pending_calls, &id);
}

static __always_inline int on_ptrace_enter(long request, long pid, unsigned long address)
{
	struct pending_call call = {};

	if (!ptrace_request_watched(request) || !targets_other_process(pid) || !injection_watched()) {
		forget_call();
		return 0;
	}
	call.kind = INJECTION_KIND_PTRACE;
	call.target = (__u32)pid;
	call.request = request;
	call.address = address;
	remember_call(&call);
	return 0;
}

static __always_inline int on_vm_writev_enter(long pid, unsigned long local_count, const void *remote_iov,
					      unsigned long remote_count)
{
	struct pending_call call = {};
	struct injection_iovec first = {};

	if (!targets_other_process(pid) || !injection_watched()) {
		forget_call();
		return 0;
	}
	call.kind = INJECTION_KIND_VM_WRITEV;
	call.target = (__u32)pid;
	call.local_count = local_count > 0xFFFFFFFFul ? 0xFFFFFFFFu : (__u32)local_count;
	call.remote_count = remote_count > 0xFFFFFFFFul ? 0xFFFFFFFFu : (__u32)remote_count;
	/* Where it writes, for the evidence; a call whose iovec cannot be read now still counts. */
	if (remote_count > 0 && bpf_probe_read_user(&first, sizeof(first), remote_iov) == 0) {
		call.address = first.base;
		call.length = first.length;
	}
	remember_call(&call);
	return 0;
}

static __always_inline void send_ptrace(const struct pending_call *call, long ret)
{
	struct injection_ptrace *record;

	record = vigil_reserve(injection_events, sizeof(*record), INJECTION_KIND_PTRACE);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), INJECTION_KIND_PTRACE, INJECTION_RECORD_VERSION);
	record->request = call->request;
	record->ret = ret;
	record->address = call->address;
	record->target_ns_pid = call->target;
	record->reserved = 0;
	vigil_submit_urgent(injection_events, record);
}

static __always_inline void send_vm_writev(const struct pending_call *call, long ret)
{
	struct injection_vm_writev *record;

	record = vigil_reserve(injection_events, sizeof(*record), INJECTION_KIND_VM_WRITEV);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), INJECTION_KIND_VM_WRITEV, INJECTION_RECORD_VERSION);
	record->ret = ret;
	record->remote_address = call->address;
	record->remote_length = call->length;
	record->target_ns_pid = call->target;
	record->local_iov_count = call->local_count;
	record->remote_iov_count = call->remote_count;
	record->reserved = 0;
	vigil_submit_urgent(injection_events, record);
}

/* The exit of ptrace (@kind INJECTION_KIND_PTRACE) or process_vm_writev (INJECTION_KIND_VM_WRITEV). */
static __always_inline int on_call_exit(__u32 kind, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pending_call *call;

	call = bpf_map_lookup_elem(&pending_calls, &id);
	if (!call)
		return 0;
	if (call->kind == INJECTION_KIND_PTRACE && kind == INJECTION_KIND_PTRACE)
		send_ptrace(call, ret);
	else if (call->kind == INJECTION_KIND_VM_WRITEV && kind == INJECTION_KIND_VM_WRITEV)
		send_vm_writev(call, ret);
	bpf_map_delete_elem(&pending_calls, &id);
	return 0;
}

#endif /* VIGIL_INJECTION_CALLS_BPF_H */
