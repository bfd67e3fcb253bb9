/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * Subscribing to the hot syscalls through the core's dispatcher.
 *
 * Every program attached to a tracepoint pays the tracepoint's per-program
 * cost for every call on the node before it can filter anything. So the hot
 * syscalls (opens, connect, execve) carry one program each, the core's. It
 * drops the sensor's own calls, decides whether the task may be in a
 * container, copies the arguments into a per-CPU struct vigil_call, and then
 * tail-calls the subscribed plugins' stages one after the other. A plugin
 * keeps its own BPF code, records and ring; what it no longer does is attach
 * to a hot tracepoint itself.
 *
 * A stage:
 *
 *	VIGIL_STAGE(open_enter, my_open_enter, call)
 *	{
 *		if ((call->open_flags & 3) == 0)  // read-only: not ours
 *			return;
 *		if (vigil_call_path(call) <= 0)
 *			return;
 *		...  // call->path holds the path, read once for every stage
 *	}
 *
 * and its program name ("my_open_enter") listed in the plugin descriptor like
 * any other. The sensor puts it in the hook's chain instead of attaching it;
 * where the core's dispatcher cannot attach (no tracefs, syscall tracepoints
 * disabled), the stage counts as not attached and the program's group falls
 * back to its next preference, typically the plugin's own raw_tp/sys_enter
 * program, which can run the same body: vigil_begin_call() and the
 * vigil_call_*() fillers build the same struct vigil_call there, and
 * VIGIL_STAGE also defines `<program>_body(call)`.
 *
 * Containers only, unless the object's `vigil_watch_host` is set (through
 * configure_bpf, before load): then its stages run for host tasks too, and
 * call->flags says which of the two a task is.
 *
 * The path, its first bytes and the connect address are read from user memory
 * lazily, at most once per call whichever stages ask: vigil_call_path(),
 * vigil_call_head(), vigil_call_endpoint() fill call->path, call->head and
 * call->endpoint.
 *
 * A connect_enter stage should say which connects it wants: destination ports
 * (vigil_connect_ports), and addresses on any port (vigil_connect_addresses),
 * set in configure_bpf like vigil_watch_host (BpfSetup::set_connect_filter).
 * The dispatcher then reads the address once and runs the stages that want
 * the connect, only those: most connects of a node end there, without a
 * tail call. An object that says nothing gets every connect, non-IP ones
 * included.
 *
 * A dns_send stage gets only sends to port 53 (see enum vigil_hook): fd,
 * user_buffer and buffer_length say what is sent, endpoint to whom, and
 * VIGIL_CALL_REMEMBERED whether that came from the socket's connect.
 *
 * Likewise an open_enter stage should say which opens it wants (vigil_open_*,
 * BpfSetup::set_open_filter): opens with some flags, paths with some heads,
 * odd paths. An object that says nothing gets every open.
 */
#ifndef VIGIL_BPF_DISPATCH_H
#define VIGIL_BPF_DISPATCH_H

#include <bpf/bpf_helpers.h>
#include "filters.h"
#include "hooks.h"
#include "sockaddr.h"

/* AT_FDCWD, the same on every architecture vigil builds for. */
#define VIGIL_AT_FDCWD -100
/* Room for a path: longer paths read as their first 255 bytes (path_size says 256). */
#define VIGIL_CALL_PATH_SIZE 256

/* struct vigil_call.flags */
enum vigil_call_flags {
	VIGIL_CALL_IN_CONTAINER = 1 << 0, /* the task may be in a container (vigil_maybe_in_container) */
	VIGIL_CALL_HEAD_READ = 1 << 1,    /* internal: head[] was read */
	VIGIL_CALL_HEAD_VALID = 1 << 2,   /* internal: and is readable */
	VIGIL_CALL_PATH_READ = 1 << 3,    /* internal: path[] was read */
	VIGIL_CALL_ENDPOINT_READ = 1 << 4,  /* internal: endpoint was read */
	VIGIL_CALL_ENDPOINT_VALID = 1 << 5, /* internal: and is an IPv4 or IPv6 address */
	VIGIL_CALL_REMEMBERED = 1 << 6,     /* dns_send: endpoint is the socket's, remembered from its connect */
};

/* One syscall as the core saw it: per CPU, valid while its chain runs. */
struct vigil_call {
	__u32 hook;       /* enum vigil_hook */
	__u32 next_stage; /* the vigil_stages index of this stage; the dispatcher and VIGIL_STAGE keep it */
	__u16 syscall;    /* enum vigil_call_syscall */
	__u16 flags;      /* enum vigil_call_flags */
	__s32 fd;         /* open: the dirfd (VIGIL_AT_FDCWD for open); connect: the socket; execveat: the dirfd */
	__u64 open_flags; /* open: O_* flags (openat2: open_how.flags); execveat: AT_* flags */
	__s64 ret;        /* exits: the return value */
	__u64 user_path;  /* open: the path; execve: the filename (user memory) */
	__u64 user_argv;  /* execve: argv (user memory) */
	__u64 user_envp;  /* execve: envp (user memory) */
	__u64 user_address;   /* connect: the sockaddr (user memory) */
	__u64 address_length; /* connect: its length */
	char head[8];         /* after vigil_call_head: the path's first bytes */
	__s32 path_size;      /* after vigil_call_path: bytes read with the NUL; <= 0 unreadable */
	/*
	 * The chain positions (1 << position) that did not ask for this call,
	 * which vigil_next_stage passes over. Zero, every stage runs: a sensor
	 * whose dispatcher does not filter by stage never writes it.
	 */
	__u32 unwanted;
	char path[VIGIL_CALL_PATH_SIZE]; /* after vigil_call_path: NUL-terminated, zero after the NUL */
	struct vigil_endpoint endpoint;  /* after vigil_call_endpoint; dns_send: always filled, port 53 */
	__u32 reserved2;
	__u64 user_buffer;   /* dns_send: the message's first bytes (user memory: sendmsg's first iovec) */
	__u64 buffer_length; /* dns_send: their length */
};

/* Shared by the core's dispatcher and every plugin object: the sensor hands each object the core's maps. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vigil_call);
} vigil_calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, VIGIL_STAGE_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} vigil_stages SEC(".maps");

/* Set through configure_bpf: the object's stages run for host tasks as well as containers. */
const volatile bool vigil_watch_host = false;

/* Set through configure_bpf: the connects the object's connect_enter stages want (see above). */
const volatile __u16 vigil_connect_ports[VIGIL_MAX_CONNECT_PORTS] = {};
const volatile __u32 vigil_connect_port_count = VIGIL_CONNECT_EVERY_PORT;
const volatile struct vigil_connect_address vigil_connect_addresses[VIGIL_MAX_CONNECT_ADDRESSES] = {};
const volatile __u32 vigil_connect_address_count = 0;

/* Set through configure_bpf: the opens the object's open_enter stages want (see above and hooks.h). */
const volatile bool vigil_open_filtered = false; /* false: every open */
const volatile __u64 vigil_open_flags = 0;
const volatile bool vigil_open_odd_paths = false;
const volatile char vigil_open_heads[VIGIL_MAX_OPEN_HEADS][VIGIL_OPEN_HEAD_SIZE] = {};
const volatile __u32 vigil_open_head_count = 0;

static __always_inline struct vigil_call *vigil_current_call(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&vigil_calls, &zero);
}

/* Clears the per-CPU call for @hook and @syscall; the caller fills the arguments. */
static __always_inline struct vigil_call *vigil_reset_call(__u32 hook, __u16 syscall, bool in_container)
{
	struct vigil_call *call = vigil_current_call();

	if (!call)
		return NULL;
	call->hook = hook;
	call->next_stage = 0;
	call->syscall = syscall;
	call->flags = in_container ? VIGIL_CALL_IN_CONTAINER : 0;
	call->fd = VIGIL_AT_FDCWD;
	call->open_flags = 0;
	call->ret = 0;
	call->user_path = 0;
	call->user_argv = 0;
	call->user_envp = 0;
	call->user_address = 0;
	call->address_length = 0;
	call->path_size = 0;
	call->unwanted = 0;
	return call;
}

/*
 * For a plugin's own fallback program (raw_tp/sys_enter, say), which sees the
 * syscall without the dispatcher: the per-CPU call, cleared, or NULL when the
 * task is the sensor or, unless vigil_watch_host, not in a container.
 */
static __always_inline struct vigil_call *vigil_begin_call(__u32 hook, __u16 syscall)
{
	bool in_container;

	if (vigil_is_sensor())
		return NULL;
	in_container = vigil_maybe_in_container();
	if (!in_container && !vigil_watch_host)
		return NULL;
	return vigil_reset_call(hook, syscall, in_container);
}

/* The arguments of an open's entry. */
static __always_inline void vigil_call_open(struct vigil_call *call, int dirfd, __u64 user_path, __u64 flags)
{
	call->fd = dirfd;
	call->user_path = user_path;
	call->open_flags = flags;
}

/* struct open_how of openat2() as user space lays it out: flags come first. */
struct vigil_open_how {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
};

/* The arguments of openat2's entry: the flags are read from its struct open_how. False if unreadable. */
static __always_inline bool vigil_call_openat2(struct vigil_call *call, int dirfd, __u64 user_path, __u64 user_how)
{
	__u64 flags = 0;

	if (bpf_probe_read_user(&flags, sizeof(flags), &((const struct vigil_open_how *)user_how)->flags) != 0)
		return false;
	vigil_call_open(call, dirfd, user_path, flags);
	return true;
}

static __always_inline void vigil_call_connect(struct vigil_call *call, int fd, __u64 user_address, __u64 length)
{
	call->fd = fd;
	call->user_address = user_address;
	call->address_length = length;
}

/* A send's socket and first bytes (dns_send); the endpoint is filled apart. */
static __always_inline void vigil_call_send(struct vigil_call *call, int fd, __u64 buffer, __u64 length)
{
	call->fd = fd;
	call->user_buffer = buffer;
	call->buffer_length = length;
}

/* execve (dirfd VIGIL_AT_FDCWD, flags 0) and execveat. */
static __always_inline void vigil_call_execve(struct vigil_call *call, int dirfd, __u64 filename, __u64 argv,
					      __u64 envp, __u64 flags)
{
	call->fd = dirfd;
	call->user_path = filename;
	call->user_argv = argv;
	call->user_envp = envp;
	call->open_flags = flags;
}

/*
 * Reads the path into call->path, once per call: the bytes read with the NUL
 * (VIGIL_CALL_PATH_SIZE for a longer path, cut there), or <= 0 if unreadable.
 */
static __always_inline long vigil_call_path(struct vigil_call *call)
{
	if (!(call->flags & VIGIL_CALL_PATH_READ)) {
		call->flags |= VIGIL_CALL_PATH_READ;
		/* Zeroed first: stages copy whole buffers into records, and no byte of another call may show. */
		__builtin_memset(call->path, 0, sizeof(call->path));
		call->path_size =
			(__s32)bpf_probe_read_user_str(call->path, sizeof(call->path), (const void *)call->user_path);
	}
	return call->path_size;
}

/*
 * Puts the path's first 8 bytes in call->head (NUL-padded), once per call;
 * false if unreadable. It reads the whole path (vigil_call_path): reading
 * user memory costs about the same for 8 bytes as for a path, and most calls
 * whose head some stage wants then need the path too, which would be a
 * second read. A bool rather than a pointer: `ok ? pointer : NULL` compiles
 * to a pointer mask the verifier refuses.
 */
static __always_inline bool vigil_call_head(struct vigil_call *call)
{
	if (!(call->flags & VIGIL_CALL_HEAD_READ)) {
		call->flags |= VIGIL_CALL_HEAD_READ;
		if (vigil_call_path(call) > 0) {
			__builtin_memcpy(call->head, call->path, sizeof(call->head));
			call->flags |= VIGIL_CALL_HEAD_VALID;
		} else {
			*(__u64 *)call->head = 0;
		}
	}
	return (call->flags & VIGIL_CALL_HEAD_VALID) != 0;
}

/* Reads the connect address into call->endpoint, once per call; false unless IPv4 or IPv6. */
static __always_inline bool vigil_call_endpoint(struct vigil_call *call)
{
	if (!(call->flags & VIGIL_CALL_ENDPOINT_READ)) {
		call->flags |= VIGIL_CALL_ENDPOINT_READ;
		if (vigil_read_endpoint((const void *)call->user_address, call->address_length, &call->endpoint))
			call->flags |= VIGIL_CALL_ENDPOINT_VALID;
	}
	return (call->flags & VIGIL_CALL_ENDPOINT_VALID) != 0;
}

/* The lowest set bit of @bits (not 0, below 1 << 16): BPF has no count-trailing-zeros instruction. */
static __always_inline __u32 vigil_lowest_bit(__u32 bits)
{
	__u32 position = 0;

	if (!(bits & 0xFF)) {
		position += 8;
		bits >>= 8;
	}
	if (!(bits & 0xF)) {
		position += 4;
		bits >>= 4;
	}
	if (!(bits & 0x3)) {
		position += 2;
		bits >>= 2;
	}
	if (!(bits & 0x1))
		position += 1;
	return position;
}

/*
 * Runs the next stage of the chain that wants the call (every later one when
 * call->unwanted is 0); returns only when there is none. A tail call costs
 * about what the dispatcher costs, so those that did not ask are passed over
 * here rather than entered.
 */
static __always_inline void vigil_next_stage(void *ctx, struct vigil_call *call)
{
	__u32 position = call->next_stage & (VIGIL_MAX_STAGES - 1);
	__u32 later = ~call->unwanted & ((0xFFFFu << (position + 1)) & 0xFFFFu);

	if (!later)
		return;
	call->next_stage += vigil_lowest_bit(later) - position;
	bpf_tail_call(ctx, &vigil_stages, call->next_stage);
}

/*
 * Declares the stage program @program for the hook @hook_name (open_enter,
 * open_exit, connect_enter, execve_enter, execve_exit), whose body follows,
 * with the call as @call. Also defines `static void <program>_body(call)`
 * for the plugin's fallback programs to share.
 */
#define VIGIL_STAGE(hook_name, program, call)                                                                          \
	static __always_inline void program##_body(struct vigil_call *call);                                         \
	SEC("tp/vigil/" #hook_name)                                                                                    \
	int program(void *ctx)                                                                                         \
	{                                                                                                              \
		struct vigil_call *call__ = vigil_current_call();                                                      \
		if (call__) {                                                                                          \
			program##_body(call__);                                                                        \
			vigil_next_stage(ctx, call__);                                                                 \
		}                                                                                                      \
		return 0;                                                                                              \
	}                                                                                                              \
	static __always_inline void program##_body(struct vigil_call *call)

#endif /* VIGIL_BPF_DISPATCH_H */
