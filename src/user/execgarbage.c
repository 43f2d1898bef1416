/*
 * exec given names that name nothing, or are no string at all. Each must
 * fail with -1 and the right errno, and the caller go on:
 *   ENOENT  "", run='s own words "all" and "done", a name as long as a
 *           module's may be, and "" in a heap page never touched (in
 *           vm=lazy the kernel must fault it in and read zeros)
 *   EFAULT  names whose bytes run, before any NUL, into the unmapped page
 *           past the break or into the kernel half above the stack; names
 *           in the kernel half, the stack's guard page, or at NULL
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <errno.h>
#include <layout.h>                     /* USER_LIMIT, USER_STACK_GUARD */
#include <multiboot.h>                  /* MODULE_NAME_MAX */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE    4096

static int tried;

static void
expect_exec_failure(const char *name, int expected)
{
	errno = 0;
	assert(exec(name) == -1 && errno == expected);
	tried++;
}

int
main(void)
{
	char longest[MODULE_NAME_MAX];

	expect_exec_failure("", ENOENT);
	expect_exec_failure("all", ENOENT);
	expect_exec_failure("done", ENOENT);
	memset(longest, 'z', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	expect_exec_failure(longest, ENOENT);

	/* One heap page, the break at its end: past it nothing is mapped. */
	char *page = sbrk(PAGE);
	assert(page != (void *)-1 && (uintptr_t)sbrk(0) % PAGE == 0);
	expect_exec_failure(page, ENOENT);              /* untouched: zeros */
	memset(page + PAGE - 8, 'a', 8);
	expect_exec_failure(page + PAGE - 8, EFAULT);

	/* The top of the stack holds main's return address, which nothing
	 * needs: main ends with exit. Above it is the kernel. */
	char *top = (char *)USER_LIMIT;
	memcpy(top - 3, "abc", 3);
	expect_exec_failure(top - 3, EFAULT);

	expect_exec_failure((const char *)USER_LIMIT, EFAULT);
	expect_exec_failure((const char *)0xFFFFFFFF, EFAULT);
	expect_exec_failure((const char *)USER_STACK_GUARD, EFAULT);
	expect_exec_failure(NULL, EFAULT);
	printf("execgarbage: %d execs refused with the right errno, and this process went on\n", tried);
	exit(0);
}
