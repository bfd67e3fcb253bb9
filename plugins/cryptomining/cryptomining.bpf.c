// SPDX-License-Identifier: GPL-2.0
/*
 * The cryptomining plugin's kernel side: the programs and the hooks they sit
 * on. What each does lives in cryptomining_network.bpf.h, written once and
 * shared by the preferred programs and their fallback:
 *
 *  group "syscalls", preference 0: stages of the core's dispatcher, which
 *    owns the one program on each hot tracepoint and runs every plugin's
 *    stage behind it: connect_enter, with the address read once for all of
 *    them, and dns_send, which runs only for sendto, sendmsg and sendmmsg to
 *    port 53 (the message's address, or the socket's remembered connect).
 *    Where those cannot attach (no tracefs, syscall tracepoints compiled
 *    out), raw_tp/sys_enter, which sees every syscall, dispatches on its
 *    number and runs the same bodies (preference 1), remembering :53 sockets
 *    in its own dns_sockets map.
 *
 * Miner execs and CPU use need no program of their own: the core's exec
 * events and the cgroups' CPU statistics carry them.
 */
#include "cryptomining_common.bpf.h"
#include <bpf/bpf_tracing.h>
#include <vigil/bpf/syscalls.h>
#include "cryptomining_network.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * write(2) is deliberately not hooked, although a query written to a socket
 * connected to port 53 (busybox's nslookup, Go's own resolver) is then not
 * seen: every write of every process on the node would pay for it (about
 * 50 ns on a 125 ns write here), to catch what the pool connect and the
 * miner's arguments catch as well.
 */

/* ---- group "syscalls", preference 0: dispatcher stages ------------------- */

VIGIL_STAGE(connect_enter, cryptomining_connect_enter, call)
{
	check_connect(call);
}

/* The dispatcher's call numbers its syscalls; the records keep their own. */
static __always_inline __u16 dns_syscall(__u16 call_syscall)
{
	if (call_syscall == VIGIL_CALL_SENDMSG)
		return CRYPTOMINING_SYSCALL_SENDMSG;
	if (call_syscall == VIGIL_CALL_SENDMMSG)
		return CRYPTOMINING_SYSCALL_SENDMMSG;
	return CRYPTOMINING_SYSCALL_SENDTO;
}

VIGIL_STAGE(dns_send, cryptomining_dns_send, call)
{
	if (!watch_dns)
		return;
	send_dns(dns_syscall(call->syscall), call->fd, (const void *)call->user_buffer, call->buffer_length,
		 &call->endpoint, (call->flags & VIGIL_CALL_REMEMBERED) != 0);
}

/* ---- group "syscalls", preference 1: raw_tp, every syscall --------------- */

SEC("raw_tp/sys_enter")
int sys_enter_raw(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	long nr = (long)ctx->args[1];
	struct vigil_call *call;

	switch (nr) {
	case VIGIL_NR_connect:
		call = vigil_begin_call(VIGIL_HOOK_CONNECT_ENTER, VIGIL_CALL_CONNECT);
		if (call) {
			vigil_call_connect(call, (int)vigil_raw_syscall_arg(regs, 0), vigil_raw_syscall_arg(regs, 1),
					   vigil_raw_syscall_arg(regs, 2));
			cryptomining_connect_enter_body(call);
		}
		return 0;
	case VIGIL_NR_sendto:
		return on_sendto((long)vigil_raw_syscall_arg(regs, 0), (const void *)vigil_raw_syscall_arg(regs, 1),
				 vigil_raw_syscall_arg(regs, 2), (const void *)vigil_raw_syscall_arg(regs, 4),
				 vigil_raw_syscall_arg(regs, 5));
	case VIGIL_NR_sendmsg:
		return on_sendmsg(CRYPTOMINING_SYSCALL_SENDMSG, (long)vigil_raw_syscall_arg(regs, 0),
				  (const void *)vigil_raw_syscall_arg(regs, 1));
	case VIGIL_NR_sendmmsg:
		if (vigil_raw_syscall_arg(regs, 2) == 0)
			return 0;
		return on_sendmsg(CRYPTOMINING_SYSCALL_SENDMMSG, (long)vigil_raw_syscall_arg(regs, 0),
				  (const void *)vigil_raw_syscall_arg(regs, 1));
	default:
		return 0;
	}
}
