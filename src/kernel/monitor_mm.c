/*
 * The monitor's memory commands: the e820 map, the frame allocator, the
 * page tables of the current address space (read through the recursive
 * mapping, the way the kernel itself reads them), the kernel heap, and
 * `peek`. Formats: include/monitor.h; scripts/cairn-gdb.py prints the
 * same lines from outside.
 *
 * alloc/free and kmalloc/kfree play with the allocators, but only with
 * what they took themselves: freeing a frame or block the kernel uses
 * would break it, so those are refused with the reason.
 */
#include <console.h>
#include <fault.h>
#include <format.h>
#include <heap.h>
#include <kheap.h>
#include <layout.h>
#include <physmem.h>
#include <pmm.h>
#include <process.h>
#include <string.h>
#include <x86.h>

#include "monitor_cmds.h"

#define HELD_MAX    64          /* frames, and blocks, the monitor may hold */

/* ------------------------------------------------------------ e820 */

void
monitor_e820(const char *args)
{
	const struct memmap *map = physmem_map();
	char line[MEMMAP_LINE_MAX];

	if (!monitor_no_args("e820", args))
		return;
	for (int i = 0; i < map->nrange; i++) {
		memmap_format_range(map, i, line, sizeof(line));
		kprintf("%s\n", line);
	}
}

/* ------------------------------------------------------------ frames */

static paddr_t frames_held[HELD_MAX];
static unsigned nframes_held;

void
monitor_frames(const char *args)
{
	struct pmm_stats st;

	if (!monitor_no_args("frames", args))
		return;
	pmm_get_stats(&st);
	kprintf("frames: %u total: %u free, %u promised, %u handed out\n", st.total, st.free,
		st.reserved, st.handed_out);
	kprintf("frames: the free ones: %u on the stack, %u in the reservoir\n", st.stacked,
		st.reservoir);
}

void
monitor_alloc(const char *args)
{
	uint32_t n = 1;

	if (monitor_number("alloc", args, HELD_MAX, &n) < 0)
		return;
	if (n == 0 || nframes_held + n > HELD_MAX) {
		kprintf("alloc: the monitor holds %u frames; it may take 1 to %u more\n", nframes_held,
			HELD_MAX - nframes_held);
		return;
	}
	while (n-- > 0) {
		paddr_t pa = pmm_alloc();
		if (pa == PMM_NO_FRAME) {
			kprintf("alloc: no frame left (%u free, %u promised)\n", pmm_free_frames(),
				pmm_reserved_frames());
			return;
		}
		frames_held[nframes_held++] = pa;
		kprintf("alloc: frame 0x%05x at 0x%08x\n", pmm_frame_number(pa), pa);
	}
}

void
monitor_free(const char *args)
{
	uint32_t pfn;
	int r = monitor_number("free", args, PMM_FRAME_LIMIT - 1, &pfn);

	if (r == 0)
		kprintf("free: which frame? (free PFN, a number alloc printed)\n");
	if (r <= 0)
		return;
	paddr_t pa = pmm_frame_address(pfn);
	for (unsigned i = 0; i < nframes_held; i++) {
		if (frames_held[i] == pa) {
			frames_held[i] = frames_held[--nframes_held];
			pmm_free(pa);
			kprintf("free: frame 0x%05x at 0x%08x is free again\n", pfn, pa);
			return;
		}
	}
	if (pmm_is_allocated(pa))
		kprintf("free: refused: frame 0x%05x is in use by the kernel, not one alloc gave\n", pfn);
	else
		pmm_free(pa);   /* refused: the PMM says why in its own line */
}

/* ------------------------------------------------------ page tables */

/* What lies at va, in the words of fault reports. */
static const char *
region_of(uintptr_t va)
{
	if (va < USER_LIMIT)
		return process_current() ? process_region(va) : "user space";
	if (va < KERNEL_BASE + KERNEL_LOAD_PHYS)
		return "the low 1 MiB (VGA text)";
	return fault_region(va);
}

static const pte_t *
directory(void)
{
	return (const pte_t *)RECURSIVE_DIRECTORY;
}

static const pte_t *
table(uint32_t pdi)
{
	return (const pte_t *)recursive_table_address(pdi);
}

/* An entry's flags in words, into buf. */
static const char *
flag_words(pte_t e, char *buf, size_t size)
{
	snprintf(buf, size, "present %s %s%s%s%s%s%s%s", e & PTE_WRITABLE ? "writable" : "read-only",
		 e & PTE_USER ? "user" : "supervisor", e & PTE_WRITETHROUGH ? " write-through" : "",
		 e & PTE_NOCACHE ? " no-cache" : "", e & PTE_ACCESSED ? " accessed" : "",
		 e & PTE_DIRTY ? " dirty" : "", e & PTE_GLOBAL ? " global" : "",
		 e & PTE_COW ? " copy-on-write" : "");
	return buf;
}

/* One line of the walk; false when e is not present (the walk ends). */
static bool
print_entry(const char *level, uint32_t index, uintptr_t at, pte_t e, uintptr_t va)
{
	char words[96];

	if (!(e & PTE_PRESENT)) {
		kprintf("  %s %u at 0x%08x: 0x%08x not present: nothing mapped at 0x%08x\n", level, index,
			at, e, va);
		return false;
	}
	kprintf("  %s %u at 0x%08x: 0x%08x %s\n", level, index, at, e, flag_words(e, words, sizeof(words)));
	return true;
}

void
monitor_vm(const char *args)
{
	uint32_t va;
	int r = monitor_number("vm", args, UINT32_MAX, &va);

	if (r == 0)
		kprintf("vm: which address? (vm ADDR)\n");
	if (r <= 0)
		return;
	kprintf("vm 0x%08x: %s; directory at 0x%08x (CR3)\n", va, region_of(va), read_cr3() & PTE_FRAME_MASK);
	pte_t pde = directory()[pde_index(va)];
	if (!print_entry("pde", pde_index(va), recursive_pde_address(va), pde, va))
		return;
	pte_t pte = table(pde_index(va))[pte_index(va)];
	if (!print_entry("pte", pte_index(va), recursive_pte_address(va), pte, va))
		return;
	kprintf("  physical 0x%08x\n", (pte & PTE_FRAME_MASK) | page_offset(va));
}

void
monitor_pd(const char *args)
{
	const pte_t *pd = directory();
	unsigned present = 0;

	if (!monitor_no_args("pd", args))
		return;
	for (uint32_t i = 0; i < ENTRIES_PER_TABLE; i++)
		present += pd[i] & PTE_PRESENT;
	kprintf("pd: directory at 0x%08x (CR3), %u of %u entries present\n", read_cr3() & PTE_FRAME_MASK,
		present, ENTRIES_PER_TABLE);
	for (uint32_t i = 0; i < ENTRIES_PER_TABLE; i++) {
		if (!(pd[i] & PTE_PRESENT))
			continue;
		uint32_t rights = pd[i] & (PTE_USER | PTE_WRITABLE), last = i;
		while (last + 1 < RECURSIVE_PDE && (pd[last + 1] & PTE_PRESENT) &&
		       (pd[last + 1] & (PTE_USER | PTE_WRITABLE)) == rights)
			last++;
		kprintf("  pde %4u-%4u  0x%08x-0x%08x  %s %s%s\n", i, last, i << PDE_SHIFT,
			(last << PDE_SHIFT) + ((1u << PDE_SHIFT) - 1), rights & PTE_USER ? "user" : "supervisor",
			rights & PTE_WRITABLE ? "writable" : "read-only",
			i == RECURSIVE_PDE ? "  the recursive slot: the directory itself" : "");
		i = last;
	}
}

/* A run of mapped pages that maps prints as one line. */
struct map_run {
	uintptr_t start;
	uint32_t pages;         /* 0: no run open */
	uint32_t rights;        /* PTE_WRITABLE, PTE_USER, PTE_COW as they take effect */
	const char *region;
};

static void
end_run(struct map_run *run, uint32_t *runs)
{
	if (run->pages == 0)
		return;
	kprintf("  0x%08x-0x%08x %6u %-5s  %s %s%s  %s\n", run->start, run->start + run->pages * PAGE_SIZE - 1,
		run->pages, run->pages == 1 ? "page" : "pages", run->rights & PTE_WRITABLE ? "writable" : "read-only",
		run->rights & PTE_USER ? "user" : "supervisor", run->rights & PTE_COW ? " copy-on-write" : "",
		run->region);
	run->pages = 0;
	(*runs)++;
}

/* Adds the page at va, with the rights its two entries give it. */
static void
add_page(struct map_run *run, uint32_t *runs, uintptr_t va, uint32_t rights)
{
	const char *region = region_of(va);

	if (run->pages && va == run->start + run->pages * PAGE_SIZE && rights == run->rights &&
	    strcmp(region, run->region) == 0) {
		run->pages++;
		return;
	}
	end_run(run, runs);
	*run = (struct map_run){ va, 1, rights, region };
}

void
monitor_maps(const char *args)
{
	const pte_t *pd = directory();
	struct map_run run = { 0 };
	uint32_t pages = 0, runs = 0;

	if (!monitor_no_args("maps", args))
		return;
	kprintf("maps: directory at 0x%08x (CR3)\n", read_cr3() & PTE_FRAME_MASK);
	for (uint32_t i = 0; i < ENTRIES_PER_TABLE; i++) {
		if (!(pd[i] & PTE_PRESENT)) {
			end_run(&run, &runs);
			continue;
		}
		const pte_t *t = table(i);
		for (uint32_t j = 0; j < ENTRIES_PER_TABLE; j++) {
			if (!(t[j] & PTE_PRESENT)) {
				end_run(&run, &runs);
				continue;
			}
			uint32_t rights = (pd[i] & t[j] & (PTE_WRITABLE | PTE_USER)) | (t[j] & PTE_COW);
			add_page(&run, &runs, (i << PDE_SHIFT) | (j << PAGE_SHIFT), rights);
			pages++;
		}
	}
	end_run(&run, &runs);
	kprintf("maps: %u pages mapped in %u runs\n", pages, runs);
}

void
monitor_peek(const char *args)
{
	uint32_t addr;
	int r = monitor_number("peek", args, UINT32_MAX, &addr);

	if (r == 0)
		kprintf("peek: which address? (peek ADDR)\n");
	if (r <= 0)
		return;
	uint32_t value = *(volatile const uint32_t *)(uintptr_t)addr;
	kprintf("peek: 0x%08x: 0x%08x\n", addr, value);
}

/* ------------------------------------------------------------ heap */

static void *blocks_held[HELD_MAX];
static unsigned nblocks_held;

/* The block holding addr: true and *b, or false. */
static bool
block_at(uintptr_t addr, struct heap_block *b)
{
	void *cursor = NULL;

	while (kheap_next_block(&cursor, b))
		if (addr >= (uintptr_t)b->block && addr < (uintptr_t)b->block + b->size)
			return true;
	return false;
}

void
monitor_heap(const char *args)
{
	struct heap_stats st;
	struct heap_block b;
	void *cursor = NULL;

	if (!monitor_no_args("heap", args))
		return;
	if (kheap_guard_mode()) {
		kprintf("heap: kheap=guard gives each allocation pages of its own: no blocks\n");
		return;
	}
	kheap_stats(&st);
	if (st.heap_size == 0) {
		kprintf("heap: empty: nothing allocated yet\n");
		return;
	}
	kprintf("heap: 0x%08x-0x%08x, %u bytes\n", KHEAP_BASE, KHEAP_BASE + (uint32_t)st.heap_size - 1,
		(uint32_t)st.heap_size);
	while (kheap_next_block(&cursor, &b))
		kprintf("  0x%08x %8u  %s\n", (uint32_t)(uintptr_t)b.payload, (uint32_t)b.size,
			b.used ? "used" : "free");
	uint32_t tenths = st.free_bytes ? (uint32_t)((uint64_t)(st.free_bytes - st.largest_free) * 1000 /
						      st.free_bytes) : 0;
	kprintf("heap: %u blocks: %u used (%u bytes), %u free (%u bytes); largest free %u; "
		"fragmentation %u.%u%%\n", (uint32_t)(st.used_blocks + st.free_blocks),
		(uint32_t)st.used_blocks, (uint32_t)st.used_bytes, (uint32_t)st.free_blocks,
		(uint32_t)st.free_bytes, (uint32_t)st.largest_free, tenths / 10, tenths % 10);
}

void
monitor_kmalloc(const char *args)
{
	struct heap_block b;
	uint32_t n;
	int r = monitor_number("kmalloc", args, HEAP_MAX_ALLOC, &n);

	if (r == 0)
		kprintf("kmalloc: how many bytes? (kmalloc N)\n");
	if (r <= 0)
		return;
	if (nblocks_held == HELD_MAX) {
		kprintf("kmalloc: the monitor holds %u blocks already: kfree some first\n", HELD_MAX);
		return;
	}
	void *p = kmalloc(n);
	if (p == NULL) {
		kprintf("kmalloc: no memory for %u bytes\n", n);
		return;
	}
	blocks_held[nblocks_held++] = p;
	if (block_at((uintptr_t)p, &b))
		kprintf("kmalloc: 0x%08x, %u bytes (block of %u)\n", (uint32_t)(uintptr_t)p, n, (uint32_t)b.size);
	else
		kprintf("kmalloc: 0x%08x, %u bytes (on pages of its own)\n", (uint32_t)(uintptr_t)p, n);
}

/* Why addr, which kmalloc did not give the monitor, may not be freed. */
static void
refuse_kfree(uintptr_t addr)
{
	struct heap_block b;

	kprintf("kfree: refused: 0x%08x ", (uint32_t)addr);
	if (kheap_guard_mode() || !block_at(addr, &b))
		kprintf("is not a block of the kernel heap\n");
	else if ((uintptr_t)b.payload != addr)
		kprintf("is inside the block at 0x%08x, not at its start\n", (uint32_t)(uintptr_t)b.payload);
	else if (!b.used)
		kprintf("is a free block (freed already?)\n");
	else
		kprintf("is in use by the kernel, not a block kmalloc gave\n");
}

void
monitor_kfree(const char *args)
{
	struct heap_block b;
	uint32_t addr;
	int r = monitor_number("kfree", args, UINT32_MAX, &addr);

	if (r == 0)
		kprintf("kfree: which block? (kfree ADDR, as kmalloc printed it)\n");
	if (r <= 0)
		return;
	for (unsigned i = 0; i < nblocks_held; i++) {
		if ((uintptr_t)blocks_held[i] != addr)
			continue;
		bool known = block_at(addr, &b);
		blocks_held[i] = blocks_held[--nblocks_held];
		kfree((void *)(uintptr_t)addr);
		if (known)
			kprintf("kfree: 0x%08x freed (block of %u)\n", addr, (uint32_t)b.size);
		else
			kprintf("kfree: 0x%08x freed\n", addr);
		return;
	}
	refuse_kfree(addr);
}
