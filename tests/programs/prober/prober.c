// SPDX-License-Identifier: Apache-2.0
/*
 * prober: one syscall-precise behaviour per subcommand, for the
 * lateral_movement integration tests. Static, so it runs in a busybox rootfs.
 *
 *   prober read <path>                   openat(AT_FDCWD, path) and read it
 *   prober read2 <path>                  the same through openat2()
 *   prober read-at <directory> <name>    open the directory, then openat(dirfd, name)
 *   prober connect <address> <port>      TCP connect to an IPv4 or IPv6 address
 *   prober connect-mapped <ipv4> <port>  TCP connect over IPv6 to ::ffff:<ipv4>
 *   prober read-then-connect <path> <address> <port>   both, in one process
 *
 * A connect's outcome does not matter (the tests run without a route, so it
 * fails at once): the attempt is what the sensor sees. Exit 0 when the
 * syscalls were made as asked, 2 on misuse, 1 when a read failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

struct prober_open_how {
	unsigned long long flags;
	unsigned long long mode;
	unsigned long long resolve;
};

static int drain(int fd, const char *what)
{
	char buffer[256];
	ssize_t got;

	if (fd < 0) {
		fprintf(stderr, "prober: open %s: %s\n", what, strerror(errno));
		return 1;
	}
	while ((got = read(fd, buffer, sizeof(buffer))) > 0)
		;
	close(fd);
	return got < 0 ? 1 : 0;
}

static int read_path(const char *path)
{
	return drain(openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC), path);
}

static int read_path2(const char *path)
{
	struct prober_open_how how = {.flags = O_RDONLY | O_CLOEXEC};

	return drain((int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how)), path);
}

static int read_at(const char *directory, const char *name)
{
	int dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int status;

	if (dirfd < 0) {
		fprintf(stderr, "prober: open %s: %s\n", directory, strerror(errno));
		return 1;
	}
	status = drain(openat(dirfd, name, O_RDONLY | O_CLOEXEC), name);
	close(dirfd);
	return status;
}

static int attempt(int family, const struct sockaddr *address, socklen_t length)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		fprintf(stderr, "prober: socket: %s\n", strerror(errno));
		return 1;
	}
	if (connect(fd, address, length) != 0)
		printf("connect: %s\n", strerror(errno));
	else
		printf("connect: connected\n");
	close(fd);
	return 0;
}

static int connect_to(const char *text, const char *port_text)
{
	unsigned short port = (unsigned short)atoi(port_text);
	struct sockaddr_in in4 = {.sin_family = AF_INET, .sin_port = htons(port)};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(port)};

	if (inet_pton(AF_INET, text, &in4.sin_addr) == 1)
		return attempt(AF_INET, (struct sockaddr *)&in4, sizeof(in4));
	if (inet_pton(AF_INET6, text, &in6.sin6_addr) == 1)
		return attempt(AF_INET6, (struct sockaddr *)&in6, sizeof(in6));
	fprintf(stderr, "prober: %s is not an address\n", text);
	return 2;
}

static int connect_mapped(const char *ipv4, const char *port_text)
{
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons((unsigned short)atoi(port_text))};
	struct in_addr v4;

	if (inet_pton(AF_INET, ipv4, &v4) != 1) {
		fprintf(stderr, "prober: %s is not an IPv4 address\n", ipv4);
		return 2;
	}
	in6.sin6_addr.s6_addr[10] = 0xff;
	in6.sin6_addr.s6_addr[11] = 0xff;
	memcpy(&in6.sin6_addr.s6_addr[12], &v4, 4);
	return attempt(AF_INET6, (struct sockaddr *)&in6, sizeof(in6));
}

int main(int argc, char **argv)
{
	const char *command = argc > 1 ? argv[1] : "";

	if (strcmp(command, "read") == 0 && argc == 3)
		return read_path(argv[2]);
	if (strcmp(command, "read2") == 0 && argc == 3)
		return read_path2(argv[2]);
	if (strcmp(command, "read-at") == 0 && argc == 4)
		return read_at(argv[2], argv[3]);
	if (strcmp(command, "connect") == 0 && argc == 4)
		return connect_to(argv[2], argv[3]);
	if (strcmp(command, "connect-mapped") == 0 && argc == 4)
		return connect_mapped(argv[2], argv[3]);
	if (strcmp(command, "read-then-connect") == 0 && argc == 5) {
		int status = read_path(argv[2]);

		return status != 0 ? status : connect_to(argv[3], argv[4]);
	}
	fprintf(stderr, "usage: prober read|read2 <path> | read-at <dir> <name> | connect|connect-mapped <address> "
			"<port> | read-then-connect <path> <address> <port>\n");
	return 2;
}
