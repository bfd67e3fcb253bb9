// SPDX-License-Identifier: GPL-2.0
/*
 * The drift plugin's kernel side. Executions themselves are the core's
 * (VIGIL_KIND_PROCESS_EXEC); these programs send what the core does not, and
 * only what the container's profile does not already hold:
 *
 *  - execve_exit stage: a successful exec of a file changed since its
 *    container started (overlayfs upper layer, or an inode change time after
 *    the start user space wrote into drift_container_starts). Nothing for an
 *    unchanged file.
 *  - open_enter stage: opens for writing, and of paths under /etc, /root,
 *    /var/run, /run/secrets and /proc. The dispatcher ends every other open
 *    before the chain (set_open_filter); an open whose path (or, for a
 *    collapsed directory pattern, whose directory) the profile holds ends here, in
 *    drift_known_opens.
 *  - connect_enter stage: connects to IP addresses, less those the profile
 *    holds (drift_known_connects, exact or by collapsed network).
 *  - dns_send stage: DNS queries (sends to port 53, which the dispatcher
 *    picks out), less the names the profile holds (drift_known_names).
 *  - tp/syscalls/sys_enter_listen: a rare syscall, with a program of its own.
 *
 * The stages run for container tasks only: profiles are of workloads.
 * Without the dispatcher (no tracefs, syscall tracepoints off) they do not
 * attach and the plugin says so; it has no raw_tp fallback of its own.
 */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <vigil/bpf/dispatch.h>
#include <vigil/bpf/dns.h>
#include <vigil/bpf/event.h>
#include <vigil/bpf/files.h>
#include <vigil/bpf/filters.h>
#include <vigil/bpf/ring.h>
#include <vigil/bpf/task.h>
#include "drift_events.h"
#include "drift_kernel_types.bpf.h"

char LICENSE[] SEC("license") = "GPL";

_Static_assert(sizeof(struct drift_endpoint) == sizeof(struct vigil_endpoint), "drift_endpoint is vigil_endpoint");

VIGIL_RING_BUFFER(drift_events, 512 * 1024);

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct drift_known_open);
	__type(value, __u8);
} drift_known_opens SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct drift_known_connect);
	__type(value, __u8);
} drift_known_connects SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct drift_known_name);
	__type(value, __u8);
} drift_known_names SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct drift_container_start);
} drift_container_starts SEC(".maps");

/* ---- execs of changed files ---------------------------------------------- */

static __always_inline __u64 inode_change_time_ns(struct inode *inode)
{
	struct inode___drift *modern = (void *)inode;
	struct inode___drift_6_6 *middle = (void *)inode;
	struct inode___drift_old *old = (void *)inode;
	__s64 seconds;
	__s64 nanoseconds;

	if (bpf_core_field_exists(modern->i_ctime_sec)) {
		seconds = BPF_CORE_READ(modern, i_ctime_sec);
		nanoseconds = BPF_CORE_READ(modern, i_ctime_nsec);
	} else if (bpf_core_field_exists(middle->__i_ctime)) {
		seconds = BPF_CORE_READ(middle, __i_ctime.tv_sec);
		nanoseconds = BPF_CORE_READ(middle, __i_ctime.tv_nsec);
	} else {
		seconds = BPF_CORE_READ(old, i_ctime.tv_sec);
		nanoseconds = BPF_CORE_READ(old, i_ctime.tv_nsec);
	}
	/*
	 * Since 6.13 the top bit of i_ctime_nsec says whether the time was
	 * queried (multigrain timestamps); nanoseconds fit in the low 30 bits.
	 */
	nanoseconds &= 0x3fffffff;
	return seconds < 0 ? 0 : (__u64)seconds * 1000000000ull + (__u64)nanoseconds;
}

/* True when @inode is overlayfs's and has an upper dentry: created or copied up since the mount. */
static __always_inline bool in_upper_layer(struct inode *inode)
{
	struct ovl_inode___drift *overlay;
	struct dentry *upper = NULL;

	if (BPF_CORE_READ(inode, i_sb, s_magic) != DRIFT_OVERLAYFS_SUPER_MAGIC)
		return false;
	overlay = (void *)((char *)inode - bpf_core_field_offset(struct ovl_inode___drift, vfs_inode));
	bpf_core_read(&upper, sizeof(upper), &overlay->__upperdentry);
	return upper != NULL;
}

VIGIL_STAGE(execve_exit, drift_execve_exit, call)
{
	struct task_struct *task = vigil_current_task();
	struct drift_container_start *start;
	struct drift_changed_exec *record;
	struct inode *inode;
	__u64 cgroup_id;
	__u64 change_time;
	__u32 flags = 0;

	if (call->ret != 0 || !(call->flags & VIGIL_CALL_IN_CONTAINER))
		return;
	inode = BPF_CORE_READ(task, mm, exe_file, f_inode);
	if (!inode)
		return;
	if (in_upper_layer(inode))
		flags |= DRIFT_IN_UPPER_LAYER;
	change_time = inode_change_time_ns(inode);
	cgroup_id = bpf_get_current_cgroup_id();
	start = bpf_map_lookup_elem(&drift_container_starts, &cgroup_id);
	if (!start)
		flags |= DRIFT_START_UNKNOWN;
	else if (change_time > start->started_unix_ns)
		flags |= DRIFT_CHANGED_AFTER_START;
	if (flags == 0)
		return;
	record = vigil_reserve(drift_events, sizeof(*record), DRIFT_KIND_CHANGED_EXEC);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), DRIFT_KIND_CHANGED_EXEC, DRIFT_RECORD_VERSION);
	record->inode = BPF_CORE_READ(inode, i_ino);
	record->change_time_unix_ns = change_time;
	record->device = BPF_CORE_READ(inode, i_sb, s_dev);
	record->flags = flags;
	/* A dropped binary alerts at once: wake the sensor. */
	vigil_submit_urgent(drift_events, record);
}

/* ---- opens ---------------------------------------------------------------- */

/* The heads of the sensitive prefixes, as the dispatcher's filter compares them (at most 8 bytes). */
static __always_inline bool sensitive_head(const char *head)
{
	if (head[0] != '/')
		return false;
	if (head[1] == 'e' && head[2] == 't' && head[3] == 'c' && head[4] == '/')
		return true;
	if (head[1] == 'r' && head[2] == 'o' && head[3] == 'o' && head[4] == 't' && head[5] == '/')
		return true;
	if (head[1] == 'p' && head[2] == 'r' && head[3] == 'o' && head[4] == 'c' && head[5] == '/')
		return true;
	if (head[1] == 'v' && head[2] == 'a' && head[3] == 'r' && head[4] == '/' && head[5] == 'r' &&
	    head[6] == 'u' && head[7] == 'n')
		return true;
	return head[1] == 'r' && head[2] == 'u' && head[3] == 'n' && head[4] == '/' && head[5] == 's' &&
	       head[6] == 'e' && head[7] == 'c';
}

/*
 * FNV-1a of the path and of its directory (up to and including its last
 * '/'), in one pass over the bytes read.
 */
static __always_inline void path_hashes(const char *path, __u64 *whole, __u64 *directory)
{
	__u64 hash = DRIFT_FNV_OFFSET;

	*directory = 0;
	for (int i = 0; i < DRIFT_PATH_SIZE; i++) {
		char c = path[i & (DRIFT_PATH_SIZE - 1)];

		if (c == 0)
			break;
		hash ^= (__u8)c;
		hash *= DRIFT_FNV_PRIME;
		if (c == '/')
			*directory = hash;
	}
	*whole = hash;
}

_Static_assert(DRIFT_PATH_SIZE <= VIGIL_CALL_PATH_SIZE, "the call's path holds a record's");

static __always_inline bool known_open(__u64 cgroup_id, __u64 hash, __u64 bits)
{
	struct drift_known_open key = {.cgroup_id = cgroup_id, .path_hash = (hash & ~3ull) | bits};

	return bpf_map_lookup_elem(&drift_known_opens, &key) != NULL;
}

VIGIL_STAGE(open_enter, drift_open_enter, call)
{
	struct drift_open *record;
	__u64 write_bit;
	__u64 whole;
	__u64 directory;
	__u64 cgroup_id;

	if (!(call->flags & VIGIL_CALL_IN_CONTAINER))
		return;
	write_bit = (call->open_flags & DRIFT_OPEN_WRITE_ACCESS) ? DRIFT_HASH_WRITE : 0;
	if (!write_bit && (!vigil_call_head(call) || !sensitive_head(call->head)))
		return;
	if (vigil_call_path(call) <= 0)
		return;
	path_hashes(call->path, &whole, &directory);
	cgroup_id = bpf_get_current_cgroup_id();
	if (known_open(cgroup_id, whole, write_bit) ||
	    (directory && known_open(cgroup_id, directory, write_bit | DRIFT_HASH_DIRECTORY)))
		return;
	record = vigil_reserve(drift_events, sizeof(*record), DRIFT_KIND_OPEN);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), DRIFT_KIND_OPEN, DRIFT_RECORD_VERSION);
	record->open_flags = call->open_flags;
	record->path_hash = whole;
	record->path_size = (__u32)call->path_size;
	record->reserved = 0;
	__builtin_memcpy(record->path, call->path, sizeof(record->path));
	vigil_submit(drift_events, record);
}

/* ---- connects and listens -------------------------------------------------- */

#define DRIFT_S_IFMT 0170000
#define DRIFT_S_IFSOCK 0140000

/* The socket behind descriptor @fd, or NULL when it is not one (its private data would be something else). */
static __always_inline struct socket___drift *socket_of_fd(long fd)
{
	struct file *file = vigil_file_of_fd(fd);

	if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & DRIFT_S_IFMT) != DRIFT_S_IFSOCK)
		return NULL;
	return BPF_CORE_READ((struct file___drift *)file, private_data);
}

static __always_inline bool known_connect(__u64 cgroup_id, const struct vigil_endpoint *remote)
{
	struct drift_known_connect key = {.cgroup_id = cgroup_id, .port = remote->port};

	__builtin_memcpy(key.address, remote->address, sizeof(key.address));
	if (bpf_map_lookup_elem(&drift_known_connects, &key))
		return true;
	/* The collapsed network: a /24 of IPv4, a /64 of IPv6. */
	if (remote->family == VIGIL_AF_INET) {
		key.address[3] = 0;
		key.prefix = 24;
	} else {
		__builtin_memset(&key.address[8], 0, 8);
		key.prefix = 64;
	}
	return bpf_map_lookup_elem(&drift_known_connects, &key) != NULL;
}

VIGIL_STAGE(connect_enter, drift_connect_enter, call)
{
	struct socket___drift *socket;
	struct drift_connect *record;
	__u64 cgroup_id;

	if (!(call->flags & VIGIL_CALL_IN_CONTAINER) || !vigil_call_endpoint(call))
		return;
	cgroup_id = bpf_get_current_cgroup_id();
	if (known_connect(cgroup_id, &call->endpoint))
		return;
	record = vigil_reserve(drift_events, sizeof(*record), DRIFT_KIND_CONNECT);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), DRIFT_KIND_CONNECT, DRIFT_RECORD_VERSION);
	__builtin_memcpy(&record->remote, &call->endpoint, sizeof(record->remote));
	socket = socket_of_fd(call->fd);
	record->socket_type = socket ? (__u16)BPF_CORE_READ(socket, type) : 0;
	record->reserved = 0;
	record->reserved2[0] = 0;
	record->reserved2[1] = 0;
	vigil_submit(drift_events, record);
}

SEC("tp/syscalls/sys_enter_listen")
int drift_listen(struct trace_event_raw_sys_enter *ctx)
{
	struct socket___drift *socket;
	struct drift_listen *record;
	__u16 family;
	long fd = (long)ctx->args[0];

	if (vigil_is_sensor() || !vigil_maybe_in_container())
		return 0;
	socket = socket_of_fd(fd);
	if (!socket)
		return 0;
	family = BPF_CORE_READ(socket, sk, __sk_common.skc_family);
	if (family != VIGIL_AF_INET && family != VIGIL_AF_INET6)
		return 0;
	record = vigil_reserve(drift_events, sizeof(*record), DRIFT_KIND_LISTEN);
	if (!record)
		return 0;
	vigil_fill_header(&record->header, sizeof(*record), DRIFT_KIND_LISTEN, DRIFT_RECORD_VERSION);
	record->family = family;
	record->port = BPF_CORE_READ(socket, sk, __sk_common.skc_num);
	record->socket_type = (__u16)BPF_CORE_READ(socket, type);
	record->reserved = 0;
	record->fd = (__s32)fd;
	record->reserved2 = 0;
	vigil_submit(drift_events, record);
	return 0;
}

/* ---- DNS queries ------------------------------------------------------------- */

/* FNV-1a of the question's name as sent, from @at up to the root label's 0 (within @size bytes). */
static __always_inline __u64 name_hash(const __u8 *payload, __u32 at, __u32 size)
{
	__u64 hash = DRIFT_FNV_OFFSET;

	for (__u32 i = 0; i < DRIFT_DNS_PAYLOAD_SIZE - VIGIL_DNS_HEADER_SIZE; i++) {
		__u32 index = at + i;
		__u8 c;

		if (index >= size)
			break;
		c = payload[index & (DRIFT_DNS_PAYLOAD_SIZE - 1)];
		if (c == 0)
			break;
		hash ^= c;
		hash *= DRIFT_FNV_PRIME;
	}
	return hash;
}

VIGIL_STAGE(dns_send, drift_dns_send, call)
{
	struct drift_known_name key;
	struct drift_dns *record;
	__u8 head[VIGIL_DNS_HEAD_SIZE] = {};
	__u32 size;
	__u32 at;

	if (!(call->flags & VIGIL_CALL_IN_CONTAINER) || call->buffer_length <= VIGIL_DNS_HEAD_SIZE ||
	    bpf_probe_read_user(head, sizeof(head), (const void *)call->user_buffer) != 0)
		return;
	if (vigil_dns_query_at(head, 0))
		at = VIGIL_DNS_HEADER_SIZE;
	else if (vigil_dns_query_at(head, 2))
		at = VIGIL_DNS_HEADER_SIZE + 2; /* over TCP: a two-byte length first */
	else
		return;
	record = vigil_reserve(drift_events, sizeof(*record), DRIFT_KIND_DNS);
	if (!record)
		return;
	/* At most 255 bytes, so that the mask proves the bound to the verifier. */
	size = call->buffer_length < DRIFT_DNS_PAYLOAD_SIZE ? (__u32)call->buffer_length : DRIFT_DNS_PAYLOAD_SIZE - 1;
	size &= DRIFT_DNS_PAYLOAD_SIZE - 1;
	if (bpf_probe_read_user(record->payload, size, (const void *)call->user_buffer) != 0) {
		bpf_ringbuf_discard(record, 0);
		return;
	}
	key.cgroup_id = bpf_get_current_cgroup_id();
	key.name_hash = name_hash(record->payload, at, size);
	if (bpf_map_lookup_elem(&drift_known_names, &key)) {
		bpf_ringbuf_discard(record, 0);
		return;
	}
	vigil_fill_header(&record->header, sizeof(*record), DRIFT_KIND_DNS, DRIFT_RECORD_VERSION);
	record->name_hash = key.name_hash;
	record->payload_size = size;
	record->reserved = 0;
	vigil_submit(drift_events, record);
}
