/*
 * Tests of src/kernel/process.c: a program that cannot start ends killed
 * with the reason in words, whichever step ran out of memory, and gives
 * back every frame. (Programs that start are run=all's: see
 * scripts/test-all.sh.)
 */
#include <ktest.h>
#include <pmm.h>
#include <process.h>

#include "tiny_elf.h"

/* Runs the tiny program with all but `left` free frames set aside;
 * expects it refused with `reason` and nothing leaked. */
static void
expect_start_refused(struct ktest *t, uint32_t left, const char *reason)
{
	struct run_result r;
	struct tiny_elf f;
	struct boot_module m = { .name = "tiny" };

	tiny_elf_make(&f);
	m.start = tiny_elf_in_frame(&f);
	KASSERT_NE(t, m.start, PMM_NO_FRAME);
	m.end = m.start + sizeof(f);
	uint32_t free_before = pmm_free_frames();
	KASSERT_EQ(t, pmm_reserve(free_before - left), 0);
	process_run(&m, &r);
	pmm_unreserve(free_before - left);
	KEXPECT_EQ(t, r.leaked_frames, 0);
	KEXPECT_EQ(t, r.leaked_heap_bytes, 0);
	KEXPECT_TRUE(t, r.killed);
	KEXPECT_STREQ(t, r.reason, reason);
	pmm_free(m.start);
}

/* The tiny program needs a kernel stack (KSTACK_PAGES frames; its entry
 * comes from the kernel heap, which has room), a directory, one page
 * table (text and bss share it), a text page, two bss pages, then a
 * table and 16 pages of stack. */
static void
no_frame_for_the_kernel_stack(struct ktest *t)
{
	expect_start_refused(t, KSTACK_PAGES - 1, "out of memory for its kernel stack");
}

static void
no_frame_for_the_directory(struct ktest *t)
{
	expect_start_refused(t, KSTACK_PAGES, "out of memory for its page directory");
}

static void
no_frame_for_the_program(struct ktest *t)
{
	expect_start_refused(t, KSTACK_PAGES + 3, "out of memory while loading its program");
}

static void
no_frame_for_the_stack(struct ktest *t)
{
	expect_start_refused(t, KSTACK_PAGES + 5, "out of memory for its stack");
}

KTEST_SUITE(process,
	KTEST_CASE(no_frame_for_the_kernel_stack),
	KTEST_CASE(no_frame_for_the_directory),
	KTEST_CASE(no_frame_for_the_program),
	KTEST_CASE(no_frame_for_the_stack));
