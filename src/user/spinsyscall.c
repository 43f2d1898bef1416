/*
 * Loops for ever on a system call. Ticks that come while it is in the
 * kernel wait there (the kernel runs with interrupts off) and are taken,
 * and charged to it, as soon as it is back in ring 3: it hits the time
 * limit like spin.
 */
// expect: killed (time limit: *)
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	fprintf(stderr, "spinsyscall: calling getpid for ever\n");
	for (;;)
		getpid();
}
