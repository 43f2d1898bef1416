/*
 * The heap core's small bins (src/mm/heapbins.c), the front of the fast
 * index (HEAP_FAST_INDEX): every free block of at most HEAP_BIN_MAX bytes
 * sits in the bin of its exact size, a doubly linked list, and a bitmap
 * says which bins hold any. Larger free blocks stay in the tree
 * (heaptree.c). Private to the core (heap.c, heapcheck.c); a binned block
 * uses the free list's links (prev, next) of struct heap_free.
 *
 *   h->bins->head[0]  32 B:  | free | <-> | free | -> 0     h->bins->map: one bit
 *   h->bins->head[1]  48 B:  0                              per bin, set while
 *   ...                                               the bin holds any
 *   h->bins->head[62] 1024 B: | free | -> 0
 */
#ifndef CAIRN_HEAPBINS_H
#define CAIRN_HEAPBINS_H

#include <heap.h>
#include <stdbool.h>
#include <stdint.h>

#include "heapblock.h"

/* Whether this copy of the core carries the fast index at all: the
 * host's always; the kernel's and the user runtime's only when built
 * with make HEAP_INDEX=fast, so that a program whose malloc never uses
 * it does not carry its code (the Makefile passes 0). A constant, not
 * an #ifdef: the code is compiled, and checked, in every build, and the
 * compiler drops what it guards. */
#ifndef HEAP_WITH_FAST_INDEX
#define HEAP_WITH_FAST_INDEX 1
#endif

/* Whether h keeps the fast index. */
static inline bool
heapbins_on(const struct heap *h)
{
	return HEAP_WITH_FAST_INDEX && (h->flags & HEAP_SMALL_BINS);
}

/* Whether a free block of size bytes belongs in a bin (else the tree). */
static inline bool
heapbins_holds(struct heap *h, uint32_t size)
{
	return HEAP_WITH_FAST_INDEX && size <= h->bin_max;
}

/* The bin of block size size (a multiple of 16, 32..HEAP_BIN_MAX). */
static inline unsigned
heapbins_index(uint32_t size)
{
	return (size - HEAP_MIN_BLOCK) / HEAP_ALIGN;
}

/* The block size that bin i holds. */
static inline uint32_t
heapbins_size(unsigned i)
{
	return HEAP_MIN_BLOCK + i * HEAP_ALIGN;
}

_Static_assert(HEAP_BIN_WORDS <= 32, "one bit per bitmap word in bin_words");

/* Each bin's bit: word i / 32, bit i % 32 (uint32_t: the i386's word),
 * and that word's bit in bin_words, so that a search skips empty words. */
static inline void
heapbins_mark(struct heap *h, unsigned i, bool full)
{
	uint32_t bit = 1u << (i % 32);
	unsigned w = i / 32;

	if (full) {
		h->bins->map[w] |= bit;
		h->bins->words |= 1u << w;
	} else if ((h->bins->map[w] &= ~bit) == 0) {
		h->bins->words &= ~(1u << w);
	}
}

/* Makes f a free block of size bytes (<= HEAP_BIN_MAX: header, footer,
 * the successor's HEAP_PREV_FREE) and puts it first in its bin. Inline,
 * as its twin below: the two are most of a small malloc's and free's
 * work, and a call would be a fifth of it. */
static inline void
heapbins_insert_new(struct heap *h, struct heap_free *f, uint32_t size)
{
	unsigned i = heapbins_index(size);
	uint32_t off = free_block_off(h, f), first = h->bins->head[i];

	block_set_free(&f->tag, size);
	f->prev = 0;
	f->next = first;
	if (first != 0)
		free_block_at(h, first)->prev = off;
	else
		heapbins_mark(h, i, true);
	h->bins->head[i] = off;
}

/* Takes f out of its bin; its tags are left as they are. */
static inline void
heapbins_remove(struct heap *h, struct heap_free *f)
{
	unsigned i = heapbins_index(tag_size(&f->tag));

	if (f->prev != 0)
		free_block_at(h, f->prev)->next = f->next;
	else if ((h->bins->head[i] = f->next) == 0)
		heapbins_mark(h, i, false);
	if (f->next != 0)
		free_block_at(h, f->next)->prev = f->prev;
}

/* The lowest non-empty bin from i on, or HEAP_NBINS if none. */
static inline unsigned
heapbins_next_full(struct heap *h, unsigned i)
{
	unsigned w = i / 32;
	uint32_t bits = h->bins->map[w] & (~0u << (i % 32));

	if (bits == 0) {
		uint32_t words = h->bins->words & ~1u << w;     /* the words above */
		if (words == 0)
			return HEAP_NBINS;
		w = (unsigned)__builtin_ctz(words);
		bits = h->bins->map[w];
	}
	return w * 32 + (unsigned)__builtin_ctz(bits);
}

/* Best fit among the bins: the first block of the smallest non-empty bin
 * of at least size bytes (size <= HEAP_BIN_MAX), or NULL. A damaged block
 * there is reported ("damaged free block") and NULL returned. */
static inline struct heap_free *
heapbins_fit(struct heap *h, uint32_t size)
{
	unsigned i = heapbins_next_full(h, heapbins_index(size));

	if (i == HEAP_NBINS)
		return NULL;
	struct heap_free *f = free_block_at(h, h->bins->head[i]);
	if (!tag_ok(&f->tag) || block_used(&f->tag) ||
	    tag_size(&f->tag) != heapbins_size(i)) {
		heap_report(h, "damaged free block", block_payload(&f->tag),
			&f->tag, NULL);
		return NULL;
	}
	return f;
}

/* ---------------------------------------------------- the quick cache */

/*
 * A freed block of up to HEAP_QUICK_MAX bytes may wait in the quick cache
 * instead (h->quick_max is 0 without HEAP_SMALL_BINS): a used block still
 * to its neighbours, so neither merges with it, marked HEAP_CACHED, and
 * linked through its payload's first word to the one cached before it.
 * The next request of its size takes it back with no search, no split
 * and no merge: the common case of a program that frees a node and soon
 * allocates another. HEAP_QUICK_DEPTH of each size at most, so that few
 * bytes wait unmerged; heap_alloc empties the cache before it gives up.
 */

/* Caches used block b, being freed, if its size has room in the cache;
 * returns whether it did. */
static inline bool
heapcache_put(struct heap *h, struct heap_tag *b)
{
	uint32_t size = tag_size(b);

	if (!HEAP_WITH_FAST_INDEX || size > h->quick_max)
		return false;
	unsigned i = heapbins_index(size);
	if (h->bins->quick_count[i] == HEAP_QUICK_DEPTH)
		return false;
	tag_set(b, b->size | HEAP_CACHED);
	*(uint32_t *)block_payload(b) = h->bins->quick[i];
	h->bins->quick[i] = (uint32_t)((char *)b - h->start);
	h->bins->quick_count[i]++;
	h->cached_blocks++;
	h->cached_bytes += size;
	return true;
}

/* Takes the block of size bytes cached last, a used block again, or
 * returns NULL if none is. A damaged one (a write after free) is reported
 * ("damaged free block") and NULL returned. */
static inline struct heap_tag *
heapcache_take(struct heap *h, uint32_t size)
{
	if (!HEAP_WITH_FAST_INDEX || size > h->quick_max)
		return NULL;
	unsigned i = heapbins_index(size);
	uint32_t off = h->bins->quick[i];
	if (off == 0)
		return NULL;
	struct heap_tag *b = (struct heap_tag *)(h->start + off);
	if (!heap_off_ok(h, off) || !tag_ok(b) ||
	    (b->size & ~(uint32_t)HEAP_PREV_FREE) != (size | HEAP_USED | HEAP_CACHED)) {
		heap_report(h, "damaged free block", heap_off_ok(h, off) ?
			block_payload(b) : NULL, heap_off_ok(h, off) ? b : NULL, NULL);
		return NULL;
	}
	h->bins->quick[i] = *(uint32_t *)block_payload(b);
	h->bins->quick_count[i]--;
	h->cached_blocks--;
	h->cached_bytes -= size;
	tag_set(b, b->size & ~(uint32_t)HEAP_CACHED);
	return b;
}

/* For heap_check: walks the cache, checking that each size's list holds
 * as many blocks as it counts, each cached and of its size, and ncached
 * in all (the cached blocks heap_check met). Returns NULL, or what is
 * wrong. */
const char *heapcache_check(struct heap *h, size_t ncached);

/* ------------------------------------------------------------------- */

/* The largest binned block's size, 0 if the bins are empty. */
uint32_t heapbins_largest(struct heap *h);

/* For heap_check: whether free block f (of a bin's size) is linked into
 * its bin both ways. Returns NULL, or what is wrong. */
const char *heapbins_check_node(struct heap *h, struct heap_free *f);

/* For heap_check: walks every bin, checking that each holds only free
 * blocks of its size, linked both ways, that the bitmap says which bins
 * hold any, and that there are nblocks in all. Returns NULL, or what is
 * wrong (a cycle is found, not followed forever). */
const char *heapbins_check(struct heap *h, size_t nblocks);

#endif /* CAIRN_HEAPBINS_H */
