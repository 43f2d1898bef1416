/*
 * Reads through a null pointer. Page 0 is never mapped, so the classic
 * bug stops at once instead of reading whatever is there.
 */
// expect: killed (page fault: read at 0x00000000*null page*)
#include <stdio.h>

int
main(void)
{
	volatile int *p = NULL;

	fprintf(stderr, "nullderef: reading *NULL\n");
	printf("*NULL is %d!\n", *p);
	return 1;
}
