/*
 * A parent that ends before its child. The child sleeps while its
 * parent exits; the kernel, which started the parent, becomes the
 * child's parent (getppid says 0) and reaps it when it ends, with every
 * frame of both given back (leaked=0). The runner waits for the whole
 * family, so the child's line comes before the parent's "run:" line.
 */
// expect: exit=0
#include <cairn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define NAP_TICKS   20

int
main(void)
{
	pid_t parent = getpid();

	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("orphan: FAIL: fork failed\n");
		return 1;
	}
	if (pid == 0) {
		sleep_ticks(NAP_TICKS);
		pid_t adopted_by = getppid();
		printf("orphan: child %d of %d, now of %d%s\n", getpid(), parent, adopted_by,
			adopted_by == 0 ? "" : ": FAIL, the kernel should have adopted it");
		exit(adopted_by == 0 ? 0 : 1);
	}
	printf("orphan: parent %d leaves child %d behind\n", parent, pid);
	return 0;
}
