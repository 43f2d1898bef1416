/*
 * The heap core's small bins, the front of the fast index: a free block of
 * at most HEAP_BIN_MAX bytes goes in the list of its exact size, so most
 * small requests are served in O(1), by the first block of their own bin,
 * with no search and no tree to rebalance. A bitmap of the bins that hold
 * any finds the next larger size in a few instructions when a bin is
 * empty: best fit for small sizes. In front of the bins, the quick cache
 * keeps a few freed blocks of each small size unmerged, for the next
 * request of that size. The API, and the hot functions inline, are in
 * heapbins.h; here are the rest and the checks.
 */
#include "heapbins.h"

/* A build without the fast index (HEAP_WITH_FAST_INDEX 0: the kernel's
 * and the user runtime's by default) carries none of this code. */
#if HEAP_WITH_FAST_INDEX

uint32_t
heapbins_largest(struct heap *h)
{
	for (unsigned w = HEAP_BIN_WORDS; w-- > 0; )
		if (h->bins->map[w] != 0)
			return heapbins_size(w * 32 + 31 -
				(unsigned)__builtin_clz(h->bins->map[w]));
	return 0;
}

/* ------------------------------------------------------ for heap_check */

const char *
heapbins_check_node(struct heap *h, struct heap_free *f)
{
	uint32_t off = free_block_off(h, f);
	unsigned i = heapbins_index(tag_size(&f->tag));

	if (f->prev == 0 ? h->bins->head[i] != off
	    : !heap_off_ok(h, f->prev) || free_block_at(h, f->prev)->next != off)
		return "broken bin link";
	if (f->next != 0 &&
	    (!heap_off_ok(h, f->next) || free_block_at(h, f->next)->prev != off))
		return "broken bin link";
	return NULL;
}

const char *
heapbins_check(struct heap *h, size_t nblocks)
{
	size_t seen = 0;

	for (unsigned w = 0; w < HEAP_BIN_WORDS; w++)
		if (((h->bins->words >> w) & 1) != (h->bins->map[w] != 0))
			return "bin bitmap disagrees with the bins";
	for (unsigned i = 0; i < HEAP_NBINS; i++) {
		bool marked = h->bins->map[i / 32] & (1u << (i % 32));
		if (marked != (h->bins->head[i] != 0))
			return "bin bitmap disagrees with the bins";
		for (uint32_t off = h->bins->head[i]; off != 0; ) {
			if (!heap_off_ok(h, off) || ++seen > nblocks)
				return "bin holds a non-block";
			struct heap_free *f = free_block_at(h, off);
			if (!tag_ok(&f->tag) || block_used(&f->tag) ||
			    tag_size(&f->tag) != heapbins_size(i))
				return "bin holds a block of another size";
			off = f->next;
		}
	}
	return seen == nblocks ? NULL : "free block missing from its bin";
}

const char *
heapcache_check(struct heap *h, size_t ncached)
{
	size_t seen = 0;

	for (unsigned i = 0; i < HEAP_NQUICK; i++) {
		uint32_t off = h->bins->quick[i];
		for (unsigned n = 0; n < h->bins->quick_count[i]; n++) {
			struct heap_tag *b = (struct heap_tag *)(h->start + off);
			if (!heap_off_ok(h, off) || !tag_ok(b) || !block_used(b) ||
			    !(b->size & HEAP_CACHED) || tag_size(b) != heapbins_size(i))
				return "quick cache holds a non-cached block";
			off = *(uint32_t *)block_payload(b);
		}
		if (off != 0)
			return "quick cache holds more than it counts";
		seen += h->bins->quick_count[i];
	}
	return seen == ncached ? NULL : "cached block missing from the quick cache";
}

#endif /* HEAP_WITH_FAST_INDEX */
