// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark floors: one program on each tracepoint the core's dispatcher uses
 * (core/probes/hook_dispatch.bpf.c).
 *  - read_arguments false: the programs are empty, what any probe there costs
 *    at least;
 *  - read_arguments true: each entry program reads, from user memory, the
 *    least a detector there needs (the connect address, an open's or exec's
 *    first path bytes) and keeps nothing: the floor of any design that looks
 *    at the argument, in one program or many.
 *  - check_arguments true: each open and connect entry reads its argument
 *    whole (the path, the address), hashes it and looks the container's
 *    (cgroup, hash) up in a hash map, adding it when missing: the floor of
 *    any design that checks a call against what a container is known to do
 *    (a behavioural profile), whatever else it does.
 */
#include <vigil/bpf/vmlinux.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile bool read_arguments = false;
const volatile bool check_arguments = false;

#define CHECKED_PATH_SIZE 256
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

struct checked_call {
	__u64 cgroup_id;
	__u64 hash;
};

/* What the checker knows: every (cgroup, argument hash) it saw. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct checked_call);
	__type(value, __u8);
} checked SEC(".maps");

/* The path being checked: per CPU, too large for the stack beside the rest. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[CHECKED_PATH_SIZE]);
} checked_path SEC(".maps");

/* Where the read bytes go, so that the compiler keeps the reads. */
__u64 read_sink = 0;

static __always_inline int read_argument(__u64 user_pointer, __u32 size /* <= 16 */)
{
	__u8 bytes[16] = {};

	if (!read_arguments)
		return 0;
	bpf_probe_read_user(bytes, size, (const void *)user_pointer);
	read_sink += bytes[2];
	return 0;
}

/* Looks (cgroup, @hash) up, adding it when missing: a hit from the second time on, as for a known call. */
static __always_inline void check(__u64 hash)
{
	struct checked_call key = {.cgroup_id = bpf_get_current_cgroup_id(), .hash = hash};
	__u8 one = 1;

	if (!bpf_map_lookup_elem(&checked, &key))
		bpf_map_update_elem(&checked, &key, &one, BPF_NOEXIST);
}

/* An open's path, read whole and hashed (FNV-1a up to its NUL). */
static __always_inline int check_path(__u64 user_pointer)
{
	__u32 zero = 0;
	char *path = bpf_map_lookup_elem(&checked_path, &zero);
	__u64 hash = FNV_OFFSET;

	if (!path)
		return 0;
	__builtin_memset(path, 0, CHECKED_PATH_SIZE);
	if (bpf_probe_read_user_str(path, CHECKED_PATH_SIZE, (const void *)user_pointer) <= 0)
		return 0;
	for (int i = 0; i < CHECKED_PATH_SIZE; i++) {
		char c = path[i & (CHECKED_PATH_SIZE - 1)];

		if (c == 0)
			break;
		hash ^= (__u8)c;
		hash *= FNV_PRIME;
	}
	check(hash);
	return 0;
}

/* A connect's address, its 16 bytes as the hash. */
static __always_inline int check_address(__u64 user_pointer)
{
	__u64 bytes[2] = {};

	if (bpf_probe_read_user(bytes, sizeof(bytes), (const void *)user_pointer) != 0)
		return 0;
	check(bytes[0] ^ (bytes[1] * FNV_PRIME));
	return 0;
}

#define EMPTY(name, tracepoint)                                                                    \
	SEC("tp/syscalls/" tracepoint)                                                             \
	int name(void *ctx)                                                                        \
	{                                                                                          \
		return 0;                                                                          \
	}
/* An entry program: @size bytes at argument @index (a user pointer), when read_arguments. */
#define READER(name, tracepoint, index, size)                                                      \
	SEC("tp/syscalls/" tracepoint)                                                             \
	int name(struct trace_event_raw_sys_enter *ctx)                                            \
	{                                                                                          \
		return read_argument(ctx->args[index], size);                                      \
	}
/* An entry program that also checks the argument at @index with @checker, when check_arguments. */
#define CHECKER(name, tracepoint, index, size, checker)                                            \
	SEC("tp/syscalls/" tracepoint)                                                             \
	int name(struct trace_event_raw_sys_enter *ctx)                                            \
	{                                                                                          \
		if (check_arguments)                                                               \
			return checker(ctx->args[index]);                                          \
		return read_argument(ctx->args[index], size);                                      \
	}

#if defined(__TARGET_ARCH_x86)
/* open(2) exists on x86-64 only. */
CHECKER(empty_open_enter, "sys_enter_open", 0, 8, check_path)
EMPTY(empty_open_exit, "sys_exit_open")
#endif
CHECKER(empty_openat_enter, "sys_enter_openat", 1, 8, check_path)
EMPTY(empty_openat_exit, "sys_exit_openat")
CHECKER(empty_openat2_enter, "sys_enter_openat2", 1, 8, check_path)
EMPTY(empty_openat2_exit, "sys_exit_openat2")
CHECKER(empty_connect_enter, "sys_enter_connect", 1, 16, check_address)
READER(empty_execve_enter, "sys_enter_execve", 0, 8)
EMPTY(empty_execve_exit, "sys_exit_execve")
READER(empty_execveat_enter, "sys_enter_execveat", 1, 8)
EMPTY(empty_execveat_exit, "sys_exit_execveat")
