/*
 * Kernel mappings (src/mm/paging.c). The kernel half's page tables are in
 * the image (src/boot/entry.asm), so a kernel page is mapped by writing
 * one entry: no allocation, no failure.
 */
#ifndef CAIRN_PAGING_H
#define CAIRN_PAGING_H

#include <mmu.h>
#include <pmm.h>
#include <stdbool.h>
#include <stdint.h>

/* Replaces the boot mappings with the kernel's own: removes the identity
 * mapping (so the null page and all low addresses fault), maps text and
 * rodata read-only, data and bss writable, unmaps the guard page under
 * the boot stack and everything of the first 4 MiB the kernel does not
 * use. */
void paging_init(void);

/* The page-table entry for va, which must be in the kernel half below the
 * recursive region. */
pte_t *paging_kernel_pte(uintptr_t va);

/* Is va a kernel address (below the recursive region) that is mapped?
 * Safe to ask of any address: reports ask it before they read memory. */
bool paging_kernel_present(uintptr_t va);

/* Maps the kernel page va to frame pa with flags (PTE_WRITABLE, ...).
 * va must be page-aligned and unmapped: anything else is a kernel bug
 * and panics. */
void paging_map_kernel(uintptr_t va, paddr_t pa, uint32_t flags);

/* The same for `pages` pages from va, to the frames from pa on, in one
 * pass over their entries. */
void paging_map_kernel_run(uintptr_t va, paddr_t pa, uint32_t pages, uint32_t flags);

/* Unmaps the kernel page va and returns the frame it mapped (0 if none). */
paddr_t paging_unmap_kernel(uintptr_t va);

#endif /* CAIRN_PAGING_H */
