/*
 * Tests of the virtual memory manager (src/mm/vmm.c) on the real MMU:
 * mappings round-trip, the TLB is invalidated, the recursive mapping
 * shows what it should, other address spaces can be edited, and address
 * spaces give back every frame.
 */
#include <cairn/errno.h>
#include <kmap.h>
#include <ktest.h>
#include <mmu.h>
#include <layout.h>
#include <string.h>
#include <trap.h>
#include <vmm.h>
#include <x86.h>

#define TEST_VA 0x40000000u             /* a user address, far from programs */
#define KERNEL_VA 0xF0000000u           /* unused kernel space (include/layout.h) */

/* A frame filled with one 32-bit pattern. */
static paddr_t
frame_with(uint32_t pattern)
{
	paddr_t pa = pmm_alloc();

	if (pa != PMM_NO_FRAME) {
		uint32_t *w = kmap(pa);
		for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
			w[i] = pattern;
		kunmap(w);
	}
	return pa;
}

/* Reads va in the kernel, with SMAP's window open for a user page. */
static uint32_t
peek(uintptr_t va)
{
	uint32_t value;

	if (read_cr4() & CR4_SMAP)
		__asm__ volatile("stac; movl (%1), %0; clac" : "=r"(value) : "r"(va) : "memory");
	else
		value = *(volatile uint32_t *)va;
	return value;
}

static void
map_translate_unmap_round_trip(struct ktest *t)
{
	struct address_space *k = vmm_kernel_space();
	uint32_t free_before = pmm_free_frames();
	paddr_t pa = frame_with(0x11111111), back, out;
	uint32_t flags;

	KASSERT_NE(t, pa, PMM_NO_FRAME);
	KASSERT_EQ(t, vmm_map(k, TEST_VA, pa, PTE_WRITABLE | PTE_USER), 0);
	KEXPECT_EQ(t, vmm_translate(k, TEST_VA + 0x123, &out), 0);
	KEXPECT_EQ(t, out, pa + 0x123);
	KEXPECT_EQ(t, vmm_query(k, TEST_VA, &flags), 0);
	KEXPECT_EQ(t, flags & (PTE_PRESENT | PTE_WRITABLE | PTE_USER), PTE_PRESENT | PTE_WRITABLE | PTE_USER);
	KEXPECT_EQ(t, peek(TEST_VA), 0x11111111);
	KEXPECT_EQ(t, vmm_unmap(k, TEST_VA, &back), 0);
	KEXPECT_EQ(t, back, pa);
	KEXPECT_EQ(t, vmm_translate(k, TEST_VA, &out), -ENOENT);
	pmm_free(pa);
	/* The page table made for TEST_VA went back when it emptied. */
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
}

static void
mapping_over_a_present_page_is_refused(struct ktest *t)
{
	struct address_space *k = vmm_kernel_space();
	paddr_t a = frame_with(1), b = frame_with(2), out;

	KASSERT_EQ(t, vmm_map(k, TEST_VA, a, PTE_WRITABLE), 0);
	KEXPECT_EQ(t, vmm_map(k, TEST_VA, b, PTE_WRITABLE), -EEXIST);
	KEXPECT_EQ(t, vmm_translate(k, TEST_VA, &out), 0);
	KEXPECT_EQ(t, out, a);          /* the first mapping stands */
	vmm_unmap(k, TEST_VA, NULL);
	pmm_free(a);
	pmm_free(b);
}

static void
bad_requests_are_refused(struct ktest *t)
{
	struct address_space *k = vmm_kernel_space();
	paddr_t pa = frame_with(0);
	uint32_t free_before = pmm_free_frames();

	KEXPECT_EQ(t, vmm_map(k, TEST_VA + 1, pa, 0), -EINVAL);            /* unaligned va */
	KEXPECT_EQ(t, vmm_map(k, TEST_VA, pa + 8, 0), -EINVAL);            /* unaligned frame */
	KEXPECT_EQ(t, vmm_map(k, RECURSIVE_BASE, pa, 0), -EINVAL);         /* the page tables */
	KEXPECT_EQ(t, vmm_map(k, RECURSIVE_DIRECTORY, pa, 0), -EINVAL);
	KEXPECT_EQ(t, vmm_map(k, KMAP_BASE, pa, 0), -EINVAL);              /* kmap's windows */
	KEXPECT_EQ(t, vmm_map(k, KHEAP_BASE, pa, PTE_USER), -EINVAL);      /* user access to the kernel */
	KEXPECT_EQ(t, vmm_map(k, TEST_VA, pa, PTE_DIRTY), -EINVAL);        /* a flag callers cannot set */
	KEXPECT_EQ(t, vmm_map(k, (uintptr_t)text_start, pa, 0), -EEXIST);  /* the kernel image */
	KEXPECT_EQ(t, vmm_unmap(k, TEST_VA, NULL), -ENOENT);
	KEXPECT_EQ(t, vmm_unmap(k, RECURSIVE_BASE, NULL), -EINVAL);
	KEXPECT_EQ(t, vmm_protect(k, TEST_VA, PTE_WRITABLE), -ENOENT);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);  /* no page table leaked */
	pmm_free(pa);
}

static void
remapping_invalidates_the_tlb(struct ktest *t)
{
	struct address_space *k = vmm_kernel_space();
	paddr_t a = frame_with(0xAAAAAAAA), b = frame_with(0xBBBBBBBB);

	KASSERT_EQ(t, vmm_map(k, KERNEL_VA, a, PTE_WRITABLE), 0);
	KEXPECT_EQ(t, *(volatile uint32_t *)KERNEL_VA, 0xAAAAAAAA);   /* now in the TLB */
	*(volatile uint32_t *)KERNEL_VA = 0xA0A0A0A0;                  /* write through it */
	KASSERT_EQ(t, vmm_unmap(k, KERNEL_VA, NULL), 0);
	KASSERT_EQ(t, vmm_map(k, KERNEL_VA, b, PTE_WRITABLE), 0);
	KEXPECT_EQ(t, *(volatile uint32_t *)KERNEL_VA, 0xBBBBBBBB);   /* the new frame */
	uint32_t *w = kmap(a);
	KEXPECT_EQ(t, w[0], 0xA0A0A0A0);                                /* the write went to a */
	kunmap(w);
	vmm_unmap(k, KERNEL_VA, NULL);
	pmm_free(a);
	pmm_free(b);
}

static void
protect(void *va)
{
	*(volatile uint32_t *)va = 5;
}

static void
protect_changes_the_flags(struct ktest *t)
{
	struct address_space *k = vmm_kernel_space();
	paddr_t pa = frame_with(0);
	struct trapframe tf;
	uint32_t flags;

	KASSERT_EQ(t, vmm_map(k, KERNEL_VA, pa, PTE_WRITABLE), 0);
	protect((void *)KERNEL_VA);                                    /* writable: fine */
	KASSERT_EQ(t, vmm_protect(k, KERNEL_VA, 0), 0);
	KEXPECT_EQ(t, vmm_query(k, KERNEL_VA, &flags), 0);
	KEXPECT_EQ(t, flags & PTE_WRITABLE, 0);
	KEXPECT_TRUE(t, ktest_catch_fault(T_PAGE_FAULT, protect, (void *)KERNEL_VA, &tf, NULL));
	KEXPECT_EQ(t, tf.error & (PF_PRESENT | PF_WRITE), PF_PRESENT | PF_WRITE);
	vmm_unmap(k, KERNEL_VA, NULL);
	pmm_free(pa);
}

static void
recursive_mapping_shows_the_directory_and_tables(struct ktest *t)
{
	struct address_space *k = vmm_kernel_space();
	const pte_t *directory = (const pte_t *)RECURSIVE_DIRECTORY;
	paddr_t pa = frame_with(0);

	KEXPECT_EQ(t, directory[RECURSIVE_PDE] & PTE_FRAME_MASK, vmm_current_directory());
	KEXPECT_EQ(t, directory[RECURSIVE_PDE] & PTE_USER, 0);                 /* supervisor-only */
	KASSERT_EQ(t, vmm_map(k, TEST_VA, pa, PTE_WRITABLE), 0);
	KEXPECT_EQ(t, *(const pte_t *)recursive_pte_address(TEST_VA) & ~(PTE_ACCESSED | PTE_DIRTY),
		   pa | PTE_WRITABLE | PTE_PRESENT);
	KEXPECT_EQ(t, *(const pte_t *)recursive_pde_address(TEST_VA) & PTE_PRESENT, PTE_PRESENT);
	/* Page table i at 0xFFC00000 + i * 4096 is the frame directory entry i names. */
	paddr_t table = directory[pde_index(TEST_VA)] & PTE_FRAME_MASK;
	const pte_t *through_kmap = kmap(table);
	KEXPECT_EQ(t, through_kmap[pte_index(TEST_VA)], *(const pte_t *)recursive_pte_address(TEST_VA));
	kunmap((void *)through_kmap);
	vmm_unmap(k, TEST_VA, NULL);
	pmm_free(pa);
}

static void
another_address_space_can_be_edited(struct ktest *t)
{
	struct address_space s, *k = vmm_kernel_space();
	paddr_t pa = frame_with(0x5A5A5A5A), out;

	KASSERT_EQ(t, vmm_space_create(&s), 0);
	KASSERT_EQ(t, vmm_map(&s, TEST_VA, pa, PTE_WRITABLE | PTE_USER), 0);    /* not current */
	KEXPECT_EQ(t, vmm_translate(&s, TEST_VA, &out), 0);
	KEXPECT_EQ(t, out, pa);
	KEXPECT_EQ(t, vmm_translate(k, TEST_VA, &out), -ENOENT);     /* only in s */
	vmm_space_switch(&s);
	KEXPECT_EQ(t, peek(TEST_VA), 0x5A5A5A5A);
	vmm_space_switch(k);
	KEXPECT_EQ(t, vmm_space_frames(&s), 3);                       /* directory, table, page */
	KEXPECT_EQ(t, vmm_space_destroy(&s), 0);                      /* frees pa too */
	KEXPECT_FALSE(t, pmm_is_allocated(pa));
}

static void
kernel_mappings_are_shared_by_every_space(struct ktest *t)
{
	struct address_space s, *k = vmm_kernel_space();
	paddr_t pa = frame_with(0xC0DEC0DE);

	KASSERT_EQ(t, vmm_space_create(&s), 0);
	KASSERT_EQ(t, vmm_map(k, KERNEL_VA, pa, PTE_WRITABLE), 0);  /* made after s exists */
	vmm_space_switch(&s);
	KEXPECT_EQ(t, *(volatile uint32_t *)KERNEL_VA, 0xC0DEC0DE);
	vmm_space_switch(k);
	vmm_unmap(k, KERNEL_VA, NULL);
	pmm_free(pa);
	KEXPECT_EQ(t, vmm_space_destroy(&s), 0);
}

static void
destroying_the_current_or_kernel_space_is_refused(struct ktest *t)
{
	struct address_space s;

	KEXPECT_EQ(t, vmm_space_destroy(vmm_kernel_space()), -EINVAL);
	KASSERT_EQ(t, vmm_space_create(&s), 0);
	vmm_space_switch(&s);
	KEXPECT_EQ(t, vmm_space_destroy(&s), -EBUSY);
	vmm_space_switch(vmm_kernel_space());
	KEXPECT_EQ(t, vmm_space_destroy(&s), 0);
}

static void
a_thousand_address_spaces_return_every_frame(struct ktest *t)
{
	uint32_t free_before = pmm_free_frames();

	for (int i = 0; i < 1000; i++) {
		struct address_space s;
		KASSERT_EQ(t, vmm_space_create(&s), 0);
		/* A few user pages in two page tables, as a small program has. */
		for (uintptr_t va = USER_TEXT_BASE; va < USER_TEXT_BASE + 3 * PAGE_SIZE; va += PAGE_SIZE)
			KASSERT_EQ(t, vmm_map(&s, va, pmm_alloc(), PTE_USER), 0);
		KASSERT_EQ(t, vmm_map(&s, USER_LIMIT - PAGE_SIZE, pmm_alloc(), PTE_USER | PTE_WRITABLE), 0);
		KASSERT_EQ(t, vmm_space_frames(&s), 1 + 2 + 4);
		KASSERT_EQ(t, vmm_space_destroy(&s), 0);
	}
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
	KEXPECT_EQ(t, pmm_check(), 0);
}

static void
emptied_page_tables_go_back_to_the_pmm(struct ktest *t)
{
	struct address_space s;
	paddr_t a = frame_with(0), b = frame_with(0);

	KASSERT_EQ(t, vmm_space_create(&s), 0);
	uint32_t free_before = pmm_free_frames();
	KASSERT_EQ(t, vmm_map(&s, TEST_VA, a, 0), 0);
	KASSERT_EQ(t, vmm_map(&s, TEST_VA + PAGE_SIZE, b, 0), 0);
	KEXPECT_EQ(t, pmm_free_frames(), free_before - 1);     /* one page table */
	KEXPECT_EQ(t, vmm_unmap(&s, TEST_VA, NULL), 0);
	KEXPECT_EQ(t, pmm_free_frames(), free_before - 1);     /* still in use by b */
	KEXPECT_EQ(t, vmm_unmap(&s, TEST_VA + PAGE_SIZE, NULL), 0);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);         /* empty: given back */
	KEXPECT_EQ(t, vmm_space_frames(&s), 1);
	vmm_space_destroy(&s);
	pmm_free(a);
	pmm_free(b);
}

KTEST_SUITE(vmm,
	KTEST_CASE(map_translate_unmap_round_trip),
	KTEST_CASE(mapping_over_a_present_page_is_refused),
	KTEST_CASE(bad_requests_are_refused),
	KTEST_CASE(remapping_invalidates_the_tlb),
	KTEST_CASE(protect_changes_the_flags),
	KTEST_CASE(recursive_mapping_shows_the_directory_and_tables),
	KTEST_CASE(another_address_space_can_be_edited),
	KTEST_CASE(kernel_mappings_are_shared_by_every_space),
	KTEST_CASE(destroying_the_current_or_kernel_space_is_refused),
	KTEST_CASE(a_thousand_address_spaces_return_every_frame),
	KTEST_CASE(emptied_page_tables_go_back_to_the_pmm));
