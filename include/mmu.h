/*
 * The i386 MMU in 32-bit two-level mode: how an address splits, the bits
 * of a page-directory or page-table entry, and the control-register bits
 * Cairn sets. NASM reads the object-like #defines through
 * build/gen/mmu.inc, so the boot code uses the same names.
 *
 *   31            22 21            12 11             0
 *  +----------------+----------------+----------------+
 *  | directory index|  table index   |  page offset   |
 *  |   (10 bits)    |   (10 bits)    |   (12 bits)    |
 *  +----------------+----------------+----------------+
 *   pde_index(va)    pte_index(va)    page_offset(va)
 *
 * CR3 holds the directory's frame; directory entry pde_index(va) holds the
 * page table's frame; table entry pte_index(va) holds the page's frame.
 *
 * The recursive mapping. Directory entry 1023 holds the directory's own
 * frame. An address whose directory index is 1023 therefore walks
 * directory -> directory -> X: the "page table" it finds is the directory,
 * so the "page" it reaches is page table X. Through the 4 MiB at
 * 0xFFC00000 every page table of the current address space shows up:
 *
 *   page table i:      1023 | i    | offset    = 0xFFC00000 + i * 4096
 *   its entry j:       1023 | i    | j * 4     = 0xFFC00000 + i * 4096 + j * 4
 *   the directory:     1023 | 1023 | offset    = 0xFFFFF000
 *   directory entry i: 1023 | 1023 | i * 4     = 0xFFFFF000 + i * 4
 *
 * The entry is supervisor-only, so user code never sees page tables.
 * include/layout.h names these addresses (RECURSIVE_BASE,
 * RECURSIVE_DIRECTORY) and computes them: recursive_pte_address() and
 * recursive_pde_address().
 */
#ifndef CAIRN_MMU_H
#define CAIRN_MMU_H

#define PAGE_SHIFT      12
#define PAGE_SIZE       4096        /* 1 << PAGE_SHIFT */
#define PDE_SHIFT       22          /* one directory entry maps 4 MiB */
#define ENTRIES_PER_TABLE 1024

/* Bits of a page-directory or page-table entry (Intel SDM vol. 3, 4.3). */
#define PTE_PRESENT     0x001       /* the entry maps something */
#define PTE_WRITABLE    0x002       /* writes allowed (for the kernel only if CR0.WP) */
#define PTE_USER        0x004       /* ring 3 may access */
#define PTE_WRITETHROUGH 0x008
#define PTE_NOCACHE     0x010
#define PTE_ACCESSED    0x020       /* set by the CPU on any access */
#define PTE_DIRTY       0x040       /* set by the CPU on a write (tables only) */
#define PTE_GLOBAL      0x100       /* survives CR3 reloads if CR4.PGE (Cairn sets neither) */
#define PTE_COW         0x200       /* software (bit 9, which the CPU ignores): a
                                     * copy-on-write page, read-only until written */
#define PTE_FRAME_MASK  0xFFFFF000  /* the frame's physical address */
#define PTE_FLAGS_MASK  0x00000FFF

/* The error code of a page fault (#PF, vector 14): what was tried. */
#define PF_PRESENT      0x01        /* 1: protection violation; 0: page not present */
#define PF_WRITE        0x02        /* 1: write; 0: read */
#define PF_USER         0x04        /* 1: in ring 3 */
#define PF_RESERVED     0x08        /* 1: a reserved bit set in an entry */
#define PF_FETCH        0x10        /* 1: instruction fetch */

/* Control-register bits. */
#define CR0_MP          0x00000002  /* wait/fwait honour TS (set with an x87) */
#define CR0_EM          0x00000004  /* no x87: its instructions raise #NM */
#define CR0_TS          0x00000008  /* task switched: the next x87 use raises #NM */
#define CR0_NE          0x00000020  /* x87 errors raise #MF, not the old IRQ 13 */
#define CR0_WP          0x00010000  /* supervisor writes honour read-only pages */
#define EFLAGS_AC       0x00040000  /* with CR4.SMAP: kernel may touch user pages */
#define CR0_PG          0x80000000  /* paging on */
#define CR4_PGE         0x00000080  /* global pages */
#define CR4_PCE         0x00000100  /* rdpmc allowed in ring 3 */
#define CR4_OSFXSR      0x00000200  /* SSE on (fxsave saves XMM) */
#define CR4_OSXMMEXCPT  0x00000400  /* SSE exceptions as #XM */
#define CR4_UMIP        0x00000800  /* sgdt, sidt, sldt, str, smsw: ring 0 only */
#define CR4_OSXSAVE     0x00040000  /* xsave and AVX state on */
#define CR4_SMEP        0x00100000  /* no kernel execution of user pages */
#define CR4_SMAP        0x00200000  /* no kernel access to user pages unless EFLAGS.AC */

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef uint32_t pte_t;

static inline uint32_t pde_index(uintptr_t va) { return va >> PDE_SHIFT; }
static inline uint32_t pte_index(uintptr_t va) { return (va >> PAGE_SHIFT) & (ENTRIES_PER_TABLE - 1); }
static inline uint32_t page_offset(uintptr_t va) { return va & (PAGE_SIZE - 1); }
static inline uintptr_t page_round_down(uintptr_t a) { return a & ~(uintptr_t)(PAGE_SIZE - 1); }
static inline uintptr_t page_round_up(uintptr_t a) { return page_round_down(a + PAGE_SIZE - 1); }
static inline int page_aligned(uintptr_t a) { return page_offset(a) == 0; }

#endif /* __ASSEMBLER__ */

#endif /* CAIRN_MMU_H */
