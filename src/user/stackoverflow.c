/*
 * Recurses without end. The stack is 64 KiB with an unmapped guard page
 * under it: the first push below the stack faults there, instead of
 * running into the heap.
 */
// expect: killed (page fault: write at 0xbffef*guard page under the stack*)
#include <stdio.h>

/* Each call takes a frame of about 1 KiB that the compiler cannot drop.
 * The base case is there for gcc (which rejects endless recursion): a
 * million KiB of stack is far more than the 64 KiB there is. */
static int
dive(int depth)
{
	volatile char frame[1000];

	if (depth == 1000000)
		return 0;
	frame[0] = (char)depth;
	return dive(depth + 1) + frame[0];
}

int
main(void)
{
	fprintf(stderr, "stackoverflow: recursing\n");
	printf("came back: %d!\n", dive(0));
	return 1;
}
