/*
 * The allocators' pictures: the PMM's stack and reservoir (chapter 3),
 * a heap block, and the four cases of a free's merge (chapter 6). Sizes
 * and bits come from include/heap.h and include/layout.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <heap.h>
#include <layout.h>

#include "pictures.h"
#include "svg.h"

/* ------------------------------------------------ the PMM: an example */
/* Twenty owned frames in two ranges; the reservoir's cursor has passed
 * the first nine, of which three were freed again (pushed 5, 2, 7). */
#define FRAMES          20
#define RANGE0_FRAMES   12
#define CURSOR          9
static const int stacked[] = { 5, 2, 7 };
#define DEPTH           (int)(sizeof stacked / sizeof stacked[0])
#define CAPACITY        8       /* slots drawn; the real stack has one per owned frame */

#define FRAME_W         34
#define FRAMES_X        60
#define FRAMES_Y        120

static int
frame_x(int i)
{
	return FRAMES_X + i * FRAME_W + (i >= RANGE0_FRAMES ? 30 : 0);
}

static bool
on_stack(int frame)
{
	for (int i = 0; i < DEPTH; i++)
		if (stacked[i] == frame)
			return true;
	return false;
}

/* The owned ranges as frames, coloured by state, with the bitmap under
 * them and the reservoir's cursor. */
static void
draw_frames(struct svg *s)
{
	int bits_y = FRAMES_Y + 78;

	svg_text(s, frame_x(0), FRAMES_Y - 30, "bold", "owned[0]");
	svg_text(s, frame_x(RANGE0_FRAMES), FRAMES_Y - 30, "bold", "owned[1]");
	svg_text(s, FRAMES_X - 10, bits_y + 17, "small end", "bitmap");
	for (int i = 0; i < FRAMES; i++) {
		bool handed = i < CURSOR && !on_stack(i);
		const char *cls = i >= CURSOR ? "free" : handed ? "used" : "free";
		svg_rect(s, frame_x(i), FRAMES_Y, FRAME_W - 4, 40, cls);
		if (i >= CURSOR)
			svg_rect(s, frame_x(i) + 4, FRAMES_Y + 4, FRAME_W - 12, 32, "hole");
		svg_text(s, frame_x(i) + FRAME_W / 2 - 2, FRAMES_Y + 25, "small mid mono", "%d", i);
		svg_rect(s, frame_x(i), bits_y, FRAME_W - 4, 24, handed ? "used" : i >= CURSOR ? "hole" : "meta");
		svg_text(s, frame_x(i) + FRAME_W / 2 - 2, bits_y + 17, "mid mono", "%d", handed);
	}
	int cx = frame_x(CURSOR) - 2;
	svg_arrow(s, cx, FRAMES_Y - 44, cx, FRAMES_Y - 4, "redarrow");
	svg_text(s, cx + 6, FRAMES_Y - 46, "small red", "the cursor: next_range, next_frame");
	svg_text(s, frame_x(0), FRAMES_Y + 60, "small note",
		"before the cursor: handed out at least once");
	svg_text(s, frame_x(CURSOR), FRAMES_Y + 60, "small note",
		"from the cursor on: the reservoir, never handed out (pmm.unused = %d)",
		FRAMES - CURSOR);
}

/* The stack: CAPACITY slots from the bottom, DEPTH of them filled with
 * the numbers of the green frames before the cursor. */
static void
draw_stack(struct svg *s)
{
	int x = 220, w = 120, h = 28, bottom = 530;

	svg_text(s, x + w / 2, bottom - CAPACITY * h - 12, "bold mid", "pmm.stack");
	for (int i = 0; i < CAPACITY; i++) {
		int y = bottom - (i + 1) * h;
		svg_rect(s, x, y, w, h, i < DEPTH ? "free" : "hole");
		svg_text(s, x - 8, y + 19, "small mono end", "[%d]", i);
		if (i < DEPTH)
			svg_text(s, x + w / 2, y + 19, "mid mono", "frame %d", stacked[i]);
	}
	int top = bottom - DEPTH * h;
	svg_arrow(s, 20, top + h / 2, x - 40, top + h / 2, "redarrow");
	svg_text(s, 20, top + h / 2 - 6, "small red", "the top: stack[depth - 1]");
	svg_text(s, 20, top + h / 2 + 16, "small red", "pmm.depth = %d", DEPTH);
	svg_text(s, x, bottom + 20, "small note", "the frames freed, in the order pushed;");
	svg_text(s, x, bottom + 34, "small note", "room for every owned frame");
}

static void
draw_pmm_rules(struct svg *s)
{
	int x = 500, y = 280;
	char meta[96];

	svg_text(s, x, y, "mono bold", "pmm_alloc()");
	svg_text(s, x + 16, y + 18, "small", "take_frame(): stack_pop() while depth > 0,");
	svg_text(s, x + 16, y + 34, "small", "else reservoir_take(), the cursor's frame; then bit_set()");
	svg_text(s, x, y + 62, "mono bold", "pmm_free(pa)");
	svg_text(s, x + 16, y + 80, "small", "a shared frame only loses an owner (share_drop());");
	svg_text(s, x + 16, y + 96, "small", "handed_out(pa)? bit_clear(), stack_push(); else");
	svg_text(s, x + 16, y + 112, "small", "refuse_free(): a warning and -EINVAL");
	svg_text(s, x, y + 140, "mono bold", "free_frames() = depth + unused = %d", DEPTH + FRAMES - CURSOR);
	svg_text(s, x, y + 168, "small", "The bitmap: one bit a frame, set while it is handed out.");
	svg_text(s, x, y + 184, "small", "Its words are cleared as the cursor reaches them (dashed:");
	svg_text(s, x, y + 200, "small", "not yet written; bit_get() reads them as 0).");
	snprintf(meta, sizeof meta, "The stack, the bitmap and the share counts live at 0x%08X",
		(unsigned)PMM_META_BASE);
	svg_text(s, x, y + 228, "small note", "%s", meta);
	svg_text(s, x, y + 242, "small note", "(PMM_META_BASE), taken from the first owned frames at boot.");
}

int
draw_pmm_stack(FILE *f)
{
	struct svg s;

	svg_begin(&s, f, 940, 590, "The PMM: a stack of freed frames, and the reservoir");
	svg_text(&s, 20, 28, "big", "The PMM: a stack of freed frames, and the reservoir (src/mm/pmm.c)");
	svg_text(&s, 20, 48, "note",
		"An example state: %d owned frames in two ranges. Green: free (hatched: never handed out). Orange: handed out.",
		FRAMES);
	draw_frames(&s);
	draw_stack(&s);
	draw_pmm_rules(&s);
	return svg_end(&s);
}

/* ---------------------------------------------------- the heap blocks */
#define PX_PER_BYTE     9
#define BLOCK_X         60

/* A field of a block: width in bytes, class, label. */
struct field {
	int bytes;
	const char *cls;
	const char *label;
};

/* Draws fields left to right from x at y, with byte offsets under every
 * boundary; returns the x after the last. */
static int
draw_fields(struct svg *s, int x, int y, const struct field *fl, int n)
{
	int offset = 0;

	for (int i = 0; i < n; i++) {
		int w = fl[i].bytes * PX_PER_BYTE;
		svg_rect(s, x, y, w, 40, fl[i].cls);
		svg_text(s, x + w / 2, y + 25, "small mid", "%s", fl[i].label);
		svg_text(s, x, y + 56, "small mono mid note", "%d", offset);
		offset += fl[i].bytes;
		x += w;
	}
	svg_text(s, x, y + 56, "small mono mid note", "%d", offset);
	return x;
}

/* The next block's header, drawn at x, y after a block, with a note on
 * its HEAP_PREV_FREE bit: whether it is set, and what follows. */
static void
draw_next_header(struct svg *s, int x, int y, const char *prev_free)
{
	const int w = (int)sizeof(struct heap_tag) * PX_PER_BYTE;

	svg_rect(s, x, y, w, 40, "meta");
	svg_text(s, x + w / 2, y + 25, "small mid", "header");
	svg_text(s, x + w + 10, y + 18, "small note", "the next block's header: HEAP_PREV_FREE");
	svg_text(s, x + w + 10, y + 32, "small note", "%s", prev_free);
}

int
draw_heap_block(FILE *f)
{
	const int tag = (int)sizeof(struct heap_tag);
	const int link = (int)sizeof(((struct heap_free *)0)->prev);
	const int used_size = 3 * HEAP_ALIGN, free_size = 4 * HEAP_ALIGN;
	const struct field used[] = {
		{ tag, "meta", "header" },
		{ used_size - tag, "used", "payload: the caller's bytes" },
	};
	const struct field freeb[] = {
		{ tag, "meta", "header" },
		{ link, "kernel", "prev" },
		{ link, "kernel", "next" },
		{ free_size - 2 * tag - 2 * link, "free", "unused" },
		{ tag, "meta", "footer" },
	};
	struct svg s;
	int x;

	_Static_assert(sizeof(struct heap_tag) == 8, "the picture draws 8-byte tags");
	svg_begin(&s, f, 980, 560, "A heap block: boundary tags");
	svg_text(&s, 20, 28, "big", "A heap block: boundary tags (include/heap.h, src/mm/heapblock.h)");
	svg_text(&s, 20, 48, "note",
		"Sizes include the header and are multiples of HEAP_ALIGN (%d), so every payload is %d-byte aligned;",
		HEAP_ALIGN, HEAP_ALIGN);
	svg_text(&s, 20, 64, "note", "the smallest block (HEAP_MIN_BLOCK) is %d bytes. Offsets in bytes; %d px a byte.",
		HEAP_MIN_BLOCK, PX_PER_BYTE);

	svg_text(&s, BLOCK_X, 102, "bold", "A used block of %d bytes", used_size);
	x = draw_fields(&s, BLOCK_X, 112, used, 2);
	draw_next_header(&s, x, 112, "clear, so the used block needs no footer");
	svg_text(&s, BLOCK_X, 186, "small note",
		"block_payload(b) = b + %d: blocks start at 16n + 8, so payloads start at multiples of 16", tag);

	svg_text(&s, BLOCK_X, 232, "bold", "A free block of %d bytes, on the free list", free_size);
	x = draw_fields(&s, BLOCK_X, 242, freeb, 5);
	draw_next_header(&s, x, 242, "set, so block_prev() reads the footer");
	svg_path(&s, "arrow", "M %d %d C %d %d %d %d %d %d", x + tag * PX_PER_BYTE / 2, 284,
		x + 20, 320, x - tag * PX_PER_BYTE / 2, 320, x - tag * PX_PER_BYTE / 2, 286);
	svg_text(&s, BLOCK_X, 316, "small note",
		"prev and next: the free blocks below and above, as %d-byte offsets from the region's start", link);

	int hx = BLOCK_X, hy = 360, word = 280;
	svg_text(&s, hx, hy - 10, "bold", "A header (and a footer): struct heap_tag, two words");
	svg_rect(&s, hx, hy, word, 40, "meta");
	svg_text(&s, hx + 10, hy + 25, "mono", "size");
	svg_rect(&s, hx + word - 70, hy, 70, 40, "hot");
	svg_text(&s, hx + word - 35, hy + 25, "small mid mono", "flags");
	svg_rect(&s, hx + word, hy, word, 40, "meta");
	svg_text(&s, hx + word + 10, hy + 25, "mono", "check = size ^ 0x%08X", HEAP_TAG_KEY);
	svg_text(&s, hx, hy + 62, "small", "size: the block's bytes, a multiple of %d, so its low four bits (HEAP_FLAG_MASK 0x%X) are free for flags:",
		HEAP_ALIGN, HEAP_FLAG_MASK);
	svg_text(&s, hx + 16, hy + 80, "small mono", "0x%X HEAP_USED       the block is allocated", HEAP_USED);
	svg_text(&s, hx + 16, hy + 96, "small mono", "0x%X HEAP_PREV_FREE  the block before is free, so it has a footer", HEAP_PREV_FREE);
	svg_text(&s, hx, hy + 120, "small", "check (HEAP_TAG_KEY): a tag whose two words disagree was overwritten; tag_ok() says which.");
	svg_text(&s, hx, hy + 146, "small note",
		"The region [start, brk): an %d-byte pad, the blocks, and an %d-byte end tag, a used header of size 0.", tag, tag);
	return svg_end(&s);
}

/* ------------------------------------------------ the four merges */
/* One case: the blocks before and after, as (class, label, bytes/16). */
struct piece {
	const char *cls;
	const char *label;
	int units;
};

#define UNIT_W  26

static int
draw_pieces(struct svg *s, int x, int y, const struct piece *p, int n)
{
	for (int i = 0; i < n && p[i].cls; i++) {
		int w = p[i].units * UNIT_W;
		svg_rect(s, x, y, w, 34, p[i].cls);
		svg_text(s, x + w / 2, y + 22, "mid", "%s", p[i].label);
		x += w;
	}
	return x;
}

int
draw_heap_coalesce(FILE *f)
{
	static const struct {
		const char *title, *function, *list;
		struct piece before[4], after[4];
	} cases[] = {
		{ "1. neither neighbour free", "heap_merge_none()", "freelist_insert(b): a walk to its place",
			{ { "used", "used", 3 }, { "hot", "b", 3 }, { "used", "used", 3 } },
			{ { "used", "used", 3 }, { "free", "b free", 3 }, { "used", "used", 3 } } },
		{ "2. the previous one free", "heap_merge_prev()", "freelist_resize(P): P grows in its place",
			{ { "free", "P free", 4 }, { "hot", "b", 3 }, { "used", "used", 3 } },
			{ { "free", "P + b free", 7 }, { "used", "used", 3 } } },
		{ "3. the next one free", "heap_merge_next()", "freelist_move(N -> b): b takes N's place",
			{ { "used", "used", 3 }, { "hot", "b", 3 }, { "free", "N free", 4 } },
			{ { "used", "used", 3 }, { "free", "b + N free", 7 } } },
		{ "4. both free", "heap_merge_both()", "freelist_remove(P), freelist_move(N -> P)",
			{ { "free", "P free", 4 }, { "hot", "b", 3 }, { "free", "N free", 4 } },
			{ { "free", "P + b + N free", 11 } } },
	};
	struct svg s;

	svg_begin(&s, f, 960, 520, "Freeing a block: the four cases");
	svg_text(&s, 20, 28, "big", "Freeing b: the four cases of heap_coalesce() (src/mm/heap.c)");
	svg_text(&s, 20, 48, "note",
		"b's own HEAP_PREV_FREE bit says whether P, the block before, is free; the next block's HEAP_USED bit says whether N is.");
	svg_text(&s, 20, 64, "note",
		"No search, and two free blocks are never left side by side.");
	for (int i = 0; i < 4; i++) {
		int y = 100 + i * 104;
		svg_text(&s, 20, y, "bold", "%s", cases[i].title);
		int x = draw_pieces(&s, 20, y + 12, cases[i].before, 4);
		svg_arrow(&s, x + 14, y + 29, 20 + 11 * UNIT_W + 56, y + 29, "arrow");
		draw_pieces(&s, 20 + 11 * UNIT_W + 66, y + 12, cases[i].after, 4);
		svg_text(&s, 20 + 22 * UNIT_W + 90, y + 24, "mono", "%s", cases[i].function);
		svg_text(&s, 20 + 22 * UNIT_W + 90, y + 42, "small note", "%s", cases[i].list);
	}
	svg_text(&s, 20, 506, "small note",
		"In every case block_set_free() writes the footer and sets the following block's HEAP_PREV_FREE.");
	return svg_end(&s);
}
