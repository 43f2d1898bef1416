/*
 * The heap allocator core: first fit on an address-ordered, doubly linked
 * free list, with boundary tags (a header on every block, a footer on free
 * ones) so that free coalesces with both neighbours in O(1). Memory comes
 * from a caller's sbrk-like more(); the layout is drawn in heap.h. The
 * same file builds for the kernel, user space and the host.
 */
#include <heap.h>
#include <cairn/errno.h>
#include <format.h>
#include <string.h>

#define TAG_SIZE    sizeof(struct heap_tag)

_Static_assert(sizeof(struct heap_tag) == 8, "headers are 8 bytes");
_Static_assert(sizeof(struct heap_free) + TAG_SIZE <= HEAP_MIN_BLOCK,
	"a minimal block holds the links and a footer");

/* --------------------------------------------------------- tags, blocks */

static inline uint32_t
tag_size(const struct heap_tag *t)
{
	return t->size & ~(uint32_t)HEAP_FLAG_MASK;
}

static inline bool
tag_ok(const struct heap_tag *t)
{
	return (t->size ^ t->check) == HEAP_TAG_KEY;
}

static inline void
tag_set(struct heap_tag *t, uint32_t size_and_flags)
{
	t->size = size_and_flags;
	t->check = size_and_flags ^ HEAP_TAG_KEY;
}

static inline bool
block_used(const struct heap_tag *b)
{
	return b->size & HEAP_USED;
}

static inline struct heap_tag *
block_next(struct heap_tag *b)
{
	return (struct heap_tag *)((char *)b + tag_size(b));
}

/* Only for a block whose HEAP_PREV_FREE is set: the footer before it
 * gives the free predecessor's size. */
static inline struct heap_tag *
block_prev(struct heap_tag *b)
{
	return (struct heap_tag *)((char *)b - tag_size(b - 1));
}

static inline void *
block_payload(struct heap_tag *b)
{
	return (char *)b + TAG_SIZE;
}

static inline struct heap_tag *
heap_end_tag(struct heap *h)
{
	return (struct heap_tag *)(h->brk - TAG_SIZE);
}

static inline struct heap_tag *
heap_first_block(struct heap *h)
{
	return (struct heap_tag *)(h->start + TAG_SIZE);
}

/* Sets b to the given flags, keeping its HEAP_PREV_FREE bit. */
static inline void
block_set(struct heap_tag *b, uint32_t size, uint32_t flags)
{
	tag_set(b, size | flags | (b->size & HEAP_PREV_FREE));
}

static inline void
block_set_prev_free(struct heap_tag *b, bool prev_free)
{
	uint32_t s = b->size & ~(uint32_t)HEAP_PREV_FREE;
	tag_set(b, s | (prev_free ? HEAP_PREV_FREE : 0));
}

/* Makes b a free block of size bytes: header, footer, and the successor's
 * HEAP_PREV_FREE. Its own predecessor is used (no two free blocks touch). */
static void
block_set_free(struct heap_tag *b, uint32_t size)
{
	tag_set(b, size);
	tag_set((struct heap_tag *)((char *)b + size) - 1, size);
	block_set_prev_free((struct heap_tag *)((char *)b + size), true);
}

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

/* ------------------------------------------------- the list and its hints */

/* Search hints come in size classes: class c holds block sizes
 * [32 << c, 64 << c). */
static inline int
size_class(uint32_t size)
{
	int c = 31 - __builtin_clz(size) - 5;
	return c < HEAP_CLASSES ? c : HEAP_CLASSES - 1;
}

static inline uint32_t
class_floor(int c)
{
	return (uint32_t)HEAP_MIN_BLOCK << c;
}

/* The sentinel counts as past every block. */
static inline bool
free_below(struct heap *h, struct heap_free *a, struct heap_free *b)
{
	return b == &h->free || (a != &h->free && (char *)a < (char *)b);
}

/* f was inserted or grew: it becomes the hint of every class it now
 * serves and that hinted past it. */
static void
hint_grew(struct heap *h, struct heap_free *f)
{
	int top = size_class(tag_size(&f->tag));

	for (int c = 0; c <= top; c++)
		if (free_below(h, f, h->hint[c]))
			h->hint[c] = f;
}

/* f leaves the list: hints on it move to `to`, which must keep them true
 * (f's successor when f is allocated, its predecessor when merged). */
static void
hint_moved(struct heap *h, struct heap_free *f, struct heap_free *to)
{
	for (int c = 0; c < HEAP_CLASSES; c++)
		if (h->hint[c] == f)
			h->hint[c] = to;
}

static void
list_insert_before(struct heap_free *pos, struct heap_free *f)
{
	f->next = pos;
	f->prev = pos->prev;
	pos->prev->next = f;
	pos->prev = f;
}

/* Puts nf where old was; they may overlap, so read old's links first. */
static void
list_replace(struct heap *h, struct heap_free *old, struct heap_free *nf)
{
	struct heap_free *prev = old->prev, *next = old->next;

	nf->prev = prev;
	nf->next = next;
	prev->next = nf;
	next->prev = nf;
	hint_moved(h, old, nf);
}

static void
list_unlink(struct heap *h, struct heap_free *f, struct heap_free *hint_to)
{
	f->prev->next = f->next;
	f->next->prev = f->prev;
	hint_moved(h, f, hint_to);
}

/* -------------------------------------------------------------- reports */

static void
heap_report(struct heap *h, const char *what, void *ptr, struct heap_tag *b,
	void *caller)
{
	h->corrupt(h, what, ptr, b, caller);
}

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

/* ------------------------------------------------------ first fit */

/* Returns the first free block (lowest address) of at least size bytes,
 * or NULL. The walk starts at the hint of size's class: every block below
 * it is smaller than the class floor, hence than size. It leaves there the
 * first block it passed that reaches the floor. */
static struct heap_free *
heap_find_first_fit(struct heap *h, uint32_t size)
{
	int c = size_class(size);
	uint32_t floor = class_floor(c);
	struct heap_free *first_big = NULL;
	struct heap_free *f;

	for (f = h->hint[c]; f != &h->free; f = f->next) {
		if (!tag_ok(&f->tag) || block_used(&f->tag)) {
			heap_report(h, "damaged free block", block_payload(&f->tag),
				&f->tag, NULL);
			return NULL;
		}
		uint32_t s = tag_size(&f->tag);
		if (s >= floor && first_big == NULL)
			first_big = f;
		if (s >= size)
			break;
	}
	h->hint[c] = first_big != NULL ? first_big : &h->free;
	return f == &h->free ? NULL : f;
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

/* heap_find_first_fit for an aligned payload: the first free block that
 * holds size bytes after its aligned lead, which goes to *lead. */
static struct heap_free *
heap_find_aligned_fit(struct heap *h, size_t align, uint32_t size, size_t *lead)
{
	for (struct heap_free *f = h->hint[size_class(size)]; f != &h->free;
	     f = f->next) {
		*lead = aligned_lead(f, align);
		if (*lead + size <= tag_size(&f->tag))
			return f;
	}
	return NULL;
}

/* Carves the used block [f + lead, f + lead + size) out of free block f;
 * lead is 0 or at least a minimal block, lead + size <= f's size. The lead
 * stays free in f's place; a tail that can hold a minimal block becomes a
 * free block after it, a smaller one stays in the used block. Returns the
 * used block. */
static struct heap_tag *
heap_split(struct heap *h, struct heap_free *f, size_t lead, uint32_t size)
{
	uint32_t tail = tag_size(&f->tag) - (uint32_t)lead - size;
	struct heap_tag *b = (struct heap_tag *)((char *)f + lead);

	if (tail < HEAP_MIN_BLOCK) {
		size += tail;
		tail = 0;
	}
	struct heap_free *t = (struct heap_free *)((char *)b + size);

	if (lead == 0 && tail != 0) {
		list_replace(h, f, t);
	} else if (lead == 0) {
		list_unlink(h, f, f->next);
		h->free_blocks--;
	} else if (tail != 0) {
		list_insert_before(f->next, t);
		h->free_blocks++;
	}
	if (lead != 0)
		block_set_free(&f->tag, (uint32_t)lead);
	/* b's predecessor is the lead, if any; otherwise b is f, whose
	 * predecessor is used. */
	tag_set(b, size | HEAP_USED | (lead != 0 ? HEAP_PREV_FREE : 0));
	if (tail != 0) {
		block_set_free(&t->tag, tail);
		hint_grew(h, t);
	} else {
		block_set_prev_free(block_next(b), false);
	}
	h->free_bytes -= size;
	h->used_blocks++;
	return b;
}

/* --------------------------------------------------------------- free */

/* Returns the first free block above b, or the sentinel: the insertion
 * point for b. Two walks in step, each stopping at the answer: from b up
 * over the used blocks that follow it, and down the list from its top.
 * Either alone can be long; both together are short in practice. */
static struct heap_free *
heap_free_successor(struct heap *h, struct heap_tag *b)
{
	struct heap_tag *u = block_next(b);
	struct heap_free *f = h->free.prev;

	for (;;) {
		if (u != NULL) {
			if (!tag_ok(u))
				u = NULL;       /* damaged: leave it to the list walk */
			else if (!block_used(u))
				return (struct heap_free *)u;
			else if (tag_size(u) == 0)
				return &h->free;        /* the end tag */
			else
				u = block_next(u);
		}
		if (f == &h->free || (char *)f < (char *)b)
			return f->next;
		f = f->prev;
	}
}

/* Frees block b (not on the list), merging it with a free predecessor
 * and/or successor: four cases, each O(1) but the insert of the first.
 * Returns the free block that now holds b. */
static struct heap_free *
heap_coalesce(struct heap *h, struct heap_tag *b)
{
	struct heap_tag *next = block_next(b);
	bool next_free = !block_used(next);
	bool prev_free = b->size & HEAP_PREV_FREE;
	uint32_t size = tag_size(b);
	struct heap_free *f;

	if (prev_free) {                                /* previous (and next) */
		f = (struct heap_free *)block_prev(b);
		tag_set(b, size);       /* stale, but a second free says "double" */
		size += tag_size(&f->tag);
		if (next_free)
			list_unlink(h, (struct heap_free *)next, f);
	} else if (next_free) {                         /* next only */
		f = (struct heap_free *)b;
		list_replace(h, (struct heap_free *)next, f);
	} else {                                        /* none */
		f = (struct heap_free *)b;
		list_insert_before(heap_free_successor(h, b), f);
	}
	if (next_free)
		size += tag_size(next);
	h->free_blocks += 1 - prev_free - next_free;
	block_set_free(&f->tag, size);
	hint_grew(h, f);
	return f;
}

/* Gives back whole pages of the free tail block f, keeping half the
 * threshold: the slack saves the next requests from growing at once, and
 * the gap to the threshold from trimming again right after. */
static void
heap_shrink_tail(struct heap *h, struct heap_free *f)
{
	uintptr_t start = (uintptr_t)h->start;
	uintptr_t keep_end = (uintptr_t)f + h->trim_threshold / 2 + TAG_SIZE;
	uintptr_t new_brk = start + heap_round_page(keep_end - start);

	if (new_brk >= (uintptr_t)h->brk)
		return;
	size_t delta = (uintptr_t)h->brk - new_brk;
	if (h->more(h->ctx, -(intptr_t)delta) == NULL)
		return;                 /* it stays ours: no harm */
	h->brk = (char *)new_brk;
	h->shrinks++;
	h->free_bytes -= delta;
	block_set_free(&f->tag, tag_size(&f->tag) - (uint32_t)delta);
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
 * need bytes; returns that block, or NULL when more() refuses. Growth is
 * whole pages, at least grow_min; it starts at the old end tag. */
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

/* ------------------------------------------------------ the checks */

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
static struct heap_tag *
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

static int
heap_fault(struct heap *h, const char *what, struct heap_tag *b)
{
	heap_report(h, what, b != NULL ? block_payload(b) : NULL, b, NULL);
	return -EFAULT;
}

/* heap_check's part for the hints: walking the list, every block before
 * a class's hint is below the class floor, and the hint is on the list. */
static int
heap_check_hints(struct heap *h)
{
	uint32_t reached = 0;

	for (struct heap_free *f = h->free.next; ; f = f->next) {
		for (int c = 0; c < HEAP_CLASSES; c++) {
			if (reached & (1u << c))
				continue;
			if (h->hint[c] == f)
				reached |= 1u << c;
			else if (f != &h->free && tag_size(&f->tag) >= class_floor(c))
				return heap_fault(h, "search hint past a fitting block",
					&f->tag);
		}
		if (f == &h->free)
			break;
	}
	return 0;
}

/* heap_check's walk of one block b; *expect is the free-list entry the
 * next free block must be. */
static int
heap_check_block(struct heap *h, struct heap_tag *b, bool prev_free,
	struct heap_free **expect)
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
	if (*expect != f)
		return heap_fault(h, "free block missing from the list", b);
	if (f->next->prev != f)
		return heap_fault(h, "broken list link", b);
	*expect = f->next;
	return 0;
}

int
heap_check(struct heap *h)
{
	struct heap_free *expect = h->free.next;
	size_t free_bytes = 0, nfree = 0, nused = 0;
	bool prev_free = false;

	if (h->brk == h->start)
		return expect == &h->free && h->free_bytes == 0 ? 0 :
			heap_fault(h, "free list of an empty heap", NULL);
	if (h->free.prev->next != &h->free)
		return heap_fault(h, "broken list link", NULL);
	struct heap_tag *b = heap_first_block(h);
	for (; b != heap_end_tag(h); b = block_next(b)) {
		if (heap_check_block(h, b, prev_free, &expect) != 0)
			return -EFAULT;
		prev_free = !block_used(b);
		nfree += prev_free;
		nused += !prev_free;
		free_bytes += prev_free ? tag_size(b) : 0;
	}
	if (!tag_ok(b) || tag_size(b) != 0 || !block_used(b) ||
	    ((b->size & HEAP_PREV_FREE) != 0) != prev_free)
		return heap_fault(h, "overwritten end tag", b);
	if (expect != &h->free)
		return heap_fault(h, "free list holds a non-block", &expect->tag);
	if (nfree != h->free_blocks || nused != h->used_blocks ||
	    free_bytes != h->free_bytes)
		return heap_fault(h, "counters disagree with the blocks", NULL);
	return heap_check_hints(h);
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
		.start = brk,
		.brk = brk,
	};
	h->free.prev = h->free.next = &h->free;
	for (int c = 0; c < HEAP_CLASSES; c++)
		h->hint[c] = &h->free;
	return 0;
}

void *
heap_alloc(struct heap *h, size_t size)
{
	if (size > HEAP_MAX_ALLOC)
		return NULL;
	uint32_t need = block_size_for(size);
	struct heap_free *f = heap_find_first_fit(h, need);
	if (f == NULL && (f = heap_grow(h, need)) == NULL)
		return NULL;
	struct heap_tag *b = heap_split(h, f, 0, need);
	heap_check_if_asked(h);
	return block_payload(b);
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
			return NULL;
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
		list_replace(h, n, r);
		block_set_free(&r->tag, total - need);
	} else {
		list_unlink(h, n, n->next);
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

	if (room < need && last && heap_grow(h, need - have) == NULL)
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

void
heap_get_stats(struct heap *h, struct heap_stats *st)
{
	size_t largest = 0;

	for (struct heap_free *f = h->free.next; f != &h->free; f = f->next)
		if (tag_size(&f->tag) > largest)
			largest = tag_size(&f->tag);
	size_t size = (size_t)(h->brk - h->start);
	*st = (struct heap_stats){
		.heap_size = size,
		.used_bytes = size ? size - 2 * TAG_SIZE - h->free_bytes : 0,
		.free_bytes = h->free_bytes,
		.largest_free = largest,
		.used_blocks = h->used_blocks,
		.free_blocks = h->free_blocks,
		.grows = h->grows,
		.shrinks = h->shrinks,
	};
}
