/*
 * kill ends a process that never makes a system call: a child spinning
 * in ring 3 is ended by SIGKILL, and its parent reads WTERMSIG SIGKILL.
 * A process may kill itself and its descendants only: its parent
 * (EPERM), the kernel, pid 0 (EPERM or ESRCH), a pid no one has (ESRCH)
 * and a signal other than SIGKILL or 0 (EINVAL) are refused, and a
 * refused kill leaves its target running.
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

#define NO_SUCH_PID 99999
#define SIGTERM_NUMBER 15       /* a real signal Cairn does not have */

static pid_t
fork_flushed(void)
{
	fflush(stdout);
	pid_t pid = fork();
	assert(pid >= 0);
	return pid;
}

static int
fails_with(int result, int expected)
{
	return result == -1 && errno == expected;
}

static void
spin_for_ever(void)
{
	for (volatile unsigned i = 0;; i++)
		;
}

/* Waits for pid; it must have been ended by SIGKILL. */
static void
expect_killed(pid_t pid)
{
	int status;

	assert(waitpid(pid, &status, 0) == pid);
	assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

int
main(void)
{
	pid_t me = getpid();

	assert(kill(me, 0) == 0);
	assert(fails_with(kill(NO_SUCH_PID, SIGKILL), ESRCH));
	int r = kill(0, SIGKILL);
	assert(r == -1 && (errno == EPERM || errno == ESRCH));
	assert(getppid() == 0);                 /* so that was the kernel too */

	/* A spinning child: refused signals leave it be, SIGKILL ends it. */
	pid_t spinner = fork_flushed();
	if (spinner == 0)
		spin_for_ever();
	sleep_ticks(3);                         /* it is in its loop now */
	assert(kill(spinner, 0) == 0);
	assert(fails_with(kill(spinner, SIGTERM_NUMBER), EINVAL));
	assert(fails_with(kill(spinner, -1), EINVAL));
	int status;
	assert(waitpid(spinner, &status, WNOHANG) == 0);   /* still running */
	assert(kill(spinner, SIGKILL) == 0);
	expect_killed(spinner);
	assert(fails_with(kill(spinner, 0), ESRCH));       /* reaped: gone */
	printf("killchild: a spinning child ended by SIGKILL; EINVAL, ESRCH as they should\n");

	/* A child may not kill its parent, but may kill itself. */
	pid_t pid = fork_flushed();
	if (pid == 0)
		exit(fails_with(kill(me, SIGKILL), EPERM) ? 0 : 1);
	assert(waitpid(pid, &status, 0) == pid);
	assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pid = fork_flushed();
	if (pid == 0) {
		kill(getpid(), SIGKILL);
		exit(1);                        /* kill returned: it did not work */
	}
	expect_killed(pid);
	printf("killchild: the child could not kill its parent (EPERM), but could kill itself\n");
	return 0;
}
