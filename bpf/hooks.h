/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * The hot syscall hooks the core dispatches, and the layout of their stage
 * chains. Compiled by BPF C (dispatch.h) and by the sensor's C++ alike, so the
 * two sides agree on every number here.
 *
 * A hook is one event several detectors care about, whichever syscall of a
 * family raised it: "open_enter" is the entry of open(2), openat(2) and
 * openat2(2). A stage is one plugin's program for one hook, in section
 * "tp/vigil/<hook name>" (see VIGIL_STAGE in dispatch.h).
 */
#ifndef VIGIL_BPF_HOOKS_H
#define VIGIL_BPF_HOOKS_H

#ifndef VIGIL_VMLINUX_H
#include <linux/types.h>
#endif

enum vigil_hook {
	VIGIL_HOOK_OPEN_ENTER = 0,    /* "open_enter": open, openat, openat2 entries */
	VIGIL_HOOK_OPEN_EXIT = 1,     /* "open_exit": their exits */
	VIGIL_HOOK_CONNECT_ENTER = 2, /* "connect_enter": connect entry */
	VIGIL_HOOK_EXECVE_ENTER = 3,  /* "execve_enter": execve, execveat entries */
	VIGIL_HOOK_EXECVE_EXIT = 4,   /* "execve_exit": their exits */
	/*
	 * "dns_send": sendto, sendmsg, sendmmsg entries to port 53: the message's
	 * own address, or for none, the socket's when it was connected to port 53
	 * (remembered by the dispatcher's connect program while a dns_send chain
	 * exists). Every other send ends in the dispatcher.
	 */
	VIGIL_HOOK_DNS_SEND = 5,
	VIGIL_HOOK_COUNT = 6,
};

/* Which tasks a chain runs for: every stage serves containers, some serve host tasks too. */
enum vigil_hook_scope {
	VIGIL_SCOPE_CONTAINER = 0,
	VIGIL_SCOPE_HOST = 1,
	VIGIL_SCOPE_COUNT = 2,
};

/* Stages per chain; a tail-call chain may be at most 33 programs long, the dispatcher included. */
#define VIGIL_MAX_STAGES 16
/* The vigil_stages index of a chain's position @position. */
#define VIGIL_STAGE_SLOT(hook, scope, position)                                                                        \
	(((hook) * VIGIL_SCOPE_COUNT + (scope)) * VIGIL_MAX_STAGES + (position))
#define VIGIL_STAGE_SLOTS (VIGIL_HOOK_COUNT * VIGIL_SCOPE_COUNT * VIGIL_MAX_STAGES)
/*
 * In a vigil_chain_lengths entry, beside the length: the chain is being
 * rewritten (a stage left, and the later ones moved up), so the filters'
 * positions may not match it yet. The dispatcher then runs every stage.
 */
#define VIGIL_CHAIN_UNSETTLED 0x80000000u
#define VIGIL_CHAIN_LENGTH_MASK 0xFFFFu

/*
 * Which stages of a chain want a call: a bit per position (1 << position), 16
 * bits per scope. The filters below hold such masks, so that a call runs only
 * the stages that asked for it, not the whole chain once one of them did.
 */
#define VIGIL_STAGE_BITS(scope, positions) ((__u32)(positions) << (16 * (scope)))
#define VIGIL_STAGES_OF(scope, entry) ((__u16)((entry) >> (16 * (scope))))

/*
 * The connect filter: which connects some stage of a chain wants. A
 * connect_enter stage's object lists destination ports, and addresses it
 * wants on any port, in vigil_connect_ports and vigil_connect_addresses
 * (dispatch.h); the sensor folds the lists of each chain into the core's
 * maps, as the positions of the stages that want each (VIGIL_STAGE_BITS):
 *  - vigil_connect_filter, an array: an entry per port; one for the stages
 *    that want every connect (non-IP ones included); then one per address
 *    hint (vigil_connect_address_hint), set where some listed address folds
 *    to it, so that most addresses are ruled out by a load
 *  - vigil_connect_address_filter, a hash by struct vigil_connect_address,
 *    looked up only when the hint names a stage not yet wanted.
 * A connect no stage wants ends in the dispatcher, without a tail call; one
 * some stages want runs those stages only.
 */
#define VIGIL_MAX_CONNECT_PORTS 32
#define VIGIL_MAX_CONNECT_ADDRESSES 16
#define VIGIL_CONNECT_EVERY_PORT 0xFFFFFFFFu /* vigil_connect_port_count: every connect */
#define VIGIL_CONNECT_FILTER_EVERY 65536u    /* vigil_connect_filter: stages that want every connect */
#define VIGIL_CONNECT_FILTER_HINTS 65537u    /* vigil_connect_filter: the first address hint */
#define VIGIL_CONNECT_FILTER_SIZE (65537u + 65536u)
#define VIGIL_CONNECT_ADDRESS_FILTER_SIZE 256u

/* The 16-bit words of a 16-byte address, XORed: an address's place among the filter's hints. */
static inline __u16 vigil_connect_address_hint(const __u8 *address)
{
	__u16 hint = 0;

	for (int i = 0; i < 16; i += 2)
		hint ^= (__u16)(address[i] | (address[i + 1] << 8));
	return hint;
}

/* An IP address a connect_enter stage wants on any port: the layout of struct vigil_endpoint without the port. */
struct vigil_connect_address {
	__u16 family;     /* 2 (AF_INET) or 10 (AF_INET6) */
	__u16 reserved;   /* 0 */
	__u8 address[16]; /* network byte order; IPv4 in the first 4 bytes, the rest 0 */
};

/*
 * The open filter: which opens some stage of an open_enter chain wants. A
 * stage's object says (dispatch.h): opens with any of some flags
 * (vigil_open_flags, e.g. write access), opens whose path starts with one of
 * a few heads ("/proc/", "/var/": at most 8 bytes, compared against the
 * path's first 8), and, with vigil_open_odd_paths, paths that do not start
 * with "/" and a name (relative ones, "//", "/."), which no head can rule
 * out. The sensor folds every chain's wishes into the dispatcher's one
 * struct vigil_open_filter, by scope and chain position; an open no stage
 * wants ends in the dispatcher, at the flags before any read, or at the
 * path's first 8 bytes, and one that some stages want runs those only.
 */
#define VIGIL_MAX_OPEN_HEADS 8     /* per object */
#define VIGIL_OPEN_HEAD_SIZE 8     /* bytes compared: struct vigil_call.head */
#define VIGIL_OPEN_FILTER_HEADS 32 /* in the dispatcher's table, every chain together */

struct vigil_open_head {
	__u64 value;                       /* the head's bytes, as the path's first 8 bytes load on this machine */
	__u64 mask;                        /* which of those bytes count */
	__u16 stages[VIGIL_SCOPE_COUNT];   /* by scope: the positions of the stages that want it */
	__u8 reserved[4];
};

struct vigil_open_filter {
	__u64 flags[VIGIL_SCOPE_COUNT][VIGIL_MAX_STAGES]; /* by scope and position: opens with any of these flags */
	__u16 every[VIGIL_SCOPE_COUNT];     /* by scope: the positions that want every open */
	__u16 odd_paths[VIGIL_SCOPE_COUNT]; /* by scope: the positions that want odd paths */
	__u8 head_scopes;                   /* scopes with some head (1 << scope): the others need not read the path */
	__u8 head_count;
	__u8 reserved[6];
	struct vigil_open_head heads[VIGIL_OPEN_FILTER_HEADS];
};

/* The syscall behind a call (struct vigil_call.syscall). */
enum vigil_call_syscall {
	VIGIL_CALL_OPEN = 1,
	VIGIL_CALL_OPENAT = 2,
	VIGIL_CALL_OPENAT2 = 3,
	VIGIL_CALL_CONNECT = 4,
	VIGIL_CALL_EXECVE = 5,
	VIGIL_CALL_EXECVEAT = 6,
	VIGIL_CALL_SENDTO = 7,
	VIGIL_CALL_SENDMSG = 8,
	VIGIL_CALL_SENDMMSG = 9, /* its first message */
};

/* DNS's port: the dns_send hook's destination. */
#define VIGIL_DNS_PORT 53

#endif /* VIGIL_BPF_HOOKS_H */
