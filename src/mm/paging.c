/*
 * Mapping kernel pages. The 255 page tables of the kernel half live in
 * the kernel image (entry.asm's kernel_page_tables), so the table for any
 * kernel address is found by arithmetic, and every address space that
 * shares directory entries 768..1022 sees a change at once.
 */
#include <layout.h>
#include <paging.h>
#include <panic.h>
#include <x86.h>

extern pte_t kernel_page_tables[KERNEL_PAGE_TABLES][ENTRIES_PER_TABLE];

pte_t *
paging_kernel_pte(uintptr_t va)
{
	ASSERT(va >= KERNEL_BASE && va < RECURSIVE_BASE);
	return &kernel_page_tables[pde_index(va) - KERNEL_PDE_FIRST][pte_index(va)];
}

void
paging_map_kernel(uintptr_t va, paddr_t pa, uint32_t flags)
{
	pte_t *pte = paging_kernel_pte(va);

	if (!page_aligned(va) || !page_aligned(pa) || (*pte & PTE_PRESENT))
		panic("paging_map_kernel: cannot map 0x%08x to 0x%08x (entry 0x%08x)", (uint32_t)va, pa, *pte);
	*pte = pa | flags | PTE_PRESENT;
}

paddr_t
paging_unmap_kernel(uintptr_t va)
{
	pte_t *pte = paging_kernel_pte(va);
	paddr_t pa = *pte & PTE_PRESENT ? *pte & PTE_FRAME_MASK : 0;

	*pte = 0;
	invlpg((void *)va);     /* the TLB may still hold the old entry */
	return pa;
}
