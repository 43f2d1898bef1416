/*
 * Host tests of src/mm/pmm.c: init's validation first, then layer by
 * layer as the file reads: the stack (LIFO reuse, exhaustion, the
 * double-free refusal), the reservoir (nothing pushed at start-up,
 * ascending order), the bitmap (a frame's bit, every kind of refused
 * free), reservations, pmm_check on random workloads and on each
 * corruption it must catch, the range helpers, and a full 3 GiB
 * allocate-everything round trip. The stack and bitmap are the test's own
 * arrays, so a test can look at them, or corrupt them on purpose.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "test_filter.h"

#include <pmm.h>
#include <xorshift.h>
#include <cairn/errno.h>

#define MiB(x)          ((paddr_t)(x) << 20)
#define FRAME(pfn)      pmm_frame_address(pfn)

/* ---------------------------------------------- captured warnings */

static int warnings;
static char last_warning[200];

static void
record_warning(const char *message)
{
	warnings++;
	snprintf(last_warning, sizeof(last_warning), "%s", message);
}

static void
forget_warnings(void)
{
	warnings = 0;
	last_warning[0] = '\0';
}

/* Fails unless exactly one warning came, and it contains each of the
 * (NULL-terminated) words. */
static void
assert_one_warning_with(const char *word, ...)
{
	va_list ap;

	assert_int_equal(warnings, 1);
	va_start(ap, word);
	for (; word != NULL; word = va_arg(ap, const char *))
		if (strstr(last_warning, word) == NULL)
			fail_msg("warning \"%s\" lacks \"%s\"", last_warning, word);
	va_end(ap);
}

/* ---------------------------------------------- the PMM's storage */

static pfn_t *stack;
static uint32_t stack_capacity;
static uint32_t *bitmap;

/* Sets the PMM up over r[0..n) with an exactly-sized stack and bitmap.
 * Bad ranges can claim billions of frames: the arrays stop at what 4 GiB
 * of frames could need (pmm_init must refuse before touching them). */
static int
start(const struct pmm_range *r, unsigned n)
{
	uint32_t words = pmm_bitmap_words(r, n);

	free(stack);
	free(bitmap);
	stack_capacity = pmm_ranges_frames(r, n);
	stack = malloc(((stack_capacity < PMM_FRAME_LIMIT ? stack_capacity : PMM_FRAME_LIMIT) + 1) *
		       sizeof(*stack));
	bitmap = malloc(((words < PMM_FRAME_LIMIT / 32 ? words : PMM_FRAME_LIMIT / 32) + 1) *
			sizeof(*bitmap));
	assert_non_null(stack);
	assert_non_null(bitmap);
	forget_warnings();
	return pmm_init(r, n, stack, stack_capacity, bitmap, record_warning);
}

/* Three small ranges with holes between them (frames):
 *   [0x100, 0x104)  hole  [0x200, 0x202)  hole  [0x300, 0x303)   */
static const struct pmm_range small[] = {
	{ 0x100, 0x104 }, { 0x200, 0x202 }, { 0x300, 0x303 },
};
#define SMALL_FRAMES 9

static int
setup_small(void **state)
{
	assert_int_equal(start(small, 3), 0);
	return 0;
}

static int
teardown(void **state)
{
	free(stack);
	free(bitmap);
	stack = NULL;
	bitmap = NULL;
	return 0;
}

/* Frees pa expecting a refusal that names pa and why, with the PMM's
 * books exactly as they were. */
static void
assert_free_refused(paddr_t pa, const char *why)
{
	char address[16];
	uint32_t free_before = pmm_free_frames();

	snprintf(address, sizeof(address), "0x%08x", pa);
	forget_warnings();
	assert_int_equal(pmm_free(pa), -EINVAL);
	assert_one_warning_with(address, why, "called from 0x", NULL);
	assert_int_equal(pmm_free_frames(), free_before);
	assert_int_equal(pmm_total_frames(), SMALL_FRAMES);
	assert_int_equal(pmm_check(), 0);
	assert_int_equal(warnings, 1);
}

/* ---------------------------------------- pmm_init's validation */

static void
init_accepts_sorted_disjoint_ranges_and_counts_their_frames(void **state)
{
	assert_int_equal(start(small, 3), 0);
	assert_int_equal(pmm_total_frames(), SMALL_FRAMES);
	assert_int_equal(pmm_free_frames(), SMALL_FRAMES);
	assert_int_equal(pmm_check(), 0);
	assert_int_equal(warnings, 0);
}

static void
init_accepts_touching_ranges_and_the_last_frame_below_4_gib(void **state)
{
	const struct pmm_range r[] = { { 0x100, 0x200 }, { 0x200, 0x300 }, { 0xFFFFF, 0x100000 } };

	assert_int_equal(start(r, 3), 0);
	assert_int_equal(pmm_total_frames(), 0x201);
	assert_true(pmm_owns(0xFFFFF000));
	for (unsigned i = 0; i < 0x200; i++)
		pmm_alloc();
	assert_int_equal(pmm_alloc(), 0xFFFFF000);      /* no wrap to 0 */
	assert_true(pmm_is_allocated(0xFFFFF000));
	assert_int_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_int_equal(pmm_free(0xFFFFF000), 0);
	assert_int_equal(pmm_alloc(), 0xFFFFF000);
	assert_int_equal(pmm_check(), 0);
}

static void
init_rejects_unsorted_ranges(void **state)
{
	const struct pmm_range r[] = { { 0x300, 0x310 }, { 0x100, 0x110 } };

	assert_int_equal(start(r, 2), -EINVAL);
}

static void
init_rejects_overlapping_ranges(void **state)
{
	const struct pmm_range r[] = { { 0x100, 0x110 }, { 0x10F, 0x120 } };

	assert_int_equal(start(r, 2), -EINVAL);
}

static void
init_rejects_empty_and_backwards_ranges(void **state)
{
	const struct pmm_range empty[] = { { 0x100, 0x100 } };
	const struct pmm_range backwards[] = { { 0x110, 0x100 } };

	assert_int_equal(start(empty, 1), -EINVAL);
	assert_int_equal(start(backwards, 1), -EINVAL);
}

static void
init_rejects_a_range_below_1_mib(void **state)
{
	const struct pmm_range r[] = { { 0xFF, 0x110 } };

	assert_int_equal(start(r, 1), -EINVAL);
}

static void
init_rejects_a_range_ending_above_4_gib(void **state)
{
	const struct pmm_range r[] = { { 0x100, 0x110 }, { 0xFFF00, 0x100001 } };

	assert_int_equal(start(r, 2), -EINVAL);
}

static void
init_rejects_more_ranges_than_it_can_hold(void **state)
{
	struct pmm_range r[PMM_RANGES_MAX + 1];

	for (unsigned i = 0; i < PMM_RANGES_MAX + 1; i++)
		r[i] = (struct pmm_range){ 0x100 + 2 * i, 0x101 + 2 * i };
	assert_int_equal(start(r, PMM_RANGES_MAX), 0);
	assert_int_equal(start(r, PMM_RANGES_MAX + 1), -EINVAL);
}

static void
init_rejects_a_stack_too_small_for_every_frame(void **state)
{
	pfn_t s[SMALL_FRAMES];
	uint32_t b[32];          /* pmm_bitmap_words(small, 3) is 25 */

	assert_int_equal(pmm_init(small, 3, s, SMALL_FRAMES - 1, b, NULL), -EINVAL);
	assert_int_equal(pmm_init(small, 3, s, SMALL_FRAMES, b, NULL), 0);
}

static void
init_with_no_ranges_gives_an_empty_pmm(void **state)
{
	assert_int_equal(start(small, 0), 0);
	assert_int_equal(pmm_total_frames(), 0);
	assert_int_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_false(pmm_owns(MiB(1)));
	assert_int_equal(pmm_check(), 0);
}

/* ------------------------------- the core: a stack of free frames */

static void
freed_frames_come_back_last_in_first_out(void **state)
{
	paddr_t a = pmm_alloc(), b = pmm_alloc(), c = pmm_alloc();

	assert_int_equal(pmm_free(a), 0);
	assert_int_equal(pmm_free(b), 0);
	assert_int_equal(pmm_free(c), 0);
	assert_int_equal(pmm_alloc(), c);
	assert_int_equal(pmm_alloc(), b);
	assert_int_equal(pmm_alloc(), a);
	/* The stack is empty again: back to the reservoir's next frame. */
	assert_int_equal(pmm_alloc(), FRAME(0x103));
	assert_int_equal(pmm_check(), 0);
}

static void
exhaustion_returns_no_frame_then_a_freed_frame_comes_back(void **state)
{
	for (unsigned i = 0; i < SMALL_FRAMES; i++)
		assert_int_not_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_int_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_int_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_int_equal(pmm_free_frames(), 0);
	assert_int_equal(pmm_total_frames(), SMALL_FRAMES);
	assert_int_equal(pmm_check(), 0);

	assert_int_equal(pmm_free(FRAME(0x201)), 0);
	assert_int_equal(pmm_free_frames(), 1);
	assert_int_equal(pmm_alloc(), FRAME(0x201));
	assert_int_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_int_equal(pmm_check(), 0);
	assert_int_equal(warnings, 0);
}

static void
double_free_is_refused_with_a_warning_and_changes_nothing(void **state)
{
	paddr_t a = pmm_alloc(), b = pmm_alloc();

	assert_int_equal(pmm_free(a), 0);
	assert_free_refused(a, "double free");
	/* a went on the stack once only: it comes back once, then b's
	 * neighbour from the reservoir. */
	assert_int_equal(pmm_alloc(), a);
	assert_int_equal(pmm_alloc(), FRAME(0x102));
	assert_true(pmm_is_allocated(b));
}

/* -------------------------------------------------- the reservoir */

/* pmm_init() writes nothing on the caller's stack, and frames taken from
 * the reservoir are not pushed either: the first push is the first free. */
static void
start_up_pushes_nothing_every_frame_waits_in_the_reservoir(void **state)
{
	for (uint32_t i = 0; i < stack_capacity; i++)
		stack[i] = 0xDEADBEEF;
	assert_int_equal(pmm_init(small, 3, stack, stack_capacity, bitmap, record_warning), 0);
	for (unsigned i = 0; i < SMALL_FRAMES; i++)
		assert_int_not_equal(pmm_alloc(), PMM_NO_FRAME);
	for (uint32_t i = 0; i < stack_capacity; i++)
		assert_int_equal(stack[i], 0xDEADBEEF);
	assert_int_equal(pmm_free(FRAME(0x201)), 0);
	assert_int_equal(stack[0], 0x201);
	assert_int_equal(stack[1], 0xDEADBEEF);
	assert_int_equal(pmm_check(), 0);
}

static void
reservoir_hands_out_frames_in_ascending_order_across_ranges(void **state)
{
	const pfn_t expect[SMALL_FRAMES] = {
		0x100, 0x101, 0x102, 0x103, 0x200, 0x201, 0x300, 0x301, 0x302,
	};

	for (unsigned i = 0; i < SMALL_FRAMES; i++) {
		assert_int_equal(pmm_alloc(), FRAME(expect[i]));
		assert_int_equal(pmm_free_frames(), SMALL_FRAMES - 1 - i);
	}
	assert_int_equal(pmm_check(), 0);
}

static void
free_of_a_reservoir_frame_never_allocated_is_refused(void **state)
{
	pmm_alloc();                                    /* 0x100 */
	assert_free_refused(FRAME(0x101), "never allocated");
	assert_free_refused(FRAME(0x300), "never allocated");
	assert_free_refused(FRAME(0x302), "never allocated");
}

/* ---------------- the bitmap: the free's test, and why it refuses */

static void
a_frames_bit_is_bit_f_of_the_bitmap_counted_from_frame_0(void **state)
{
	const uint32_t word = 0x100 / 32;       /* frames 0x100 to 0x11F */

	assert_int_equal(pmm_alloc(), FRAME(0x100));
	assert_int_equal(pmm_alloc(), FRAME(0x101));
	assert_int_equal(bitmap[word], 0x3);
	assert_int_equal(pmm_free(FRAME(0x100)), 0);
	assert_int_equal(bitmap[word], 0x2);
	for (uint32_t w = 0; w < word; w++)     /* cleared as the first frame was reached */
		assert_int_equal(bitmap[w], 0);
}

/* Start-up clears nothing: the bitmap's words are cleared in address
 * order as frames first leave the reservoir, and a word not reached yet
 * is never read (its frames have never been handed out). */
static void
init_writes_nothing_and_words_are_cleared_as_the_cursor_reaches_them(void **state)
{
	uint32_t words = pmm_bitmap_words(small, 3);

	assert_int_equal(start(small, 3), 0);
	memset(bitmap, 0xA5, words * sizeof(*bitmap));  /* what the caller left */
	assert_int_equal(pmm_init(small, 3, stack, stack_capacity, bitmap, record_warning), 0);
	assert_int_equal(bitmap[0], 0xA5A5A5A5);
	assert_free_refused(FRAME(0x300), "never allocated");   /* its bit reads 0 */
	assert_int_equal(pmm_check(), 0);
	assert_int_equal(pmm_alloc(), FRAME(0x100));
	for (uint32_t w = 0; w <= 0x100 / 32; w++)
		assert_int_equal(bitmap[w], w == 0x100 / 32 ? 0x1 : 0);
	assert_int_equal(bitmap[0x200 / 32], 0xA5A5A5A5);    /* not reached yet */
	while (pmm_alloc() != FRAME(0x300))
		;                                       /* into the third range */
	assert_int_equal(bitmap[0x200 / 32], 0x3);
	assert_int_equal(bitmap[0x200 / 32 + 1], 0);    /* the hole's words, cleared */
	assert_int_equal(bitmap[0x300 / 32], 0x1);
	assert_int_equal(pmm_check(), 0);
	assert_int_equal(warnings, 1);                  /* the one refusal above */
}

static void
owns_and_is_allocated_follow_the_frame_through_its_life(void **state)
{
	assert_true(pmm_owns(FRAME(0x100)));
	assert_true(pmm_owns(FRAME(0x302)));
	assert_false(pmm_owns(FRAME(0x104)));           /* first frame of a hole */
	assert_false(pmm_owns(FRAME(0x303)));           /* just past the end */
	assert_false(pmm_owns(FRAME(0x100) + 8));       /* not a frame's first byte */
	assert_false(pmm_owns(0));
	assert_false(pmm_owns(0xFFFFF000));

	assert_false(pmm_is_allocated(FRAME(0x100)));
	paddr_t pa = pmm_alloc();
	assert_int_equal(pa, FRAME(0x100));
	assert_true(pmm_is_allocated(pa));
	assert_false(pmm_is_allocated(pa + 8));
	assert_false(pmm_is_allocated(FRAME(0x101)));
	assert_false(pmm_is_allocated(FRAME(0x104)));
	assert_int_equal(pmm_free(pa), 0);
	assert_false(pmm_is_allocated(pa));
	assert_true(pmm_owns(pa));
}

static void
unaligned_free_is_refused(void **state)
{
	paddr_t a = pmm_alloc();

	assert_free_refused(a + 1, "not frame-aligned");
	assert_free_refused(a + PMM_FRAME_SIZE - 1, "not frame-aligned");
	assert_true(pmm_is_allocated(a));
}

static void
free_below_1_mib_is_refused(void **state)
{
	pmm_alloc();
	assert_free_refused(0, "below 1 MiB");
	assert_free_refused(0xB8000, "below 1 MiB");
	assert_free_refused(MiB(1) - PMM_FRAME_SIZE, "below 1 MiB");
}

static void
free_in_a_hole_between_ranges_is_refused(void **state)
{
	pmm_alloc();
	assert_free_refused(FRAME(0x104), "not the PMM's");
	assert_free_refused(FRAME(0x1FF), "not the PMM's");
	assert_free_refused(FRAME(0x202), "not the PMM's");
}

static void
free_above_the_last_range_or_near_4_gib_is_refused(void **state)
{
	pmm_alloc();
	assert_free_refused(FRAME(0x303), "not the PMM's");
	assert_free_refused(0xFFFFF000, "not the PMM's");
}

static void
free_between_1_mib_and_the_first_range_is_refused(void **state)
{
	const struct pmm_range r[] = { { 0x180, 0x190 } };

	assert_int_equal(start(r, 1), 0);
	forget_warnings();
	assert_int_equal(pmm_free(MiB(1)), -EINVAL);
	assert_one_warning_with("0x00100000", "not the PMM's", NULL);
	assert_int_equal(pmm_free_frames(), 0x10);
}

static void
refused_free_without_a_warn_callback_is_still_refused(void **state)
{
	pfn_t s[SMALL_FRAMES];
	uint32_t b[32];          /* pmm_bitmap_words(small, 3) is 25 */

	assert_int_equal(pmm_init(small, 3, s, SMALL_FRAMES, b, NULL), 0);
	paddr_t a = pmm_alloc();
	assert_int_equal(pmm_free(a), 0);
	assert_int_equal(pmm_free(a), -EINVAL);
	assert_int_equal(pmm_free_frames(), SMALL_FRAMES);
	assert_int_equal(pmm_check(), 0);
}

/* --------------------------------------------------- reservations */

static void
reserved_frames_are_kept_from_pmm_alloc(void **state)
{
	assert_int_equal(pmm_reserve(SMALL_FRAMES - 2), 0);
	assert_int_equal(pmm_free_frames(), 2);
	assert_int_equal(pmm_reserved_frames(), SMALL_FRAMES - 2);
	assert_int_not_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_int_not_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_int_equal(pmm_alloc(), PMM_NO_FRAME);    /* the rest is promised */
	assert_int_equal(pmm_check(), 0);
}

static void
a_reservation_larger_than_free_memory_is_refused_whole(void **state)
{
	assert_int_equal(pmm_reserve(SMALL_FRAMES + 1), -ENOMEM);
	assert_int_equal(pmm_reserved_frames(), 0);
	assert_int_equal(pmm_reserve(4), 0);
	assert_int_equal(pmm_reserve(SMALL_FRAMES - 3), -ENOMEM);   /* only 5 unpromised */
	assert_int_equal(pmm_reserved_frames(), 4);
}

static void
alloc_reserved_hands_out_exactly_the_promised_frames(void **state)
{
	assert_int_equal(pmm_reserve(3), 0);
	for (int i = 0; i < SMALL_FRAMES - 3; i++)
		assert_int_not_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_int_equal(pmm_alloc(), PMM_NO_FRAME);
	for (int i = 0; i < 3; i++)
		assert_int_not_equal(pmm_alloc_reserved(), PMM_NO_FRAME);
	assert_int_equal(pmm_alloc_reserved(), PMM_NO_FRAME);   /* nothing left promised */
	assert_int_equal(pmm_reserved_frames(), 0);
	assert_int_equal(pmm_check(), 0);
}

static void
promised_frames_come_from_the_stack_then_the_reservoir(void **state)
{
	paddr_t a = pmm_alloc(), b = pmm_alloc();       /* 0x100, 0x101 */

	assert_int_equal(pmm_alloc(), FRAME(0x102));    /* stays allocated */
	assert_int_equal(pmm_free(a), 0);
	assert_int_equal(pmm_free(b), 0);               /* stack = [a, b] */
	assert_int_equal(pmm_reserve(SMALL_FRAMES - 1), 0);     /* every free frame */
	assert_int_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_int_equal(pmm_alloc_reserved(), b);
	assert_int_equal(pmm_alloc_reserved(), a);
	assert_int_equal(pmm_alloc_reserved(), FRAME(0x103));   /* then the reservoir */
	assert_int_equal(pmm_reserved_frames(), SMALL_FRAMES - 4);
	assert_int_equal(pmm_check(), 0);
}

static void
unreserve_gives_the_promise_back(void **state)
{
	assert_int_equal(pmm_reserve(5), 0);
	pmm_unreserve(2);
	assert_int_equal(pmm_reserved_frames(), 3);
	assert_int_equal(pmm_free_frames(), SMALL_FRAMES - 3);
	pmm_unreserve(100);                             /* more than promised: all of it */
	assert_int_equal(pmm_reserved_frames(), 0);
	assert_int_equal(pmm_free_frames(), SMALL_FRAMES);
}

/* ---------------------------------- pmm_check on random workloads */

static uint32_t rng_state;

static uint32_t
rng(void)
{
	return xorshift32(&rng_state);  /* fixed seed, same run every time */
}

/* Ranges with holes, 300 frames in all, so the workload hits exhaustion. */
static const struct pmm_range stress[] = {
	{ 0x100, 0x140 }, { 0x180, 0x181 }, { 0x400, 0x4A0 }, { 0x500, 0x52B },
};
#define STRESS_FRAMES (0x40 + 1 + 0xA0 + 0x2B)
#define STRESS_PFN_END 0x52B

static void
random_allocs_and_frees_keep_the_books_balanced(void **state)
{
	static bool shadow[STRESS_PFN_END];     /* frame handed out? */
	paddr_t held[STRESS_FRAMES];
	uint32_t nheld = 0;

	memset(shadow, 0, sizeof(shadow));
	assert_int_equal(start(stress, 4), 0);
	assert_int_equal(pmm_total_frames(), STRESS_FRAMES);
	rng_state = 0x2545F491;
	for (int op = 0; op < 5000; op++) {
		/* Drift between filling up and draining, to cross both ends. */
		bool grow = (op / 700) % 2 == 0 ? rng() % 4 != 0 : rng() % 4 == 0;
		if (grow) {
			paddr_t pa = pmm_alloc();
			if (nheld == STRESS_FRAMES) {
				assert_int_equal(pa, PMM_NO_FRAME);
			} else {
				assert_int_not_equal(pa, PMM_NO_FRAME);
				assert_int_equal(pa % PMM_FRAME_SIZE, 0);
				assert_true(pmm_owns(pa));
				assert_false(shadow[pmm_frame_number(pa)]);
				shadow[pmm_frame_number(pa)] = true;
				held[nheld++] = pa;
			}
		} else if (nheld > 0) {
			uint32_t i = rng() % nheld;
			paddr_t pa = held[i];
			held[i] = held[--nheld];
			assert_int_equal(pmm_free(pa), 0);
			shadow[pmm_frame_number(pa)] = false;
			if (rng() % 8 == 0)             /* and now and then, again */
				assert_int_equal(pmm_free(pa), -EINVAL);
		}
		assert_int_equal(pmm_free_frames(), STRESS_FRAMES - nheld);
		if (op % 50 == 0)
			assert_int_equal(pmm_check(), 0);
	}
	for (pfn_t f = 0; f < STRESS_PFN_END; f++)
		assert_int_equal(pmm_is_allocated(FRAME(f)), shadow[f]);
	assert_int_equal(pmm_check(), 0);
	while (nheld > 0)
		assert_int_equal(pmm_free(held[--nheld]), 0);
	assert_int_equal(pmm_free_frames(), STRESS_FRAMES);
	assert_int_equal(pmm_check(), 0);
}

/* ----------------------------------- pmm_check catches corruption */

/* Allocates and frees a and b from the small PMM: stack = [a, b]. */
static void
stack_two(paddr_t *a, paddr_t *b)
{
	*a = pmm_alloc();
	*b = pmm_alloc();
	assert_int_equal(pmm_free(*a), 0);
	assert_int_equal(pmm_free(*b), 0);
	assert_int_equal(stack[0], pmm_frame_number(*a));
	assert_int_equal(stack[1], pmm_frame_number(*b));
	assert_int_equal(pmm_check(), 0);
	forget_warnings();
}

static void
check_catches_a_frame_on_the_stack_twice(void **state)
{
	paddr_t a, b;

	stack_two(&a, &b);
	stack[1] = stack[0];
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("pmm_check", "stack entry 1", "0x00100000", NULL);
}

static void
check_catches_an_allocated_frame_on_the_stack(void **state)
{
	paddr_t a, b;

	stack_two(&a, &b);
	paddr_t c = pmm_alloc();                        /* pops b */
	paddr_t d = pmm_alloc();                        /* pops a */
	assert_int_equal(c, b);
	assert_int_equal(d, a);
	assert_int_equal(pmm_free(c), 0);               /* stack = [b] */
	forget_warnings();
	stack[0] = pmm_frame_number(d);
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("pmm_check", "stack entry 0", "0x00100000", NULL);
}

static void
check_catches_a_frame_the_pmm_does_not_own_on_the_stack(void **state)
{
	paddr_t a, b;

	stack_two(&a, &b);
	stack[1] = 0x104;                               /* a hole */
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("stack entry 1", "0x00104000", NULL);

	forget_warnings();
	stack[1] = 0xFFFFFFFF;                          /* nonsense */
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("stack entry 1", NULL);
}

static void
check_catches_a_reservoir_frame_on_the_stack(void **state)
{
	paddr_t a, b;

	stack_two(&a, &b);
	stack[1] = 0x300;
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("stack entry 1", "0x00300000", NULL);
}

/* Sets or clears frame f's bit in the caller-owned bitmap: bit f % 32
 * of word f / 32. */
static void
poke_bit(pfn_t f, bool allocated)
{
	if (allocated)
		bitmap[f / 32] |= 1u << (f % 32);
	else
		bitmap[f / 32] &= ~(1u << (f % 32));
}

static void
check_catches_a_frame_lost_by_popping_a_bogus_stack_entry(void **state)
{
	paddr_t held = pmm_alloc();                     /* 0x100, stays allocated */
	paddr_t a = pmm_alloc(), b = pmm_alloc();       /* 0x101, 0x102 */

	assert_int_equal(pmm_free(a), 0);
	assert_int_equal(pmm_free(b), 0);               /* stack = [a, b] */
	/* b's entry now names an allocated frame; popping it hands held out
	 * a second time, and b is free but on no list at all. */
	stack[1] = pmm_frame_number(held);
	assert_int_equal(pmm_alloc(), held);
	forget_warnings();
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("pmm_check", "0x00102000", "neither allocated nor on the free stack",
				NULL);
}

static void
check_catches_an_allocated_frame_whose_bit_was_cleared(void **state)
{
	pmm_alloc();
	pmm_alloc();                                    /* 0x101 */
	poke_bit(0x101, false);
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("pmm_check", "0x00101000", "neither allocated nor on the free stack",
				NULL);
}

static void
check_catches_a_reservoir_frame_marked_allocated(void **state)
{
	pmm_alloc();
	poke_bit(0x103, true);                          /* in a word already cleared */
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("pmm_check", "0x00103000", "in the reservoir but marked allocated",
				NULL);
}

static void
check_catches_a_bit_set_outside_the_owned_ranges(void **state)
{
	/* pmm_free() trusts the bit: a stray one would let it take a frame
	 * that is not the PMM's. */
	pmm_alloc();
	poke_bit(0x104, true);                          /* the hole after [0x100, 0x104) */
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("pmm_check", "0x00104000", "not the PMM's but marked allocated",
				NULL);
	poke_bit(0x104, false);
	poke_bit(0xFF, true);                           /* below the first range */
	forget_warnings();
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("0x000ff000", "not the PMM's", NULL);
}

static void
check_leaves_the_bitmap_as_it_found_it(void **state)
{
	paddr_t a, b;
	uint32_t before[4];

	pmm_alloc();                                    /* 0x100 */
	stack_two(&a, &b);                              /* stack = [0x101, 0x102] */
	memcpy(before, bitmap, sizeof(before));
	assert_int_equal(pmm_check(), 0);
	assert_memory_equal(bitmap, before, sizeof(before));
	/* Also when it stops half-way through the stack. */
	stack[1] = 0x104;
	assert_int_equal(pmm_check(), -EINVAL);
	assert_memory_equal(bitmap, before, sizeof(before));
}

/* ---------------------------------------------- the range helpers */

/* Removes [first, end) from a copy of r[0..n) (room for max) and checks
 * the result against want[0..nwant). */
static void
assert_remove_gives(const struct pmm_range *r, unsigned n, unsigned max, pfn_t first, pfn_t end,
		    const struct pmm_range *want, unsigned nwant)
{
	struct pmm_range got[8];
	unsigned ngot = n;

	assert_true(max <= 8 && n <= max);
	if (n > 0)
		memcpy(got, r, n * sizeof(*r));
	assert_int_equal(pmm_ranges_remove(got, &ngot, max, first, end), 0);
	assert_int_equal(ngot, nwant);
	for (unsigned i = 0; i < nwant; i++) {
		assert_int_equal(got[i].first, want[i].first);
		assert_int_equal(got[i].end, want[i].end);
	}
}

static const struct pmm_range three[] = { { 0x100, 0x200 }, { 0x300, 0x400 }, { 0x500, 0x600 } };

static void
ranges_remove_a_hole_at_the_start_trims_the_front(void **state)
{
	const struct pmm_range want[] = { { 0x180, 0x200 }, { 0x300, 0x400 }, { 0x500, 0x600 } };

	assert_remove_gives(three, 3, 3, 0x100, 0x180, want, 3);
	assert_remove_gives(three, 3, 3, 0x80, 0x180, want, 3);     /* starts in front */
}

static void
ranges_remove_a_hole_at_the_end_trims_the_back(void **state)
{
	const struct pmm_range want[] = { { 0x100, 0x200 }, { 0x300, 0x400 }, { 0x500, 0x580 } };

	assert_remove_gives(three, 3, 3, 0x580, 0x600, want, 3);
	assert_remove_gives(three, 3, 3, 0x580, 0x700, want, 3);    /* runs past */
}

static void
ranges_remove_a_hole_in_the_middle_splits_the_range(void **state)
{
	const struct pmm_range want[] = {
		{ 0x100, 0x200 }, { 0x300, 0x340 }, { 0x380, 0x400 }, { 0x500, 0x600 },
	};

	assert_remove_gives(three, 3, 4, 0x340, 0x380, want, 4);
}

static void
ranges_remove_covering_a_whole_range_drops_it(void **state)
{
	const struct pmm_range want[] = { { 0x100, 0x200 }, { 0x500, 0x600 } };
	const struct pmm_range want_first[] = { { 0x300, 0x400 }, { 0x500, 0x600 } };
	const struct pmm_range want_last[] = { { 0x100, 0x200 }, { 0x300, 0x400 } };

	assert_remove_gives(three, 3, 3, 0x300, 0x400, want, 2);
	assert_remove_gives(three, 3, 3, 0x280, 0x480, want, 2);
	assert_remove_gives(three, 3, 3, 0x100, 0x200, want_first, 2);
	assert_remove_gives(three, 3, 3, 0x500, 0x600, want_last, 2);
	assert_remove_gives(three, 3, 3, 0, 0x100000, NULL, 0);
}

static void
ranges_remove_spanning_several_ranges_trims_and_drops_each(void **state)
{
	const struct pmm_range want[] = { { 0x100, 0x180 }, { 0x580, 0x600 } };
	const struct pmm_range want2[] = { { 0x100, 0x180 }, { 0x500, 0x600 } };

	assert_remove_gives(three, 3, 3, 0x180, 0x580, want, 2);
	assert_remove_gives(three, 3, 3, 0x180, 0x500, want2, 2);
}

static void
ranges_remove_without_overlap_changes_nothing(void **state)
{
	assert_remove_gives(three, 3, 3, 0x200, 0x300, three, 3);   /* exactly a gap */
	assert_remove_gives(three, 3, 3, 0x10, 0x100, three, 3);
	assert_remove_gives(three, 3, 3, 0x600, 0x700, three, 3);
	assert_remove_gives(three, 3, 3, 0x380, 0x380, three, 3);   /* empty hole */
	assert_remove_gives(three, 3, 3, 0x380, 0x340, three, 3);   /* backwards */
	assert_remove_gives(NULL, 0, 3, 0x100, 0x200, NULL, 0);
}

static void
ranges_remove_refuses_a_split_beyond_max_and_leaves_ranges_unchanged(void **state)
{
	struct pmm_range r[3];
	unsigned n = 3;

	memcpy(r, three, sizeof(r));
	assert_int_equal(pmm_ranges_remove(r, &n, 3, 0x340, 0x380), -ENOSPC);
	assert_int_equal(n, 3);
	assert_memory_equal(r, three, sizeof(r));
	/* Trimming needs no new slot, so it still works when full. */
	assert_int_equal(pmm_ranges_remove(r, &n, 3, 0x300, 0x380), 0);
	assert_int_equal(r[1].first, 0x380);
}

static void
ranges_frames_sums_and_bitmap_words_cover_every_frame_up_to_the_last(void **state)
{
	assert_int_equal(pmm_ranges_frames(three, 3), 0x300);
	assert_int_equal(pmm_ranges_frames(three, 0), 0);
	/* One bit per frame number from 0 to 0x5FF, holes included. */
	assert_int_equal(pmm_bitmap_words(three, 3), 0x600 / 32);
	assert_int_equal(pmm_bitmap_words(three, 0), 0);
	const struct pmm_range one[] = { { 0x100, 0x101 } };
	const struct pmm_range odd[] = { { 0x100, 0x121 } };
	const struct pmm_range all[] = { { 0x100, 0x100000 } };
	assert_int_equal(pmm_bitmap_words(one, 1), 0x101 / 32 + 1);
	assert_int_equal(pmm_bitmap_words(odd, 1), 0x121 / 32 + 1);
	assert_int_equal(pmm_bitmap_words(all, 1), 0x100000 / 32);
	assert_int_equal(pmm_ranges_frames(all, 1), 0x100000 - 0x100);
}

/* ---------------------------------------------- at realistic size */

static void
three_gib_allocate_all_then_free_all_gives_each_frame_once(void **state)
{
	/* 3 GiB of RAM in the shape of a PC's map: a hole under 16 MiB (the
	 * kernel, say), a PCI hole, and a range above it. */
	const struct pmm_range r[] = {
		{ 0x100, 0x800 }, { 0x1000, 0xB0000 }, { 0xC0000, 0xC0000 + 0x10900 },
	};
	const uint32_t frames = 3u << (30 - PMM_FRAME_SHIFT);
	uint32_t *seen = calloc(PMM_FRAME_LIMIT / 32, sizeof(*seen));
	paddr_t *order = malloc(frames * sizeof(*order));

	assert_non_null(seen);
	assert_non_null(order);
	assert_int_equal(start(r, 3), 0);
	assert_int_equal(pmm_total_frames(), frames);
	for (uint32_t i = 0; i < frames; i++) {
		paddr_t pa = pmm_alloc();
		pfn_t f = pmm_frame_number(pa);
		if (pa == PMM_NO_FRAME || (seen[f / 32] >> (f % 32) & 1))
			fail_msg("alloc %u gave 0x%08x", i, pa);
		seen[f / 32] |= 1u << (f % 32);
		order[i] = pa;
	}
	assert_int_equal(pmm_alloc(), PMM_NO_FRAME);
	assert_int_equal(pmm_free_frames(), 0);
	assert_int_equal(pmm_check(), 0);
	for (unsigned i = 0; i < 3; i++)
		for (pfn_t f = r[i].first; f < r[i].end; f++)
			assert_true(seen[f / 32] >> (f % 32) & 1);

	/* Free in a shuffled order, so the stack ends up scrambled. */
	rng_state = 0x9E3779B9;
	for (uint32_t i = frames - 1; i > 0; i--) {
		uint32_t j = rng() % (i + 1);
		paddr_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (uint32_t i = 0; i < frames; i++)
		if (pmm_free(order[i]) != 0)
			fail_msg("free %u of 0x%08x refused", i, order[i]);
	assert_int_equal(pmm_free_frames(), frames);
	assert_int_equal(pmm_total_frames(), frames);
	assert_int_equal(pmm_check(), 0);
	assert_int_equal(pmm_alloc(), order[frames - 1]);
	assert_int_equal(warnings, 0);
	free(seen);
	free(order);
}


/* ---------------------------------------------- sharing (copy-on-write) */

static uint8_t *share_counts;

/* The small PMM with sharing set up over counts full of garbage: the PMM
 * must zero what it uses itself. */
static int
setup_small_sharing(void **state)
{
	setup_small(state);
	free(share_counts);
	share_counts = malloc(pmm_share_bytes());
	assert_non_null(share_counts);
	memset(share_counts, 0xA5, pmm_share_bytes());
	pmm_share_init(share_counts);
	return 0;
}

static int
teardown_sharing(void **state)
{
	free(share_counts);
	share_counts = NULL;
	return teardown(state);
}

static void
share_bytes_are_one_per_frame_with_a_bit(void **state)
{
	assert_int_equal(pmm_share_bytes(), 0x303);
}

static void
a_frame_handed_out_has_one_owner_and_a_free_one_none(void **state)
{
	paddr_t a = pmm_alloc();

	assert_int_equal(pmm_owners(a), 1);
	assert_int_equal(pmm_free(a), 0);
	assert_int_equal(pmm_owners(a), 0);
	assert_int_equal(pmm_owners(pmm_frame_address(0x200)), 0);     /* never handed out */
}

static void
a_shared_frame_is_freed_only_by_its_last_owner(void **state)
{
	paddr_t a = pmm_alloc();
	uint32_t free_after_alloc = pmm_free_frames();

	assert_int_equal(pmm_share(a), 0);
	assert_int_equal(pmm_share(a), 0);
	assert_int_equal(pmm_owners(a), 3);
	assert_int_equal(pmm_free(a), 0);
	assert_int_equal(pmm_free(a), 0);
	assert_int_equal(pmm_owners(a), 1);
	assert_true(pmm_is_allocated(a));
	assert_int_equal(pmm_free_frames(), free_after_alloc);
	assert_int_equal(pmm_check(), 0);
	assert_int_equal(pmm_free(a), 0);               /* the last owner */
	assert_false(pmm_is_allocated(a));
	assert_int_equal(pmm_free_frames(), free_after_alloc + 1);
	assert_int_equal(pmm_free(a), -EINVAL);         /* and then it is a double free */
	assert_int_equal(warnings, 1);
	assert_int_equal(pmm_check(), 0);
}

static void
sharing_a_frame_not_handed_out_is_refused(void **state)
{
	paddr_t a = pmm_alloc();

	pmm_free(a);
	assert_int_equal(pmm_share(a), -EINVAL);                        /* free */
	assert_int_equal(pmm_share(pmm_frame_address(0x300)), -EINVAL); /* never handed out */
	assert_int_equal(pmm_share(pmm_frame_address(0x150)), -EINVAL); /* a hole */
	assert_int_equal(pmm_share(a + 1), -EINVAL);                    /* unaligned */
	assert_int_equal(pmm_owners(a), 0);
	assert_int_equal(pmm_check(), 0);
}

static void
sharing_without_counts_is_refused(void **state)
{
	paddr_t a = pmm_alloc();

	assert_int_equal(pmm_share(a), -EINVAL);        /* pmm_share_init never called */
	assert_int_equal(pmm_owners(a), 1);
	assert_int_equal(pmm_free(a), 0);
	assert_false(pmm_is_allocated(a));
}

static void
a_count_stops_at_256_owners(void **state)
{
	paddr_t a = pmm_alloc();

	for (int i = 0; i < 255; i++)
		assert_int_equal(pmm_share(a), 0);
	assert_int_equal(pmm_owners(a), 256);
	assert_int_equal(pmm_share(a), -EAGAIN);
	assert_int_equal(pmm_owners(a), 256);
	for (int i = 0; i < 256; i++)
		assert_int_equal(pmm_free(a), 0);
	assert_false(pmm_is_allocated(a));
	assert_int_equal(pmm_check(), 0);
}

/* A frame freed with its last owner comes back with a count of 0: handed
 * out again, it has one owner, not what the last holder left. */
static void
a_frame_handed_out_again_has_one_owner(void **state)
{
	paddr_t a = pmm_alloc();

	pmm_share(a);
	pmm_free(a);
	pmm_free(a);
	assert_int_equal(pmm_alloc(), a);               /* LIFO: the same frame */
	assert_int_equal(pmm_owners(a), 1);
	assert_int_equal(pmm_free(a), 0);
	assert_false(pmm_is_allocated(a));
}

static void
check_catches_a_free_frame_counted_as_shared(void **state)
{
	paddr_t a = pmm_alloc(), b = pmm_alloc();

	pmm_share(a);
	pmm_free(b);
	share_counts[pmm_frame_number(b)] = 1;          /* b's chunk is a's: zeroed */
	assert_int_equal(pmm_check(), -EINVAL);
	assert_one_warning_with("free but counted as shared", NULL);
}

int
main(void)
{
	filter_tests_from_environment();
#define T(name) cmocka_unit_test_teardown(name, teardown)
#define S(name) cmocka_unit_test_setup_teardown(name, setup_small, teardown)
	const struct CMUnitTest tests[] = {
		T(init_accepts_sorted_disjoint_ranges_and_counts_their_frames),
		T(init_accepts_touching_ranges_and_the_last_frame_below_4_gib),
		T(init_rejects_unsorted_ranges),
		T(init_rejects_overlapping_ranges),
		T(init_rejects_empty_and_backwards_ranges),
		T(init_rejects_a_range_below_1_mib),
		T(init_rejects_a_range_ending_above_4_gib),
		T(init_rejects_more_ranges_than_it_can_hold),
		T(init_rejects_a_stack_too_small_for_every_frame),
		T(init_with_no_ranges_gives_an_empty_pmm),
		S(freed_frames_come_back_last_in_first_out),
		S(exhaustion_returns_no_frame_then_a_freed_frame_comes_back),
		S(double_free_is_refused_with_a_warning_and_changes_nothing),
		S(start_up_pushes_nothing_every_frame_waits_in_the_reservoir),
		S(reservoir_hands_out_frames_in_ascending_order_across_ranges),
		S(free_of_a_reservoir_frame_never_allocated_is_refused),
		S(a_frames_bit_is_bit_f_of_the_bitmap_counted_from_frame_0),
		T(init_writes_nothing_and_words_are_cleared_as_the_cursor_reaches_them),
		S(owns_and_is_allocated_follow_the_frame_through_its_life),
		S(unaligned_free_is_refused),
		S(free_below_1_mib_is_refused),
		S(free_in_a_hole_between_ranges_is_refused),
		S(free_above_the_last_range_or_near_4_gib_is_refused),
		T(free_between_1_mib_and_the_first_range_is_refused),
		T(refused_free_without_a_warn_callback_is_still_refused),
		S(reserved_frames_are_kept_from_pmm_alloc),
		S(a_reservation_larger_than_free_memory_is_refused_whole),
		S(alloc_reserved_hands_out_exactly_the_promised_frames),
		S(promised_frames_come_from_the_stack_then_the_reservoir),
		S(unreserve_gives_the_promise_back),
		T(random_allocs_and_frees_keep_the_books_balanced),
		S(check_catches_a_frame_on_the_stack_twice),
		S(check_catches_an_allocated_frame_on_the_stack),
		S(check_catches_a_frame_the_pmm_does_not_own_on_the_stack),
		S(check_catches_a_reservoir_frame_on_the_stack),
		S(check_catches_a_frame_lost_by_popping_a_bogus_stack_entry),
		S(check_catches_an_allocated_frame_whose_bit_was_cleared),
		S(check_catches_a_reservoir_frame_marked_allocated),
		S(check_catches_a_bit_set_outside_the_owned_ranges),
		S(check_leaves_the_bitmap_as_it_found_it),
		T(ranges_remove_a_hole_at_the_start_trims_the_front),
		T(ranges_remove_a_hole_at_the_end_trims_the_back),
		T(ranges_remove_a_hole_in_the_middle_splits_the_range),
		T(ranges_remove_covering_a_whole_range_drops_it),
		T(ranges_remove_spanning_several_ranges_trims_and_drops_each),
		T(ranges_remove_without_overlap_changes_nothing),
		T(ranges_remove_refuses_a_split_beyond_max_and_leaves_ranges_unchanged),
		T(ranges_frames_sums_and_bitmap_words_cover_every_frame_up_to_the_last),
		T(three_gib_allocate_all_then_free_all_gives_each_frame_once),
		S(share_bytes_are_one_per_frame_with_a_bit),
		S(sharing_without_counts_is_refused),
		cmocka_unit_test_setup_teardown(a_frame_handed_out_has_one_owner_and_a_free_one_none, setup_small_sharing, teardown_sharing),
		cmocka_unit_test_setup_teardown(a_shared_frame_is_freed_only_by_its_last_owner, setup_small_sharing, teardown_sharing),
		cmocka_unit_test_setup_teardown(sharing_a_frame_not_handed_out_is_refused, setup_small_sharing, teardown_sharing),
		cmocka_unit_test_setup_teardown(a_count_stops_at_256_owners, setup_small_sharing, teardown_sharing),
		cmocka_unit_test_setup_teardown(a_frame_handed_out_again_has_one_owner, setup_small_sharing, teardown_sharing),
		cmocka_unit_test_setup_teardown(check_catches_a_free_frame_counted_as_shared, setup_small_sharing, teardown_sharing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
