/*
 * Writes over its own main(): program text is mapped read-only, so even
 * a program's own code cannot be changed by a stray pointer.
 */
// expect: killed (page fault: write at 0x0804*read-only*program text*)
#include <stdint.h>
#include <stdio.h>

int
main(void)
{
	volatile unsigned char *text = (unsigned char *)(uintptr_t)main;

	fprintf(stderr, "writetext: writing to main at %p\n", (void *)text);
	*text = 0xC3;           /* ret */
	printf("rewrote my own text!\n");
	return 1;
}
