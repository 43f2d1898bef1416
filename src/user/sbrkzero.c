/*
 * Growth is zero-filled, as unistd.h promises, also inside one page: the
 * break shrinks and grows back within a page that stays mapped, grows
 * over bytes written past it, and shrinks across a page boundary and
 * comes back. Each time the bytes that come back into the heap must read
 * zero, whatever the program wrote there before. Both vm= modes.
 */
// expect: exit=0
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PAGE    4096

static int failures;

/* The first nonzero byte of [p, p + n), or -1. */
static long
first_nonzero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return (long)i;
	return -1;
}

static void
expect_zero(const char *what, const char *p, size_t n)
{
	long at = first_nonzero(p, n);

	if (at >= 0) {
		printf("FAIL %s: byte %ld of %zu at %p is 0x%02x, not 0\n", what, at, n, (void *)(p + at),
		       (unsigned char)p[at]);
		failures++;
	} else {
		printf("%s: %zu bytes zero\n", what, n);
	}
}

int
main(void)
{
	/* Start on a page boundary plus a little, so every step stays where
	 * it says. */
	char *base = sbrk(0);
	sbrk(PAGE - ((unsigned long)base % PAGE) + 100);
	base = sbrk(0);

	/* Shrink and grow back inside one page. */
	char *p = sbrk(200);
	memset(p, 0xAA, 200);
	sbrk(-150);
	sbrk(150);
	expect_zero("shrunk by 150 and grown back", p + 50, 150);

	/* Bytes written past the break, in its page. */
	char *brk_now = sbrk(0);
	memset(brk_now, 0xBB, 300);
	sbrk(300);
	expect_zero("written past the break, then grown over", brk_now, 300);

	/* Across a page boundary: the high page goes, the low one stays. */
	char *start = sbrk(0);
	sbrk(2 * PAGE);
	memset(start, 0xCC, 2 * PAGE);
	sbrk(-2 * PAGE + 100);
	sbrk(2 * PAGE - 100);
	expect_zero("shrunk across a page and grown back", start + 100, 2 * PAGE - 100);

	(void)base;
	return failures ? 1 : 0;
}
