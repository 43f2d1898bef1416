/*
 * Tests of the kernel's own mappings (src/mm/paging.c: paging_init): after
 * boot, the null page and low memory fault, the kernel cannot write its
 * own code or constants, and the page under the boot stack is a guard.
 */
#include <ktest.h>
#include <layout.h>
#include <mmu.h>
#include <paging.h>
#include <trap.h>

extern char boot_stack_guard[];
static const uint32_t constant = 0xC0FFEE;

static void read_null(void *arg) { (void)*(volatile uint32_t *)0; }
static void read_low_memory(void *arg) { (void)*(volatile uint32_t *)(KERNEL_BASE + 0x500); }
static void write_text(void *arg) { *(volatile uint8_t *)(uintptr_t)read_null = 0xC3; }
static void write_rodata(void *arg) { *(volatile uint32_t *)&constant = 0; }
static void touch_guard(void *arg) { (void)*(volatile uint32_t *)(boot_stack_guard + 64); }
static void read_past_image(void *arg) { (void)*(volatile uint32_t *)kernel_end; }

/* Runs fn expecting a page fault at addr with these error bits. */
static void
expect_page_fault(struct ktest *t, void (*fn)(void *), const void *addr, uint32_t bits)
{
	struct trapframe tf;
	uint32_t cr2;

	KASSERT_TRUE(t, ktest_catch_fault(T_PAGE_FAULT, fn, NULL, &tf, &cr2));
	KEXPECT_EQ(t, cr2, (uintptr_t)addr);
	KEXPECT_EQ(t, tf.error & (PF_PRESENT | PF_WRITE | PF_USER), bits);
}

static void
null_page_faults(struct ktest *t)
{
	expect_page_fault(t, read_null, NULL, 0);
}

static void
low_memory_is_unmapped(struct ktest *t)
{
	expect_page_fault(t, read_low_memory, (void *)(KERNEL_BASE + 0x500), 0);
}

static void
kernel_text_is_read_only(struct ktest *t)
{
	expect_page_fault(t, write_text, (void *)read_null, PF_PRESENT | PF_WRITE);
}

static void
kernel_rodata_is_read_only(struct ktest *t)
{
	expect_page_fault(t, write_rodata, &constant, PF_PRESENT | PF_WRITE);
	KEXPECT_EQ(t, constant, 0xC0FFEE);
}

static void
boot_stack_guard_page_faults(struct ktest *t)
{
	expect_page_fault(t, touch_guard, boot_stack_guard + 64, 0);
}

static void
memory_past_the_image_is_unmapped(struct ktest *t)
{
	expect_page_fault(t, read_past_image, kernel_end, 0);
}

static void
data_stays_writable(struct ktest *t)
{
	static volatile uint32_t word = 1;

	word = 2;
	KEXPECT_EQ(t, word, 2);
	KEXPECT_TRUE(t, *paging_kernel_pte((uintptr_t)&word) & PTE_WRITABLE);
	KEXPECT_FALSE(t, *paging_kernel_pte((uintptr_t)text_start) & PTE_WRITABLE);
}

KTEST_SUITE(paging,
	KTEST_CASE(null_page_faults),
	KTEST_CASE(low_memory_is_unmapped),
	KTEST_CASE(kernel_text_is_read_only),
	KTEST_CASE(kernel_rodata_is_read_only),
	KTEST_CASE(boot_stack_guard_page_faults),
	KTEST_CASE(memory_past_the_image_is_unmapped),
	KTEST_CASE(data_stays_writable));
