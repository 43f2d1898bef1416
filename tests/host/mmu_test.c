/* Host tests of include/mmu.h: splitting addresses, rounding, the
 * recursive addresses and the entry bits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "test_filter.h"

#include <layout.h>
#include <mmu.h>

static void
address_splits_into_directory_table_and_offset(void **state)
{
	uintptr_t va = 0xC0103ABC;      /* 1100000000 0100000011 101010111100 */

	assert_int_equal(pde_index(va), 768);
	assert_int_equal(pte_index(va), 0x103);
	assert_int_equal(page_offset(va), 0xABC);
	assert_int_equal(pde_index(0xFFFFFFFF), 1023);
	assert_int_equal(pte_index(0xFFFFFFFF), 1023);
	assert_int_equal(pde_index(KERNEL_BASE), KERNEL_PDE_FIRST);
}

static void
rounding_to_pages(void **state)
{
	assert_int_equal(page_round_down(0x1FFF), 0x1000);
	assert_int_equal(page_round_up(0x1001), 0x2000);
	assert_int_equal(page_round_up(0x2000), 0x2000);
	assert_true(page_aligned(0x3000));
	assert_false(page_aligned(0x3004));
}

static void
recursive_addresses_are_formed_from_the_indexes(void **state)
{
	/* Directory entry i of the current directory, and entry j of table i. */
	assert_int_equal(recursive_pde_address(0x00000000), RECURSIVE_DIRECTORY);
	assert_int_equal(recursive_pde_address(KERNEL_BASE), RECURSIVE_DIRECTORY + 768 * 4);
	assert_int_equal(recursive_pte_address(0x00000000), RECURSIVE_BASE);
	assert_int_equal(recursive_pte_address(0x08048000), RECURSIVE_BASE + 32 * 4096 + 0x48 * 4);
	/* The recursive region's own entries: table 1023 is the directory. */
	assert_int_equal(recursive_pte_address(RECURSIVE_BASE), RECURSIVE_DIRECTORY);
	assert_int_equal(RECURSIVE_BASE, (uintptr_t)RECURSIVE_PDE << PDE_SHIFT);
}

static void
entry_bits_are_distinct_and_below_the_frame(void **state)
{
	uint32_t bits[] = { PTE_PRESENT, PTE_WRITABLE, PTE_USER, PTE_WRITETHROUGH, PTE_NOCACHE,
			    PTE_ACCESSED, PTE_DIRTY, PTE_GLOBAL };
	uint32_t seen = 0;

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		assert_int_equal(bits[i] & (bits[i] - 1), 0);  /* one bit each */
		assert_int_equal(seen & bits[i], 0);
		assert_int_equal(bits[i] & PTE_FRAME_MASK, 0);
		seen |= bits[i];
	}
	assert_int_equal(PTE_FRAME_MASK | PTE_FLAGS_MASK, 0xFFFFFFFF);
	assert_int_equal(PAGE_SIZE, 1 << PAGE_SHIFT);
}

int
main(void)
{
	filter_tests_from_environment();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(address_splits_into_directory_table_and_offset),
		cmocka_unit_test(rounding_to_pages),
		cmocka_unit_test(recursive_addresses_are_formed_from_the_indexes),
		cmocka_unit_test(entry_bits_are_distinct_and_below_the_frame),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
