/*
 * The process family under kill and bad pointers.
 *  - B (child) forks C, which exits at once (a zombie B never reaps),
 *    and D, which sleeps; B waits for D. The top kills B while it waits:
 *    B ends SIGKILL, its zombie C and sleeping D go to the runner (D
 *    ends by itself), nothing leaks.
 *  - waitpid's status pointer into program text, the kernel, the guard
 *    page, NULL: EFAULT, and the child stays to be waited for; NULL works.
 *  - a grandchild is not a child (ECHILD); a child cannot kill its
 *    grandparent (EPERM); sleep_ticks past SLEEP_TICKS_MAX is EINVAL,
 *    sleep_ticks(0) returns.
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int
fails_with(int r, int e)
{
	return r == -1 && errno == e;
}

int
main(void)
{
	pid_t top = getpid();
	int status;

	fflush(stdout);
	pid_t b = fork();
	if (b == 0) {
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		pid_t d = fork();
		if (d == 0) {
			assert(fails_with(kill(top, SIGKILL), EPERM));
			sleep_ticks(30);
			_exit(0);
		}
		waitpid(d, &status, 0);         /* killed in here */
		_exit(3);
	}
	sleep_ticks(5);
	assert(fails_with(waitpid(b + 1, &status, WNOHANG), ECHILD));   /* a grandchild */
	assert(kill(b, SIGKILL) == 0);
	assert(waitpid(b, &status, 0) == b && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* bad status pointers */
	pid_t e = fork();
	if (e == 0)
		_exit(7);
	sleep_ticks(2);
	assert(fails_with(waitpid(e, (int *)(uintptr_t)main, 0), EFAULT));
	assert(fails_with(waitpid(e, (int *)0xC0101000, 0), EFAULT));
	assert(fails_with(waitpid(e, (int *)(0xBFFF0000 - 2), 0), EFAULT));   /* into the guard */
	assert(fails_with(waitpid(e, (int *)0xBFFFFFFE, 0), EFAULT));         /* past the top */
	assert(waitpid(e, NULL, 0) == e);

	assert(fails_with(sleep_ticks(SLEEP_TICKS_MAX + 1), EINVAL));
	assert(fails_with(sleep_ticks(0xFFFFFFFFu), EINVAL));
	assert(sleep_ticks(0) == 0);
	assert(fails_with(kill(top, 1), EINVAL) && fails_with(kill(top, 0x109), EINVAL));
	assert(fails_with(kill(-1, SIGKILL), ESRCH) && fails_with(kill(INT32_MIN, 0), ESRCH));
	assert(fails_with(waitpid(0, NULL, 0), EINVAL) && fails_with(waitpid(-2, NULL, 0), EINVAL));
	assert(fails_with(waitpid(-1, NULL, 2), EINVAL));
	printf("killtree: killed a waiting parent with a zombie and a sleeper; bad pointers EFAULT\n");
	return 0;
}
