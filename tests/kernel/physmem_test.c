/*
 * Tests of src/mm/physmem.c: reading the loader's memory information,
 * the booted map's shape, and what is kept away from the frame allocator.
 */
#include <bootargs.h>
#include <cairn/errno.h>
#include <ktest.h>
#include <layout.h>
#include <memmap.h>
#include <multiboot.h>
#include <mmu.h>
#include <paging.h>
#include <physmem.h>
#include <pmm.h>

static struct memmap scratch;   /* 16 KiB: too big for the test's stack */

static void
without_a_map_mem_lower_and_upper_are_used(struct ktest *t)
{
	struct multiboot_info mbi = { .flags = MULTIBOOT_INFO_MEMORY, .mem_lower = 639, .mem_upper = 31744 };

	memmap_init(&scratch);
	KASSERT_EQ(t, physmem_read_firmware(&scratch, &mbi), 0);
	memmap_sanitize(&scratch);
	KASSERT_EQ(t, scratch.nrange, 2);
	KEXPECT_EQ(t, scratch.range[0].first, 0);
	KEXPECT_EQ(t, scratch.range[0].last, 639 * 1024 - 1);
	KEXPECT_EQ(t, scratch.range[1].first, 0x100000);
	KEXPECT_EQ(t, scratch.range[1].last, 0x100000 + 31744 * 1024 - 1);
	KEXPECT_EQ(t, scratch.range[1].type, MEMMAP_USABLE);
}

static void
no_memory_information_is_an_error(struct ktest *t)
{
	struct multiboot_info mbi = { .flags = 0 };

	memmap_init(&scratch);
	KEXPECT_EQ(t, physmem_read_firmware(&scratch, &mbi), -EINVAL);
	KEXPECT_EQ(t, scratch.nfirmware, 0);
}

static void
booted_map_is_sorted_disjoint_and_merged(struct ktest *t)
{
	const struct memmap *m = physmem_map();

	KASSERT_GT(t, m->nrange, 0);
	for (int i = 1; i < m->nrange; i++) {
		KEXPECT_LT(t, m->range[i - 1].last, m->range[i].first);
		if (m->range[i - 1].last + 1 == m->range[i].first)
			KEXPECT_NE(t, m->range[i - 1].type, m->range[i].type);
	}
}

static bool
reserved_covers(const char *what, uint64_t pa)
{
	const struct boot_region *r;
	unsigned n = physmem_reserved(&r);

	for (unsigned i = 0; i < n; i++)
		if (ktest_streq(r[i].what, what) && pa >= r[i].first && pa < r[i].end)
			return true;
	return false;
}

static void
kernel_and_boot_data_are_reserved(struct ktest *t)
{
	KEXPECT_TRUE(t, reserved_covers("kernel image", KERNEL_LOAD_PHYS));
	KEXPECT_TRUE(t, reserved_covers("kernel image", kernel_virt_to_phys(bss_end) - 1));
	KEXPECT_TRUE(t, reserved_covers("multiboot info", multiboot_info_phys()));
	KEXPECT_TRUE(t, reserved_covers("memory map", multiboot_info()->mmap_addr));
	KEXPECT_FALSE(t, pmm_owns(KERNEL_LOAD_PHYS));
	KEXPECT_FALSE(t, pmm_owns(kernel_virt_to_phys(bss_end) - PMM_FRAME_SIZE));
}

/* Every memmap= the kernel applied that is not usable RAM keeps its
 * frames from the PMM (any type beats usable where they overlap). The
 * edits come from the kernel's own map: with more memmap= options than it
 * has room for, the extra ones were ignored (with a warning), and the
 * test once checked the last one on the line anyway. */
static void
memmap_reservation_keeps_frames_out(struct ktest *t)
{
	const struct memmap *m = physmem_map();
	unsigned checked = 0;

	for (int i = 0; i < m->nedit; i++) {
		const struct memmap_raw *e = &m->edit[i];
		if (e->type == MEMMAP_USABLE)
			continue;
		for (uint64_t pa = e->base & ~(uint64_t)(PMM_FRAME_SIZE - 1);
		     pa < e->base + e->length && pa < 0x100000000ull; pa += PMM_FRAME_SIZE)
			KASSERT_FALSE(t, pmm_owns((paddr_t)pa));
		checked++;
	}
	if (checked == 0)
		ktest_skip(t, "boot with memmap=SIZE$ADDR to run this");
}

/* The PMM's stack and bitmap frames are taken one by one and may skip a
 * hole; the reserved list once claimed one contiguous run from the first. */
static void
pmm_metadata_frames_are_listed_as_reserved(struct ktest *t)
{
	unsigned bad = 0;

	for (uintptr_t va = PMM_META_BASE; va < PMM_META_LIMIT; va += PAGE_SIZE) {
		pte_t pte = *paging_kernel_pte(va);
		if (!(pte & PTE_PRESENT))
			break;
		if (!reserved_covers(PHYSMEM_PMM_DATA_NAME, pte & PTE_FRAME_MASK))
			bad++;
	}
	KEXPECT_EQ(t, bad, 0);
}

static void
empty_firmware_map_falls_back_to_memory_sizes(struct ktest *t)
{
	struct multiboot_info mbi = {
		.flags = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_MEM_MAP,
		.mem_lower = 639, .mem_upper = 31744,
		.mmap_addr = multiboot_info()->mmap_addr, .mmap_length = 0,
	};

	memmap_init(&scratch);
	KASSERT_EQ(t, physmem_read_firmware(&scratch, &mbi), 0);
	KEXPECT_EQ(t, scratch.nfirmware, 2);
}

/* Every module the loader passed is kept from the PMM, however many: 24
 * programs once overflowed a fixed list and the last ones went unreserved. */
static void
every_module_is_reserved(struct ktest *t)
{
	struct boot_module m;
	unsigned owned = 0;

	if (multiboot_module_count() == 0)
		ktest_skip(t, "boot with modules to run this");
	for (unsigned i = 0; i < multiboot_module_count(); i++) {
		KASSERT_EQ(t, multiboot_module(i, &m), 0);
		for (uint32_t pa = page_round_down(m.start); pa < m.end; pa += PMM_FRAME_SIZE)
			owned += pmm_owns(pa);
	}
	KEXPECT_EQ(t, owned, 0);
}

KTEST_SUITE(physmem,
	KTEST_CASE(every_module_is_reserved),
	KTEST_CASE(pmm_metadata_frames_are_listed_as_reserved),
	KTEST_CASE(empty_firmware_map_falls_back_to_memory_sizes),
	KTEST_CASE(without_a_map_mem_lower_and_upper_are_used),
	KTEST_CASE(no_memory_information_is_an_error),
	KTEST_CASE(booted_map_is_sorted_disjoint_and_merged),
	KTEST_CASE(kernel_and_boot_data_are_reserved),
	KTEST_CASE(memmap_reservation_keeps_frames_out));
