/* Calls getppid() as fast as it can for a given number of seconds and prints how many times. */
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
	double end = now() + seconds;
	unsigned long calls = 0;

	while (now() < end) {
		for (int i = 0; i < 1000; i++)
			syscall(SYS_getppid);
		calls += 1000;
	}
	printf("%lu\n", calls);
	return 0;
}
