/*
 * After fork, parent and child each have their memory to themselves,
 * although they share every frame until one of them writes. The parent
 * fills a heap buffer and a static array with its pattern and forks
 * four children; each writes its own pattern over both and must read
 * back its own, never a sibling's; the parent's must be untouched.
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN    4
#define BUFFER      (3 * 4096 + 100)    /* spans pages, ends inside one */
#define PARENT_MARK 0x5A

static unsigned char table[BUFFER];     /* bss: the data segment's pages */

static void
fill(unsigned char *heap, unsigned char mark)
{
	memset(heap, mark, BUFFER);
	memset(table, mark, BUFFER);
}

static int
holds(const unsigned char *p, unsigned char mark)
{
	for (size_t i = 0; i < BUFFER; i++)
		if (p[i] != mark)
			return 0;
	return 1;
}

/* A child's life: its pattern over the parent's, a nap in which its
 * siblings write theirs, then the check. */
static void
child(unsigned char *heap, unsigned char mark)
{
	assert(holds(heap, PARENT_MARK) && holds(table, PARENT_MARK));
	fill(heap, mark);
	sleep_ticks(5);
	assert(holds(heap, mark) && holds(table, mark));
	exit(0);
}

int
main(void)
{
	unsigned char *heap = sbrk(BUFFER);
	pid_t pids[CHILDREN];

	assert(heap != (void *)-1);
	fill(heap, PARENT_MARK);
	fflush(stdout);
	for (int i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		assert(pids[i] >= 0);
		if (pids[i] == 0)
			child(heap, (unsigned char)(i + 1));
	}
	for (int i = 0; i < CHILDREN; i++) {
		int status;

		assert(waitpid(pids[i], &status, 0) == pids[i]);
		assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert(holds(heap, PARENT_MARK) && holds(table, PARENT_MARK));
	printf("forkisolation: %d children wrote their own heap and bss, the parent's stayed\n", CHILDREN);
	return 0;
}
