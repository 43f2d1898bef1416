/*
 * A system call that writes into a copy-on-write page must copy it
 * first, as a write by the program would: the kernel writing through
 * the shared frame would change the other process's memory. Parent and
 * child each have meminfo and waitpid write into pages they still share
 * (meminfo's struct, waitpid's status); the other checks that its own
 * pages kept the bytes they had at fork.
 *
 * The child must look after the parent wrote: it sleeps WITNESS_TICKS
 * first, and the parent checks it was done writing before then. The
 * parent looks after the child is done: it waits for it.
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE            4096
#define MARK            0xA5
#define WITNESS_TICKS   20

/* Each a page of its own: the parent's meminfo and status, the child's. */
enum { PARENT_INFO, PARENT_STATUS, CHILD_INFO, CHILD_STATUS, PAGES };
static unsigned char pages[PAGES][PAGE] __attribute__((aligned(PAGE)));

static int
untouched(int which)
{
	for (int i = 0; i < PAGE; i++)
		if (pages[which][i] != MARK)
			return 0;
	return 1;
}

static pid_t
fork_flushed(void)
{
	fflush(stdout);
	pid_t pid = fork();
	assert(pid >= 0);
	return pid;
}

/* meminfo into page info, and waitpid's status of a child that exits
 * with code into page status: both must hold the kernel's answers. */
static void
write_through_syscalls(int info, int status, int code)
{
	struct meminfo *m = (struct meminfo *)pages[info];
	int *s = (int *)pages[status];

	assert(meminfo(m) == 0);
	assert(m->free_frames <= m->total_frames && m->heap_break == (uint32_t)(uintptr_t)sbrk(0));
	pid_t pid = fork_flushed();
	if (pid == 0)
		exit(code);
	assert(waitpid(pid, s, 0) == pid);
	assert(WIFEXITED(*s) && WEXITSTATUS(*s) == code);
}

static void
child(void)
{
	write_through_syscalls(CHILD_INFO, CHILD_STATUS, 42);
	sleep_ticks(WITNESS_TICKS);
	assert(untouched(PARENT_INFO) && untouched(PARENT_STATUS));
	exit(0);
}

int
main(void)
{
	int status;

	for (int i = 0; i < PAGES; i++)
		memset(pages[i], MARK, PAGE);
	unsigned start = uptime();
	pid_t pid = fork_flushed();
	if (pid == 0)
		child();

	write_through_syscalls(PARENT_INFO, PARENT_STATUS, 7);
	assert(uptime() - start < WITNESS_TICKS);       /* before the child looks */
	assert(waitpid(pid, &status, 0) == pid);
	assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert(untouched(CHILD_INFO) && untouched(CHILD_STATUS));
	printf("cowsyscall: meminfo and waitpid wrote into copy-on-write pages; each side kept its own\n");
	return 0;
}
