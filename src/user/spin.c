/*
 * Loops for ever without a system call. The timer still interrupts it
 * (interrupts are on in ring 3, and it cannot turn them off), every tick
 * is charged to it, and when it has used its CPU time (cpulimit=, 60 s
 * by default) the kernel ends it; the next program runs.
 */
// expect: killed (time limit: *)
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "spin: looping for ever\n");
	for (volatile unsigned i = 0;; i++)
		;
}
