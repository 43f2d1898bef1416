/*
 * Copy-on-write under load. After fork, parent and child each write
 * every page of a 1 MiB heap (less on a small machine), so every page is
 * copied, and each must read back only its own bytes. Then the other
 * way a page stops being shared: the parent gives its heap back (sbrk
 * down) while a second child still maps it, so the child's writes find
 * pages no one else maps, which the kernel may make writable without a
 * copy. (The parent gives the pages back rather than exiting, so that
 * it is still there to read the child's verdict.)
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE            4096
#define HEAP_PAGES_MAX  256             /* 1 MiB */
#define NAP_TICKS       5               /* the parent's turn to give its heap back */

static char *heap;
static unsigned pages;

/* Each page gets its own byte, from the writer's mark and the page's
 * number, so a page seen in the wrong place shows too. */
static void
fill(unsigned char mark)
{
	for (unsigned i = 0; i < pages; i++)
		memset(heap + i * PAGE, (char)(mark + i), PAGE);
}

static int
holds(unsigned char mark)
{
	for (unsigned i = 0; i < pages; i++)
		for (unsigned j = 0; j < PAGE; j++)
			if (heap[i * PAGE + j] != (char)(mark + i))
				return 0;
	return 1;
}

static pid_t
fork_flushed(void)
{
	fflush(stdout);
	pid_t pid = fork();
	assert(pid >= 0);
	return pid;
}

static void
expect_exit0(pid_t pid)
{
	int status;

	assert(waitpid(pid, &status, 0) == pid);
	assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* A child: finds the parent's bytes, writes its own over every page. */
static void
child(unsigned char parents, unsigned char own, unsigned nap)
{
	sleep_ticks(nap);
	assert(holds(parents));
	fill(own);
	assert(holds(own));
	exit(0);
}

int
main(void)
{
	struct meminfo m;

	assert(meminfo(&m) == 0);
	pages = m.free_frames / 4;              /* both copies fit, and the tables */
	if (pages > HEAP_PAGES_MAX)
		pages = HEAP_PAGES_MAX;
	heap = sbrk(pages * PAGE);
	assert(heap != (void *)-1);
	fill(1);

	/* Both write: every page is copied once. */
	pid_t pid = fork_flushed();
	if (pid == 0)
		child(1, 2, 0);
	fill(3);
	assert(holds(3));
	expect_exit0(pid);
	assert(holds(3));
	printf("cowfree: parent and child each wrote all %u pages and read their own\n", pages);

	/* The parent lets go: the child is left the only one to map them. */
	pid = fork_flushed();
	if (pid == 0)
		child(3, 4, NAP_TICKS);
	assert(sbrk(-(intptr_t)(pages * PAGE)) == heap + pages * PAGE);
	expect_exit0(pid);
	printf("cowfree: after the parent gave its heap back, the child wrote it all\n");
	return 0;
}
