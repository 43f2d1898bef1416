/*
 * The heap allocator core: first fit on a free list kept in address
 * order. Allocation walks the list to the lowest free block that holds
 * the request and splits it; free merges a block with its free neighbours,
 * which the boundary tags find in O(1). Memory comes from a caller's
 * sbrk-like more(); the layout is drawn in heap.h, the tag helpers are in
 * heapblock.h. A heap with HEAP_TREE_INDEX keeps its free blocks in a
 * tree instead (heaptree.c). The same files build for the kernel, user
 * space and the host.
 */
#include <heap.h>
#include <cairn/errno.h>
#include <string.h>

#include "heapbins.h"
#include "heapblock.h"
#include "heapmap.h"
#include "heaptree.h"

/* Rounds up to whole pages: the unit the region grows and shrinks by. */
static inline size_t
heap_round_page(size_t n)
{
	return (n + HEAP_PAGE_SIZE - 1) & ~(size_t)(HEAP_PAGE_SIZE - 1);
}

/* The block size that holds a request: header, rounded to 16, at least
 * a minimal block (so it can be freed in place). */
static inline uint32_t
block_size_for(size_t request)
{
	size_t s = (request + TAG_SIZE + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
	return s < HEAP_MIN_BLOCK ? HEAP_MIN_BLOCK : (uint32_t)s;
}

/* ------------------------------------------------------ the fast index */

/*
 * HEAP_FAST_INDEX: a free block of up to HEAP_BIN_MAX bytes sits in the
 * bin of its size (heapbins.h), a larger one in the tree (heaptree.c),
 * but for the last free block, the one that touches the end tag: that is
 * "the top" (dlmalloc's name), h->top, in neither. The top is where the
 * heap grows and what a trim cuts, and most requests that no bin holds
 * are carved from it: keeping it apart saves moving it from bin to bin
 * (or up the tree) each time. Each function here is the fast index's
 * twin of the free list's function below that calls it.
 */

/* Whether free block f of size bytes would be the top: it ends at the
 * end tag. */
static inline bool
fastindex_is_top(struct heap *h, struct heap_free *f, uint32_t size)
{
	return (char *)f + size == h->brk - TAG_SIZE;
}

static inline void
fastindex_insert(struct heap *h, struct heap_free *f, uint32_t size)
{
	if (fastindex_is_top(h, f, size)) {
		block_set_free(&f->tag, size);
		h->top = free_block_off(h, f);
	} else if (heapbins_holds(h, size)) {
		heapbins_insert_new(h, f, size);
	} else {
		heaptree_insert_new(h, f, size);
	}
}

static inline void
fastindex_remove(struct heap *h, struct heap_free *f)
{
	if (free_block_off(h, f) == h->top)
		h->top = 0;
	else if (heapbins_holds(h, tag_size(&f->tag)))
		heapbins_remove(h, f);
	else
		heaptree_remove(h, f);
}

/* nf ends where old ends: the top stays the top, and a tree node keeps
 * its place if it stays out of the bins; any other block changes place. */
static inline void
fastindex_move(struct heap *h, struct heap_free *old, struct heap_free *nf,
	uint32_t size)
{
	if (free_block_off(h, old) == h->top) {
		block_set_free(&nf->tag, size);
		h->top = free_block_off(h, nf);
	} else if (heapbins_holds(h, tag_size(&old->tag)) || heapbins_holds(h, size)) {
		fastindex_remove(h, old);
		fastindex_insert(h, nf, size);
	} else {
		heaptree_move(h, old, nf, size);
	}
}

/* f's end moves: to or from the end tag, from bin to bin, or in the tree. */
static inline void
fastindex_resize(struct heap *h, struct heap_free *f, uint32_t size)
{
	fastindex_remove(h, f);
	fastindex_insert(h, f, size);
}

/* ------------------------------------------------------- the free list */

/*
 * The free blocks, doubly linked in address order from h->free_list:
 *
 *   h->free_list -> | free @a | <-> | free @b | <-> | free @c | -> 0
 *                   (prev 0)                          (next 0)
 *
 * Links are offsets from h->start (free_block_at() turns one into a
 * pointer). Address order is what first fit needs: the first block on
 * the list that is big enough is the lowest. Two links, so that a block
 * found by its tags (a free neighbour) leaves the list in O(1); only a
 * block freed between used ones walks to its place.
 *
 * A heap with HEAP_TREE_INDEX keeps the same blocks in a tree instead
 * (heaptree.c), whose in-order walk is this list: each function below
 * that changes the free blocks starts by handing over to the tree's.
 * A heap with the fast index (HEAP_FAST_INDEX) hands over to the
 * functions above instead.
 */

/* Puts free block f between the free blocks at offsets prev and next (0:
 * the list's ends), which must be neighbours on the list. */
static void
freelist_link(struct heap *h, struct heap_free *f, uint32_t prev, uint32_t next)
{
	uint32_t off = free_block_off(h, f);

	f->prev = prev;
	f->next = next;
	if (prev != 0)
		free_block_at(h, prev)->next = off;
	else
		h->free_list = off;
	if (next != 0)
		free_block_at(h, next)->prev = off;
}

/* Makes f a free block of size bytes (header, footer, the successor's
 * HEAP_PREV_FREE) and adds it at its address: the walk from the head
 * stops at the first free block above f. O(n) in the free blocks. */
static void
freelist_insert(struct heap *h, struct heap_free *f, uint32_t size)
{
	if (heapbins_on(h)) {
		fastindex_insert(h, f, size);
		return;
	}
	if (h->flags & HEAP_TREE_INDEX) {
		heaptree_insert_new(h, f, size);
		return;
	}
	uint32_t off = free_block_off(h, f), prev = 0, next = h->free_list;

	while (next != 0 && next < off) {
		prev = next;
		next = free_block_at(h, next)->next;
	}
	block_set_free(&f->tag, size);
	freelist_link(h, f, prev, next);
}

/* Takes f off the list; its tags are left as they are. */
static void
freelist_remove(struct heap *h, struct heap_free *f)
{
	if (heapbins_on(h)) {
		fastindex_remove(h, f);
		return;
	}
	if (h->flags & HEAP_TREE_INDEX) {
		heaptree_remove(h, f);
		return;
	}
	if (f->prev != 0)
		free_block_at(h, f->prev)->next = f->next;
	else
		h->free_list = f->next;
	if (f->next != 0)
		free_block_at(h, f->next)->prev = f->prev;
}

/* Makes nf a free block of size bytes ending where free block old ends,
 * in old's place on the list (no free block lies between them). nf may
 * overlap old, so old's links are read first. */
static void
freelist_move(struct heap *h, struct heap_free *old, struct heap_free *nf,
	uint32_t size)
{
	if (heapbins_on(h)) {
		fastindex_move(h, old, nf, size);
		return;
	}
	if (h->flags & HEAP_TREE_INDEX) {
		heaptree_move(h, old, nf, size);
		return;
	}
	uint32_t prev = old->prev, next = old->next;

	block_set_free(&nf->tag, size);
	freelist_link(h, nf, prev, next);
}

/* Gives free block f a new size at the same start: its place on the
 * list stays, only its tags change. */
static void
freelist_resize(struct heap *h, struct heap_free *f, uint32_t size)
{
	if (heapbins_on(h)) {
		fastindex_resize(h, f, size);
		return;
	}
	if (h->flags & HEAP_TREE_INDEX) {
		heaptree_resize(h, f, size);
		return;
	}
	block_set_free(&f->tag, size);
}

/* ------------------------------------------------------------ first fit */

/* First fit on the list: returns the first block from f on (f itself,
 * then higher ones) of at least size bytes, or NULL if none holds it.
 * Each block passed is checked: a damaged one is reported ("damaged free
 * block") and the search returns NULL. */
static struct heap_free *
freelist_first_fit(struct heap *h, struct heap_free *f, uint32_t size)
{
	/* lab heap: begin freelist_first_fit */
	for (; f != NULL; f = free_block_at(h, f->next)) {
		if (!tag_ok(&f->tag) || block_used(&f->tag)) {
			heap_report(h, "damaged free block", block_payload(&f->tag),
				&f->tag, NULL);
			return NULL;
		}
		if (tag_size(&f->tag) >= size)
			return f;
	}
	return NULL;
	/* lab heap: end */
}

/* The fast index's top, if it holds size bytes, else NULL; a damaged top
 * is reported as a damaged free block and NULL returned. */
static struct heap_free *
fastindex_top_fit(struct heap *h, uint32_t size)
{
	struct heap_free *top = free_block_at(h, h->top);

	if (top == NULL || (tag_ok(&top->tag) && !block_used(&top->tag) &&
	    tag_size(&top->tag) < size))
		return NULL;
	if (!tag_ok(&top->tag) || block_used(&top->tag)) {
		heap_report(h, "damaged free block", block_payload(&top->tag),
			&top->tag, NULL);
		return NULL;
	}
	return top;
}

/* The fast index's fit: best fit among the bins for a small request
 * (the smallest binned block that holds it), else first fit in the tree,
 * else the top. */
static struct heap_free *
fastindex_fit(struct heap *h, uint32_t size)
{
	struct heap_free *f;

	if (heapbins_holds(h, size) && (f = heapbins_fit(h, size)) != NULL)
		return f;
	if (h->root != 0 && (f = heaptree_first_fit(h, h->root, size)) != NULL)
		return f;
	return fastindex_top_fit(h, size);
}

/* Returns the lowest-addressed free block of at least size bytes, or
 * NULL: the walk from the list's head, or the tree's descent. (The fast
 * index's block is another: see fastindex_fit.) */
static inline struct heap_free *
heap_find_first_fit(struct heap *h, uint32_t size)
{
	if (heapbins_on(h))
		return fastindex_fit(h, size);
	if (h->flags & HEAP_TREE_INDEX)
		return heaptree_first_fit(h, h->root, size);
	return freelist_first_fit(h, free_block_at(h, h->free_list), size);
}

/* Returns the next free block above f of at least size bytes, or NULL. */
static struct heap_free *
heap_find_next_fit(struct heap *h, struct heap_free *f, uint32_t size)
{
	if (h->flags & HEAP_TREE_INDEX)
		return heaptree_next_fit(h, f, size);
	return freelist_first_fit(h, free_block_at(h, f->next), size);
}

/* The lead that puts f's payload on an align boundary: 0, or enough to
 * leave a minimal free block in front. */
static size_t
aligned_lead(struct heap_free *f, size_t align)
{
	uintptr_t p = (uintptr_t)f + TAG_SIZE;
	uintptr_t q = (p + align - 1) & ~(uintptr_t)(align - 1);

	while (q != p && q - p < HEAP_MIN_BLOCK)
		q += align;
	return q - p;
}

/* The fast index's heap_find_aligned_fit: the bins, smallest first, then
 * the tree's blocks in address order, then the top. Aligned requests are
 * rare: a walk of the bins will do. */
static struct heap_free *
fastindex_aligned_fit(struct heap *h, size_t align, uint32_t size, size_t *lead)
{
	struct heap_free *f;

	for (unsigned i = heapbins_holds(h, size) ? heapbins_index(size) : HEAP_NBINS;
	     i < HEAP_NBINS; i++)
		for (f = free_block_at(h, h->bins->head[i]); f != NULL;
		     f = free_block_at(h, f->next)) {
			*lead = aligned_lead(f, align);
			if (*lead + size <= tag_size(&f->tag))
				return f;
		}
	for (f = heaptree_first_fit(h, h->root, size); f != NULL;
	     f = heaptree_next_fit(h, f, size)) {
		*lead = aligned_lead(f, align);
		if (*lead + size <= tag_size(&f->tag))
			return f;
	}
	f = fastindex_top_fit(h, size);
	if (f != NULL && (*lead = aligned_lead(f, align)) + size <= tag_size(&f->tag))
		return f;
	return NULL;
}

/* heap_find_first_fit for an aligned payload: the first free block that
 * holds size bytes after its aligned lead, which goes to *lead. It visits
 * the blocks of at least size bytes in address order until one does. */
static struct heap_free *
heap_find_aligned_fit(struct heap *h, size_t align, uint32_t size, size_t *lead)
{
	if (heapbins_on(h))
		return fastindex_aligned_fit(h, align, size, lead);
	struct heap_free *f = heap_find_first_fit(h, size);

	for (; f != NULL; f = heap_find_next_fit(h, f, size)) {
		*lead = aligned_lead(f, align);
		if (*lead + size <= tag_size(&f->tag))
			return f;
	}
	return NULL;
}

/* ------------------------------------------------------------ splitting */

/* Carves the used block [f + lead, f + lead + size) out of free block f;
 * lead is 0 or at least a minimal block, lead + size <= f's size. The lead
 * stays free in f's place; a tail that can hold a minimal block becomes a
 * free block after it, a smaller one stays in the used block. Returns the
 * used block, its header set. */
static struct heap_tag *
heap_split(struct heap *h, struct heap_free *f, size_t lead, uint32_t size)
{
	/* lab heap: begin heap_split */
	uint32_t tail = tag_size(&f->tag) - (uint32_t)lead - size;
	struct heap_tag *b = (struct heap_tag *)((char *)f + lead);

	if (tail < HEAP_MIN_BLOCK) {
		size += tail;
		tail = 0;
	}
	struct heap_free *t = (struct heap_free *)((char *)b + size);

	if (tail != 0) {
		freelist_move(h, f, t, tail);       /* the tail keeps f's end */
		if (lead != 0) {
			freelist_insert(h, f, (uint32_t)lead);
			h->free_blocks++;
		}
	} else if (lead != 0) {
		freelist_resize(h, f, (uint32_t)lead);
	} else {
		freelist_remove(h, f);
		h->free_blocks--;
	}
	/* b's predecessor is the lead, if any; otherwise b is f, whose
	 * predecessor is used. */
	tag_set(b, size | HEAP_USED | (lead != 0 ? HEAP_PREV_FREE : 0));
	if (tail == 0)
		block_set_prev_free(block_next(b), false);
	h->free_bytes -= size;
	h->used_blocks++;
	return b;
	/* lab heap: end */
}

/* ------------------------------------------------ freeing: the four cases */

/*
 * b is a used block being freed, P and N its neighbours. b's own
 * HEAP_PREV_FREE bit says whether P is free, N's HEAP_USED bit whether N
 * is. Each case returns the free block that now holds b.
 */

/* lab heap: begin heap_coalesce */
/* Case 1, | used | b | used |: b becomes a free block of its own. */
static struct heap_free *
heap_merge_none(struct heap *h, struct heap_tag *b)
{
	struct heap_free *f = (struct heap_free *)b;

	freelist_insert(h, f, tag_size(b));
	h->free_blocks++;
	return f;
}

/* Case 2, | P free | b | used |: P grows over b and keeps its place. b's
 * header, now inside P, is left a free tag: stale, but a second free of
 * b still says "double free". */
static struct heap_free *
heap_merge_prev(struct heap *h, struct heap_tag *b)
{
	struct heap_free *p = (struct heap_free *)block_prev(b);
	uint32_t size = tag_size(&p->tag) + tag_size(b);

	tag_set(b, tag_size(b));
	freelist_resize(h, p, size);
	return p;
}

/* Case 3, | used | b | N free |: b takes N in, and N's place on the list. */
static struct heap_free *
heap_merge_next(struct heap *h, struct heap_tag *b)
{
	struct heap_free *n = (struct heap_free *)block_next(b);
	struct heap_free *f = (struct heap_free *)b;

	freelist_move(h, n, f, tag_size(b) + tag_size(&n->tag));
	return f;
}

/* Case 4, | P free | b | N free |: one block from P's start to N's end,
 * in N's place (the end stays, which spares the tree rotations); P
 * leaves the list. b's header is left stale, as in case 2. */
static struct heap_free *
heap_merge_both(struct heap *h, struct heap_tag *b)
{
	struct heap_free *p = (struct heap_free *)block_prev(b);
	struct heap_free *n = (struct heap_free *)block_next(b);
	uint32_t size = tag_size(&p->tag) + tag_size(b) + tag_size(&n->tag);

	tag_set(b, tag_size(b));
	freelist_remove(h, p);
	freelist_move(h, n, p, size);
	h->free_blocks--;
	return p;
}

/* Frees block b (a used block, or fresh memory with a used header),
 * merging it with whichever neighbours are free: no two free blocks are
 * ever left side by side. Returns the free block that now holds b. */
static struct heap_free *
heap_coalesce(struct heap *h, struct heap_tag *b)
{
	bool prev_free = b->size & HEAP_PREV_FREE;
	bool next_free = !block_used(block_next(b));

	if (prev_free && next_free)
		return heap_merge_both(h, b);
	if (prev_free)
		return heap_merge_prev(h, b);
	if (next_free)
		return heap_merge_next(h, b);
	return heap_merge_none(h, b);
}
/* lab heap: end */

/* ----------------------------------------------------- giving pages back */

/* Gives back whole pages of the free tail block f, keeping half the
 * threshold: the slack saves the next requests from growing at once, and
 * the gap to the threshold from trimming again right after. (glibc's
 * malloc trims alike: past M_TRIM_THRESHOLD, 128 KiB, down to M_TOP_PAD.) */
static void
heap_shrink_tail(struct heap *h, struct heap_free *f)
{
	uintptr_t start = (uintptr_t)h->start;
	/* Keep half the threshold as slack, and never less than a whole free
	 * block: a smaller remnant could not hold its links and footer. */
	size_t keep = h->trim_threshold / 2 > HEAP_MIN_BLOCK ? h->trim_threshold / 2 : HEAP_MIN_BLOCK;
	uintptr_t keep_end = (uintptr_t)f + keep + TAG_SIZE;
	uintptr_t new_brk = start + heap_round_page(keep_end - start);

	if (new_brk >= (uintptr_t)h->brk)
		return;
	size_t delta = (uintptr_t)h->brk - new_brk;
	if (h->more(h->ctx, -(intptr_t)delta) == NULL)
		return;                 /* it stays ours: no harm */
	h->brk = (char *)new_brk;
	h->shrinks++;
	h->free_bytes -= delta;
	freelist_resize(h, f, tag_size(&f->tag) - (uint32_t)delta);
	tag_set(heap_end_tag(h), HEAP_USED | HEAP_PREV_FREE);
}

/* Frees used block b, then gives back a free tail past the threshold. */
static void
heap_release(struct heap *h, struct heap_tag *b)
{
	h->used_blocks--;
	h->free_bytes += tag_size(b);
	struct heap_free *f = heap_coalesce(h, b);
	if (block_next(&f->tag) == heap_end_tag(h) &&
	    tag_size(&f->tag) > h->trim_threshold)
		heap_shrink_tail(h, f);
}

/* --------------------------------------------------------------- growth */

/* Grows the region so that its last block is free and holds at least
 * need bytes; returns that block, or NULL when more() refuses. A free
 * tail counts toward need, so only the rest is asked for, in whole pages
 * and at least grow_min (a page by default: every byte more is heap that
 * peak utilization counts). The growth starts at the old end tag. */
static struct heap_free *
heap_grow(struct heap *h, size_t need)
{
	bool empty = h->brk == h->start;
	size_t have = 0, delta;

	if (!empty && (heap_end_tag(h)->size & HEAP_PREV_FREE))
		have = tag_size(heap_end_tag(h) - 1);
	delta = need > have ? need - have : 0;
	if (empty)
		delta += 2 * TAG_SIZE;          /* the pad and the end tag */
	if (delta < h->grow_min)
		delta = h->grow_min;
	delta = heap_round_page(delta);
	if (delta > HEAP_MAX_REGION - (size_t)(h->brk - h->start))
		return NULL;           /* block sizes are 32-bit */
	char *old = h->more(h->ctx, (intptr_t)delta);
	if (old == NULL)
		return NULL;
	if (old != h->brk) {
		heap_report(h, "grow callback moved the break", old, NULL, NULL);
		return NULL;
	}
	struct heap_tag *b = empty ? heap_first_block(h) : heap_end_tag(h);
	uint32_t size = (uint32_t)(empty ? delta - 2 * TAG_SIZE : delta);
	h->brk += delta;
	h->grows++;
	tag_set(b, size | HEAP_USED | (empty ? 0 : b->size & HEAP_PREV_FREE));
	tag_set(heap_end_tag(h), HEAP_USED);
	h->free_bytes += size;
	return heap_coalesce(h, b);
}

static void
heap_check_if_asked(struct heap *h)
{
	if (h->flags & HEAP_CHECK_EVERY_OP)
		heap_check(h);
}

/* ------------------------------------------------------------- the API */

int
heap_init(struct heap *h, const struct heap_config *cfg)
{
	if (cfg->more == NULL || cfg->corrupt == NULL)
		return -EINVAL;
	if ((cfg->flags & HEAP_SMALL_BINS) && (!HEAP_WITH_FAST_INDEX ||
	    !(cfg->flags & HEAP_TREE_INDEX) || cfg->bins == NULL))
		return -EINVAL;         /* the bins stand in front of the tree */
	struct heap_mapping *m = cfg->mapping;
	if (m != NULL && (!HEAP_WITH_MAPPING || m->map == NULL ||
	    m->unmap == NULL || m->threshold == 0))
		return -EINVAL;
	char *brk = cfg->more(cfg->ctx, 0);
	if (brk == NULL || (uintptr_t)brk % HEAP_ALIGN != 0)
		return -EINVAL;
	*h = (struct heap){
		.more = cfg->more,
		.ctx = cfg->ctx,
		.corrupt = cfg->corrupt,
		.grow_min = heap_round_page(cfg->grow_min ? cfg->grow_min
			: HEAP_GROW_MIN),
		.trim_threshold = cfg->trim_threshold ? cfg->trim_threshold
			: HEAP_TRIM_THRESHOLD,
		.flags = cfg->flags,
		.bin_max = cfg->flags & HEAP_SMALL_BINS ? HEAP_BIN_MAX : 0,
		.quick_max = cfg->flags & HEAP_SMALL_BINS ? HEAP_QUICK_MAX : 0,
		.bins = cfg->flags & HEAP_SMALL_BINS ? cfg->bins : NULL,
		.start = brk,
		.brk = brk,
		.mapping = HEAP_WITH_MAPPING ? m : NULL,
	};
	if (h->bins != NULL)
		*h->bins = (struct heap_bins){ 0 };
	if (h->mapping != NULL)
		*h->mapping = (struct heap_mapping){ .map = m->map,
			.unmap = m->unmap, .threshold = m->threshold };
	return 0;
}

size_t
heap_flush_cache(struct heap *h)
{
	size_t n = 0;
	struct heap_tag *b;

	for (unsigned i = 0; i < HEAP_NQUICK; i++)
		while ((b = heapcache_take(h, heapbins_size(i))) != NULL) {
			heap_release(h, b);
			n++;
		}
	return n;
}

/* heap_alloc when no free block holds need bytes: a big block gets a
 * region of its own rather than growing the region, as glibc's sysmalloc
 * does (if map() cannot, the region grows); else the region grows. A
 * function apart, so that the common path carries none of it. */
static void * __attribute__((noinline))
heap_alloc_more(struct heap *h, size_t size, uint32_t need)
{
	void *p = heapmap_wants(h, need) ? heapmap_alloc(h, need) : NULL;
	if (p != NULL)
		return p;
	struct heap_free *f = heap_grow(h, need);
	/* No room: if the quick cache held blocks, merged they may hold
	 * it; the second try finds the cache empty. */
	if (f == NULL)
		return heap_flush_cache(h) != 0 ? heap_alloc(h, size) : NULL;
	return block_payload(heap_split(h, f, 0, need));
}

void *
heap_alloc(struct heap *h, size_t size)
{
	if (size > HEAP_MAX_ALLOC)
		return NULL;
	uint32_t need = block_size_for(size);
	struct heap_tag *b = heapcache_take(h, need);
	void *p;
	if (b != NULL) {
		p = block_payload(b);
	} else {
		struct heap_free *f = heap_find_first_fit(h, need);
		p = f != NULL ? block_payload(heap_split(h, f, 0, need))
			: heap_alloc_more(h, size, need);
	}
	heap_check_if_asked(h);
	return p;
}

void *
heap_alloc_aligned(struct heap *h, size_t align, size_t size)
{
	size_t lead;

	if (align == 0 || (align & (align - 1)) != 0 || align > HEAP_MAX_ALIGN ||
	    size > HEAP_MAX_ALLOC)
		return NULL;
	if (align <= HEAP_ALIGN)
		return heap_alloc(h, size);
	uint32_t need = block_size_for(size);
	struct heap_free *f = heap_find_aligned_fit(h, align, need, &lead);
	if (f == NULL) {
		/* Room for the block after the worst lead. */
		f = heap_grow(h, need + align + HEAP_MIN_BLOCK);
		if (f == NULL)
			return heap_flush_cache(h) != 0 ?
				heap_alloc_aligned(h, align, size) : NULL;
		lead = aligned_lead(f, align);
	}
	struct heap_tag *b = heap_split(h, f, lead, need);
	heap_check_if_asked(h);
	return block_payload(b);
}

void *
heap_calloc(struct heap *h, size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	void *p = heap_alloc(h, bytes);
	if (p != NULL)
		memset(p, 0, bytes);
	return p;
}

void
heap_free(struct heap *h, void *ptr, void *caller)
{
	if (ptr == NULL)
		return;
	struct heap_tag *b = heap_lookup(h, ptr, caller);
	if (b == NULL)
		return;
	if (heapcache_put(h, b))
		;                       /* a small block: kept for its size */
	else if (HEAP_WITH_MAPPING && (b->size & HEAP_MAPPED))
		heapmap_release(h, b);  /* heap_lookup found it on the list */
	else
		heap_release(h, b);
	heap_check_if_asked(h);
}

/* Grows used block b (size < need) into its free successor, which holds
 * the difference; a remainder that can hold a minimal block stays free. */
static void
heap_absorb_next(struct heap *h, struct heap_tag *b, uint32_t need)
{
	struct heap_free *n = (struct heap_free *)block_next(b);
	uint32_t total = tag_size(b) + tag_size(&n->tag);

	if (total - need >= HEAP_MIN_BLOCK) {
		struct heap_free *r = (struct heap_free *)((char *)b + need);
		freelist_move(h, n, r, total - need);       /* r keeps n's end */
	} else {
		freelist_remove(h, n);
		h->free_blocks--;
		need = total;
		block_set_prev_free((struct heap_tag *)((char *)b + total), false);
	}
	h->free_bytes -= need - tag_size(b);
	block_set(b, need, HEAP_USED);
}

/* Shrinks used block b to need bytes; the rest (a minimal block at
 * least) is freed and merges with a free successor. */
static void
heap_shrink_block(struct heap *h, struct heap_tag *b, uint32_t need)
{
	struct heap_tag *rest = (struct heap_tag *)((char *)b + need);

	tag_set(rest, (tag_size(b) - need) | HEAP_USED);
	block_set(b, need, HEAP_USED);
	h->used_blocks++;
	heap_release(h, rest);
}

/* Resizes used block b to need bytes without moving it, if it can: by
 * shrinking, by taking from a free successor, or, for the last block, by
 * growing the region. Returns false when b must move. */
static bool
heap_resize_in_place(struct heap *h, struct heap_tag *b, uint32_t need)
{
	uint32_t have = tag_size(b);

	if (need <= have) {
		if (have - need >= HEAP_MIN_BLOCK)
			heap_shrink_block(h, b, need);
		return true;
	}
	struct heap_tag *next = block_next(b);
	bool next_free = !block_used(next);
	uint32_t room = have + (next_free ? tag_size(next) : 0);
	bool last = (next_free ? block_next(next) : next) == heap_end_tag(h);

	/* A big block that would grow the region moves to a mapping
	 * instead, as heap_alloc would put it. */
	if (room < need && last && (heapmap_wants(h, need) ||
	    heap_grow(h, need - have) == NULL))
		return false;
	if (room < need && !last)
		return false;
	heap_absorb_next(h, b, need);
	return true;
}

void *
heap_realloc(struct heap *h, void *ptr, size_t size, void *caller)
{
	if (ptr == NULL)
		return heap_alloc(h, size);
	if (size == 0) {
		heap_free(h, ptr, caller);
		return NULL;
	}
	struct heap_tag *b = heap_lookup(h, ptr, caller);
	if (b == NULL || size > HEAP_MAX_ALLOC)
		return NULL;
	if (HEAP_WITH_MAPPING && (b->size & HEAP_MAPPED)) {
		void *q = heapmap_realloc(h, b, size);
		heap_check_if_asked(h);
		return q;
	}
	if (heap_resize_in_place(h, b, block_size_for(size))) {
		heap_check_if_asked(h);
		return ptr;
	}
	void *q = heap_alloc(h, size);
	if (q == NULL)
		return NULL;
	size_t old = tag_size(b) - TAG_SIZE;
	memcpy(q, ptr, old < size ? old : size);
	heap_release(h, b);
	heap_check_if_asked(h);
	return q;
}

/* The largest free block's size (0: none): the tree's root knows it, the
 * list is walked. */
static uint32_t
heap_largest_free(struct heap *h)
{
	uint32_t largest = 0;

	if (heapbins_on(h)) {
		uint32_t top = h->top ? tag_size(&free_block_at(h, h->top)->tag) : 0;
		largest = heaptree_max(h, h->root);
		largest = top > largest ? top : largest;
		return heapbins_largest(h) > largest ? heapbins_largest(h) : largest;
	}
	if (h->flags & HEAP_TREE_INDEX)
		return heaptree_max(h, h->root);
	for (struct heap_free *f = free_block_at(h, h->free_list); f != NULL;
	     f = free_block_at(h, f->next))
		if (tag_size(&f->tag) > largest)
			largest = tag_size(&f->tag);
	return largest;
}

void
heap_get_stats(struct heap *h, struct heap_stats *st)
{
	size_t size = (size_t)(h->brk - h->start);
	*st = (struct heap_stats){
		.heap_size = size,
		.used_bytes = size ? size - 2 * TAG_SIZE - h->free_bytes - h->cached_bytes : 0,
		.free_bytes = h->free_bytes + h->cached_bytes,
		.largest_free = heap_largest_free(h),
		.used_blocks = h->used_blocks - h->cached_blocks,
		.free_blocks = h->free_blocks,
		.cached_blocks = h->cached_blocks,
		.cached_bytes = h->cached_bytes,
		.grows = h->grows,
		.shrinks = h->shrinks,
		.mapped_blocks = heapmap_on(h) ? h->mapping->blocks : 0,
		.mapped_bytes = heapmap_on(h) ? h->mapping->bytes : 0,
		.maps = heapmap_on(h) ? h->mapping->maps : 0,
	};
}

bool
heap_next_block(struct heap *h, void **cursor, struct heap_block *b)
{
	struct heap_tag *t = *cursor ? *cursor : heap_first_block(h);
	char *end = h->brk - TAG_SIZE;  /* the end tag, when the region has one */

	if (h->brk == h->start || (char *)t >= end || !tag_ok(t) || tag_size(t) < HEAP_MIN_BLOCK ||
	    tag_size(t) > (size_t)(end - (char *)t))
		return false;
	*b = (struct heap_block){ t, block_payload(t), tag_size(t),
		block_used(t) && !(t->size & HEAP_CACHED) };
	*cursor = block_next(t);
	return true;
}
