/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Calls getppid() as fast as it can for a given number of seconds and prints how many times.
 *
 *   storm_generator [seconds] [calls]
 *
 * With calls (> 0) it stops after exactly that many calls, or at the end of
 * the seconds if that comes first: a storm plugin raising one alert every n
 * records then raises exactly calls / n alerts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3.0;
	unsigned long limit = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
	double end = now() + seconds;
	unsigned long calls = 0;

	while (now() < end && (limit == 0 || calls < limit)) {
		/* The clock is read once per round of up to 1000 calls, so that it costs little. */
		unsigned long batch = 1000;
		if (limit != 0 && limit - calls < batch)
			batch = limit - calls;
		for (unsigned long i = 0; i < batch; i++)
			syscall(SYS_getppid);
		calls += batch;
	}
	printf("%lu\n", calls);
	return 0;
}
