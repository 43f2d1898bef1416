/*
 * Chapter 4's and 5's pictures: how an address splits and the two-level
 * walk, the recursive mapping, and the virtual layout. Every number in
 * them comes from include/mmu.h and include/layout.h.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include <layout.h>
#include <mmu.h>

#include "pictures.h"
#include "svg.h"

/* The walk's example: the address of kmain in chapter 4's build, kernel
 * text, so its frame is its address minus KERNEL_BASE. */
#define EXAMPLE_VA      0xC0101060u

#define BIT_W           22      /* one bit of the address bar */
#define BAR_X           110
#define TABLE_W         210
#define ROW_H           24

/* The three fields of an address, from the shifts mmu.h defines. */
static const struct field {
	int low, high;          /* bits */
	const char *cls;
	const char *name;
} fields[] = {
	{ PDE_SHIFT, 31, "kernel", "directory index" },
	{ PAGE_SHIFT, PDE_SHIFT - 1, "acpi", "table index" },
	{ 0, PAGE_SHIFT - 1, "user", "page offset" },
};

static int
bit_x(int bit)
{
	return BAR_X + (31 - bit) * BIT_W;
}

/* va as 32 boxed bits at y, coloured by field, bit numbers above the
 * fields' edges. */
static void
draw_address_bar(struct svg *s, uint32_t va, int y)
{
	for (int f = 0; f < 3; f++) {
		const struct field *fl = &fields[f];
		for (int bit = fl->high; bit >= fl->low; bit--) {
			svg_rect(s, bit_x(bit), y, BIT_W, 26, fl->cls);
			svg_text(s, bit_x(bit) + BIT_W / 2, y + 18, "mono mid", "%u", (va >> bit) & 1);
		}
		svg_text(s, bit_x(fl->high) + 2, y - 6, "small mono", "%d", fl->high);
		svg_text(s, bit_x(fl->low) + BIT_W - 2, y - 6, "small mono end", "%d", fl->low);
	}
}

/* A table of 1024 entries drawn as five rows: 0, ..., the one used,
 * ..., 1023. Returns the y of the used row's middle. */
static int
draw_table(struct svg *s, int x, int y, const char *title, unsigned used,
	const char *cls, const char *entry)
{
	unsigned shown[] = { 0, used, ENTRIES_PER_TABLE - 1 };
	int row = y, used_middle = 0;

	svg_text(s, x + TABLE_W / 2, y - 8, "bold mid", "%s", title);
	for (int i = 0; i < 3; i++) {
		if (i > 0 && shown[i] - shown[i - 1] > 1) {
			svg_rect(s, x, row, TABLE_W, ROW_H, "hole");
			svg_text(s, x + TABLE_W / 2, row + 16, "mid note", "...");
			row += ROW_H;
		}
		svg_rect(s, x, row, TABLE_W, ROW_H, i == 1 ? cls : "meta");
		svg_text(s, x + 6, row + 16, "small mono", "%4u", shown[i]);
		if (i == 1) {
			svg_text(s, x + 44, row + 16, "small", "%s", entry);
			used_middle = row + ROW_H / 2;
		}
		row += ROW_H;
	}
	svg_rect(s, x, y, TABLE_W, row - y, "frame");
	return used_middle;
}

int
draw_paging_walk(FILE *f)
{
	struct svg s;
	uint32_t va = EXAMPLE_VA;
	uint32_t frame = page_round_down(va - KERNEL_BASE);
	char entry[64];

	svg_begin(&s, f, 940, 470, "An address splits in three, and the MMU walks two tables");
	svg_text(&s, 20, 28, "big", "An address splits in three, and the MMU walks two tables");
	svg_text(&s, 20, 48, "note",
		"For example va = 0x%08X, kmain in chapter 4's build. The helpers are in include/mmu.h.", va);
	svg_text(&s, 20, 96, "mono bold", "va");
	draw_address_bar(&s, va, 78);
	svg_text(&s, bit_x(31) + 5 * BIT_W, 128, "mid", "pde_index(va) = %u", pde_index(va));
	svg_text(&s, bit_x(PDE_SHIFT - 1) + 5 * BIT_W, 128, "mid", "pte_index(va) = %u", pte_index(va));
	svg_text(&s, bit_x(PAGE_SHIFT - 1) + 6 * BIT_W, 128, "mid", "page_offset(va) = 0x%03X",
		page_offset(va));
	svg_text(&s, bit_x(31) + 5 * BIT_W, 144, "small mid note", "10 bits: 1024 entries");
	svg_text(&s, bit_x(PDE_SHIFT - 1) + 5 * BIT_W, 144, "small mid note", "10 bits: 1024 entries");
	svg_text(&s, bit_x(PAGE_SHIFT - 1) + 6 * BIT_W, 144, "small mid note", "12 bits: 4096 bytes");

	int top = 230;
	svg_box(&s, 20, top, 90, 40, "meta", "mono bold", "", "CR3");
	svg_text(&s, 65, top + 58, "small mid note", "the directory's");
	svg_text(&s, 65, top + 72, "small mid note", "frame");
	int d = draw_table(&s, 150, top, "page directory", pde_index(va), "kernel",
		"frame of a page table | P W");
	svg_text(&s, 250, top + 5 * ROW_H + 20, "small mid note", "one page; an entry maps 4 MiB");
	snprintf(entry, sizeof entry, "frame 0x%06X | P, not W", frame);
	int t = draw_table(&s, 420, top, "page table", pte_index(va), "acpi", entry);
	svg_text(&s, 520, top + 5 * ROW_H + 20, "small mid note", "one page; an entry maps 4 KiB");
	svg_text(&s, 800, top - 8, "bold mid", "the page's frame");
	svg_rect(&s, 700, top, TABLE_W, 5 * ROW_H, "frame");
	svg_rect(&s, 700, top + 2 * ROW_H, TABLE_W, ROW_H, "user");
	svg_text(&s, 706, top + 2 * ROW_H + 16, "small mono", "0x%03X", page_offset(va));
	svg_text(&s, 760, top + 2 * ROW_H + 16, "small", "the byte va names");
	svg_text(&s, 800, top + 5 * ROW_H + 20, "small mid note", "4096 bytes at 0x%06X", frame);

	svg_arrow(&s, 110, top + 20, 148, top + 6, "arrow");
	svg_arrow(&s, 150 + TABLE_W, d, 418, top + 6, "arrow");
	svg_arrow(&s, 420 + TABLE_W, t, 698, top + 6, "arrow");
	svg_arrow(&s, bit_x(31) + 5 * BIT_W, 150, 150 + 22, d - ROW_H / 2, "redarrow");
	svg_arrow(&s, bit_x(PDE_SHIFT - 1) + 5 * BIT_W, 150, 420 + 22, t - ROW_H / 2, "redarrow");
	svg_arrow(&s, bit_x(PAGE_SHIFT - 1) + 6 * BIT_W, 150, 700 + 22, top + 2 * ROW_H, "redarrow");

	svg_text(&s, 20, 420, "",
		"Physical address = frame 0x%06X + offset 0x%03X = 0x%06X.",
		frame, page_offset(va), frame + page_offset(va));
	svg_text(&s, 20, 442, "small note",
		"A not-present entry at either level ends the walk in a page fault. "
		"P: PTE_PRESENT, W: PTE_WRITABLE (include/mmu.h).");
	return svg_end(&s);
}

/* One row of the recursive picture: an address whose directory index is
 * RECURSIVE_PDE, walked. Draws the three stages at y. */
static void
recursive_row(struct svg *s, int y, const char *what, uint32_t table, const char *third)
{
	char va[96];

	if (table == RECURSIVE_PDE)
		snprintf(va, sizeof va, "%u | %u | offset\n= 0x%08X + offset",
			RECURSIVE_PDE, RECURSIVE_PDE, (unsigned)RECURSIVE_DIRECTORY);
	else
		snprintf(va, sizeof va, "%u | i | offset\n= 0x%08X + i * %u",
			RECURSIVE_PDE, (unsigned)RECURSIVE_BASE, PAGE_SIZE);
	svg_text(s, 20, y - 22, "bold", "%s", what);
	svg_box(s, 20, y, 180, 52, "meta", "mono bold", "small mono", va);
	svg_box(s, 250, y, 180, 52, "kernel", "bold", "small", "the directory\ntaken as a directory");
	svg_box(s, 480, y, 180, 52, "kernel", "bold", "small", "the directory\ntaken as a page table");
	svg_box(s, 710, y, 200, 52, table == RECURSIVE_PDE ? "kernel" : "acpi", "bold", "small", third);
	svg_arrow(s, 200, y + 26, 248, y + 26, "arrow");
	svg_arrow(s, 430, y + 26, 478, y + 26, "redarrow");
	svg_text(s, 455, y + 18, "small mid red", "%u", RECURSIVE_PDE);
	svg_arrow(s, 660, y + 26, 708, y + 26, table == RECURSIVE_PDE ? "redarrow" : "arrow");
	svg_text(s, 685, y + 18, "small mid", "%s", table == RECURSIVE_PDE ? "" : "i");
	if (table == RECURSIVE_PDE)
		svg_text(s, 685, y + 18, "small mid red", "%u", RECURSIVE_PDE);
	svg_text(s, 225, y + 18, "small mid", "CR3");
}

int
draw_recursive_mapping(FILE *f)
{
	struct svg s;

	svg_begin(&s, f, 940, 440, "The recursive mapping: directory entry 1023 names the directory");
	svg_text(&s, 20, 28, "big", "The recursive mapping: directory entry %u names the directory itself",
		RECURSIVE_PDE);
	svg_text(&s, 20, 48, "note",
		"An address whose directory index is %u goes through the directory twice, so the MMU's walk stops one level short:",
		RECURSIVE_PDE);
	svg_text(&s, 20, 64, "note",
		"its \"page\" is a page table, or the directory itself. Red arrows follow entry %u.", RECURSIVE_PDE);
	recursive_row(&s, 112, "Page table i of the current address space", 0,
		"page table i\ntaken as the page");
	recursive_row(&s, 222, "The directory itself", RECURSIVE_PDE,
		"the directory\ntaken as the page");

	int y = 318;
	svg_text(&s, 20, y, "bold", "The addresses, as include/layout.h computes them:");
	svg_text(&s, 20, y + 22, "mono small", "page table i:      %4u | i    | offset   = 0x%08X + i * %u  (RECURSIVE_BASE)",
		RECURSIVE_PDE, (unsigned)RECURSIVE_BASE, PAGE_SIZE);
	svg_text(&s, 20, y + 40, "mono small", "its entry j:       %4u | i    | j * 4    = 0x%08X + i * %u + j * 4  (recursive_pte_address)",
		RECURSIVE_PDE, (unsigned)RECURSIVE_BASE, PAGE_SIZE);
	svg_text(&s, 20, y + 58, "mono small", "the directory:     %4u | %4u | offset   = 0x%08X  (RECURSIVE_DIRECTORY)",
		RECURSIVE_PDE, RECURSIVE_PDE, (unsigned)RECURSIVE_DIRECTORY);
	svg_text(&s, 20, y + 76, "mono small", "directory entry i: %4u | %4u | i * 4    = 0x%08X + i * 4  (recursive_pde_address)",
		RECURSIVE_PDE, RECURSIVE_PDE, (unsigned)RECURSIVE_DIRECTORY);
	svg_text(&s, 20, y + 96, "small note",
		"Entry %u is supervisor-only (no PTE_USER): user code never sees the page tables. It costs 4 MiB of addresses and no memory.",
		RECURSIVE_PDE);
	return svg_end(&s);
}

/* A region of the virtual layout, drawn from first up to end; 0 for an
 * address that depends on the program or the build (not drawn). */
struct region {
	uint64_t first, end;
	int height;
	const char *cls;
	const char *name;
	const char *note;
};

#define LAYOUT_X        190
#define LAYOUT_W        290

static void
draw_regions(struct svg *s, const struct region *r, int n, int bottom)
{
	for (int i = 0; i < n; i++) {
		int top = bottom - r[i].height;
		svg_rect(s, LAYOUT_X, top, LAYOUT_W, r[i].height, r[i].cls);
		svg_text(s, LAYOUT_X + 10, top + r[i].height / 2 + 5, "", "%s", r[i].name);
		if (i == 0 || r[i].first != 0)     /* 0: it starts where the one below ends */
			svg_text(s, LAYOUT_X - 8, bottom + 4, "mono small end", "0x%08" PRIX64, r[i].first);
		if (r[i].note)
			svg_text(s, LAYOUT_X + LAYOUT_W + 12, top + r[i].height / 2 + 5, "small note",
				"%s", r[i].note);
		bottom = top;
	}
	svg_text(s, LAYOUT_X - 8, bottom + 4, "mono small end", "0x%08" PRIX64, r[n - 1].end);
}

/* A bracket on the right, from y0 down to y1, with a label. */
static void
bracket(struct svg *s, int x, int y0, int y1, const char *label, const char *l2, const char *l3)
{
	svg_path(s, "line", "M %d %d h 8 V %d h -8", x, y0 + 2, y1 - 2);
	svg_text(s, x + 16, (y0 + y1) / 2 - 10, "bold", "%s", label);
	svg_text(s, x + 16, (y0 + y1) / 2 + 6, "small note", "%s", l2);
	svg_text(s, x + 16, (y0 + y1) / 2 + 20, "small note", "%s", l3);
}

int
draw_virtual_layout(FILE *f)
{
	char kstacks[96], kmap[64], half[96], shared[96];
	uint64_t kstack_end = KSTACK_BASE + (uint64_t)KSTACK_SLOTS * KSTACK_SLOT_SIZE;
	uint64_t kmap_end = KMAP_BASE + (uint64_t)KMAP_SLOTS * PAGE_SIZE;
	const struct region r[] = {
		{ 0, USER_MIN_ADDRESS, 30, "hole", "the low 64 KiB: never mapped", "the null page; where a stray LDT would look" },
		{ USER_MIN_ADDRESS, USER_TEXT_BASE, 30, "hole", "unmapped", NULL },
		{ USER_TEXT_BASE, 0, 34, "user", "program: text, data, bss", "the ELF's segments (USER_TEXT_BASE)" },
		{ 0, 0, 30, "user", "heap, up to the break", "sbrk and brk move it (chapter 7)" },
		{ 0, USER_STACK_GUARD, 50, "hole", "(unmapped: room to grow)", NULL },
		{ USER_STACK_GUARD, USER_STACK_BOTTOM, 24, "hole", "guard page", "unmapped: an overflow faults" },
		{ USER_STACK_BOTTOM, USER_LIMIT, 34, "user", "user stack, grows down", "64 KiB (USER_STACK_SIZE)" },
		{ KERNEL_BASE, KERNEL_BASE + KERNEL_LOAD_PHYS, 30, "kernel", "low 1 MiB: only VGA text", "KERNEL_BASE = USER_LIMIT" },
		{ KERNEL_BASE + KERNEL_LOAD_PHYS, 0, 44, "kernel", "kernel image", "text, rodata read-only; data, bss, boot stack" },
		{ 0, KSTACK_BASE, 30, "hole", "(unused)", NULL },
		{ KSTACK_BASE, kstack_end, 34, "kernel", "kernel stacks", kstacks },
		{ kstack_end, KHEAP_BASE, 30, "hole", "(unused)", NULL },
		{ KHEAP_BASE, KHEAP_LIMIT, 44, "kernel", "kernel heap: kmalloc", "256 MiB, grown at its top" },
		{ PMM_META_BASE, PMM_META_LIMIT, 34, "meta", "the PMM's stack and bitmap", "and share counts; sized to the RAM at boot" },
		{ PMM_META_LIMIT, KMAP_BASE, 30, "hole", "(unused)", NULL },
		{ KMAP_BASE, kmap_end, 26, "kernel", "kmap() windows", kmap },
		{ kmap_end, RECURSIVE_BASE, 30, "hole", "(unused)", NULL },
		{ RECURSIVE_BASE, 1ull << 32, 40, "meta", "the page tables", "the recursive mapping; the directory at 0xFFFFF000" },
	};
	int n = sizeof r / sizeof r[0], total = 0;
	struct svg s;

	snprintf(kstacks, sizeof kstacks, "%d slots: a guard page, then %d pages",
		KSTACK_SLOTS, KSTACK_PAGES);
	snprintf(kmap, sizeof kmap, "%d pages (KMAP_SLOTS)", KMAP_SLOTS);
	for (int i = 0; i < n; i++)
		total += r[i].height;
	int bottom = 96 + total;
	svg_begin(&s, f, 1000, bottom + 50, "The virtual layout of every address space");
	svg_text(&s, 20, 28, "big", "The virtual layout of every address space (include/layout.h)");
	svg_text(&s, 20, 48, "note",
		"Not to scale: 4 GiB from the bottom up, each region at the address where it starts;");
	svg_text(&s, 20, 64, "note", "dashed: nothing is mapped there.");
	draw_regions(&s, r, n, bottom);

	int kernel_top = 96, kernel_bottom = bottom;
	for (int i = 0; i < n && r[i].first != KERNEL_BASE; i++)
		kernel_bottom -= r[i].height;
	snprintf(half, sizeof half, "directory entries 0..%u:", KERNEL_PDE_FIRST - 1);
	snprintf(shared, sizeof shared, "directory entries %u..%u:", KERNEL_PDE_FIRST, RECURSIVE_PDE);
	bracket(&s, 795, kernel_bottom, bottom, "user half", half, "each process its own");
	bracket(&s, 795, kernel_top, kernel_bottom, "kernel half", shared, "the same in every address space");
	return svg_end(&s);
}
