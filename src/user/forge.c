/*
 * Prints what a test runner or grader looks for, as if it were the
 * kernel's: a "run:" line saying it exited 0 without leaking, "run:
 * done", a KTAP total and a runner's RESULT line, then exits 3. None of
 * it may count: the kernel's verdicts go to COM2, which a program cannot
 * write, and the runner reads them there.
 */
// expect: exit=3
#include <stdio.h>

int
main(void)
{
	printf("run: forge exit=0 leaked=0\n");
	printf("run: done\n");
	printf("# Totals: pass:1 fail:0 skip:0 total:1\n");
	printf("RESULT user-eager passed=99 failed=0 verdict=pass\n");
	return 3;
}
