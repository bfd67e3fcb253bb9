/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers the subcommands share: victims, reaping, output. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "injector.h"

volatile long injector_victim_word = 0x1234;

void die(const char *format, ...)
{
	int saved = errno;
	va_list arguments;

	fputs("injector: ", stderr);
	va_start(arguments, format);
	vfprintf(stderr, format, arguments);
	va_end(arguments);
	fprintf(stderr, ": %s\n", strerror(saved));
	exit(1);
}

pid_t spawn_sleeper(void)
{
	pid_t child = fork();

	if (child < 0)
		die("fork");
	if (child == 0) {
		/* Never outlive the injector, even if it is killed before it reaps us. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	return child;
}

void end_child(pid_t child)
{
	kill(child, SIGKILL);
	while (waitpid(child, NULL, __WALL) < 0 && errno == EINTR)
		;
}

int wait_exit(pid_t child)
{
	int status = 0;

	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid %d", child);
	if (!WIFEXITED(status)) {
		errno = 0;
		die("child %d did not exit normally (status %#x)", child, status);
	}
	return WEXITSTATUS(status);
}

void silence_output(void)
{
	int null = open("/dev/null", O_WRONLY);

	if (null >= 0) {
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
}

void copy_self_to(int fd)
{
	char buffer[65536];
	int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	ssize_t size;

	if (self < 0)
		die("open /proc/self/exe");
	while ((size = read(self, buffer, sizeof(buffer))) > 0) {
		for (ssize_t done = 0; done < size;) {
			ssize_t written = write(fd, buffer + done, (size_t)(size - done));
			if (written < 0)
				die("write copy");
			done += written;
		}
	}
	if (size < 0)
		die("read /proc/self/exe");
	close(self);
}

void print_target(pid_t pid)
{
	printf("target %d\n", (int)pid);
	fflush(stdout);
}

void print_ok(void)
{
	puts("ok");
	fflush(stdout);
}
