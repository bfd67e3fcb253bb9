/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Code loaded into the kernel from a process that may be in a container:
 * init_module(), finit_module() and bpf(BPF_PROG_LOAD). The attempt is sent
 * from the entry, before the kernel acts on it (a malicious module may never
 * let the call return), and the outcome again from the exit.
 */
#ifndef VIGIL_ESCAPE_KERNEL_BPF_H
#define VIGIL_ESCAPE_KERNEL_BPF_H

#include "escape_common.bpf.h"
#include "escape_pending.bpf.h"

/* The first fields of union bpf_attr for BPF_PROG_LOAD, as user space lays them out. */
struct escape_prog_load_attr {
	__u32 prog_type;
	__u32 insn_cnt;
	__u64 insns;
	__u64 license;
	__u32 log_level;
	__u32 log_size;
	__u64 log_buf;
	__u32 kern_version;
	__u32 prog_flags;
	char prog_name[16];
};

static __always_inline void send_kernel_load(const struct pending_syscall *pending, __u16 phase, long ret)
{
	struct escape_kernel_load *record;

	record = vigil_reserve(escape_events, sizeof(*record), ESCAPE_KIND_KERNEL_LOAD);
	if (!record)
		return;
	vigil_fill_header(&record->header, sizeof(*record), ESCAPE_KIND_KERNEL_LOAD, ESCAPE_RECORD_VERSION);
	record->ret = ret;
	record->argument = pending->argument;
	record->fd = pending->fd;
	record->record_flags = pending->record_flags;
	record->syscall = pending->syscall;
	record->phase = phase;
	record->reserved = 0;
	__builtin_memcpy(record->name, pending->path, sizeof(record->name));
	vigil_submit_urgent(escape_events, record);
}

/*
 * Entry of @syscall: @argument as in escape_kernel_load, @fd for finit_module,
 * @attr for bpf. @exit_watched: an exit program will send the outcome (keep
 * the arguments for it).
 */
static __always_inline int on_kernel_load_enter(__u16 syscall, __u64 argument, long fd,
						const struct escape_prog_load_attr *attr, bool exit_watched)
{
	struct pending_syscall *pending;

	if (!escape_watched())
		return 0;
	pending = new_pending(syscall);
	if (!pending)
		return 0;
	pending->argument = argument;
	pending->fd = (__s32)fd;
	pending->record_flags = record_flags_now() | (exit_watched ? 0 : ESCAPE_FLAG_NO_EXIT);
	if (syscall == ESCAPE_SYSCALL_FINIT_MODULE) {
		struct file *file = vigil_file_of_fd(fd);

		if (file)
			read_dentry_name(BPF_CORE_READ(file, f_path.dentry), pending->path, ESCAPE_NAME_SIZE);
	} else if (syscall == ESCAPE_SYSCALL_BPF && attr) {
		/* prog_name is NUL-padded by libbpf and others; an unreadable attr leaves "". */
		bpf_probe_read_user(&pending->argument, sizeof(__u32), &attr->prog_type);
		bpf_probe_read_user_str(pending->path, sizeof(attr->prog_name), attr->prog_name);
	}
	send_kernel_load(pending, ESCAPE_PHASE_ENTER, 0);
	if (exit_watched)
		keep_pending(pending);
	return 0;
}

static __always_inline int on_bpf_enter(long command, const struct escape_prog_load_attr *attr)
{
	if (command != ESCAPE_BPF_PROG_LOAD)
		return 0;
	return on_kernel_load_enter(ESCAPE_SYSCALL_BPF, 0, -1, attr, true);
}

static __always_inline int on_kernel_load_exit(__u16 syscall, long ret)
{
	struct pending_syscall *pending = find_pending(syscall);

	if (!pending)
		return 0;
	send_kernel_load(pending, ESCAPE_PHASE_EXIT, ret);
	forget_pending();
	return 0;
}

#endif /* VIGIL_ESCAPE_KERNEL_BPF_H */
