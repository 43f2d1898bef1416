/*
 * Forks until the kernel says no: the process table is full (EAGAIN) or
 * the frames have run out (ENOMEM), whichever comes first on this
 * machine. Then every child must be there to be waited for, once each,
 * after which wait says ECHILD, and fork works again: the kernel
 * refused cleanly and gave every slot and frame back (the runner checks
 * leaked=0).
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* A process table is far smaller: a kernel that never refuses fails. */
#define CHILDREN_MAX    4096
#define CHILD_TURNS     3

/* Alive for a few turns, so that many children are at once. */
static void
child(void)
{
	for (int i = 0; i < CHILD_TURNS; i++)
		yield();
	exit(0);
}

/* Reaps every child; returns how many. A child may have been ended for
 * want of a frame to copy a page into, but only when frames ran out. */
static int
reap_all(int fork_errno)
{
	int reaped = 0, status;

	while (wait(&status) > 0) {
		reaped++;
		if (fork_errno == ENOMEM && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			continue;
		assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert(errno == ECHILD);
	return reaped;
}

int
main(void)
{
	int made = 0;
	pid_t pid;

	fflush(stdout);
	while ((pid = fork()) != -1) {
		if (pid == 0)
			child();
		made++;
		assert(made < CHILDREN_MAX);
	}
	int why = errno;
	printf("forkbomb: %d children, then fork failed: %s\n", made,
		why == EAGAIN ? "EAGAIN (table full)" : why == ENOMEM ? "ENOMEM" : "an unexpected errno");
	assert(made > 0 && (why == EAGAIN || why == ENOMEM));

	int reaped = reap_all(why);
	printf("forkbomb: reaped %d children, then wait said ECHILD\n", reaped);
	assert(reaped == made);

	/* The slots are free again. */
	fflush(stdout);
	pid = fork();
	assert(pid >= 0);
	if (pid == 0)
		exit(0);
	assert(reap_all(0) == 1);
	return 0;
}
