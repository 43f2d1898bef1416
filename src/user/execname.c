/*
 * Exec's name at the edge of mapped memory. The last page of the
 * heap is followed by an unmapped one (vm=eager; the break is page
 * aligned). A 31-character name whose NUL is the page's last byte:
 * ENOENT (read whole). The same name one byte later, its NUL in the
 * unmapped page: EFAULT. 32 characters and no NUL: ENAMETOOLONG, even
 * when the 33rd byte would be unmapped. "hello" ending at the page's end:
 * runs (in a child).
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static int
fails_with(int r, int e)
{
	return r == -1 && errno == e;
}

int
main(void)
{
	char *base = sbrk(0);
	assert(((uintptr_t)base & (PAGE - 1)) == 0 && sbrk(PAGE) == base);
	char *end = base + PAGE;                /* unmapped from here */

	char *n31 = end - 32;
	memset(n31, 'x', 31);
	n31[31] = '\0';
	assert(fails_with(exec(n31), ENOENT));
	memmove(n31 + 1, n31, 31);              /* now its NUL would be at end[0] */
	assert(fails_with(exec(n31 + 1), EFAULT));
	assert(fails_with(exec(end - 32), ENAMETOOLONG));   /* 32 x's, no NUL in the page */
	assert(fails_with(exec(end - 1), EFAULT));           /* one unterminated byte */
	assert(fails_with(exec(end), EFAULT));
	assert(fails_with(exec((char *)0xBFFFFFFF), ENAMETOOLONG) || errno == EFAULT);
	strcpy(end - 6, "hello");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		exec(end - 6);
		_exit(9);
	}
	int status;
	assert(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("execname: names at the page's end: ENOENT, EFAULT, ENAMETOOLONG as they should; hello ran\n");
	return 0;
}
