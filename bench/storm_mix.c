/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A mix of the syscalls the sensor watches, made as fast as one process can
 * for a given time; prints what it did as one JSON line.
 *
 *   storm_mix <seconds> [--exec-every N] [--detect-at S]
 *
 * Every round:
 *   8 x openat(O_RDONLY) + close of /etc/passwd
 *   1 x openat(O_WRONLY|O_CREAT|O_TRUNC) + close of /tmp/storm-<pid>
 *   1 x openat + read + close of /proc/self/stat
 *   4 x connect() of a UDP socket to 127.0.0.1:9 (sends nothing)
 *   1 x socket + connect() + close of TCP to 127.0.0.1:1 (closed: refused)
 * and every N rounds (4 by default) a fork() whose child exits at once and a
 * fork() whose child execs this program with "--exit" (static: no libraries).
 *
 * --detect-at S: once S seconds have passed, one write-open of
 * /etc/ld.so.preload (the injection detector raises
 * injection.ld_so_preload_write on it); the JSON line gives its wall-clock
 * time in ns ("detect_ns"), so the harness can tell when the alert came.
 *
 * "syscalls" counts the calls the loop makes itself (the child's exec and
 * exit included, the static start-up of an exec'd child not).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long long wall_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000000000LL + (long long)t.tv_nsec;
}

static void open_close(const char *path, int flags, unsigned long *count)
{
	int fd = open(path, flags, 0600);
	if (fd >= 0)
		close(fd);
	++*count;
}

static int wait_child(pid_t pid)
{
	int status;
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exit") == 0)
		return 0;

	double seconds = argc > 1 ? atof(argv[1]) : 10.0;
	long exec_every = 4;
	double detect_at = -1.0;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--exec-every") == 0)
			exec_every = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--detect-at") == 0)
			detect_at = atof(argv[i + 1]);
	}

	char self[PATH_MAX];
	ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (length <= 0) {
		perror("readlink /proc/self/exe");
		return 1;
	}
	self[length] = '\0';
	char *child_argv[] = {self, "--exit", NULL};
	char scratch[64];
	snprintf(scratch, sizeof(scratch), "/tmp/storm-%d", (int)getpid());

	struct sockaddr_in udp_peer = {.sin_family = AF_INET, .sin_port = htons(9)};
	struct sockaddr_in tcp_peer = {.sin_family = AF_INET, .sin_port = htons(1)};
	inet_pton(AF_INET, "127.0.0.1", &udp_peer.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &tcp_peer.sin_addr);
	int udp = socket(AF_INET, SOCK_DGRAM, 0);
	if (udp < 0) {
		perror("socket");
		return 1;
	}

	unsigned long opens = 0, write_opens = 0, proc_reads = 0, udp_connects = 0, tcp_connects = 0;
	unsigned long forks = 0, execs = 0, failures = 0, rounds = 0;
	long long detect_ns = 0;
	char buffer[512];
	double start = now(), elapsed;

	while ((elapsed = now() - start) < seconds) {
		for (int i = 0; i < 8; i++)
			open_close("/etc/passwd", O_RDONLY, &opens);
		open_close(scratch, O_WRONLY | O_CREAT | O_TRUNC, &write_opens);
		int fd = open("/proc/self/stat", O_RDONLY);
		if (fd >= 0) {
			if (read(fd, buffer, sizeof(buffer)) <= 0)
				failures++;
			close(fd);
		}
		proc_reads++;
		for (int i = 0; i < 4; i++) {
			if (connect(udp, (struct sockaddr *)&udp_peer, sizeof(udp_peer)) != 0)
				failures++;
			udp_connects++;
		}
		int tcp = socket(AF_INET, SOCK_STREAM, 0);
		if (tcp >= 0) {
			connect(tcp, (struct sockaddr *)&tcp_peer, sizeof(tcp_peer)); /* refused */
			close(tcp);
		}
		tcp_connects++;
		if (exec_every > 0 && rounds % (unsigned long)exec_every == 0) {
			pid_t pid = fork();
			if (pid == 0)
				_exit(0);
			failures += !wait_child(pid);
			forks++;
			pid = fork();
			if (pid == 0) {
				execve(self, child_argv, environ);
				_exit(127);
			}
			failures += !wait_child(pid);
			forks++;
			execs++;
		}
		if (detect_at >= 0 && detect_ns == 0 && elapsed >= detect_at) {
			detect_ns = wall_ns();
			int preload = open("/etc/ld.so.preload", O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (preload >= 0)
				close(preload);
		}
		rounds++;
	}
	close(udp);
	unlink(scratch);

	/* open+close 2 each, open+read+close 3, UDP connect 1, socket+connect+close 3,
	 * fork+wait+child exit 3 per fork, and the exec'd child's execve. */
	unsigned long syscalls = 2 * (opens + write_opens) + 3 * proc_reads + udp_connects + 3 * tcp_connects +
				 3 * forks + execs;
	printf("{\"seconds\": %.3f, \"rounds\": %lu, \"syscalls\": %lu, \"opens\": %lu, \"write_opens\": %lu, "
	       "\"proc_reads\": %lu, \"udp_connects\": %lu, \"tcp_connects\": %lu, \"forks\": %lu, \"execs\": %lu, "
	       "\"failures\": %lu, \"detect_ns\": %lld}\n",
	       elapsed, rounds, syscalls, opens, write_opens, proc_reads, udp_connects, tcp_connects, forks, execs,
	       failures, detect_ns);
	return 0;
}
