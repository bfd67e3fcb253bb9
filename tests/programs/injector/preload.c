/* SPDX-License-Identifier: Apache-2.0 */
/*
 * injector ld-so-preload: opens /etc/ld.so.preload for appending, writes a
 * line, and puts the file back as it was. The line is empty: whitespace is
 * all the loader skips, so not one process is affected meanwhile. The tests
 * run it inside containers only.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "injector.h"

#define PRELOAD_FILE "/etc/ld.so.preload"

int run_ld_so_preload(void)
{
	struct stat before;
	int existed = stat(PRELOAD_FILE, &before) == 0;
	int fd = open(PRELOAD_FILE, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (!existed && errno != ENOENT)
		die("stat " PRELOAD_FILE);
	if (fd < 0)
		die("open " PRELOAD_FILE);
	if (write(fd, "\n", 1) != 1)
		die("write " PRELOAD_FILE);
	close(fd);

	if (!existed) {
		if (unlink(PRELOAD_FILE) != 0)
			die("unlink " PRELOAD_FILE);
	} else if (truncate(PRELOAD_FILE, before.st_size) != 0) {
		die("truncate " PRELOAD_FILE);
	}
	print_ok();
	return 0;
}
