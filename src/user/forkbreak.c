/*
 * The break after fork. The parent leaves its break in the middle of a
 * page, its data below the break and bytes of its own past it (the page
 * is mapped whole), and forks. The child's heap is a copy-on-write
 * copy: bytes its break grows over must read zero in its copy, and
 * shrinking the break into the shared page and growing it again must
 * zero what comes back, while the parent keeps every byte it left.
 */
// expect: exit=0
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE        4096
#define HALF        (PAGE / 2)
#define HEAP        (PAGE + HALF)       /* the break in the middle of page 1 */
#define PAST        256                 /* bytes written past the break */
#define GROW        100
#define KEEP        100                 /* bytes the child's shrinking keeps */
#define LOW_MARK    0x11                /* page 0 */
#define HIGH_MARK   0x22                /* page 1, below the break */
#define PAST_MARK   0x33                /* page 1, past the break */

static int
holds(const char *p, size_t n, char value)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != value)
			return 0;
	return 1;
}

static void
child(char *start)
{
	char *brk = start + HEAP;

	/* Growing inside the shared page. */
	assert(sbrk(GROW) == brk);
	assert(holds(brk, GROW, 0));
	assert(holds(start, PAGE, LOW_MARK) && holds(start + PAGE, HALF, HIGH_MARK));

	/* Down into page 0 (page 1 goes, page 0 stays shared) and back. */
	assert(sbrk(KEEP - (HEAP + GROW)) == brk + GROW);
	assert(sbrk(HEAP - KEEP) == start + KEEP);
	assert(holds(start, KEEP, LOW_MARK) && holds(start + KEEP, HEAP - KEEP, 0));
	exit(0);
}

int
main(void)
{
	char *start = sbrk(HEAP);
	char *brk = start + HEAP;
	int status;

	assert(start != (void *)-1 && (uintptr_t)start % PAGE == 0);
	memset(start, LOW_MARK, PAGE);
	memset(start + PAGE, HIGH_MARK, HALF);
	memset(brk, PAST_MARK, PAST);           /* past the break, in its page */
	fflush(stdout);
	pid_t pid = fork();
	assert(pid >= 0);
	if (pid == 0)
		child(start);

	assert(waitpid(pid, &status, 0) == pid);
	assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert(sbrk(0) == brk);
	assert(holds(start, PAGE, LOW_MARK) && holds(start + PAGE, HALF, HIGH_MARK));
	assert(holds(brk, PAST, PAST_MARK));
	assert(sbrk(GROW) == brk && holds(brk, GROW, 0));       /* now the parent's own */
	printf("forkbreak: the child's break grew, shrank and grew over zeros; the parent's bytes stayed\n");
	return 0;
}
