// SPDX-License-Identifier: GPL-2.0
/*
 * The lateral_movement plugin's kernel side: the programs and the hooks they
 * sit on. What each job does lives in the lateral_*.bpf.h it includes,
 * written once and shared by a job's preferred program and its fallback:
 *
 *  group "syscalls": stages of the core's dispatcher (preference 0), which
 *    owns the one program on each hot syscall tracepoint and runs the chain
 *    of every plugin's stages behind it: open_enter (open, openat, openat2)
 *    and connect_enter. This object attaches nothing to a tracepoint, so a
 *    node pays the tracepoints' per-program cost once for all detectors, and
 *    the path and the address are read from user memory once per call.
 *    Where the dispatcher cannot attach (no tracefs, syscall tracepoints
 *    compiled out), raw_tp/sys_enter, which sees every syscall, dispatches
 *    on its number and builds the same struct vigil_call for the same
 *    bodies (preference 1).
 */
#include "lateral_common.bpf.h"
#include <bpf/bpf_tracing.h>
#include <vigil/bpf/syscalls.h>
#include "lateral_open.bpf.h"
#include "lateral_connect.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* ---- group "syscalls", preference 0: stages of the core's dispatcher ------ */

VIGIL_STAGE(open_enter, lateral_open_enter, call)
{
	check_open(call);
}

VIGIL_STAGE(connect_enter, lateral_connect_enter, call)
{
	check_connect(call);
}

/* ---- group "syscalls", preference 1: raw_tp, every syscall --------------- */

SEC("raw_tp/sys_enter")
int sys_enter_raw(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = (long)ctx->args[1];
	struct vigil_call *call;

	switch (nr) {
#if defined(__TARGET_ARCH_x86)
	/* open(2) exists on x86-64 only; arm64 has openat alone. */
	case VIGIL_NR_open:
		if (!watch_token_opens)
			return 0;
		call = vigil_begin_call(VIGIL_HOOK_OPEN_ENTER, VIGIL_CALL_OPEN);
		if (call) {
			vigil_call_open(call, VIGIL_AT_FDCWD, vigil_raw_syscall_arg(regs, 0), vigil_raw_syscall_arg(regs, 1));
			lateral_open_enter_body(call);
		}
		return 0;
#endif
	case VIGIL_NR_openat:
		if (!watch_token_opens)
			return 0;
		call = vigil_begin_call(VIGIL_HOOK_OPEN_ENTER, VIGIL_CALL_OPENAT);
		if (call) {
			vigil_call_open(call, (int)vigil_raw_syscall_arg(regs, 0), vigil_raw_syscall_arg(regs, 1),
					vigil_raw_syscall_arg(regs, 2));
			lateral_open_enter_body(call);
		}
		return 0;
	case VIGIL_NR_openat2:
		if (!watch_token_opens)
			return 0;
		call = vigil_begin_call(VIGIL_HOOK_OPEN_ENTER, VIGIL_CALL_OPENAT2);
		if (call && vigil_call_openat2(call, (int)vigil_raw_syscall_arg(regs, 0), vigil_raw_syscall_arg(regs, 1),
					       vigil_raw_syscall_arg(regs, 2)))
			lateral_open_enter_body(call);
		return 0;
	case VIGIL_NR_connect:
		if (watched_endpoint_count == 0)
			return 0;
		call = vigil_begin_call(VIGIL_HOOK_CONNECT_ENTER, VIGIL_CALL_CONNECT);
		if (call) {
			vigil_call_connect(call, (int)vigil_raw_syscall_arg(regs, 0), vigil_raw_syscall_arg(regs, 1),
					   vigil_raw_syscall_arg(regs, 2));
			lateral_connect_enter_body(call);
		}
		return 0;
	default:
		return 0;
	}
}
