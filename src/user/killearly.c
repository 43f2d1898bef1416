/*
 * A kill that comes before the child has ever run. fork() returns in
 * the parent first; the child is only RUNNABLE, waiting for its first
 * turn, when the parent kills it. It must die before it runs one
 * instruction of its own: its first way into ring 3 passes the killed
 * check that every return from a trap passes, so the exit(0) below
 * never happens and waitpid reads SIGKILL. (The child's exit is a bare
 * int $0x80 that writes no memory: a write would fault on its
 * copy-on-write stack first, and that fault's return would catch the
 * kill, hiding a missing check on the first way in.)
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	int status;

	fflush(stdout);
	for (int i = 0; i < 8; i++) {
		pid_t child = fork();
		assert(child >= 0);
		if (child == 0)         /* must never run: exit(0) at once, */
			asm volatile("int $0x80" : : "a"(SYS_exit), "b"(0));  /* touching no memory */
		assert(kill(child, SIGKILL) == 0);
		assert(waitpid(child, &status, 0) == child);
		assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	printf("killearly: 8 children killed before their first instruction, none ran\n");
	return 0;
}
