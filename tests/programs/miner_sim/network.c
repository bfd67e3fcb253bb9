/* SPDX-License-Identifier: Apache-2.0 */
/* Pool connects and DNS queries, each by one specific system call. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "miner_sim.h"

/* Fills @address for @text (IPv4 or IPv6) and @port; returns its length, or 0. */
static socklen_t make_address(const char *text, int port, struct sockaddr_storage *address)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)address;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)address;

	memset(address, 0, sizeof(*address));
	if (inet_pton(AF_INET, text, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((unsigned short)port);
		return sizeof(*in4);
	}
	if (inet_pton(AF_INET6, text, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)port);
		return sizeof(*in6);
	}
	return 0;
}

int connect_to(const char *text, const char *port_text)
{
	struct sockaddr_storage address;
	socklen_t length = make_address(text, atoi(port_text), &address);
	int fd;

	if (length == 0)
		return 2;
	fd = socket(address.ss_family, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (connect(fd, (struct sockaddr *)&address, length) != 0)
		printf("connect %s:%s: %s (the attempt is what counts)\n", text, port_text, strerror(errno));
	close(fd);
	return 0;
}

/* A standard query for @name, type A, into @query; returns its length. */
static size_t build_query(const char *name, unsigned char *query, size_t capacity)
{
	static const unsigned char header[12] = {0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
	size_t used = sizeof(header);
	const char *label = name;

	memcpy(query, header, sizeof(header));
	while (*label != '\0' && used + 64 < capacity) {
		const char *dot = strchr(label, '.');
		size_t length = dot ? (size_t)(dot - label) : strlen(label);

		query[used++] = (unsigned char)length;
		memcpy(query + used, label, length);
		used += length;
		label += length + (dot ? 1 : 0);
	}
	query[used++] = 0;
	query[used++] = 0;
	query[used++] = 1; /* A */
	query[used++] = 0;
	query[used++] = 1; /* IN */
	return used;
}

static void report(const char *how, ssize_t sent)
{
	if (sent < 0)
		printf("%s: %s (the attempt is what counts)\n", how, strerror(errno));
}

int dns_query(const char *how, const char *server, const char *name)
{
	unsigned char query[300];
	size_t length = build_query(name, query, sizeof(query));
	struct sockaddr_storage address;
	socklen_t address_length = make_address(server, 53, &address);
	int tcp = strcmp(how, "tcp") == 0;
	int fd;

	if (address_length == 0)
		return 2;
	fd = socket(address.ss_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (strcmp(how, "sendto") == 0) {
		report(how, sendto(fd, query, length, 0, (struct sockaddr *)&address, address_length));
	} else if (strcmp(how, "sendmsg") == 0 || strcmp(how, "sendmmsg") == 0) {
		struct iovec iov = {query, length};
		struct mmsghdr messages[2];

		memset(messages, 0, sizeof(messages));
		for (int i = 0; i < 2; i++) {
			messages[i].msg_hdr.msg_name = &address;
			messages[i].msg_hdr.msg_namelen = address_length;
			messages[i].msg_hdr.msg_iov = &iov;
			messages[i].msg_hdr.msg_iovlen = 1;
		}
		if (strcmp(how, "sendmmsg") == 0)
			report(how, sendmmsg(fd, messages, 2, 0));
		else
			report(how, sendmsg(fd, &messages[0].msg_hdr, 0));
	} else if (strcmp(how, "send") == 0 || strcmp(how, "write") == 0 || tcp) {
		if (connect(fd, (struct sockaddr *)&address, address_length) != 0) {
			/* An unreachable server fails a TCP connect; UDP connects never reach it. */
			printf("connect: %s\n", strerror(errno));
			close(fd);
			return tcp ? 0 : 1;
		}
		if (tcp) {
			unsigned char framed[302];

			framed[0] = (unsigned char)(length >> 8);
			framed[1] = (unsigned char)length;
			memcpy(framed + 2, query, length);
			report(how, write(fd, framed, length + 2));
		} else if (how[0] == 's') {
			report(how, send(fd, query, length, 0));
		} else {
			report(how, write(fd, query, length));
		}
	} else {
		close(fd);
		return 2;
	}
	close(fd);
	return 0;
}
