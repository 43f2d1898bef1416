/*
 * How a child ended, as its parent reads it with <sys/wait.h>'s macros:
 * exit(0), exit(7), exit(255), exit(256) and exit(-1) (only the low byte
 * is kept), a write through a null pointer (SIGSEGV), a division by zero
 * (SIGFPE), kill (SIGKILL). Then every way waitpid says no: WNOHANG while
 * the child runs, no child at all, a pid that is no child, a status the
 * kernel cannot write (EFAULT, and the child is still there to wait
 * for), a bad pid or option (EINVAL).
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <errno.h>
#include <layout.h>               /* USER_LIMIT */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define SURVIVED    100         /* a child's code if its fault did not end it */

enum how { BY_EXIT, BY_NULL_WRITE, BY_DIVIDE };

struct ending {
	enum how how;
	int code;               /* exit's argument */
	bool signaled;          /* what the parent must read: a signal, */
	int value;              /* or an exit status */
};

static const struct ending endings[] = {
	{ BY_EXIT, 0, false, 0 },
	{ BY_EXIT, 7, false, 7 },
	{ BY_EXIT, 255, false, 255 },
	{ BY_EXIT, 256, false, 0 },
	{ BY_EXIT, -1, false, 255 },
	{ BY_NULL_WRITE, SURVIVED, true, SIGSEGV },
	{ BY_DIVIDE, SURVIVED, true, SIGFPE },
};
#define ENDINGS ((int)(sizeof endings / sizeof endings[0]))

/* volatile: gcc must neither see the pointer is NULL (it would put a
 * trap instruction there) nor the divisor 0. */
static int *volatile null_pointer;
static volatile int zero, sink;
static const int read_only = 1;        /* in .rodata: a page no one may write */

static void
end_as(const struct ending *e)
{
	if (e->how == BY_NULL_WRITE)
		*null_pointer = 1;
	if (e->how == BY_DIVIDE)
		sink = 100 / zero;     /* not 1 / x: gcc computes that without dividing */
	exit(e->code);
}

static void
expect_ending(const struct ending *e, int status)
{
	if (e->signaled)
		assert(WIFSIGNALED(status) && !WIFEXITED(status) && WTERMSIG(status) == e->value);
	else
		assert(WIFEXITED(status) && !WIFSIGNALED(status) && WEXITSTATUS(status) == e->value);
}

/* fork, with stdout flushed first so the child does not print again
 * what the parent has printed. */
static pid_t
fork_flushed(void)
{
	fflush(stdout);
	pid_t pid = fork();
	assert(pid >= 0);
	return pid;
}

static pid_t
spawn(const struct ending *e)
{
	pid_t pid = fork_flushed();

	if (pid == 0)
		end_as(e);
	return pid;
}

/* The call failed with -1 and errno expected. */
static void
expect_error(pid_t result, int expected)
{
	assert(result == -1 && errno == expected);
}

/* Every ending, waited for by pid, last one first. */
static void
check_endings(void)
{
	pid_t pids[ENDINGS];
	int status;

	for (int i = 0; i < ENDINGS; i++)
		pids[i] = spawn(&endings[i]);
	for (int i = ENDINGS - 1; i >= 0; i--) {
		assert(waitpid(pids[i], &status, 0) == pids[i]);
		expect_ending(&endings[i], status);
	}
	printf("waitstatus: %d endings read right, waited for by pid\n", ENDINGS);
}

/* WNOHANG finds nothing while the child lives; kill ends it. */
static void
check_nohang(void)
{
	pid_t pid = fork_flushed();
	int status;

	if (pid == 0)
		for (;;)
			sleep_ticks(1000);
	assert(waitpid(pid, &status, WNOHANG) == 0);
	assert(waitpid(-1, &status, WNOHANG) == 0);
	assert(kill(pid, SIGKILL) == 0);
	assert(waitpid(pid, &status, 0) == pid);
	assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	printf("waitstatus: WNOHANG returned 0 while the child slept; killed, it read SIGKILL\n");
}

/* A status the kernel may not write fails, and loses nothing. */
static void
check_bad_status(void)
{
	struct ending exit42 = { BY_EXIT, 42, false, 42 };
	pid_t pid = spawn(&exit42);
	int status;

	expect_error(wait((int *)USER_LIMIT), EFAULT);
	expect_error(wait((int *)&read_only), EFAULT);
	assert(waitpid(pid, &status, 0) == pid);
	expect_ending(&exit42, status);
	expect_error(waitpid(pid, &status, 0), ECHILD);
	printf("waitstatus: EFAULT twice, then the child was still there\n");
}

int
main(void)
{
	int status;
	pid_t me = getpid();

	assert(getppid() == 0);                 /* run= started it: the kernel */
	expect_error(wait(&status), ECHILD);
	expect_error(waitpid(-1, &status, WNOHANG), ECHILD);
	expect_error(waitpid(me, &status, 0), ECHILD);
	expect_error(waitpid(-2, &status, 0), EINVAL);
	expect_error(waitpid(-1, &status, 0x80), EINVAL);

	check_endings();
	check_nohang();
	check_bad_status();

	/* The child's parent is this process. */
	pid_t pid = fork_flushed();
	if (pid == 0)
		exit(getppid() == me ? 0 : 1);
	assert(waitpid(pid, &status, 0) == pid);
	assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	pid = spawn(&endings[0]);
	assert(waitpid(pid, NULL, 0) == pid);   /* NULL: no status wanted */
	expect_error(wait(&status), ECHILD);
	printf("waitstatus: getppid, no status, ECHILD at the end: ok\n");
	return 0;
}
