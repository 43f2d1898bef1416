/*
 * Asks sbrk for 2 GiB at a time until it fails: on a small machine the
 * first request is more than memory can back, on a large one the second
 * runs past the stack's guard page. Either way the failure is ENOMEM and
 * changes nothing: the break and the process's memory stay as they were.
 */
// expect: exit=0
#include <cairn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define HUGE 0x7fffffff

int
main(void)
{
	struct meminfo before, after;
	void *start = sbrk(0), *before_break;
	int granted = 0;
	void *r;

	for (;;) {
		before_break = sbrk(0);
		meminfo(&before);
		errno = 0;
		if ((r = sbrk(HUGE)) == (void *)-1)
			break;
		if (++granted > 1) {
			printf("FAIL: two 2 GiB increments fit below the stack\n");
			return 1;
		}
	}
	meminfo(&after);
	if (errno != ENOMEM) {
		printf("FAIL: sbrk(0x%x) failed with errno %d, not ENOMEM\n", HUGE, errno);
		return 1;
	}
	if (sbrk(0) != before_break || memcmp(&before, &after, sizeof before) != 0) {
		printf("FAIL: the failed sbrk changed something: break %p -> %p, free frames %u -> %u\n",
			before_break, sbrk(0), before.free_frames, after.free_frames);
		return 1;
	}
	if (granted && brk(start) != 0) {
		printf("FAIL: could not give the 2 GiB back\n");
		return 1;
	}
	printf("sbrk(0x%x): ENOMEM after %d granted, nothing changed\n", HUGE, granted);
	return 0;
}
