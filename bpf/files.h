/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */
/*
 * What a process's file descriptor refers to, read from its open file table:
 * how a program learns what an open() really opened (through symlinks and
 * relative paths) or which directory an openat() dirfd names.
 */
#ifndef VIGIL_BPF_FILES_H
#define VIGIL_BPF_FILES_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "task.h"

/* The struct file behind the current task's descriptor @fd, or NULL. */
static __always_inline struct file *vigil_file_of_fd(long fd)
{
	struct task_struct *task = vigil_current_task();
	struct fdtable *table = BPF_CORE_READ(task, files, fdt);
	struct file **files;
	struct file *file = NULL;

	if (!table || fd < 0 || (unsigned long)fd >= BPF_CORE_READ(table, max_fds))
		return NULL;
	files = BPF_CORE_READ(table, fd);
	if (bpf_core_read(&file, sizeof(file), &files[fd]) != 0)
		return NULL;
	return file;
}

#endif /* VIGIL_BPF_FILES_H */
