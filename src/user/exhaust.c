/*
 * Takes memory with sbrk until the kernel says ENOMEM, touching every
 * page (so vm=lazy really maps them), then exits: the kernel must get
 * every frame back (leaked=0) and run the next program normally. The
 * failing sbrk must leave the break where it was.
 */
// expect: exit=0
#include <cairn.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#define PAGE    4096

/* Grows by step bytes at a time while the kernel agrees; returns the
 * pages taken. */
static unsigned
take(unsigned step)
{
	unsigned pages = 0;
	char *p;

	while ((p = sbrk(step)) != (void *)-1) {
		for (unsigned i = 0; i < step; i += PAGE)
			p[i] = 1;
		pages += step / PAGE;
	}
	return pages;
}

int
main(void)
{
	struct meminfo m;
	unsigned pages = 0;

	meminfo(&m);
	printf("exhaust: %u frames free at the start\n", m.free_frames);
	/* Big steps first, then smaller ones to take the last pages too. */
	for (unsigned step = 256 * PAGE; step >= PAGE; step /= 4)
		pages += take(step);
	if (errno != ENOMEM) {
		printf("FAIL: sbrk failed with errno %d, not ENOMEM\n", errno);
		return 1;
	}
	char *brk = sbrk(0);
	if (sbrk(PAGE) != (void *)-1 || sbrk(0) != brk) {
		printf("FAIL: after ENOMEM, sbrk(one page) succeeded or moved the break\n");
		return 1;
	}
	meminfo(&m);
	printf("exhaust: took %u pages (%u KiB) before ENOMEM; %u frames free, break %p\n",
		pages, pages * 4, m.free_frames, brk);
	return 0;
}
