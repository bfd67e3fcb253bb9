/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel types the drift programs read that the SDK's hand-kept vmlinux.h
 * does not describe. Each is a "___drift" flavour: libbpf matches it to the
 * kernel's struct of the name before the "___" and relocates every field
 * access against the running kernel's BTF, so only names and types matter.
 */
#ifndef VIGIL_DRIFT_KERNEL_TYPES_BPF_H
#define VIGIL_DRIFT_KERNEL_TYPES_BPF_H

#include <vigil/bpf/vmlinux.h>

#define DRIFT_OVERLAYFS_SUPER_MAGIC 0x794c7630

/* overlayfs's inode around the VFS inode: a non-NULL upper dentry means the file is in the upper layer. */
struct ovl_inode___drift {
	struct inode vfs_inode;
	struct dentry *__upperdentry;
} __attribute__((preserve_access_index));

/* The inode's change time: two integers since 6.11, before that a timespec64 named __i_ctime (6.6) or i_ctime. */
struct inode___drift {
	s64 i_ctime_sec;
	u32 i_ctime_nsec;
} __attribute__((preserve_access_index));
struct timespec64___drift {
	s64 tv_sec;
	long tv_nsec;
} __attribute__((preserve_access_index));
struct inode___drift_6_6 {
	struct timespec64___drift __i_ctime;
} __attribute__((preserve_access_index));
struct inode___drift_old {
	struct timespec64___drift i_ctime;
} __attribute__((preserve_access_index));

/* A socket file's private data, and the local port and family of its sock. */
struct file___drift {
	void *private_data;
} __attribute__((preserve_access_index));
struct sock_common___drift {
	unsigned short skc_family;
	u16 skc_num;
} __attribute__((preserve_access_index));
struct sock___drift {
	struct sock_common___drift __sk_common;
} __attribute__((preserve_access_index));
struct socket___drift {
	short type;
	struct sock___drift *sk;
} __attribute__((preserve_access_index));

#endif /* VIGIL_DRIFT_KERNEL_TYPES_BPF_H */
