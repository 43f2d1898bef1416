/*
 * The break, call by call: sbrk(0), growing (zero-filled, whole pages
 * mapped), shrinking (pages gone), brk, and every way to fail: below the
 * initial break (EINVAL), into the stack's guard page or the kernel
 * (ENOMEM), a wrapping increment (EINVAL); huge ones are sbrkhuge.c's.
 * After each failure
 * the break and the process's memory must be exactly as before.
 */
// expect: exit=0
#include <cairn.h>
#include <errno.h>
#include <layout.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PAGE    4096

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		printf("FAIL line %d: ", __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		failures++; \
	} \
} while (0)

static struct meminfo
info(void)
{
	struct meminfo m;

	meminfo(&m);
	return m;
}

/* A failing call: returns -1 with errno expected, and changes nothing. */
static void
expect_sbrk_failure(intptr_t increment, int expected)
{
	char *old = sbrk(0);
	struct meminfo before = info();

	errno = 0;
	void *r = sbrk(increment);
	struct meminfo after = info();
	CHECK(r == (void *)-1 && errno == expected, "sbrk(%#x) returned %p errno %d, expected -1 errno %d",
		(unsigned)increment, r, errno, expected);
	CHECK(sbrk(0) == old, "sbrk(%#x) failed but moved the break", (unsigned)increment);
	CHECK(memcmp(&before, &after, sizeof before) == 0, "sbrk(%#x) failed but free frames %u -> %u, mapped %u -> %u",
		(unsigned)increment, before.free_frames, after.free_frames, before.mapped_pages, after.mapped_pages);
	printf("sbrk(%#x): -1, errno %d\n", (unsigned)increment, expected);
}

static void
expect_brk_failure(uintptr_t addr, int expected)
{
	char *old = sbrk(0);
	struct meminfo before = info();

	errno = 0;
	int r = brk((void *)addr);
	struct meminfo after = info();
	CHECK(r == -1 && errno == expected, "brk(%#x) returned %d errno %d, expected -1 errno %d",
		addr, r, errno, expected);
	CHECK(sbrk(0) == old, "brk(%#x) failed but moved the break", addr);
	CHECK(memcmp(&before, &after, sizeof before) == 0, "brk(%#x) failed but free frames %u -> %u",
		addr, before.free_frames, after.free_frames);
	printf("brk(%#x): -1, errno %d\n", addr, expected);
}

/* Grows by pages, touching each (so vm=lazy maps them too); checks the
 * memory was zero, the break moved and the pages are counted. */
static void
grow_and_touch(unsigned pages)
{
	struct meminfo before = info();
	char *old = sbrk(pages * PAGE);

	CHECK(old != (void *)-1, "sbrk(%u pages) failed, errno %d", pages, errno);
	if (old == (void *)-1)
		return;
	CHECK((char *)sbrk(0) == old + pages * PAGE, "the break is not old + %u pages", pages);
	for (unsigned i = 0; i < pages * PAGE; i += 512) {
		CHECK(old[i] == 0, "new heap byte at %p is %d, not 0", old + i, old[i]);
		old[i] = (char)0xA5;
	}
	struct meminfo after = info();
	CHECK(after.mapped_pages == before.mapped_pages + pages, "mapped pages %u -> %u after growing by %u",
		before.mapped_pages, after.mapped_pages, pages);
	CHECK(after.heap_break == (uint32_t)(uintptr_t)sbrk(0), "meminfo's break %#x is not sbrk(0) %p",
		after.heap_break, sbrk(0));
	printf("sbrk(+%u pages) at %p: zeroed, mapped\n", pages, old);
}

int
main(void)
{
	char *start = sbrk(0);
	struct meminfo initial = info();

	printf("initial break %p\n", start);
	CHECK((uintptr_t)start % PAGE == 0, "the initial break %p is not page-aligned", start);
	CHECK(initial.heap_start == (uint32_t)(uintptr_t)start && initial.heap_break == initial.heap_start,
		"meminfo heap %#x..%#x, sbrk(0) %p", initial.heap_start, initial.heap_break, start);

	grow_and_touch(4);
	/* Shrinking gives the pages back at once. */
	CHECK(sbrk(-4 * PAGE) == start + 4 * PAGE, "sbrk(-4 pages) did not return the old break");
	struct meminfo m = info();
	CHECK(m.mapped_pages == initial.mapped_pages && m.free_frames == initial.free_frames,
		"after shrinking back: mapped %u (was %u), free %u (was %u)",
		m.mapped_pages, initial.mapped_pages, m.free_frames, initial.free_frames);
	printf("sbrk(-4 pages): back to the start, frames returned\n");

	/* A break inside a page maps the whole page. */
	CHECK(sbrk(100) == start, "sbrk(100) did not return the start");
	start[99] = 1;
	CHECK(sbrk(0) == start + 100, "sbrk(0) is not start + 100");
	CHECK(sbrk(-100) == start + 100, "sbrk(-100) did not return start + 100");
	printf("sbrk(100), sbrk(-100): ok\n");

	/* Growing again maps zeroed pages, not the old contents. */
	grow_and_touch(2);
	CHECK(brk(start) == 0 && sbrk(0) == start, "brk(start) failed");
	CHECK(brk(start + 3 * PAGE) == 0 && sbrk(0) == start + 3 * PAGE, "brk(start + 3 pages) failed");
	CHECK(start[0] == 0 && start[3 * PAGE - 1] == 0, "pages given back and taken again were not zeroed");
	CHECK(brk(start) == 0, "brk(start) failed");
	printf("brk up and down: ok\n");

	expect_sbrk_failure(-1, EINVAL);                        /* below the initial break */
	expect_brk_failure((uintptr_t)start - PAGE, EINVAL);
	expect_brk_failure(USER_STACK_GUARD + 1, ENOMEM);       /* into the guard page */
	expect_brk_failure(USER_STACK_BOTTOM + PAGE, ENOMEM);   /* into the stack */
	expect_brk_failure(USER_LIMIT + PAGE, ENOMEM);          /* into the kernel */
	expect_brk_failure(0xFFFFF000, ENOMEM);
	/* A huge increment fails by the machine's size: src/user/sbrkhuge.c. */
	expect_sbrk_failure(INT32_MIN, EINVAL);                 /* break + increment wraps below 0 */

	m = info();
	CHECK(m.free_frames == initial.free_frames && m.mapped_pages == initial.mapped_pages,
		"at the end: free %u (was %u), mapped %u (was %u)",
		m.free_frames, initial.free_frames, m.mapped_pages, initial.mapped_pages);
	if (failures)
		printf("sbrktest: %d check(s) failed\n", failures);
	else
		printf("sbrktest: all good\n");
	return failures ? 1 : 0;
}
