/*
 * Mapping kernel pages. The 255 page tables of the kernel half live in
 * the kernel image (entry.asm's kernel_page_tables), so the table for any
 * kernel address is found by arithmetic, and every address space that
 * shares directory entries 768..1022 sees a change at once.
 */
#include <layout.h>
#include <paging.h>
#include <stdbool.h>
#include <vga.h>
#include <panic.h>
#include <x86.h>

extern pte_t kernel_page_directory[ENTRIES_PER_TABLE];
extern pte_t kernel_page_tables[KERNEL_PAGE_TABLES][ENTRIES_PER_TABLE];
extern char boot_stack_guard[];

/* Sets the flags of every page in [start, end) of the kernel image. */
static void
set_image_flags(uintptr_t start, uintptr_t end, uint32_t flags)
{
	for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
		pte_t *pte = paging_kernel_pte(va);
		*pte = (*pte & PTE_FRAME_MASK) | flags | PTE_PRESENT;
	}
}

/* The boot tables map the whole first 4 MiB writable. Keep only what the
 * kernel uses, each with the least it needs: text and rodata read-only,
 * data and bss writable, the VGA text page; nothing else of low memory,
 * the page under the boot stack (a guard), or RAM past the image. */
static void
tighten_first_table(void)
{
	pte_t *table = kernel_page_tables[0];

	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++) {
		uintptr_t va = KERNEL_BASE + i * PAGE_SIZE;
		bool image = va >= (uintptr_t)kernel_start && va < (uintptr_t)kernel_end;
		if (!image && va != KERNEL_BASE + VGA_TEXT_PHYS)
			table[i] = 0;
	}
	set_image_flags((uintptr_t)text_start, (uintptr_t)rodata_end, 0);
	set_image_flags((uintptr_t)data_start, (uintptr_t)kernel_end, PTE_WRITABLE);
	*paging_kernel_pte((uintptr_t)boot_stack_guard) = 0;
}

void
paging_init(void)
{
	tighten_first_table();
	kernel_page_directory[0] = 0;   /* the identity mapping: now the null page faults */
	write_cr3(read_cr3());          /* drop every stale TLB entry at once */
}

pte_t *
paging_kernel_pte(uintptr_t va)
{
	ASSERT(va >= KERNEL_BASE && va < RECURSIVE_BASE);
	return &kernel_page_tables[pde_index(va) - KERNEL_PDE_FIRST][pte_index(va)];
}

bool
paging_kernel_present(uintptr_t va)
{
	return va >= KERNEL_BASE && va < RECURSIVE_BASE && (*paging_kernel_pte(va) & PTE_PRESENT);
}

void
paging_map_kernel(uintptr_t va, paddr_t pa, uint32_t flags)
{
	pte_t *pte = paging_kernel_pte(va);

	if (!page_aligned(va) || !page_aligned(pa) || (*pte & PTE_PRESENT))
		panic("paging_map_kernel: cannot map 0x%08x to 0x%08x (entry 0x%08x)", (uint32_t)va, pa, *pte);
	*pte = pa | flags | PTE_PRESENT;
}

void
paging_map_kernel_run(uintptr_t va, paddr_t pa, uint32_t pages, uint32_t flags)
{
	pte_t *pte = NULL;

	if (!page_aligned(va) || !page_aligned(pa) || va < KERNEL_BASE ||
	    pages > (RECURSIVE_BASE - va) / PAGE_SIZE)
		panic("paging_map_kernel_run: cannot map %u pages at 0x%08x to 0x%08x", pages, (uint32_t)va, pa);
	for (uint32_t i = 0; i < pages; i++, va += PAGE_SIZE, pa += PAGE_SIZE) {
		if (pte == NULL || pte_index(va) == 0)
			pte = paging_kernel_pte(va);    /* the next table's first entry */
		else
			pte++;
		if (*pte & PTE_PRESENT)
			panic("paging_map_kernel_run: 0x%08x is mapped already", (uint32_t)va);
		*pte = pa | flags | PTE_PRESENT;
	}
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
