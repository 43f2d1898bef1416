/*
 * exec replaces a process's program with another and keeps its pid: a
 * child that execs hello ends as hello ends (exit 0), and its parent
 * waits for it by the pid fork gave. An exec that fails returns -1 and
 * leaves the caller as it was (its memory, its break, its data): no such
 * program (ENOENT), a name at a bad address (EFAULT), a name longer than
 * any program's (ENAMETOOLONG). Only children exec successfully, so
 * this program's own end is its own.
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LONG_NAME   200
#define HEAP_BYTES  (2 * 4096)
#define MARK        0x3C

static char data[4096];

static struct meminfo
info(void)
{
	struct meminfo m;

	assert(meminfo(&m) == 0);
	return m;
}

static int
holds(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != MARK)
			return 0;
	return 1;
}

/* exec(name) fails with errno expected, and nothing of the caller's
 * changed. */
static void
expect_exec_failure(const char *name, int expected, const char *heap)
{
	struct meminfo before = info();

	errno = 0;
	assert(exec(name) == -1 && errno == expected);
	struct meminfo after = info();
	assert(after.mapped_pages == before.mapped_pages && after.table_frames == before.table_frames);
	assert(after.reserved_pages == before.reserved_pages && after.heap_break == before.heap_break);
	assert(holds(data, sizeof data) && holds(heap, HEAP_BYTES));
}

/* A child that becomes hello: its end is hello's, under the same pid. */
static void
child_becomes_hello(const char *heap)
{
	fflush(stdout);
	pid_t pid = fork();
	int status;

	assert(pid >= 0);
	if (pid == 0) {
		exec("hello");
		_exit(100);                     /* exec failed */
	}
	assert(waitpid(pid, &status, 0) == pid);
	assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert(holds(data, sizeof data) && holds(heap, HEAP_BYTES));   /* its exec left ours alone */
	printf("execer: child %d became hello and exited 0\n", pid);
}

int
main(void)
{
	char *heap = sbrk(HEAP_BYTES);
	char long_name[LONG_NAME + 1];

	assert(heap != (void *)-1);
	memset(heap, MARK, HEAP_BYTES);
	memset(data, MARK, sizeof data);
	memset(long_name, 'a', LONG_NAME);
	long_name[LONG_NAME] = '\0';

	child_becomes_hello(heap);
	expect_exec_failure("no_such_program", ENOENT, heap);
	expect_exec_failure(NULL, EFAULT, heap);
	expect_exec_failure(long_name, ENAMETOOLONG, heap);
	printf("execer: ENOENT, EFAULT, ENAMETOOLONG, and this process went on as it was\n");
	child_becomes_hello(heap);              /* the failures cost nothing */
	return 0;
}
