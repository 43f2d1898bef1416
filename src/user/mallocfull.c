/*
 * Allocates 1 MiB blocks until malloc says no: it must return NULL with
 * errno ENOMEM (sbrk's failure passed on, never taken for memory), leave
 * a heap that checks clean, and, once everything is freed, give the same
 * room again. On a machine with less than a block's room (4 MiB, with
 * every program loaded), NULL must come at once.
 */
// expect: exit=0
#include <cairn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define BLOCK   (1 << 20)
#define MAX     4096            /* 4 GiB of blocks: more than user space holds */
#define PAGE    4096
#define SLACK   32              /* pages beyond a block's that malloc may need */

static void *blocks[MAX];

/* Allocates until NULL; returns how many blocks it got. */
static int
fill(void)
{
	int n = 0;

	errno = 0;
	while (n < MAX && (blocks[n] = malloc(BLOCK)) != NULL)
		n++;
	return n;
}

/* Is there clearly room for one block? */
static int
room_for_a_block(void)
{
	struct meminfo m;

	return meminfo(&m) == 0 && m.free_frames > BLOCK / PAGE + SLACK;
}

int
main(void)
{
	int room = room_for_a_block();
	int first = fill();

	printf("mallocfull: %d blocks of 1 MiB, then NULL with errno %d\n", first, errno);
	if ((first == 0 && room) || first == MAX || errno != ENOMEM || malloc_check() != 0)
		return 1;
	for (int i = 0; i < first; i++)
		free(blocks[i]);
	int second = fill();
	printf("mallocfull: %d blocks again after freeing them all\n", second);
	for (int i = 0; i < second; i++)
		free(blocks[i]);
	return second == first ? 0 : 1;
}
