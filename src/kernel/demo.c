/*
 * One demo for each chapter of the book: demo=NAME, once the boot is up,
 * shows what that chapter is about on this very machine, in a few lines
 * a reader can check against the chapter. GRUB's menu boots each
 * ("Chapter N: ..."). The demos print through the monitor's own commands
 * (monitor_mm.c) where one says it already, and only narrate around them.
 * Each line of narration starts "demo:", so what the kernel printed
 * itself stands out.
 */
#include <bootargs.h>
#include <console.h>
#include <demo.h>
#include <format.h>
#include <heap.h>
#include <kheap.h>
#include <kmap.h>
#include <layout.h>
#include <memmap.h>
#include <monitor.h>
#include <multiboot.h>
#include <physmem.h>
#include <pmm.h>
#include <process.h>
#include <string.h>
#include <vga.h>
#include <vmm.h>

#include "monitor_cmds.h"

/* Runs a monitor command on an address, as if typed. */
static void
on_address(monitor_fn *command, uintptr_t va)
{
	char arg[16];

	snprintf(arg, sizeof(arg), "0x%08x", (uint32_t)va);
	command(arg);
}

/* ------------------------------------------------------------ 1 */

/* The info structure's flag bits, as chapter 1 names them. */
static const struct { uint32_t bit; const char *word; } info_flags[] = {
	{ MULTIBOOT_INFO_MEMORY, "memory" }, { MULTIBOOT_INFO_CMDLINE, "cmdline" },
	{ MULTIBOOT_INFO_MODS, "modules" }, { MULTIBOOT_INFO_ELF_SHDR, "ELF-sections" },
	{ MULTIBOOT_INFO_MEM_MAP, "memory-map" }, { MULTIBOOT_INFO_LOADER_NAME, "loader-name" },
};

static void
show_booting(void)
{
	const struct multiboot_info *mbi = multiboot_info();
	struct boot_module m;

	kprintf("demo: the loader left its Multiboot info at 0x%08x, flags 0x%08x:\n"
		"demo:  it filled in", multiboot_info_phys(), mbi->flags);
	for (unsigned i = 0; i < sizeof(info_flags) / sizeof(info_flags[0]); i++)
		if (mbi->flags & info_flags[i].bit)
			kprintf(" %s", info_flags[i].word);
	kprintf("\n");
	kprintf("demo: loader \"%s\", command line \"%s\"\n", multiboot_loader_name(), multiboot_cmdline());
	if (mbi->flags & MULTIBOOT_INFO_MEMORY)
		kprintf("demo: memory: %u KiB below 1 MiB, %u KiB from 1 MiB to the first hole\n",
			mbi->mem_lower, mbi->mem_upper);
	if (mbi->flags & MULTIBOOT_INFO_ELF_SHDR)
		kprintf("demo: %u ELF section headers, the symbol table among them (fault reports use it)\n",
			mbi->elf_num);
	kprintf("demo: %u module(s)\n", multiboot_module_count());
	for (unsigned i = 0; i < multiboot_module_count(); i++)
		if (multiboot_module(i, &m) == 0)
			kprintf("demo:   '%s' at [0x%08x, 0x%08x), %u bytes\n", m.name, m.start, m.end, m.end - m.start);
	kprintf("demo: the kernel itself runs at 0x%08x-0x%08x, loaded at 0x%08x\n",
		(uint32_t)(uintptr_t)kernel_start, (uint32_t)(uintptr_t)kernel_end - 1,
		(uint32_t)((uintptr_t)kernel_start - KERNEL_BASE));
}

/* ------------------------------------------------------------ 2 */

static void
show_memmap(void)
{
	const struct memmap *map = physmem_map();
	uint64_t usable = 0;
	int nusable = 0;

	kprintf("demo: the firmware's map, sorted, overlaps settled (memmap_sanitize):\n");
	monitor_e820("");
	for (int i = 0; i < map->nrange; i++) {
		if (map->range[i].type != MEMMAP_USABLE)
			continue;
		usable += map->range[i].last - map->range[i].first + 1;
		nusable++;
	}
	kprintf("demo: %llu KiB usable in %d ranges; less the first 1 MiB and what the\n"
		"demo: boot reserved (kernel, loader's data), the PMM got %u frames of 4 KiB:\n",
		usable >> 10, nusable, pmm_total_frames());
	monitor_frames("");
}

/* ------------------------------------------------------------ 3 */

#define DEMO_FRAMES 3

static void
show_pmm(void)
{
	paddr_t taken[DEMO_FRAMES];
	struct pmm_stats st;

	monitor_frames("");
	pmm_get_stats(&st);
	if (st.stacked == 0)    /* as at boot: nothing was freed yet */
		kprintf("demo: pmm_alloc() %d times: the stack is empty, so each comes from the\n"
			"demo: reservoir, the frames never handed out yet, in address order:\n", DEMO_FRAMES);
	else
		kprintf("demo: pmm_alloc() %d times: each pops the stack, or takes from the reservoir\n",
			DEMO_FRAMES);
	for (int i = 0; i < DEMO_FRAMES; i++) {
		taken[i] = pmm_alloc();
		if (taken[i] == PMM_NO_FRAME) {
			kprintf("demo: no frame left\n");
			while (i-- > 0)
				pmm_free(taken[i]);
			return;
		}
		kprintf("demo:   frame 0x%05x at 0x%08x\n", pmm_frame_number(taken[i]), taken[i]);
	}
	monitor_frames("");
	kprintf("demo: pmm_free() each, first to last: they go on the stack, the last on top\n");
	for (int i = 0; i < DEMO_FRAMES; i++)
		pmm_free(taken[i]);
	monitor_frames("");
	paddr_t again = pmm_alloc();
	kprintf("demo: pmm_alloc() once more pops frame 0x%05x: last in, first out\n", pmm_frame_number(again));
	pmm_free(again);
	kprintf("demo: freed again; a second pmm_free() of it is refused:\n");
	pmm_free(again);
}

/* ------------------------------------------------------------ 4 */

/* The kernel's entry point: the address chapter 4 walks by hand. */
void kmain(uint32_t magic, uint32_t info_phys);

static void
show_paging(void)
{
	uintptr_t va = (uintptr_t)kmain;

	kprintf("demo: kmain is at 0x%08x: directory index %u (the top 10 bits),\n"
		"demo: table index %u (the next 10), offset 0x%03x (the low 12). The walk, read\n"
		"demo: through the recursive mapping (directory at 0xfffff000, tables below):\n",
		(uint32_t)va, pde_index(va), pte_index(va), page_offset(va));
	on_address(monitor_vm, va);
	kprintf("demo: the kernel's own text is read-only; the VGA text buffer is writable:\n");
	on_address(monitor_vm, KERNEL_BASE + VGA_TEXT_PHYS);
	kprintf("demo: and the first page, identity-mapped during the boot, is not mapped now:\n");
	on_address(monitor_vm, 0);
}

/* ------------------------------------------------------------ 5 */

#define DEMO_USER_VA    0x00400000      /* 4 MiB: directory entry 1 */
static const char demo_message[] = "written through a kmap window";

static void
show_vmm(void)
{
	struct address_space as;
	uint32_t free_before = pmm_free_frames();

	if (vmm_space_create(&as) < 0) {
		kprintf("demo: vmm_space_create: no frame left\n");
		return;
	}
	kprintf("demo: vmm_space_create: a new directory in frame 0x%08x: entries\n"
		"demo: 0-767 empty, 768-1022 the kernel's (shared), 1023 pointing at itself\n",
		as.directory);
	paddr_t page = pmm_alloc();
	if (page == PMM_NO_FRAME) {
		vmm_space_destroy(&as);
		kprintf("demo: pmm_alloc: no frame left\n");
		return;
	}
	char *window = kmap(page);
	strcpy(window, demo_message);
	kprintf("demo: frame 0x%08x, filled through a kmap window at 0x%08x:\n"
		"demo:  \"%s\"\n", page, (uint32_t)(uintptr_t)window, window);
	kunmap(window);
	/* Supervisor only: the kernel reads it below, which SMAP would
	 * forbid for a user page. The frame is the space's from now on. */
	if (vmm_map(&as, DEMO_USER_VA, page, PTE_WRITABLE) < 0) {
		pmm_free(page);
		vmm_space_destroy(&as);
		kprintf("demo: vmm_map: no frame left for a page table\n");
		return;
	}
	kprintf("demo: vmm_map(new space, 0x%08x, that frame); in the kernel's space:\n",
		DEMO_USER_VA);
	on_address(monitor_vm, DEMO_USER_VA);
	vmm_space_switch(&as);
	kprintf("demo: vmm_space_switch (CR3 = 0x%08x): the same address, in the new space:\n",
		as.directory);
	on_address(monitor_vm, DEMO_USER_VA);
	kprintf("demo: read at 0x%08x: \"%s\"\n", DEMO_USER_VA, (const char *)DEMO_USER_VA);
	vmm_space_switch(vmm_kernel_space());
	uint32_t held = vmm_space_frames(&as);
	vmm_space_destroy(&as);
	kprintf("demo: back in the kernel's space; vmm_space_destroy gave back its %u frames\n"
		"demo: (directory, page table, page): %u free before, %u free now\n", held, free_before,
		pmm_free_frames());
}

/* ------------------------------------------------------------ 6 */

#define DEMO_SMALL      3
#define DEMO_BIG        (256 << 10)     /* past the trim threshold: freeing it shrinks the heap */

static void
show_heap(void)
{
	void *small[DEMO_SMALL];
	struct heap_stats before;

	kheap_stats(&before);
	for (int i = 0; i < DEMO_SMALL; i++)
		small[i] = kmalloc(100 * (i + 1));
	kprintf("demo: the heap held %u bytes; kmalloc(100), (200), (300) grow it,\n"
		"demo: each block split from the free tail (first fit):\n", (uint32_t)before.heap_size);
	monitor_heap("");
	kprintf("demo: kfree the first two: their blocks merge into one (coalescing):\n");
	kfree(small[0]);
	kfree(small[1]);
	monitor_heap("");
	void *big = kmalloc(DEMO_BIG);
	kprintf("demo: kmalloc(%u): no free block is that large, so the heap grows:\n", DEMO_BIG);
	kheap_print_stats();
	kfree(big);
	kfree(small[2]);
	kprintf("demo: kfree it and the last small one: the free tail is past the trim\n"
		"demo: threshold, so the heap shrinks and gives its pages back to the PMM:\n");
	kheap_print_stats();
}

/* ------------------------------------------------------------ 7, 8 */

/* Runs the program module name, loaded by the menu entry, to its end. */
static void
run_program(const char *name)
{
	process_run_named(name, strlen(name));
}

static void
show_sbrk(void)
{
	kprintf("demo: meminfo moves its break with sbrk(+256 KiB), touches each page,\n"
		"demo: and gives them back with sbrk(-256 KiB). free= counts the PMM's free\n"
		"demo: frames, mapped= the program's pages, break= is its break:\n");
	run_program("meminfo");
}

static void
show_fork(void)
{
	kprintf("demo: cowshare fills a heap and forks: the child shares every page,\n"
		"demo: and its first write copies just one (copy-on-write):\n");
	run_program("cowshare");
}

/* ------------------------------------------------------------ 9 */

static void
show_monitor(void)
{
	kprintf("demo: type commands at the cairn> prompt (help lists them). Two to start:\n");
	kprintf("cairn> frames\n");
	monitor_frames("");
	kprintf("cairn> vm 0x%08x\n", (uint32_t)(uintptr_t)kmain);
	on_address(monitor_vm, (uintptr_t)kmain);
	monitor_run();
}

/* ------------------------------------------------------------ the table */

/* demo=NAME: the names in the book's order, and for each its chapter. */
static const char *const names[] = {
	"booting", "memmap", "pmm", "paging", "vmm", "heap", "sbrk", "fork", "monitor", NULL,
};
static const struct demo {
	const char *chapter;    /* its file in docs/ */
	const char *point;      /* what it shows */
	void (*show)(void);
} demos[] = {
	{ "01-booting", "what GRUB hands over", show_booting },
	{ "02-memory-map", "the memory map and the frame count", show_memmap },
	{ "03-physical-memory", "frames taken and given back", show_pmm },
	{ "04-paging", "the walk of one address", show_paging },
	{ "05-virtual-memory", "a new address space, a kmap window", show_vmm },
	{ "06-kernel-heap", "the kernel heap growing and shrinking", show_heap },
	{ "07-user-space", "a user program's sbrk", show_sbrk },
	{ "08-processes", "fork with copy-on-write", show_fork },
	{ "09-looking-inside", "the monitor", show_monitor },
};
_Static_assert(sizeof(demos) / sizeof(demos[0]) == sizeof(names) / sizeof(names[0]) - 1,
	       "one demo for each name");

static int asked = -1;          /* the index of the demo asked for */

static const char *
demo_option(const struct bootarg *arg)
{
	asked = arg->choice;
	return NULL;
}
BOOTARG(demo, BOOTARG_VALUE, names, "show one chapter's point (GRUB's menu: \"Chapter N: ...\")", demo_option);

void
demo_run_requested(void)
{
	if (asked < 0)
		return;
	const struct demo *d = &demos[asked];
	/* The names are in the book's order, from chapter 1. */
	kprintf("demo: chapter %d: %s (docs/%s.md)\n", asked + 1, d->point, d->chapter);
	d->show();
	kprintf("demo: end of chapter %d's demo\n", asked + 1);
}
