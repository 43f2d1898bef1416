/*
 * The timer takes the CPU from a program that never gives it up. Two
 * children each run a loop with no system call in it. Alone, the loop
 * takes T ticks (the parent measures it first). A kernel that let one
 * run to its end before the other started would start the second T
 * ticks after the fork; sharing the CPU tick by tick, both start within
 * a tick or two of it, and each loop takes about 2T. Each child tells
 * the parent, in its exit status, how many ticks after the fork its
 * loop began; both must be under T/2. (How long the loops take depends
 * on how busy the host is, so it is printed, not checked.)
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Long enough that a tick more or less is noise, and a scheduler's turn
 * (a tick or two) is much shorter than the loop. */
#define ALONE_TICKS     25

static void
spin(unsigned n)
{
	for (volatile unsigned i = 0; i < n; i++)
		;
}

static unsigned
timed_spin(unsigned n)
{
	unsigned start = uptime();

	spin(n);
	return uptime() - start;
}

/* Doubles the loop until it takes ALONE_TICKS; returns its length and,
 * in *ticks, the shorter of two runs of it (a busy host only slows). */
static unsigned
calibrate(unsigned *ticks)
{
	unsigned n = 1u << 16, first, second;

	while ((first = timed_spin(n)) < ALONE_TICKS) {
		assert(n < 1u << 31);           /* else the clock does not move */
		n *= 2;
	}
	second = timed_spin(n);
	*ticks = first < second ? first : second;
	return n;
}

static void
child(char name, unsigned n, unsigned forked)
{
	unsigned start = uptime();

	spin(n);
	unsigned end = uptime();
	printf("preempt: child %c looped from tick %u to %u: %u ticks\n", name, start, end, end - start);
	exit(start - forked < 255 ? (int)(start - forked) : 255);
}

int
main(void)
{
	unsigned alone, n = calibrate(&alone);
	pid_t pids[2];

	printf("preempt: %u iterations take %u ticks alone\n", n, alone);
	fflush(stdout);
	unsigned forked = uptime();
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		assert(pids[i] >= 0);
		if (pids[i] == 0)
			child((char)('A' + i), n, forked);
	}
	for (int i = 0; i < 2; i++) {
		int status;

		assert(waitpid(pids[i], &status, 0) == pids[i]);
		assert(WIFEXITED(status));
		printf("preempt: child %c began %d ticks after the fork\n", 'A' + i, WEXITSTATUS(status));
		assert((unsigned)WEXITSTATUS(status) < alone / 2);
	}
	printf("preempt: both loops began before either could have ended: they shared the CPU\n");
	return 0;
}
