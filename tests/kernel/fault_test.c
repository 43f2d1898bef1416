/*
 * Tests of the page-fault explanations (src/mm/fault.c): each kind of
 * address and error code gets the words a student needs.
 */
#include <fault.h>
#include <format.h>
#include <ktest.h>
#include <mmu.h>
#include <layout.h>
#include <trap.h>
#include <uaccess.h>

extern char boot_stack_guard[];

static void
regions_are_named(struct ktest *t)
{
	KEXPECT_STREQ(t, fault_region(0), "the null page");
	KEXPECT_STREQ(t, fault_region(0xFFF), "the null page");
	KEXPECT_STREQ(t, fault_region(USER_TEXT_BASE), "user space");
	KEXPECT_STREQ(t, fault_region((uintptr_t)text_start), "kernel text");
	KEXPECT_STREQ(t, fault_region((uintptr_t)rodata_start), "kernel read-only data");
	KEXPECT_STREQ(t, fault_region((uintptr_t)boot_stack_guard + 100), "the guard page under the kernel stack");
	KEXPECT_STREQ(t, fault_region(KSTACK_BASE + 100), "the guard page under a process's kernel stack");
	KEXPECT_STREQ(t, fault_region(KSTACK_BASE + KSTACK_SLOT_SIZE + PAGE_SIZE), "a process's kernel stack");
	KEXPECT_STREQ(t, fault_region(KSTACK_BASE + 2 * KSTACK_SLOT_SIZE - 1), "a process's kernel stack");
	KEXPECT_STREQ(t, fault_region(KHEAP_BASE), "the kernel heap region");
	KEXPECT_STREQ(t, fault_region(RECURSIVE_DIRECTORY), "the page tables (recursive mapping)");
	KEXPECT_STREQ(t, fault_region(KMAP_BASE), "a kmap window");
}

static void
error_codes_are_explained(struct ktest *t)
{
	char line[128];

	KEXPECT_STREQ(t, fault_describe(PF_WRITE, 0, line, sizeof(line)),
		      "write at 0x00000000: not present (the null page)");
	KEXPECT_STREQ(t, fault_describe(PF_PRESENT | PF_WRITE, (uintptr_t)text_start, line, sizeof(line)),
		      "write at 0xc0101000: read-only (kernel text)");
	KEXPECT_STREQ(t, fault_describe(PF_PRESENT | PF_USER, RECURSIVE_DIRECTORY, line, sizeof(line)),
		      "read at 0xfffff000: a kernel page (user access denied) (the page tables (recursive mapping))");
	KEXPECT_STREQ(t, fault_describe(PF_PRESENT | PF_WRITE | PF_USER, USER_TEXT_BASE, line, sizeof(line)),
		      "write at 0x08048000: read-only (user space)");
	/* A user write to writable kernel data is refused for being the
	 * kernel's, not for being read-only. */
	char expected[128];
	snprintf(expected, sizeof(expected), "write at 0x%08x: a kernel page (user access denied) (kernel data)",
		 (uint32_t)(uintptr_t)data_start);
	KEXPECT_STREQ(t, fault_describe(PF_PRESENT | PF_WRITE | PF_USER, (uintptr_t)data_start, line, sizeof(line)),
		      expected);
	KEXPECT_STREQ(t, fault_describe(PF_PRESENT | PF_WRITE, USER_TEXT_BASE, line, sizeof(line)),
		      uaccess_smap_enabled() ? "write at 0x08048000: a user page touched by the kernel (SMAP) (user space)"
					     : "write at 0x08048000: read-only (user space)");
	if (uaccess_smep_enabled())
		KEXPECT_STREQ(t, fault_describe(PF_PRESENT | PF_FETCH, USER_TEXT_BASE, line, sizeof(line)),
			      "execute at 0x08048000: a user page run by the kernel (SMEP) (user space)");
	KEXPECT_STREQ(t, fault_describe(PF_RESERVED | PF_PRESENT, 0x1000, line, sizeof(line)),
		      "read at 0x00001000: a reserved bit is set in its page entry (user space)");
}

KTEST_SUITE(fault,
	KTEST_CASE(regions_are_named),
	KTEST_CASE(error_codes_are_explained));
