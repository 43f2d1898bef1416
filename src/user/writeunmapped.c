/*
 * Hands write() user addresses with nothing mapped there: one in the
 * middle of the empty gap above the heap, and one whose first bytes are
 * the program's last mapped ones but whose end lies past the break. Both
 * must return EFAULT without the kernel faulting.
 */
// expect: exit=0
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

static int
expect_efault(const char *what, const void *buf, size_t len)
{
	errno = 0;
	ssize_t n = write(STDOUT_FILENO, buf, len);
	if (n != -1 || errno != EFAULT) {
		printf("\nFAIL: write(1, %p, %u) (%s) returned %d (errno %d), not -1 with EFAULT\n",
			buf, len, what, n, errno);
		return 1;
	}
	printf("write(1, %p, %u) (%s): EFAULT\n", buf, len, what);
	return 0;
}

int
main(void)
{
	char *brk_now = sbrk(0);        /* page-aligned; the page below it is mapped, the one above not */
	int bad = 0;

	bad += expect_efault("unmapped", (const void *)0x40000000, 16);
	bad += expect_efault("straddles the break", brk_now - 8, 16);
	return bad ? 1 : 0;
}
