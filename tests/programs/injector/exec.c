/* SPDX-License-Identifier: Apache-2.0 */
/*
 * injector memfd-exec | shm-exec | ld-preload-env: execs the way fileless
 * malware and linker hijacking do. The exec'd image is this program again,
 * running "exit-ok", or /bin/true.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "injector.h"

#define SHM_COPY "/dev/shm/injector-copy"

extern char **environ;

int run_memfd_exec(void)
{
	char *argv[] = {"injector", "exit-ok", NULL};
	int fd = memfd_create("injector", MFD_CLOEXEC);

	if (fd < 0)
		die("memfd_create");
	copy_self_to(fd);
	/* fexecve() spelled out: the exec of the memfd itself, with no path at all. */
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	die("execveat memfd");
}

int run_shm_exec(void)
{
	char *argv[] = {"injector", "exit-ok", NULL};
	pid_t child;
	int fd;

	if (mkdir("/dev/shm", 01777) != 0 && errno != EEXIST)
		die("mkdir /dev/shm");
	fd = open(SHM_COPY, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0)
		die("open " SHM_COPY);
	copy_self_to(fd);
	if (fchmod(fd, 0755) != 0)
		die("chmod " SHM_COPY);
	close(fd); /* before the exec: a file open for writing cannot be exec'd (ETXTBSY) */

	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		silence_output();
		execv(SHM_COPY, argv);
		_exit(127);
	}
	if (wait_exit(child) != 0) {
		unlink(SHM_COPY);
		errno = 0;
		die("exec of " SHM_COPY " failed (is /dev/shm mounted noexec?)");
	}
	unlink(SHM_COPY);
	print_ok();
	return 0;
}

int run_ld_preload_env(void)
{
	/* An ordinary environment, with LD_PRELOAD somewhere in the middle. */
	char *environment[] = {
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=/root",
		"USER=root",
		"LOGNAME=root",
		"SHELL=/bin/sh",
		"TERM=xterm",
		"LANG=C.UTF-8",
		"LC_ALL=C.UTF-8",
		"PWD=/",
		"HOSTNAME=injector",
		"TZ=UTC",
		"TMPDIR=/tmp",
		"EDITOR=vi",
		"PAGER=less",
		"HISTSIZE=1000",
		"KUBERNETES_SERVICE_HOST=10.96.0.1",
		"KUBERNETES_SERVICE_PORT=443",
		"LD_PRELOAD=/tmp/libinject.so",
		"KUBERNETES_PORT=tcp://10.96.0.1:443",
		"APP_ENV=production",
		"APP_PORT=8080",
		"APP_LOG_LEVEL=info",
		"JAVA_HOME=/usr/lib/jvm/default",
		"PYTHONUNBUFFERED=1",
		"NODE_ENV=production",
		"GOMAXPROCS=2",
		"MALLOC_ARENA_MAX=2",
		"XDG_RUNTIME_DIR=/run/user/0",
		"SHLVL=1",
		"COLUMNS=80",
		"LINES=24",
		NULL,
	};
	int has_true = access("/bin/true", X_OK) == 0;
	pid_t child = fork();

	if (child < 0)
		die("fork");
	if (child == 0) {
		/* The loader complains about the missing library on stderr; nobody needs to read it. */
		silence_output();
		if (has_true) {
			char *argv[] = {"true", NULL};
			execve("/bin/true", argv, environment);
		} else {
			char *argv[] = {"injector", "exit-ok", NULL};
			execve("/proc/self/exe", argv, environment);
		}
		_exit(127);
	}
	if (wait_exit(child) != 0) {
		errno = 0;
		die("the exec with LD_PRELOAD failed");
	}
	print_ok();
	return 0;
}
