/*
 * The timer takes the CPU from a program that never gives it up. Two
 * children each run a loop with no system call in it. Alone, the loop
 * takes T ticks (the parent measures it first). Sharing the CPU tick by
 * tick, each child's loop takes about 2T from its start to its end; a
 * kernel that let one run to its end before the other started would
 * give each about T. Each child exits 0 only if its loop took 1.5T or
 * more: the other ran while it was in the middle of its loop.
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
child(char name, unsigned n, unsigned alone)
{
	unsigned start = uptime();

	spin(n);
	unsigned end = uptime();
	printf("preempt: child %c looped from tick %u to %u: %u ticks\n", name, start, end, end - start);
	exit(2 * (end - start) >= 3 * alone ? 0 : 1);
}

int
main(void)
{
	unsigned alone, n = calibrate(&alone);
	pid_t pids[2];

	printf("preempt: %u iterations take %u ticks alone\n", n, alone);
	fflush(stdout);
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		assert(pids[i] >= 0);
		if (pids[i] == 0)
			child((char)('A' + i), n, alone);
	}
	for (int i = 0; i < 2; i++) {
		int status;

		assert(waitpid(pids[i], &status, 0) == pids[i]);
		assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	printf("preempt: each loop took 1.5 times as long as alone or more: they shared the CPU\n");
	return 0;
}
