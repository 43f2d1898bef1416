/*
 * The heap core's free tree (src/mm/heaptree.c), the index a heap with
 * HEAP_TREE_INDEX keeps instead of the free list: the free blocks in a
 * treap ordered by address, each node knowing the largest block in its
 * subtree, so first fit finds the lowest block that holds a request in
 * O(log n). Private to the core (heap.c, heapcheck.c); nodes are the
 * struct heap_free that heap.h draws inside each free block.
 *
 * Links are offsets from h->start, 0 for none (no block starts there):
 *
 *                 root (h->root)          each node: left, right, parent,
 *                /              \         and max = the largest block
 *        lower addresses   higher addresses           size below it
 *
 * Contract for every function here: a node's tags must not change while
 * it is in the tree, but through these functions (its priority and the
 * maxes above it depend on them).
 */
#ifndef CAIRN_HEAPTREE_H
#define CAIRN_HEAPTREE_H

#include <heap.h>
#include <stddef.h>
#include <stdint.h>

#include "heapblock.h"

#define HEAPTREE_BROKEN 0xFFFFFFFFu     /* never a block offset */

/* The largest block size in the subtree at off (0 for none). */
static inline uint32_t
heaptree_max(struct heap *h, uint32_t off)
{
	return off != 0 ? free_block_at(h, off)->max : 0;
}

/* Adds free block f, whose tags are set, at its address. */
void heaptree_insert(struct heap *h, struct heap_free *f);

/* Makes f a free block of size bytes (header, footer, the successor's
 * HEAP_PREV_FREE) and adds it. */
void heaptree_insert_new(struct heap *h, struct heap_free *f, uint32_t size);

/* Takes node f out of the tree; its tags are left as they are. */
void heaptree_remove(struct heap *h, struct heap_free *f);

/* Makes nf a free block of size bytes ending where node old ends, in
 * old's place. No other free block may lie between them; nf may overlap
 * old (the cheap way to shrink or grow a free block at its front). */
void heaptree_move(struct heap *h, struct heap_free *old, struct heap_free *nf,
	uint32_t size);

/* Gives node f a new size at the same start (its end moves). */
void heaptree_resize(struct heap *h, struct heap_free *f, uint32_t size);

/* Returns the lowest-addressed block of at least size bytes in the
 * subtree at offset n (h->root: the whole tree), or NULL if none. A
 * damaged node on the way is reported ("damaged free block") and the
 * search returns NULL. */
struct heap_free *heaptree_first_fit(struct heap *h, uint32_t n, uint32_t size);

/* Returns the next block above node f in address order that has at
 * least size bytes, or NULL if none. */
struct heap_free *heaptree_next_fit(struct heap *h, struct heap_free *f,
	uint32_t size);

/* For heap_check, which must survive any damage. Returns the offset of
 * the node after off in address order (the first when off is 0), 0 past
 * the last, or HEAPTREE_BROKEN when a link leaves the heap's block grid or
 * the walk has followed more than *budget links (a cycle). */
uint32_t heaptree_walk_next(struct heap *h, uint32_t off, size_t *budget);

/* For heap_check: checks node f's links (its children's parent links and
 * its parent's link to it), its children's priorities and its max.
 * Returns NULL, or what is wrong. */
const char *heaptree_check_node(struct heap *h, struct heap_free *f);

#endif /* CAIRN_HEAPTREE_H */
