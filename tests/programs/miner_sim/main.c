/* SPDX-License-Identifier: Apache-2.0 */
/*
 * miner_sim: one thing a cryptocurrency miner does, per subcommand.
 *
 *   miner_sim connect <ipv4|ipv6> <port>      connect() once; refused or unreachable is fine
 *   miner_sim dns <how> <server> <name>       one DNS query for <name> to <server>:53, sent with
 *                                             sendto | send | write | sendmsg | sendmmsg | tcp
 *   miner_sim spin <seconds>                  keep one core busy for that long
 *
 * Run under any other name (a copy called xmrig, say), it only prints its
 * arguments and exits 0: the exec with a miner's name and options is the
 * behaviour.
 *
 * Exit status 0 when the behaviour was carried out (whatever the network
 * answered), 2 for a usage error, 1 when it could not be attempted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "miner_sim.h"

static double now_seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static int spin(const char *seconds_text)
{
	double seconds = atof(seconds_text);
	double end = now_seconds() + seconds;
	volatile unsigned long counter = 0;

	if (seconds <= 0)
		return 2;
	while (now_seconds() < end) {
		for (int i = 0; i < 100000; i++)
			counter = counter * 6364136223846793005ul + 1442695040888963407ul;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: miner_sim connect <address> <port> | dns <how> <server> <name> | spin <seconds>\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	if (strcmp(name, "miner_sim") != 0) {
		printf("%s: pretending to mine with", name);
		for (int i = 1; i < argc; i++)
			printf(" %s", argv[i]);
		printf("\n");
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "connect") == 0)
		return connect_to(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "dns") == 0)
		return dns_query(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "spin") == 0)
		return spin(argv[2]);
	return usage();
}
