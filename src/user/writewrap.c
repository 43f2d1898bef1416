/*
 * Hands write() ranges that wrap around the top of the address space: a
 * pointer near 0xFFFFFFFF with a length that crosses 4 GiB, and a real
 * buffer with a length so large that buf + len wraps to a small address.
 * A check of "buf + len <= limit" alone would let both through.
 */
// expect: exit=0
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

static int
expect_efault(const void *buf, size_t len)
{
	errno = 0;
	ssize_t n = write(STDOUT_FILENO, buf, len);
	if (n != -1 || errno != EFAULT) {
		printf("\nFAIL: write(1, %p, %#x) returned %d (errno %d), not -1 with EFAULT\n",
			buf, len, n, errno);
		return 1;
	}
	printf("write(1, %p, %#x): EFAULT\n", buf, len);
	return 0;
}

int
main(void)
{
	static char message[] = "a real buffer\n";
	int bad = 0;

	bad += expect_efault((const void *)0xFFFFFFF0, 0x20);
	bad += expect_efault(message, 0xFFFFFFF0);
	return bad ? 1 : 0;
}
