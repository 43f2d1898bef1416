/*
 * How a program ends: exit() flushes stdio and asks the kernel to end
 * the process; abort() and a failed assert() end it at once with status
 * ABORT_STATUS (134), the status a shell shows for SIGABRT, after one
 * line on stderr. (Cairn has no signals; a status is how a parent, or
 * the kernel's "run:" line, tells an abort from a normal end.)
 */
#include <assert.h>
#include <lab.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void
exit(int status)
{
	fflush(NULL);
	_exit(status);
}

/* stdout goes out first: what a program printed before it failed is what
 * one needs to see why (stdio never uses the heap, so a broken heap does
 * not stop it). */
void
abort(void)
{
	fflush(stdout);
	fputs("abort\n", stderr);
	_exit(ABORT_STATUS);
}

/* A lab handout's stub ran (include/lab.h). */
void
lab_missing(const char *lab, const char *function)
{
	fflush(stdout);
	fprintf(stderr, "lab %s: %s() is not written yet\n", lab, function);
	_exit(LAB_MISSING_STATUS);
}

void
assert_fail(const char *expr, const char *file, int line)
{
	fflush(stdout);         /* the program's output, then the verdict */
	fprintf(stderr, "assertion failed: %s, %s:%d\n", expr, file, line);
	abort();
}
