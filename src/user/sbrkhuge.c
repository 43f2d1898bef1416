/*
 * Asks sbrk for 2 GiB at once: more than the machine could back and
 * more than fits below the stack. It must fail with ENOMEM and change
 * nothing: the break and the process's memory stay as they were.
 */
// expect: exit=0
#include <cairn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	struct meminfo before, after;
	void *brk = sbrk(0);

	meminfo(&before);
	errno = 0;
	void *r = sbrk(0x7fffffff);
	meminfo(&after);
	if (r != (void *)-1 || errno != ENOMEM) {
		printf("FAIL: sbrk(0x7fffffff) returned %p (errno %d), not -1 with ENOMEM\n", r, errno);
		return 1;
	}
	if (sbrk(0) != brk || memcmp(&before, &after, sizeof before) != 0) {
		printf("FAIL: the failed sbrk changed something: break %p -> %p, free frames %u -> %u\n",
			brk, sbrk(0), before.free_frames, after.free_frames);
		return 1;
	}
	printf("sbrk(0x7fffffff): ENOMEM, nothing changed\n");
	return 0;
}
