/*
 * Frees the same block twice. The heap core notices (the block is
 * already free), and the runtime prints the core's one-line report on
 * stderr and aborts: exit status 134, never a corrupted heap.
 */
// expect: exit=134
#include <stdio.h>
#include <stdlib.h>

int
main(void)
{
	char *p = malloc(48);

	printf("doublefree: freeing %p twice\n", (void *)p);
	free(p);
	free(p);
	printf("the second free went unnoticed!\n");
	return 1;
}
