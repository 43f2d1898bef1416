/*
 * Where things are: the physical load address and the virtual layout that
 * every address space shares. C, NASM (through build/gen/layout.inc,
 * which scripts/gen-defines.sh computes with the C compiler) and the
 * linker script (through cpp) all read this one file, so each address is
 * written down once and the others are derived from it. Object-like
 * #defines only outside the C-only block.
 *
 *   0xFFFFFFFF +------------------------------+
 *              | page tables, seen through    |  PDE 1023 points at the
 *              | the recursive mapping        |  directory itself (mmu.h);
 *              | (directory at 0xFFFFF000)    |  supervisor-only
 *   0xFFC00000 +------------------------------+  RECURSIVE_BASE
 *              | (unused)                     |
 *              | temporary windows: kmap()    |  KMAP_SLOTS pages
 *   0xFF800000 +------------------------------+  KMAP_BASE
 *              | (unused)                     |
 *              | the PMM's stack, bitmap and  |  sized to the RAM at boot
 *              | owner counts                 |
 *   0xE0000000 +------------------------------+  PMM_META_BASE = KHEAP_LIMIT
 *              | kernel heap, grown at its    |
 *              | top by kmalloc               |
 *   0xD0000000 +------------------------------+  KHEAP_BASE
 *              | (unused)                     |
 *              | kernel stacks, one slot per  |  each slot: a guard page,
 *              | process                      |  then KSTACK_PAGES mapped
 *   0xCF000000 +------------------------------+  KSTACK_BASE
 *              | (unused)                     |
 *              | kernel image: text, rodata   |  read-only
 *              | data, bss: the boot stack    |  writable; an unmapped
 *              | (guard page below), the page |  guard page under the
 *              | directory and kernel tables  |  boot stack
 *   0xC0101000 +------------------------------+  kernel_start (the linker script)
 *              | (.boot's alias: unmapped)    |  the entry code, linked low
 *   0xC0100000 +------------------------------+  KERNEL_BASE + KERNEL_LOAD_PHYS
 *              | low 1 MiB: only VGA text     |
 *   0xC0000000 +------------------------------+  KERNEL_BASE = USER_LIMIT
 *              | user stack, grows down       |
 *              | guard page                   |
 *              | ...                          |
 *              | user heap (the break)        |
 *              | program text, data, bss      |
 *   0x08048000 +------------------------------+  USER_TEXT_BASE
 *              | unmapped                     |
 *   0x00010000 +------------------------------+  USER_MIN_ADDRESS
 *              | the low 64 KiB: never mapped |  (the null page, and where
 *              | for a program                |  a stray LDT would look)
 *   0x00000000 +------------------------------+
 */
#ifndef CAIRN_LAYOUT_H
#define CAIRN_LAYOUT_H

#include <mmu.h>                        /* PAGE_SIZE, PDE_SHIFT, ENTRIES_PER_TABLE */

#define KERNEL_BASE         0xC0000000  /* virtual address of physical 0 */
#define KERNEL_LOAD_PHYS    0x00100000  /* GRUB loads the image at 1 MiB */
#define RECURSIVE_PDE       (ENTRIES_PER_TABLE - 1u) /* the directory maps itself in its last entry */
#define KERNEL_PDE_FIRST    (KERNEL_BASE >> PDE_SHIFT)  /* the kernel half's first entry */
#define KERNEL_PAGE_TABLES  (RECURSIVE_PDE - KERNEL_PDE_FIRST) /* entries 768..1022 */

#define BOOT_STACK_SIZE     0x4000      /* 16 KiB kernel stack for kmain */

#define USER_MIN_ADDRESS    0x00010000  /* nothing of a program's is mapped below */
#define USER_TEXT_BASE      0x08048000  /* where user programs are linked */
#define USER_LIMIT          KERNEL_BASE /* user addresses are below the kernel half */
#define USER_STACK_SIZE     0x10000     /* 64 KiB of stack, just below USER_LIMIT */
#define USER_STACK_BOTTOM   (USER_LIMIT - USER_STACK_SIZE)
#define USER_STACK_GUARD    (USER_STACK_BOTTOM - PAGE_SIZE) /* the unmapped page under the stack */
#define KSTACK_BASE         0xCF000000  /* processes' kernel stacks (src/kernel/process.c) */
#define KSTACK_PAGES        4           /* 16 KiB of kernel stack for each process */
#define KSTACK_SLOT_SIZE    ((KSTACK_PAGES + 1) * PAGE_SIZE) /* the stack and the guard page under it */
#define KSTACK_SLOTS        64          /* one per process: PROCESS_MAX */
#define KHEAP_BASE          0xD0000000  /* the kernel heap's region */
#define KHEAP_LIMIT         0xE0000000  /* 256 MiB */
#define PMM_META_BASE       KHEAP_LIMIT /* the PMM's stack, bitmap, owner counts */
#define PMM_META_LIMIT      (PMM_META_BASE + 0x800000) /* 8 MiB: enough for 4 GiB of frames */
#define KMAP_SLOTS          16
#define RECURSIVE_BASE      (RECURSIVE_PDE << PDE_SHIFT) /* page table i at RECURSIVE_BASE + i * PAGE_SIZE */
#define RECURSIVE_DIRECTORY (RECURSIVE_BASE + RECURSIVE_PDE * PAGE_SIZE) /* the directory: table 1023 */
#define KMAP_BASE           (RECURSIVE_BASE - (1u << PDE_SHIFT)) /* kmap() windows: the 4 MiB below */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* What the picture above promises. */
_Static_assert(KERNEL_BASE % (1u << PDE_SHIFT) == 0, "the kernel half starts on a directory entry");
_Static_assert(USER_MIN_ADDRESS < USER_TEXT_BASE, "programs are linked above the low 64 KiB");
_Static_assert(KERNEL_BASE + KERNEL_LOAD_PHYS < KHEAP_BASE, "the kernel heap lies above the image");
_Static_assert(KHEAP_BASE < KHEAP_LIMIT && PMM_META_LIMIT <= KMAP_BASE, "heap, PMM data, kmap: in order");
_Static_assert(KSTACK_BASE + KSTACK_SLOTS * KSTACK_SLOT_SIZE <= KHEAP_BASE, "the kernel stacks end below the heap");
_Static_assert(KMAP_BASE + KMAP_SLOTS * PAGE_SIZE <= RECURSIVE_BASE, "the kmap windows end below the page tables");
_Static_assert(RECURSIVE_DIRECTORY == 0xFFFFF000, "the directory is the last page of the address space");

/* The page table that maps va (the whole table, page i of the recursive
 * region), its entry for va, and the directory entry for va, in the
 * current address space (the recursive mapping, drawn in mmu.h). */
static inline uintptr_t recursive_table_address(uint32_t pdi) { return RECURSIVE_BASE + pdi * PAGE_SIZE; }
static inline uintptr_t recursive_pte_address(uintptr_t va) { return recursive_table_address(pde_index(va)) + pte_index(va) * sizeof(pte_t); }
static inline uintptr_t recursive_pde_address(uintptr_t va) { return RECURSIVE_DIRECTORY + pde_index(va) * sizeof(pte_t); }

/* Linker-script symbols: their addresses are what matters, never values. */
extern char kernel_start[], kernel_end[];
extern char text_start[], text_end[];
extern char rodata_start[], rodata_end[];
extern char data_start[], bss_end[];

/* Physical address of a kernel-image symbol, and back. Only for the image
 * and the low memory the boot tables map; other memory has no fixed
 * virtual address. */
static inline uint32_t
kernel_virt_to_phys(const void *va)
{
	return (uint32_t)(uintptr_t)va - KERNEL_BASE;
}

static inline void *
kernel_phys_to_virt(uint32_t pa)
{
	return (void *)(uintptr_t)(pa + KERNEL_BASE);
}
#endif /* __ASSEMBLER__ */

#endif /* CAIRN_LAYOUT_H */
