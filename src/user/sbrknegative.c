/*
 * Asks sbrk to shrink by more than the whole heap (and more than the
 * break itself, so break + increment wraps below 0). It must fail with
 * EINVAL and change nothing; a kernel adding the increment as unsigned
 * would instead see a break near 2.9 GiB.
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
	void *r = sbrk(-0x70000000);
	meminfo(&after);
	if (r != (void *)-1 || errno != EINVAL) {
		printf("FAIL: sbrk(-0x70000000) returned %p (errno %d), not -1 with EINVAL\n", r, errno);
		return 1;
	}
	if (sbrk(0) != brk || memcmp(&before, &after, sizeof before) != 0) {
		printf("FAIL: the failed sbrk changed something: break %p -> %p, free frames %u -> %u\n",
			brk, sbrk(0), before.free_frames, after.free_frames);
		return 1;
	}
	printf("sbrk(-0x70000000): EINVAL, nothing changed\n");
	return 0;
}
