/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fork() + execve() + waitpid() of a tiny static program, N times; prints
 * nanoseconds per iteration. The program is this one, run again with
 * "--exit", which returns at once: static, so the exec maps no libraries and
 * the loop times the syscalls and whatever is attached to them (exec, fork
 * and exit probes), not the dynamic linker.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exit") == 0)
		return 0;

	long iterations = argc > 1 ? atol(argv[1]) : 1000;
	char self[PATH_MAX];
	ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct timespec start, end;

	if (length <= 0) {
		perror("readlink /proc/self/exe");
		return 1;
	}
	self[length] = '\0';
	char *child_argv[] = {self, "--exit", NULL};

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < iterations; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			execve(self, child_argv, environ);
			_exit(127);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "child %d failed: status %d\n", (int)pid, status);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	double ns = (double)(end.tv_sec - start.tv_sec) * 1e9 + (double)(end.tv_nsec - start.tv_nsec);
	printf("%.1f\n", ns / (double)iterations);
	return 0;
}
