// SPDX-License-Identifier: GPL-2.0
/*
 * The core's dispatcher for the hot syscalls: one program per tracepoint,
 * whatever the number of detectors that care (bpf/dispatch.h explains the
 * design, hook_dispatch.cpp the user-space side).
 *
 * Each program does the common work once and cheaply: the task's scope (may
 * be in a container, or host) picks a chain; an empty chain, or the sensor's
 * own call, leaves before anything is copied. Otherwise the
 * arguments go into the per-CPU struct vigil_call and the chain's first stage
 * is tail-called; each stage tail-calls the next. Nothing here reads user
 * memory except openat2's flags: the path and the address are read by the
 * first stage that needs them, once.
 *
 * The sensor attaches a hook's programs only once a stage subscribes to it,
 * so a node without opens-watching detectors carries no program on open.
 */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <vigil/bpf/dispatch.h>

char LICENSE[] SEC("license") = "GPL";

/* Stages in each (hook, scope) chain, kept by the sensor: an empty chain costs no copy. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VIGIL_HOOK_COUNT * VIGIL_SCOPE_COUNT);
	__type(key, __u32);
	__type(value, __u32);
} vigil_chain_lengths SEC(".maps");

/* Which stages want each destination port of a connect, and more (bpf/hooks.h); kept by the sensor. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VIGIL_CONNECT_FILTER_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} vigil_connect_filter SEC(".maps");

/* Which stages want each destination address on any port; kept by the sensor. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VIGIL_CONNECT_ADDRESS_FILTER_SIZE);
	__type(key, struct vigil_connect_address);
	__type(value, __u32);
} vigil_connect_address_filter SEC(".maps");

static __always_inline __u16 connect_filter_entry(__u32 entry, __u32 scope)
{
	__u32 *stages = bpf_map_lookup_elem(&vigil_connect_filter, &entry);

	return stages ? VIGIL_STAGES_OF(scope, *stages) : 0;
}

/* The scope of the calling task's chains. */
static __always_inline __u32 scope_of(bool in_container)
{
	return in_container ? VIGIL_SCOPE_CONTAINER : VIGIL_SCOPE_HOST;
}

/* A chain's length and whether it is being rewritten, from its vigil_chain_lengths entry. */
static __always_inline __u32 chain_entry(__u32 hook, bool in_container)
{
	__u32 chain = hook * VIGIL_SCOPE_COUNT + scope_of(in_container);
	__u32 *entry = bpf_map_lookup_elem(&vigil_chain_lengths, &chain);

	return entry ? *entry : 0;
}

/* The positions of a chain of @length stages: 1 << length, less one. */
static __always_inline __u16 every_position(__u32 length)
{
	return (__u16)((1u << (length & VIGIL_CHAIN_LENGTH_MASK)) - 1);
}

/*
 * The call to fill for @hook, or NULL when no stage wants this task. The
 * cheapest test that can end it comes first: most calls of a node are host
 * tasks' on a hook whose host chain is empty (the exits of opens, say).
 * @chain gets the chain's vigil_chain_lengths entry.
 */
static __always_inline struct vigil_call *begin_chain(__u32 hook, __u16 syscall, __u32 *chain)
{
	struct vigil_call *call;
	bool in_container;
	bool is_sensor;

	vigil_classify_current(&in_container, &is_sensor);
	*chain = chain_entry(hook, in_container);
	if ((*chain & VIGIL_CHAIN_LENGTH_MASK) == 0 || is_sensor)
		return NULL;
	call = vigil_reset_call(hook, syscall, in_container);
	if (call)
		call->next_stage = (hook * VIGIL_SCOPE_COUNT + scope_of(in_container)) * VIGIL_MAX_STAGES;
	return call;
}

/* begin_chain() for a hook whose every stage runs for every call. */
static __always_inline struct vigil_call *begin(__u32 hook, __u16 syscall)
{
	__u32 chain;

	return begin_chain(hook, syscall, &chain);
}

/* Runs the chain's stages in @wanted (not 0), from the first of them; the rest are passed over. */
static __always_inline int run_wanted(void *ctx, struct vigil_call *call, __u32 chain, __u16 wanted)
{
	if (chain & VIGIL_CHAIN_UNSETTLED)
		wanted = every_position(chain); /* the filter's positions may be the old chain's */
	call->unwanted = (__u16)~wanted;
	call->next_stage += vigil_lowest_bit(wanted);
	bpf_tail_call(ctx, &vigil_stages, call->next_stage);
	return 0;
}

/* Runs every stage of the chain. */
static __always_inline int run(void *ctx, struct vigil_call *call)
{
	bpf_tail_call(ctx, &vigil_stages, call->next_stage);
	return 0;
}

#define ARG(ctx, index) ((ctx)->args[index])

/* ---- open_enter ------------------------------------------------------------ */

/* What the open_enter chains want (bpf/hooks.h), kept by the sensor: one entry. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vigil_open_filter);
} vigil_open_filter SEC(".maps");

/* 1 when @bits has a bit set, else 0, computed without a branch. */
static __always_inline __u64 any_bit(__u64 bits)
{
	return (bits | -bits) >> 63;
}

/*
 * The positions of the stages that want this open, of a chain of @length.
 * Nearly every open of a node is a read of an ordinary path no detector
 * looks at: it ends here at its flags, or at the path's first 8 bytes (the
 * path read once for every stage), instead of paying a tail call per
 * stage; and one that a single stage wants (a read under /etc/, say) runs
 * that stage only.
 */
static __always_inline __u16 open_wanted(struct vigil_call *call, __u32 length)
{
	__u32 scope = scope_of(call->flags & VIGIL_CALL_IN_CONTAINER);
	__u16 every = every_position(length);
	struct vigil_open_filter *filter;
	const char *head;
	__u32 zero = 0;
	__u16 wanted;
	__u64 first;

	filter = bpf_map_lookup_elem(&vigil_open_filter, &zero);
	if (!filter)
		return 0;
	wanted = filter->every[scope];
	/*
	 * Without branches on what matched: the verifier would otherwise follow
	 * every combination of the positions' outcomes, 2^16 paths.
	 */
	for (__u32 i = 0; i < VIGIL_MAX_STAGES; i++) {
		if (i >= length)
			break;
		wanted |= (__u16)(any_bit(call->open_flags & filter->flags[scope][i]) << i);
	}
	if ((wanted & every) == every || !((filter->head_scopes & (1u << scope)) || filter->odd_paths[scope]))
		return wanted; /* a host read, say: no stage of this scope looks at paths */
	/* Tested, then taken from the call: clang may otherwise mask the pointer, which the verifier refuses. */
	if (!vigil_call_head(call))
		return wanted;
	head = call->head;
	if (head[0] != '/' || head[1] == '/' || head[1] == '.')
		wanted |= filter->odd_paths[scope];
	__builtin_memcpy(&first, head, sizeof(first));
	for (__u32 i = 0; i < VIGIL_OPEN_FILTER_HEADS; i++) {
		if (i >= filter->head_count)
			break;
		/* All ones when the head matches, else 0; again without a branch. */
		wanted |= filter->heads[i].stages[scope] &
			  (__u16)(any_bit((first & filter->heads[i].mask) ^ filter->heads[i].value) - 1);
	}
	return wanted;
}

/* An open's entry: the call filled, the chain's stages that want it run. */
static __always_inline int dispatch_open(void *ctx, struct vigil_call *call, __u32 chain)
{
	__u16 wanted = open_wanted(call, chain & VIGIL_CHAIN_LENGTH_MASK);

	if (!wanted)
		return 0;
	return run_wanted(ctx, call, chain, wanted);
}

#if defined(__TARGET_ARCH_x86)
/* open(2) exists on x86-64 only; arm64 has openat alone. */
SEC("tp/syscalls/sys_enter_open")
int open_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 chain;
	struct vigil_call *call = begin_chain(VIGIL_HOOK_OPEN_ENTER, VIGIL_CALL_OPEN, &chain);

	if (!call)
		return 0;
	vigil_call_open(call, VIGIL_AT_FDCWD, ARG(ctx, 0), ARG(ctx, 1));
	return dispatch_open(ctx, call, chain);
}
#endif

SEC("tp/syscalls/sys_enter_openat")
int openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 chain;
	struct vigil_call *call = begin_chain(VIGIL_HOOK_OPEN_ENTER, VIGIL_CALL_OPENAT, &chain);

	if (!call)
		return 0;
	vigil_call_open(call, (int)ARG(ctx, 0), ARG(ctx, 1), ARG(ctx, 2));
	return dispatch_open(ctx, call, chain);
}

SEC("tp/syscalls/sys_enter_openat2")
int openat2_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 chain;
	struct vigil_call *call = begin_chain(VIGIL_HOOK_OPEN_ENTER, VIGIL_CALL_OPENAT2, &chain);

	if (!call || !vigil_call_openat2(call, (int)ARG(ctx, 0), ARG(ctx, 1), ARG(ctx, 2)))
		return 0;
	return dispatch_open(ctx, call, chain);
}

/* ---- open_exit -------------------------------------------------------------- */

static __always_inline int open_exit(void *ctx, __u16 syscall, long ret)
{
	struct vigil_call *call = begin(VIGIL_HOOK_OPEN_EXIT, syscall);

	if (!call)
		return 0;
	call->ret = ret;
	return run(ctx, call);
}

#if defined(__TARGET_ARCH_x86)
SEC("tp/syscalls/sys_exit_open")
int open_exit_open(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx, VIGIL_CALL_OPEN, ctx->ret);
}
#endif

SEC("tp/syscalls/sys_exit_openat")
int open_exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx, VIGIL_CALL_OPENAT, ctx->ret);
}

SEC("tp/syscalls/sys_exit_openat2")
int open_exit_openat2(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx, VIGIL_CALL_OPENAT2, ctx->ret);
}

/* ---- connect_enter ---------------------------------------------------------- */

/*
 * The positions of the stages that want this connect, of a chain of
 * @length: those that want every connect, the destination's port, or its
 * address. The address read here is the one every stage then finds in
 * call->endpoint. A tail call costs about as much as the dispatcher itself,
 * and nearly every connect of a node goes where no detector looks, so this is
 * where most of them end. The array lookups compile to loads; the address
 * hash, a helper call, is looked up only when the address's hint names a
 * stage not wanted yet.
 */
static __always_inline __u16 connect_wanted(struct vigil_call *call, __u32 length)
{
	__u32 scope = scope_of(call->flags & VIGIL_CALL_IN_CONTAINER);
	__u16 every = every_position(length);
	struct vigil_connect_address address = {};
	__u16 wanted;
	__u16 hinted;
	__u32 *stages;

	wanted = connect_filter_entry(VIGIL_CONNECT_FILTER_EVERY, scope);
	if ((wanted & every) == every || !vigil_call_endpoint(call))
		return wanted;
	wanted |= connect_filter_entry(call->endpoint.port, scope);
	hinted = connect_filter_entry(VIGIL_CONNECT_FILTER_HINTS + vigil_connect_address_hint(call->endpoint.address),
				      scope);
	if (!(hinted & ~wanted))
		return wanted;
	address.family = call->endpoint.family;
	__builtin_memcpy(address.address, call->endpoint.address, sizeof(address.address));
	stages = bpf_map_lookup_elem(&vigil_connect_address_filter, &address);
	return stages ? wanted | VIGIL_STAGES_OF(scope, *stages) : wanted;
}

/*
 * Sockets connected to port 53, by tgid << 32 | fd, while a dns_send chain
 * exists: a send() on them carries no address. LRU: never full; an entry a
 * closed and reused descriptor left behind costs a dns_send stage one look
 * at a payload that is no DNS query.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct vigil_endpoint);
} vigil_dns_sockets SEC(".maps");

static __always_inline __u64 socket_key(long fd)
{
	return (bpf_get_current_pid_tgid() & 0xFFFFFFFF00000000ull) | (__u32)fd;
}

/* A connect to port 53 is remembered for the socket's sends; any other forgets an earlier one of that fd. */
static __always_inline void remember_dns_socket(struct vigil_call *call)
{
	__u64 key;

	if (!vigil_call_endpoint(call))
		return;
	key = socket_key(call->fd);
	if (call->endpoint.port == VIGIL_DNS_PORT)
		bpf_map_update_elem(&vigil_dns_sockets, &key, &call->endpoint, BPF_ANY);
	else if (bpf_map_lookup_elem(&vigil_dns_sockets, &key))
		/* Looked up first: the kernel inlines a look-up, while a delete takes the bucket's lock. */
		bpf_map_delete_elem(&vigil_dns_sockets, &key);
}

SEC("tp/syscalls/sys_enter_connect")
int connect_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct vigil_call *call;
	bool in_container;
	bool is_sensor;
	__u32 chain;
	__u16 wanted;
	bool dns;

	/* begin_chain(), for two hooks: the connect chain, and the dns_send chain's memory of sockets. */
	vigil_classify_current(&in_container, &is_sensor);
	if (is_sensor)
		return 0;
	chain = chain_entry(VIGIL_HOOK_CONNECT_ENTER, in_container);
	dns = (chain_entry(VIGIL_HOOK_DNS_SEND, in_container) & VIGIL_CHAIN_LENGTH_MASK) != 0;
	if ((chain & VIGIL_CHAIN_LENGTH_MASK) == 0 && !dns)
		return 0;
	call = vigil_reset_call(VIGIL_HOOK_CONNECT_ENTER, VIGIL_CALL_CONNECT, in_container);
	if (!call)
		return 0;
	call->next_stage = (VIGIL_HOOK_CONNECT_ENTER * VIGIL_SCOPE_COUNT + scope_of(in_container)) * VIGIL_MAX_STAGES;
	vigil_call_connect(call, (int)ARG(ctx, 0), ARG(ctx, 1), ARG(ctx, 2));
	if (dns)
		remember_dns_socket(call);
	wanted = connect_wanted(call, chain & VIGIL_CHAIN_LENGTH_MASK);
	if (!wanted)
		return 0;
	return run_wanted(ctx, call, chain, wanted);
}

/* ---- dns_send ------------------------------------------------------------------ */

/*
 * A send whose destination is port 53 runs the dns_send chain: the message's
 * own address when it names one, else the socket's remembered connect. True
 * with call->endpoint filled; everything else ends here, after at most one
 * address read or one map lookup.
 */
static __always_inline bool dns_destination(struct vigil_call *call, long fd, __u64 address, __u64 address_length)
{
	struct vigil_endpoint *remembered;
	__u64 key;

	call->fd = (int)fd;
	if (address) {
		call->user_address = address;
		call->address_length = address_length;
		return vigil_call_endpoint(call) && call->endpoint.port == VIGIL_DNS_PORT;
	}
	key = socket_key(fd);
	remembered = bpf_map_lookup_elem(&vigil_dns_sockets, &key);
	if (!remembered)
		return false;
	__builtin_memcpy(&call->endpoint, remembered, sizeof(call->endpoint));
	call->flags |= VIGIL_CALL_ENDPOINT_READ | VIGIL_CALL_ENDPOINT_VALID | VIGIL_CALL_REMEMBERED;
	return true;
}

SEC("tp/syscalls/sys_enter_sendto")
int sendto_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct vigil_call *call = begin(VIGIL_HOOK_DNS_SEND, VIGIL_CALL_SENDTO);
	long fd = (long)ARG(ctx, 0);

	if (!call || !dns_destination(call, fd, ARG(ctx, 4), ARG(ctx, 5)))
		return 0;
	vigil_call_send(call, (int)fd, ARG(ctx, 1), ARG(ctx, 2));
	return run(ctx, call);
}

/* struct user_msghdr and struct iovec as user space lays them out (64-bit). */
struct vigil_user_msghdr {
	__u64 name;
	__u32 name_length;
	__u32 padding;
	__u64 iov;
	__u64 iov_count;
};
struct vigil_user_iovec {
	__u64 base;
	__u64 length;
};

/*
 * sendmsg() and the first message of sendmmsg() (struct mmsghdr starts with
 * its msghdr): the header is read only when a dns_send chain exists for the
 * task, the first iovec only for a message to port 53.
 */
static __always_inline int dns_sendmsg(void *ctx, __u16 syscall, long fd, __u64 message)
{
	struct vigil_call *call = begin(VIGIL_HOOK_DNS_SEND, syscall);
	struct vigil_user_msghdr header = {};
	struct vigil_user_iovec first = {};

	if (!call || !message || bpf_probe_read_user(&header, sizeof(header), (const void *)message) != 0)
		return 0;
	if (!dns_destination(call, fd, header.name, header.name_length))
		return 0;
	if (header.iov_count > 0)
		bpf_probe_read_user(&first, sizeof(first), (const void *)header.iov);
	vigil_call_send(call, (int)fd, first.base, first.length);
	return run(ctx, call);
}

SEC("tp/syscalls/sys_enter_sendmsg")
int sendmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	return dns_sendmsg(ctx, VIGIL_CALL_SENDMSG, (long)ARG(ctx, 0), ARG(ctx, 1));
}

SEC("tp/syscalls/sys_enter_sendmmsg")
int sendmmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	/* No message (vlen 0): nothing is sent. */
	if (ARG(ctx, 2) == 0)
		return 0;
	return dns_sendmsg(ctx, VIGIL_CALL_SENDMMSG, (long)ARG(ctx, 0), ARG(ctx, 1));
}

/* ---- execve_enter and execve_exit ------------------------------------------ */

SEC("tp/syscalls/sys_enter_execve")
int execve_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct vigil_call *call = begin(VIGIL_HOOK_EXECVE_ENTER, VIGIL_CALL_EXECVE);

	if (!call)
		return 0;
	vigil_call_execve(call, VIGIL_AT_FDCWD, ARG(ctx, 0), ARG(ctx, 1), ARG(ctx, 2), 0);
	return run(ctx, call);
}

SEC("tp/syscalls/sys_enter_execveat")
int execveat_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct vigil_call *call = begin(VIGIL_HOOK_EXECVE_ENTER, VIGIL_CALL_EXECVEAT);

	if (!call)
		return 0;
	vigil_call_execve(call, (int)ARG(ctx, 0), ARG(ctx, 1), ARG(ctx, 2), ARG(ctx, 3), ARG(ctx, 4));
	return run(ctx, call);
}

static __always_inline int execve_exit(void *ctx, __u16 syscall, long ret)
{
	struct vigil_call *call = begin(VIGIL_HOOK_EXECVE_EXIT, syscall);

	if (!call)
		return 0;
	call->ret = ret;
	return run(ctx, call);
}

SEC("tp/syscalls/sys_exit_execve")
int execve_exit_execve(struct trace_event_raw_sys_exit *ctx)
{
	return execve_exit(ctx, VIGIL_CALL_EXECVE, ctx->ret);
}

SEC("tp/syscalls/sys_exit_execveat")
int execve_exit_execveat(struct trace_event_raw_sys_exit *ctx)
{
	return execve_exit(ctx, VIGIL_CALL_EXECVEAT, ctx->ret);
}
