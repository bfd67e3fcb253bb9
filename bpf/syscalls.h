/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * Syscall arguments, whichever hook delivered them.
 *
 * The preferred hooks are tp/syscalls/sys_enter_<name> (one program per
 * syscall, so unrelated syscalls cost nothing). Where those cannot attach
 * (tracefs unavailable, syscall tracepoints compiled out), a plugin can fall
 * back to one raw_tp/sys_enter program that sees every syscall and dispatches
 * on its number; vigil_raw_syscall_arg() reads the arguments there.
 */
#ifndef VIGIL_BPF_SYSCALLS_H
#define VIGIL_BPF_SYSCALLS_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#if defined(__TARGET_ARCH_x86)
#define VIGIL_NR_open 2
#define VIGIL_NR_ptrace 101
#define VIGIL_NR_openat 257
#define VIGIL_NR_process_vm_writev 311
#define VIGIL_NR_execve 59
#define VIGIL_NR_execveat 322
#define VIGIL_NR_openat2 437
#define VIGIL_NR_socket 41
#define VIGIL_NR_connect 42
#define VIGIL_NR_sendto 44
#define VIGIL_NR_sendmsg 46
#define VIGIL_NR_sendmmsg 307
#define VIGIL_NR_mount 165
#define VIGIL_NR_chroot 161
#define VIGIL_NR_pivot_root 155
#define VIGIL_NR_setns 308
#define VIGIL_NR_unshare 272
#define VIGIL_NR_init_module 175
#define VIGIL_NR_finit_module 313
#define VIGIL_NR_bpf 321
#define VIGIL_NR_open_tree 428
#define VIGIL_NR_move_mount 429
#define VIGIL_NR_fsopen 430
#define VIGIL_NR_fsconfig 431
#define VIGIL_NR_fsmount 432

static __always_inline unsigned long vigil_raw_syscall_arg(struct pt_regs *regs, int index)
{
	switch (index) {
	case 0: return BPF_CORE_READ(regs, di);
	case 1: return BPF_CORE_READ(regs, si);
	case 2: return BPF_CORE_READ(regs, dx);
	case 3: return BPF_CORE_READ(regs, r10);
	case 4: return BPF_CORE_READ(regs, r8);
	default: return BPF_CORE_READ(regs, r9);
	}
}

/* The syscall number in raw_tp/sys_exit, whose arguments are only regs and the return value. */
static __always_inline long vigil_raw_syscall_nr(struct pt_regs *regs)
{
	return (long)BPF_CORE_READ(regs, orig_ax);
}
#elif defined(__TARGET_ARCH_arm64)
#define VIGIL_NR_open -1 /* arm64 has only openat */
#define VIGIL_NR_ptrace 117
#define VIGIL_NR_openat 56
#define VIGIL_NR_process_vm_writev 271
#define VIGIL_NR_execve 221
#define VIGIL_NR_execveat 281
#define VIGIL_NR_openat2 437
#define VIGIL_NR_socket 198
#define VIGIL_NR_connect 203
#define VIGIL_NR_sendto 206
#define VIGIL_NR_sendmsg 211
#define VIGIL_NR_sendmmsg 269
#define VIGIL_NR_mount 40
#define VIGIL_NR_chroot 51
#define VIGIL_NR_pivot_root 41
#define VIGIL_NR_setns 268
#define VIGIL_NR_unshare 97
#define VIGIL_NR_init_module 105
#define VIGIL_NR_finit_module 273
#define VIGIL_NR_bpf 280
#define VIGIL_NR_open_tree 428
#define VIGIL_NR_move_mount 429
#define VIGIL_NR_fsopen 430
#define VIGIL_NR_fsconfig 431
#define VIGIL_NR_fsmount 432

static __always_inline unsigned long vigil_raw_syscall_arg(struct pt_regs *regs, int index)
{
	if (index == 0)
		return BPF_CORE_READ(regs, orig_x0);
	return BPF_CORE_READ(regs, regs[index & 7]);
}

/* The syscall number in raw_tp/sys_exit, whose arguments are only regs and the return value. */
static __always_inline long vigil_raw_syscall_nr(struct pt_regs *regs)
{
	return (long)BPF_CORE_READ(regs, syscallno);
}
#else
#error "vigil: set __TARGET_ARCH_x86 or __TARGET_ARCH_arm64 when compiling BPF programs"
#endif

#endif /* VIGIL_BPF_SYSCALLS_H */
