/*
 * The heap core's checks: that a pointer handed to free or realloc is a
 * live block (heap_lookup, on every call), and that the whole heap keeps
 * its invariants (heap_check, which tests and HEAP_CHECK_EVERY_OP call).
 * Each fault found goes to the caller's corrupt() with what broke, and
 * heap_format_report turns that into one line.
 */
#include <heap.h>
#include <cairn/errno.h>
#include <format.h>

#include "heapbins.h"
#include "heapblock.h"
#include "heapmap.h"
#include "heaptree.h"

/* -------------------------------------------------------------- reports */

int
heap_format_report(char *buf, size_t size, struct heap *h, const char *what,
	void *ptr, void *block, void *caller)
{
	struct heap_tag *b = block;
	char detail[48] = "no block";
	char from[24] = "?";

	if (b != NULL) {
		bool readable = (char *)b >= h->start && (char *)(b + 1) <= h->brk;
		if (readable && tag_ok(b))
			snprintf(detail, sizeof detail, "block %p, size %u", block,
				(unsigned)tag_size(b));
		else
			snprintf(detail, sizeof detail, "block %p, size ?", block);
	}
	if (caller != NULL)
		snprintf(from, sizeof from, "%p", caller);
	return snprintf(buf, size, "heap: %s of %p (%s) from %s", what, ptr,
		detail, from);
}

/* ------------------------------------------------- pointers handed in */

/* Reports why ptr, which does not carry a good header, is not a block:
 * walks the blocks up to it. */
static void
heap_diagnose(struct heap *h, void *ptr, void *caller)
{
	struct heap_tag *target = (struct heap_tag *)ptr - 1;
	struct heap_tag *b = heap_first_block(h);

	while (b < target) {
		if (!tag_ok(b) || tag_size(b) == 0) {
			heap_report(h, "overwritten header", block_payload(b), b, caller);
			return;
		}
		b = block_next(b);
	}
	if (b == target)
		heap_report(h, "overwritten header", ptr, b, caller);
	else
		heap_report(h, "invalid free (not a block start)", ptr, NULL, caller);
}

/* Reports why block b, whose header does not say live and used, is
 * none: a double free if the header is intact, else what heap_diagnose
 * finds. */
static void
heap_refuse(struct heap *h, void *ptr, struct heap_tag *b, void *caller)
{
	if (tag_ok(b) && (!block_used(b) || (b->size & HEAP_CACHED)))
		heap_report(h, "double free", ptr, b, caller);
	else
		heap_diagnose(h, ptr, caller);
}

/* Returns the used block of a pointer handed to free or realloc, or
 * reports why it is none and returns NULL. Outside the region, in a heap
 * that maps big blocks, that is a mapped block found on its list
 * (heapmap_find): its header says HEAP_MAPPED. In the region a header
 * that says so is damage: only the list makes a block mapped. */
struct heap_tag *
heap_lookup(struct heap *h, void *ptr, void *caller)
{
	char *p = ptr;

	if (p < h->start + 2 * TAG_SIZE || p >= h->brk - TAG_SIZE) {
		if (heapmap_on(h))
			return heapmap_find(h, ptr, caller);
		heap_report(h, "invalid free (outside the heap)", ptr, NULL, caller);
		return NULL;
	}
	if ((uintptr_t)p % HEAP_ALIGN != 0) {
		heap_report(h, "invalid free (misaligned)", ptr, NULL, caller);
		return NULL;
	}
	struct heap_tag *b = (struct heap_tag *)p - 1;
	uint32_t size = tag_size(b);
	if (!tag_ok(b) || (b->size & (HEAP_USED | HEAP_CACHED | HEAP_MAPPED)) != HEAP_USED ||
	    size < HEAP_MIN_BLOCK || size > (size_t)((char *)heap_end_tag(h) - (char *)b)) {
		heap_refuse(h, ptr, b, caller);
		return NULL;
	}
	struct heap_tag *next = block_next(b);
	if (!tag_ok(next) || (next->size & HEAP_PREV_FREE)) {
		heap_report(h, "overflow past the end", ptr, b, caller);
		return NULL;
	}
	return b;
}

/* ------------------------------------------------------ the whole heap */

/* heap_check's walk of the free index beside the blocks: the free block
 * the index says comes next in address order, and what the walk needs. */
struct index_walk {
	bool tree;              /* HEAP_TREE_INDEX: the tree's in-order walk */
	uint32_t expect;        /* the next free block's offset; 0: no more */
	uint32_t prev;          /* the list: the last free block met, 0 if none */
	size_t budget;          /* the tree: links it may still follow */
	size_t binned;          /* the fast index: free blocks met of a bin's size */
};

/* Reports what broke at block b (NULL: no one block) for heap_check. */
static int
heap_fault(struct heap *h, const char *what, struct heap_tag *b)
{
	heap_report(h, what, b != NULL ? block_payload(b) : NULL, b, NULL);
	return -EFAULT;
}

/* heap_check's part for free block f on the list: its back link names
 * the free block before it (prev, 0 for none), and its next link goes up,
 * to where a block may start. A link that does not go up is a cycle or
 * worse: reported, never followed. */
static const char *
freelist_check_node(struct heap *h, struct heap_free *f, uint32_t prev)
{
	if (f->prev != prev)
		return "broken free list link";
	if (f->next != 0 && f->next <= free_block_off(h, f))
		return "free list out of address order";
	if (f->next != 0 && !heap_off_ok(h, f->next))
		return "free list link out of the heap";
	return NULL;
}

/* Checks free block f's links in the index, which must have named it
 * next, and moves w on to the free block that comes after it. */
static int
index_check_node(struct heap *h, struct heap_free *f, struct index_walk *w)
{
	uint32_t off = free_block_off(h, f);

	if (w->tree && w->expect == HEAPTREE_BROKEN)
		return heap_fault(h, "broken free tree link", &f->tag);
	if (w->expect != off)
		return heap_fault(h, w->tree ? "free block missing from the tree"
			: "free block missing from the list", &f->tag);
	const char *why = w->tree ? heaptree_check_node(h, f)
		: freelist_check_node(h, f, w->prev);
	if (why != NULL)
		return heap_fault(h, why, &f->tag);
	w->prev = off;
	w->expect = w->tree ? heaptree_walk_next(h, off, &w->budget) : f->next;
	return 0;
}

/* heap_check's walk of one block b: its tags, and a free block's place in
 * the index (w). */
static int
heap_check_block(struct heap *h, struct heap_tag *b, bool prev_free,
	struct index_walk *w)
{
	uint32_t size = tag_size(b);

	if (!tag_ok(b) || (b->size & HEAP_MAPPED))
		return heap_fault(h, "overwritten header", b);
	if (size < HEAP_MIN_BLOCK || size % HEAP_ALIGN != 0 ||
	    size > (size_t)((char *)heap_end_tag(h) - (char *)b))
		return heap_fault(h, "bad block size", b);
	if (((b->size & HEAP_PREV_FREE) != 0) != prev_free)
		return heap_fault(h, "wrong prev-free bit", b);
	if (block_used(b))
		return 0;
	struct heap_tag *footer = block_next(b) - 1;
	if (prev_free)
		return heap_fault(h, "adjacent free blocks", b);
	if (!tag_ok(footer) || footer->size != b->size)
		return heap_fault(h, "overwritten footer", b);
	if (heapbins_on(h) && block_next(b) == heap_end_tag(h))
		return 0;               /* the top: checked at the end */
	if (heapbins_holds(h, size)) {
		const char *why = heapbins_check_node(h, (struct heap_free *)b);
		w->binned++;
		return why != NULL ? heap_fault(h, why, b) : 0;
	}
	return index_check_node(h, (struct heap_free *)b, w);
}

/* heap_check's end: the index must name no free block past the last. */
static int
index_check_end(struct heap *h, struct index_walk *w)
{
	if (w->expect == 0)
		return 0;
	struct heap_tag *b = w->expect != HEAPTREE_BROKEN &&
		heap_off_ok(h, w->expect) ? &free_block_at(h, w->expect)->tag : NULL;
	return heap_fault(h, w->tree ? "free tree holds a non-block"
		: "free list holds a non-block", b);
}

/* heap_check's end for the fast index: its top must be the last block,
 * last, if that is free (else none), and the bins must hold every other
 * small free block. */
static int
heap_check_fast_end(struct heap *h, struct index_walk *w, struct heap_tag *last)
{
	uint32_t top = block_used(last) ? 0 : free_block_off(h, (struct heap_free *)last);
	const char *why = heapbins_check(h, w->binned);

	if (h->top != top)
		return heap_fault(h, "the top is not the last free block", last);
	return why != NULL ? heap_fault(h, why, NULL) : 0;
}

int
heap_check(struct heap *h)
{
	size_t free_bytes = 0, nfree = 0, nused = 0, ncached = 0, cached_bytes = 0;
	bool prev_free = false;
	struct index_walk w = {
		.tree = h->flags & HEAP_TREE_INDEX,
		.budget = 2 * (size_t)(h->brk - h->start) / HEAP_MIN_BLOCK + 2,
	};
	const char *why = HEAP_WITH_MAPPING ? heapmap_check(h) : NULL;

	if (why != NULL)
		return heap_fault(h, why, NULL);

	if (h->brk == h->start)
		return h->root == 0 && h->free_list == 0 && h->free_bytes == 0 &&
			h->top == 0 &&
			(!heapbins_on(h) || heapbins_check(h, 0) == NULL) ? 0 :
			heap_fault(h, w.tree ? "free tree of an empty heap"
				: "free list of an empty heap", NULL);
	w.expect = w.tree ? heaptree_walk_next(h, 0, &w.budget) : h->free_list;
	struct heap_tag *b = heap_first_block(h), *last = b;
	for (; b != heap_end_tag(h); b = block_next(b)) {
		if (heap_check_block(h, b, prev_free, &w) != 0)
			return -EFAULT;
		last = b;
		prev_free = !block_used(b);
		nfree += prev_free;
		nused += !prev_free;
		ncached += !prev_free && (b->size & HEAP_CACHED);
		cached_bytes += !prev_free && (b->size & HEAP_CACHED) ? tag_size(b) : 0;
		free_bytes += prev_free ? tag_size(b) : 0;
	}
	if (!tag_ok(b) || tag_size(b) != 0 || !block_used(b) ||
	    ((b->size & HEAP_PREV_FREE) != 0) != prev_free)
		return heap_fault(h, "overwritten end tag", b);
	if (index_check_end(h, &w) != 0)
		return -EFAULT;
	if (heapbins_on(h) && heap_check_fast_end(h, &w, last) != 0)
		return -EFAULT;
	why = heapbins_on(h) ? heapcache_check(h, ncached) :
		ncached != 0 ? "cached block in a heap without a cache" : NULL;
	if (why != NULL)
		return heap_fault(h, why, NULL);
	if (nfree != h->free_blocks || nused != h->used_blocks ||
	    free_bytes != h->free_bytes || ncached != h->cached_blocks ||
	    cached_bytes != h->cached_bytes)
		return heap_fault(h, "counters disagree with the blocks", NULL);
	return 0;
}
