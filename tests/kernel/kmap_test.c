/*
 * Tests of src/mm/kmap.c's reads of physical memory: strings that cross a
 * page boundary (each page through a window of its own), strings longer
 * than the buffer, and bytes past 4 GiB.
 */
#include <cairn/errno.h>
#include <kmap.h>
#include <ktest.h>
#include <layout.h>
#include <string.h>

/* Two pages of the kernel image: physically contiguous, like any part of
 * it, so a string may run from one into the next. */
static char two_pages[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void
a_string_across_a_page_boundary_is_read_whole(struct ktest *t)
{
	char buf[64];
	char *s = two_pages + PAGE_SIZE - 5;            /* "abcde" | "fghij\0" */

	memcpy(s, "abcdefghij", 11);
	KEXPECT_EQ(t, phys_read_string(buf, sizeof(buf), kernel_virt_to_phys(s)), 10);
	KEXPECT_STREQ(t, buf, "abcdefghij");
}

static void
a_long_string_is_cut_to_the_buffer_and_its_length_told(struct ktest *t)
{
	char buf[8];

	memset(two_pages, 'x', sizeof(two_pages) - 1);  /* 8191 characters, then NUL */
	two_pages[sizeof(two_pages) - 1] = '\0';
	KEXPECT_EQ(t, phys_read_string(buf, sizeof(buf), kernel_virt_to_phys(two_pages)), 8191);
	KEXPECT_STREQ(t, buf, "xxxxxxx");
	two_pages[3] = '\0';
	KEXPECT_EQ(t, phys_read_string(buf, 4, kernel_virt_to_phys(two_pages)), 3);
	KEXPECT_STREQ(t, buf, "xxx");                   /* exactly fills it */
	KEXPECT_EQ(t, phys_read_string(buf, sizeof(buf), kernel_virt_to_phys(two_pages + 3)), 0);
	KEXPECT_STREQ(t, buf, "");
}

static void
reads_past_4_gib_are_refused(struct ktest *t)
{
	char buf[8];

	KEXPECT_EQ(t, phys_read(buf, 0xFFFFFFFCull, 8), -EFAULT);
	KEXPECT_EQ(t, phys_read_string(buf, sizeof(buf), 0x100000000ull), -EFAULT);
}

KTEST_SUITE(kmap,
	KTEST_CASE(a_string_across_a_page_boundary_is_read_whole),
	KTEST_CASE(a_long_string_is_cut_to_the_buffer_and_its_length_told),
	KTEST_CASE(reads_past_4_gib_are_refused));
