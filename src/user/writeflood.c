/*
 * Spends its time in the kernel: write() after write() of 256 KiB of
 * newlines, each taking many seconds on the console. A timer tick only
 * ever interrupts ring 3, so a limit counted in ticks would let this run
 * for hours; the kernel counts CPU time with the TSC instead, checks it
 * between the chunks of a write and at the end of every system call, and
 * ends the program at its limit.
 */
// expect: killed (time limit: *)
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SIZE    (256 * 1024)

int
main(void)
{
	char *buf = sbrk(SIZE);

	if (buf == (void *)-1)
		return 1;
	memset(buf, '\n', SIZE);
	fprintf(stderr, "writeflood: writing %d newlines at a time, for ever\n", SIZE);
	for (;;)
		write(1, buf, SIZE);
}
