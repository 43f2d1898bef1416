/*
 * The virtual memory manager (src/mm/vmm.c): mappings in an address space,
 * and address spaces themselves. Every later piece (the kernel heap, user
 * programs) allocates through it.
 *
 * An address space is a page directory. Entries 768..1022 (the kernel
 * half) are the same in every directory: they point at the kernel's page
 * tables, which all exist from boot (src/boot/entry.asm), so a kernel
 * mapping made in one address space is seen in all. Entries 0..767 (user
 * space) point at page tables of the address space's own, allocated from
 * the PMM when first needed. Entry 1023 is the recursive mapping.
 *
 * The current address space's tables are edited through the recursive
 * mapping; another address space's through kmap() windows.
 *
 * Errors: every function returns 0 or a negative errno; nothing here
 * panics on a caller's bad request.
 */
#ifndef CAIRN_VMM_H
#define CAIRN_VMM_H

#include <mmu.h>
#include <pmm.h>
#include <stdbool.h>
#include <stdint.h>

struct address_space {
	paddr_t directory;      /* the page directory's frame: what CR3 holds */
};

/* The flags a caller may ask for; PTE_PRESENT is implied. PTE_COW is
 * the CPU's to ignore and src/mm/cow.c's to read. */
#define VMM_FLAGS (PTE_WRITABLE | PTE_USER | PTE_WRITETHROUGH | PTE_NOCACHE | PTE_COW)

/* The kernel's own address space (the boot directory). */
struct address_space *vmm_kernel_space(void);
/* The address space CR3 points at. */
paddr_t vmm_current_directory(void);

/*
 * Maps the page at va to the frame at pa with flags (VMM_FLAGS bits).
 * A missing user page table is allocated from the PMM and zeroed.
 * Returns 0; -EINVAL if va or pa is not page-aligned, va is in the
 * recursive region or the kmap windows, flags has bits outside VMM_FLAGS,
 * or PTE_USER is asked for a kernel address; -EEXIST if va is already
 * mapped (nothing is overwritten); -ENOMEM if no frame was left for a
 * page table.
 */
int vmm_map(struct address_space *as, uintptr_t va, paddr_t pa, uint32_t flags);

/* Removes the mapping of va and stores the frame it mapped in *pa (may be
 * NULL); the frame itself is not freed. A user page table left empty goes
 * back to the PMM. Returns 0, -EINVAL for a bad va, -ENOENT if unmapped. */
int vmm_unmap(struct address_space *as, uintptr_t va, paddr_t *pa);

/* Maps zeroed frames from the PMM over the pages [from, to) with flags.
 * All or nothing: returns 0, or an error of vmm_map (-ENOMEM when memory
 * runs out, checked before any frame is taken) with every page this call
 * mapped unmapped and its frame freed again. */
int vmm_map_fresh(struct address_space *as, uintptr_t from, uintptr_t to, uint32_t flags);

/* Unmaps the pages [from, to) and frees the frames they mapped (pages
 * not mapped are skipped). */
void vmm_unmap_free(struct address_space *as, uintptr_t from, uintptr_t to);

/* Like vmm_unmap, but an emptied page table stays (see vmm_prepare_table). */
int vmm_unmap_keep_table(struct address_space *as, uintptr_t va, paddr_t *pa);

/* Makes sure the user page table covering va exists, so a later vmm_map
 * there needs no memory. Returns 0, -EINVAL for a kernel address, or
 * -ENOMEM. */
int vmm_prepare_table(struct address_space *as, uintptr_t va);

/* Gives back the user page table covering va if none of its entries is
 * left. */
void vmm_drop_table_if_empty(struct address_space *as, uintptr_t va);

/* The physical address va maps to (with va's page offset). Returns 0, or
 * -ENOENT if va is not mapped. */
int vmm_translate(struct address_space *as, uintptr_t va, paddr_t *pa);

/* The flags (PTE_* bits, PTE_PRESENT included) of va's mapping. Returns 0,
 * or -ENOENT if va is not mapped. */
int vmm_query(struct address_space *as, uintptr_t va, uint32_t *flags);

/* Replaces the VMM_FLAGS bits of va's mapping with flags. Same errors as
 * vmm_map (but -ENOENT when va is not mapped). */
int vmm_protect(struct address_space *as, uintptr_t va, uint32_t flags);

/* Makes a fresh address space: a zeroed directory sharing the kernel's
 * entries, with its own recursive slot. Returns 0 or -ENOMEM. */
int vmm_space_create(struct address_space *as);

/* Loads as into CR3, which flushes the whole TLB (Cairn uses no global
 * pages, so kernel entries go too). */
void vmm_space_switch(struct address_space *as);

/* Frees every user frame, every user page table and the directory of as:
 * the user pages of an address space belong to it (a frame mapped there
 * must not be freed by anyone else).
 * It must not be the current address space (switch away first): returns
 * -EBUSY then, and -EINVAL for the kernel's own. */
int vmm_space_destroy(struct address_space *as);

/* Frames an address space holds: its directory, its user page tables and
 * the user pages they map. */
uint32_t vmm_space_frames(struct address_space *as);

/* Of those, the directory and the user page tables. */
uint32_t vmm_space_tables(struct address_space *as);

/* The user pages of as whose entry passes test (NULL: every one). */
uint32_t vmm_count_user_pages(struct address_space *as, bool (*test)(pte_t entry));

#endif /* CAIRN_VMM_H */
