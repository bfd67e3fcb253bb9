/* SPDX-License-Identifier: Apache-2.0 */
/*
 * connect() of a UDP socket to 127.0.0.1:9 (discard), N times; prints
 * nanoseconds per call. A UDP connect only records the peer, sends nothing
 * and cannot fail for want of a listener, so the loop times the syscall and
 * whatever is attached to it, not the network.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 1000000;
	struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(9)};
	struct timespec start, end;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr) != 1) {
		perror("socket");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < iterations; i++) {
		if (connect(fd, (struct sockaddr *)&peer, sizeof(peer)) != 0) {
			perror("connect");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	close(fd);
	double ns = (double)(end.tv_sec - start.tv_sec) * 1e9 + (double)(end.tv_nsec - start.tv_nsec);
	printf("%.1f\n", ns / (double)iterations);
	return 0;
}
