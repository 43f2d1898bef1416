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
#include <errno.h>
#include <cairn.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 8

int
main(void)
{
	int status, early = 0;

	fflush(stdout);
	for (int i = 0; i < ROUNDS; i++) {
		pid_t child = fork();
		assert(child >= 0);
		if (child == 0)         /* must never run: exit(0) at once, */
			asm volatile("int $0x80" : : "a"(SYS_exit), "b"(0));  /* touching no memory */
		/* The timer may have let the child run and exit already: then
		 * there is nobody to kill (ESRCH), and it exited. Otherwise it
		 * must die of the kill, whether it ran a little or not at all. */
		int killed = kill(child, SIGKILL) == 0;
		assert(killed || errno == ESRCH);
		assert(waitpid(child, &status, 0) == child);
		if (killed)
			assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		else
			assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		early += killed;
	}
	assert(early > 0);
	printf("killearly: %d of %d children killed before they could exit, none ran past it\n", early, ROUNDS);
	return 0;
}
