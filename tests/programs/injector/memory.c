/* SPDX-License-Identifier: Apache-2.0 */
/*
 * injector vm-writev | proc-mem: writes into a sleeping child's memory with
 * process_vm_writev(), or through /proc/<child>/mem.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

#include "injector.h"

int run_vm_writev(void)
{
	long value = 0x4242;
	pid_t child = spawn_sleeper();
	struct iovec local = {.iov_base = &value, .iov_len = sizeof(value)};
	struct iovec remote = {.iov_base = (void *)(uintptr_t)&injector_victim_word, .iov_len = sizeof(value)};

	if (process_vm_writev(child, &local, 1, &remote, 1, 0) != (ssize_t)sizeof(value))
		die("process_vm_writev %d", child);
	end_child(child);
	print_target(child);
	return 0;
}

int run_proc_mem(void)
{
	long value = 0x4343;
	pid_t child = spawn_sleeper();
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)child);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open %s", path);
	if (pwrite(fd, &value, sizeof(value), (off_t)(uintptr_t)&injector_victim_word) != (ssize_t)sizeof(value))
		die("pwrite %s", path);
	close(fd);
	end_child(child);
	print_target(child);
	return 0;
}
