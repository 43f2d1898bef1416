/*
 * The heap core's checks: that a pointer handed to free or realloc is a
 * live block (heap_lookup, on every call), and that the whole heap keeps
 * its invariants (heap_check, which tests and HEAP_CHECK_EVERY_OP call).
 * Each fault found goes to the caller's corrupt() with what broke.
 */
#include <heap.h>
#include <cairn/errno.h>

#include "heapblock.h"
#include "heaptree.h"

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

/* Returns the used block of a pointer handed to free or realloc, or
 * reports why it is none and returns NULL. */
struct heap_tag *
heap_lookup(struct heap *h, void *ptr, void *caller)
{
	char *p = ptr;

	if (p < h->start + 2 * TAG_SIZE || p >= h->brk - TAG_SIZE) {
		heap_report(h, "invalid free (outside the heap)", ptr, NULL, caller);
		return NULL;
	}
	if ((uintptr_t)p % HEAP_ALIGN != 0) {
		heap_report(h, "invalid free (misaligned)", ptr, NULL, caller);
		return NULL;
	}
	struct heap_tag *b = (struct heap_tag *)p - 1;
	uint32_t size = tag_size(b);
	if (tag_ok(b) && !block_used(b)) {
		heap_report(h, "double free", ptr, b, caller);
		return NULL;
	}
	if (!tag_ok(b) || size < HEAP_MIN_BLOCK || size % HEAP_ALIGN != 0 ||
	    size > (size_t)((char *)heap_end_tag(h) - (char *)b)) {
		heap_diagnose(h, ptr, caller);
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

/* Reports what broke at block b (NULL: no one block) for heap_check. */
static int
heap_fault(struct heap *h, const char *what, struct heap_tag *b)
{
	heap_report(h, what, b != NULL ? block_payload(b) : NULL, b, NULL);
	return -EFAULT;
}

/* heap_check's walk of one block b; *expect is the tree node (in address
 * order) that the next free block must be. */
static int
heap_check_block(struct heap *h, struct heap_tag *b, bool prev_free,
	uint32_t *expect, size_t *budget)
{
	uint32_t size = tag_size(b);

	if (!tag_ok(b))
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
	struct heap_free *f = (struct heap_free *)b;
	if (*expect == HEAPTREE_BROKEN)
		return heap_fault(h, "broken free tree link", b);
	if (*expect != heaptree_off(h, f))
		return heap_fault(h, "free block missing from the tree", b);
	const char *why = heaptree_check_node(h, f);
	if (why != NULL)
		return heap_fault(h, why, b);
	*expect = heaptree_walk_next(h, *expect, budget);
	return 0;
}

int
heap_check(struct heap *h)
{
	size_t free_bytes = 0, nfree = 0, nused = 0;
	size_t budget = 2 * (size_t)(h->brk - h->start) / HEAP_MIN_BLOCK + 2;
	bool prev_free = false;

	if (h->brk == h->start)
		return h->root == 0 && h->free_bytes == 0 ? 0 :
			heap_fault(h, "free tree of an empty heap", NULL);
	uint32_t expect = heaptree_walk_next(h, 0, &budget);
	struct heap_tag *b = heap_first_block(h);
	for (; b != heap_end_tag(h); b = block_next(b)) {
		if (heap_check_block(h, b, prev_free, &expect, &budget) != 0)
			return -EFAULT;
		prev_free = !block_used(b);
		nfree += prev_free;
		nused += !prev_free;
		free_bytes += prev_free ? tag_size(b) : 0;
	}
	if (!tag_ok(b) || tag_size(b) != 0 || !block_used(b) ||
	    ((b->size & HEAP_PREV_FREE) != 0) != prev_free)
		return heap_fault(h, "overwritten end tag", b);
	if (expect != 0)
		return heap_fault(h, "free tree holds a non-block",
			expect == HEAPTREE_BROKEN ? NULL : &heaptree_node(h, expect)->tag);
	if (nfree != h->free_blocks || nused != h->used_blocks ||
	    free_bytes != h->free_bytes)
		return heap_fault(h, "counters disagree with the blocks", NULL);
	return 0;
}
