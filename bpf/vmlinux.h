/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * A minimal, hand-kept view of the kernel types vigil's BPF programs read.
 *
 * Why not a generated vmlinux.h: a dump of one kernel's BTF is 5 MB, ties the
 * source tree to the kernel it was dumped from and hides which fields we rely
 * on. Every struct here is marked preserve_access_index, so each field access
 * is a CO-RE relocation that libbpf resolves against the running kernel's BTF
 * at load time: offsets here do not matter, only names and types do, and a
 * field may be listed without the ones around it. The build therefore needs no
 * kernel BTF at all, and one object runs on every kernel with BTF.
 *
 * To use a new field: add it (name and type as in the kernel) to its struct
 * below. Where the kernel renamed a field, add a "___flavour" struct and test
 * with bpf_core_field_exists(); see struct kernfs_node___pre_6_15.
 */
#ifndef VIGIL_VMLINUX_H
#define VIGIL_VMLINUX_H

#include <linux/types.h>
#include <linux/bpf.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef _Bool bool;
enum { false = 0, true = 1 };

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

/* Namespaces: every namespace embeds ns_common, whose inum is /proc/<pid>/ns/<type>. */
struct ns_common {
	unsigned int inum;
};
struct mnt_namespace {
	struct ns_common ns;
};
struct pid_namespace {
	unsigned int level;
	struct ns_common ns;
};
struct net {
	struct ns_common ns;
};
struct uts_namespace {
	struct ns_common ns;
};
struct ipc_namespace {
	struct ns_common ns;
};
struct cgroup_namespace {
	struct ns_common ns;
};
struct user_namespace {
	struct ns_common ns;
	int level;
};
struct nsproxy {
	struct uts_namespace *uts_ns;
	struct ipc_namespace *ipc_ns;
	struct mnt_namespace *mnt_ns;
	struct pid_namespace *pid_ns_for_children;
	struct net *net_ns;
	struct cgroup_namespace *cgroup_ns;
};

/* A pid as seen from each pid namespace up to its own. */
struct upid {
	int nr;
	struct pid_namespace *ns;
};
struct pid {
	unsigned int level;
	struct upid numbers[1];
};

/* Credentials. kernel_cap_t is a u64 since 6.3 and two u32 before. */
typedef struct {
	__u64 val;
} kernel_cap_t;
typedef struct {
	uid_t val;
} kuid_t;
typedef struct {
	gid_t val;
} kgid_t;
struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t euid;
	kgid_t egid;
	kernel_cap_t cap_effective;
	struct user_namespace *user_ns;
};

/* Files and paths. */
struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
};
struct super_block {
	u32 s_dev; /* dev_t */
	unsigned long s_magic;
};
struct inode {
	unsigned short i_mode;
	unsigned int i_nlink;
	struct super_block *i_sb;
	unsigned long i_ino;
};
struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
};
struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
};
struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
	struct mnt_namespace *mnt_ns;
};
struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};
struct file {
	struct path f_path;
	struct inode *f_inode;
	unsigned int f_flags;
};
struct fs_struct {
	struct path root;
	struct path pwd;
};
/* A task's open files: descriptor -> struct file. */
struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};
struct files_struct {
	struct fdtable *fdt;
};

/* cgroups. kernfs_node.parent became __parent in 6.15. */
struct kernfs_node {
	struct kernfs_node *__parent;
	const char *name;
	u64 id;
};
struct kernfs_node___pre_6_15 {
	struct kernfs_node *parent;
};
struct cgroup_root {
	int hierarchy_id;
};
struct cgroup {
	struct kernfs_node *kn;
	struct cgroup_root *root;
	int level;
};
struct css_set {
	struct cgroup *dfl_cgrp;
};

/* Memory layout of a process: where argv and the environment live. */
struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
	unsigned long env_start;
	unsigned long env_end;
	struct file *exe_file;
};

struct task_struct {
	unsigned int flags;
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct task_struct *group_leader;
	struct pid *thread_pid;
	u64 start_time;
	u64 start_boottime;
	const struct cred *real_cred;
	const struct cred *cred;
	char comm[16];
	struct fs_struct *fs;
	struct files_struct *files;
	struct nsproxy *nsproxy;
	struct css_set *cgroups;
	struct mm_struct *mm;
	int exit_code;
	struct signal_struct *signal;
};

struct linux_binprm {
	struct mm_struct *mm;
	struct file *file;
	const char *filename;
	const char *interp;
};

/* Tracepoint contexts of tp/syscalls/sys_enter_* and sys_exit_*. */
struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};
struct trace_event_raw_sys_enter {
	struct trace_entry ent;
	long id;
	unsigned long args[6];
};
struct trace_event_raw_sys_exit {
	struct trace_entry ent;
	long id;
	long ret;
};

/* Contexts of the tp/sched and tp/cgroup tracepoints vigil's core uses. */
struct trace_event_raw_sched_process_exec {
	struct trace_entry ent;
	u32 __data_loc_filename;
	pid_t pid;
	pid_t old_pid;
};
struct trace_event_raw_sched_process_template {
	struct trace_entry ent;
	char comm[16];
	pid_t pid;
	int prio;
};
struct trace_event_raw_cgroup {
	struct trace_entry ent;
	int root;
	int level;
	u64 id;
	u32 __data_loc_path;
};

/* Registers, for raw_tp/sys_enter where syscall arguments sit in pt_regs. */
#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};
#elif defined(__TARGET_ARCH_arm64)
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			u64 regs[31];
			u64 sp;
			u64 pc;
			u64 pstate;
		};
	};
	u64 orig_x0;
	s32 syscallno;
};
#endif

#pragma clang attribute pop

#endif /* VIGIL_VMLINUX_H */
