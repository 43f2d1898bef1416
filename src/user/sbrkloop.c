/*
 * Spends its time in the kernel without a word: sbrk(+100 MiB) and back,
 * for ever, in vm=eager each call mapping and zeroing 25,600 pages. Every
 * call is charged its time at its end (the TSC counts the kernel's time as
 * the program's), so it meets the limit like spin.
 */
// expect: killed (time limit: *)
#include <stdio.h>
#include <unistd.h>

#define STEP    (100 << 20)

int
main(void)
{
	fprintf(stderr, "sbrkloop: sbrk(+100 MiB), sbrk(-100 MiB), for ever\n");
	for (;;) {
		if (sbrk(STEP) == (void *)-1)
			return 1;       /* too little memory for the test: not the point */
		sbrk(-STEP);
	}
}
