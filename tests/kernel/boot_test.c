/*
 * Tests of the boot path (src/boot/entry.asm, src/kernel/main.c,
 * src/base/multiboot.c, src/kernel/gdt.c): what the kernel should find
 * true once it is running.
 */
#include <gdt.h>
#include <ktest.h>
#include <layout.h>
#include <mmu.h>
#include <multiboot.h>
#include <string.h>
#include <x86.h>

static void
wrong_magic_is_refused(struct ktest *t)
{
	KEXPECT_FALSE(t, multiboot_magic_ok(0));
	KEXPECT_FALSE(t, multiboot_magic_ok(MULTIBOOT_HEADER_MAGIC));
	KEXPECT_TRUE(t, multiboot_magic_ok(MULTIBOOT_BOOTLOADER_MAGIC));
}

static void
kernel_runs_in_the_higher_half(struct ktest *t)
{
	KEXPECT_GE(t, (uintptr_t)wrong_magic_is_refused, KERNEL_BASE + KERNEL_LOAD_PHYS);
	KEXPECT_LT(t, (uintptr_t)wrong_magic_is_refused, (uintptr_t)text_end);
	KEXPECT_TRUE(t, read_cr0() & CR0_PG);
	KEXPECT_TRUE(t, read_cr0() & CR0_WP);
}

static void
segments_are_the_kernel_ones(struct ktest *t)
{
	uint16_t cs, ds, ss;

	__asm__ volatile("mov %%cs, %0; mov %%ds, %1; mov %%ss, %2" : "=r"(cs), "=r"(ds), "=r"(ss));
	KEXPECT_EQ(t, cs, SEG_KERNEL_CODE);
	KEXPECT_EQ(t, ds, SEG_KERNEL_DATA);
	KEXPECT_EQ(t, ss, SEG_KERNEL_DATA);
}

/* The header asks for the memory sizes and the map
 * (MULTIBOOT_MEMORY_INFO). GRUB and QEMU give both; v86's loader gives
 * only the map (flag bit 0 clear, mem_upper 0), which is all physmem.c
 * needs. So: a map, or at least the sizes, and whichever came is sane. */
static void
loader_gave_memory_information(struct ktest *t)
{
	const struct multiboot_info *mbi = multiboot_info();

	KEXPECT_TRUE(t, mbi->flags & (MULTIBOOT_INFO_MEM_MAP | MULTIBOOT_INFO_MEMORY));
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP)
		KEXPECT_GT(t, mbi->mmap_length, 0);
	if (mbi->flags & MULTIBOOT_INFO_MEMORY)
		KEXPECT_GT(t, mbi->mem_upper, 0);
}

static void
command_line_has_no_kernel_path(struct ktest *t)
{
	/* QEMU -kernel puts build/kernel.elf first: it must have been skipped,
	 * whatever order the options come in. */
	const char *line = multiboot_cmdline();

	KEXPECT_NE(t, line[0], ' ');
	KEXPECT_NULL(t, strstr(line, "kernel.elf"));
}

KTEST_SUITE(boot,
	KTEST_CASE(wrong_magic_is_refused),
	KTEST_CASE(kernel_runs_in_the_higher_half),
	KTEST_CASE(segments_are_the_kernel_ones),
	KTEST_CASE(loader_gave_memory_information),
	KTEST_CASE(command_line_has_no_kernel_path));
