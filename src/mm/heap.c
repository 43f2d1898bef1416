/*
 * The heap allocator core: first fit (the lowest-addressed free block
 * that holds the request) over the free blocks kept in address order in
 * a treap whose nodes know their subtree's largest block, so the search
 * is O(log n). Boundary tags (a header on every block, a footer on free
 * ones) find a freed block's free neighbours in O(1). Memory comes from a
 * caller's sbrk-like more(); the layout is drawn in heap.h. The same file
 * builds for the kernel, user space and the host.
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

/* ------------------------------------------------------- the free tree */

/*
 * The free blocks form a treap: a binary search tree ordered by address
 * (its in-order walk is the address-ordered free list), kept balanced by
 * a second order, a pseudo-random priority that no child exceeds, so its
 * depth is O(log n) whatever the order of frees. Each node also keeps the
 * largest block size in its subtree: first fit descends to the leftmost
 * node that fits, skipping any subtree too small, in O(log n) where a
 * list walk takes O(n).
 *
 * Links are offsets from h->start (0: none; no block starts there) so a
 * node fits a minimal block's 16 spare bytes on a 64-bit host too. The
 * priority is a hash of the block's end: cutting a block's front off
 * (alloc) and freeing the block just before a free one (free) keep the
 * end, so the node moves in place (tree_move) without rebalancing.
 *
 * Contract: a node's tags must not change while it is in the tree, but
 * through these functions (its priority and the maxes depend on them).
 */

static inline struct heap_free *
tree_node(struct heap *h, uint32_t off)
{
	return off != 0 ? (struct heap_free *)(h->start + off) : NULL;
}

static inline uint32_t
tree_off(struct heap *h, struct heap_free *f)
{
	return f != NULL ? (uint32_t)((char *)f - h->start) : 0;
}

/* murmur3's finalizer of the end offset: a bijection, so no two free
 * blocks (which end at different places) share a priority. */
static inline uint32_t
tree_priority(struct heap *h, struct heap_free *f)
{
	uint32_t x = tree_off(h, f) + tag_size(&f->tag);

	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	return x ^ (x >> 16);
}

/* The largest block size in the subtree at off (0 for none). */
static inline uint32_t
tree_max(struct heap *h, uint32_t off)
{
	return off != 0 ? tree_node(h, off)->max : 0;
}

/* Recomputes f's max from its own size and its children's maxes. */
static inline uint32_t
tree_pull(struct heap *h, struct heap_free *f)
{
	uint32_t m = tag_size(&f->tag);
	uint32_t l = tree_max(h, f->left), r = tree_max(h, f->right);

	m = l > m ? l : m;
	f->max = r > m ? r : m;
	return f->max;
}

/* Something under f changed: fixes the maxes from f up, stopping at the
 * first that stays the same (those above it cannot change either). */
static void
tree_update_up(struct heap *h, struct heap_free *f)
{
	while (f != NULL) {
		uint32_t old = f->max;
		if (tree_pull(h, f) == old)
			return;
		f = tree_node(h, f->parent);
	}
}

/* The link that holds child: the root, or one of parent's. */
static inline uint32_t *
tree_link(struct heap *h, uint32_t parent, uint32_t child)
{
	if (parent == 0)
		return &h->root;
	struct heap_free *p = tree_node(h, parent);
	return p->left == child ? &p->left : &p->right;
}

/* Lifts x above its parent p, keeping the address order:
 *
 *        p              x
 *       / \            / \
 *      x   c   ==>    a   p
 *     / \                / \
 *    a   b              b   c      (or the mirror image)
 */
static void
tree_rotate_up(struct heap *h, struct heap_free *x)
{
	uint32_t xo = tree_off(h, x), po = x->parent;
	struct heap_free *p = tree_node(h, po);
	uint32_t moved;

	if (p->left == xo) {
		moved = p->left = x->right;
		x->right = po;
	} else {
		moved = p->right = x->left;
		x->left = po;
	}
	if (moved != 0)
		tree_node(h, moved)->parent = po;
	x->parent = p->parent;
	*tree_link(h, p->parent, po) = xo;
	p->parent = xo;
	x->max = p->max;                /* x's subtree is what p's was */
	tree_pull(h, p);
}

/* Adds free block f (tags set) at its address: down to a leaf, raising
 * the maxes it passes, then up while its priority beats its parent's. */
static void
tree_insert(struct heap *h, struct heap_free *f)
{
	uint32_t fo = tree_off(h, f), size = tag_size(&f->tag), parent = 0;
	uint32_t *link = &h->root;

	while (*link != 0) {
		struct heap_free *n = tree_node(h, *link);
		if (n->max < size)
			n->max = size;
		parent = *link;
		link = fo < parent ? &n->left : &n->right;
	}
	*link = fo;
	f->left = f->right = 0;
	f->parent = parent;
	f->max = size;
	uint32_t prio = tree_priority(h, f);
	while (f->parent != 0 && tree_priority(h, tree_node(h, f->parent)) < prio)
		tree_rotate_up(h, f);
}

/* Takes f out: rotates it down under its higher-priority child until it
 * has one child at most, which then takes its place. */
static void
tree_remove(struct heap *h, struct heap_free *f)
{
	while (f->left != 0 && f->right != 0) {
		struct heap_free *l = tree_node(h, f->left);
		struct heap_free *r = tree_node(h, f->right);
		tree_rotate_up(h, tree_priority(h, l) > tree_priority(h, r) ? l : r);
	}
	uint32_t child = f->left != 0 ? f->left : f->right;
	if (child != 0)
		tree_node(h, child)->parent = f->parent;
	*tree_link(h, f->parent, tree_off(h, f)) = child;
	tree_update_up(h, tree_node(h, f->parent));
}

/* Makes nf a free block of size bytes ending where old ends, in old's
 * place: no free block lies between them, and the priority (a hash of
 * the end) is the same, so only the links move. nf may overlap old's
 * node: old's links are read first. */
static void
tree_move(struct heap *h, struct heap_free *old, struct heap_free *nf,
	uint32_t size)
{
	uint32_t left = old->left, right = old->right, parent = old->parent;
	uint32_t max = old->max, oo = tree_off(h, old), no = tree_off(h, nf);

	block_set_free(&nf->tag, size);
	nf->left = left;
	nf->right = right;
	nf->parent = parent;
	nf->max = max;
	if (left != 0)
		tree_node(h, left)->parent = no;
	if (right != 0)
		tree_node(h, right)->parent = no;
	*tree_link(h, parent, oo) = no;
	tree_update_up(h, nf);
}

/* Gives free block f a new size at the same start; its end, hence its
 * priority, changes: out of the tree and back in. */
static void
tree_resize(struct heap *h, struct heap_free *f, uint32_t size)
{
	tree_remove(h, f);
	block_set_free(&f->tag, size);
	tree_insert(h, f);
}

/* Makes f a free block of size bytes and adds it. */
static void
tree_insert_new(struct heap *h, struct heap_free *f, uint32_t size)
{
	block_set_free(&f->tag, size);
	tree_insert(h, f);
}

/* The lowest-addressed block of at least size bytes in the subtree at n,
 * or NULL. Every node it passes is checked: a damaged one is reported. */
static struct heap_free *
tree_first_fit(struct heap *h, uint32_t n, uint32_t size)
{
	if (tree_max(h, n) < size)
		return NULL;
	for (;;) {
		struct heap_free *f = tree_node(h, n);
		if (!tag_ok(&f->tag) || block_used(&f->tag)) {
			heap_report(h, "damaged free block", block_payload(&f->tag),
				&f->tag, NULL);
			return NULL;
		}
		if (tree_max(h, f->left) >= size)
			n = f->left;            /* a fit lies lower: go there */
		else if (tag_size(&f->tag) >= size)
			return f;
		else
			n = f->right;           /* its max >= size: f's did */
	}
}

/* The next block above f (in address order) of at least size bytes, or
 * NULL: the first in f's right subtree, else the first ancestor that f
 * lies left of, else the first in that ancestor's right subtree. */
static struct heap_free *
tree_next_fit(struct heap *h, struct heap_free *f, uint32_t size)
{
	if (f->right != 0 && tree_max(h, f->right) >= size)
		return tree_first_fit(h, f->right, size);
	while (f->parent != 0) {
		uint32_t child = tree_off(h, f);
		f = tree_node(h, f->parent);
		if (f->left != child)
			continue;               /* came up from the right: f is lower */
		if (tag_size(&f->tag) >= size)
			return f;
		if (f->right != 0 && tree_max(h, f->right) >= size)
			return tree_first_fit(h, f->right, size);
	}
	return NULL;
}

/* ------------------------------------------------------ first fit */

/* Returns the first free block (lowest address) of at least size bytes,
 * or NULL: the tree's descent (tree_first_fit) from the root. */
static struct heap_free *
heap_find_first_fit(struct heap *h, uint32_t size)
{
	return tree_first_fit(h, h->root, size);
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
 * holds size bytes after its aligned lead, which goes to *lead. It visits
 * the blocks of at least size bytes in address order until one does. */
static struct heap_free *
heap_find_aligned_fit(struct heap *h, size_t align, uint32_t size, size_t *lead)
{
	struct heap_free *f = heap_find_first_fit(h, size);

	for (; f != NULL; f = tree_next_fit(h, f, size)) {
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

	if (tail != 0) {
		tree_move(h, f, t, tail);       /* the tail keeps f's end */
		if (lead != 0) {
			tree_insert_new(h, f, (uint32_t)lead);
			h->free_blocks++;
		}
	} else if (lead != 0) {
		tree_resize(h, f, (uint32_t)lead);
	} else {
		tree_remove(h, f);
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
}

/* --------------------------------------------------------------- free */

/* Frees block b (not in the tree), merging it with a free predecessor
 * and/or successor, which its own and its successor's tags tell in O(1);
 * the four cases then cost one tree operation or two. Returns the free
 * block that now holds b. */
static struct heap_free *
heap_coalesce(struct heap *h, struct heap_tag *b)
{
	struct heap_free *next = (struct heap_free *)block_next(b);
	bool next_free = !block_used(&next->tag);
	bool prev_free = b->size & HEAP_PREV_FREE;
	uint32_t size = tag_size(b);
	struct heap_free *f = prev_free ? (struct heap_free *)block_prev(b)
		: (struct heap_free *)b;

	if (prev_free) {
		tag_set(b, size);       /* stale, but a second free says "double" */
		size += tag_size(&f->tag);
	}
	if (next_free) {                        /* next, maybe previous too */
		if (prev_free)
			tree_remove(h, f);
		tree_move(h, next, f, size + tag_size(&next->tag));
	} else if (prev_free) {                 /* previous only */
		tree_resize(h, f, size);
	} else {                                /* none */
		tree_insert_new(h, f, size);
	}
	h->free_blocks += 1 - prev_free - next_free;
	return f;
}

/* Gives back whole pages of the free tail block f, keeping half the
 * threshold: the slack saves the next requests from growing at once, and
 * the gap to the threshold from trimming again right after. (glibc's
 * malloc trims alike: past M_TRIM_THRESHOLD, 128 KiB, down to M_TOP_PAD.) */
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
	tree_resize(h, f, tag_size(&f->tag) - (uint32_t)delta);
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

/* Whether off may start a block of h: heap_check follows no other link. */
static bool
tree_off_ok(struct heap *h, uint32_t off)
{
	return off % HEAP_ALIGN == TAG_SIZE &&
		off <= (size_t)(h->brk - h->start) - TAG_SIZE - HEAP_MIN_BLOCK;
}

#define TREE_BROKEN 0xFFFFFFFFu         /* never a block offset */

/* heap_check's in-order step: the node after off (the first when off is
 * 0), 0 past the last, or TREE_BROKEN when a link leaves the heap or the
 * walk follows more than *budget links (a cycle): a walk over n nodes
 * follows fewer than 2n. */
static uint32_t
tree_check_step(struct heap *h, uint32_t off, size_t *budget)
{
	uint32_t n = off == 0 ? h->root : tree_node(h, off)->right;

	if (n != 0 || off == 0) {               /* down: leftmost of n */
		for (uint32_t m = n; m != 0; m = tree_node(h, m)->left) {
			if (!tree_off_ok(h, m) || (*budget)-- == 0)
				return TREE_BROKEN;
			n = m;
		}
		return n;
	}
	for (;;) {                              /* up: to the first left turn */
		uint32_t p = tree_node(h, off)->parent;
		if (p == 0)
			return 0;
		if (!tree_off_ok(h, p) || (*budget)-- == 0)
			return TREE_BROKEN;
		if (tree_node(h, p)->left == off)
			return p;
		off = p;
	}
}

/* heap_check's part for free block f, a node of the tree: its children
 * link back to it and rank below it, its parent links to it, and its max
 * is right. (The address order is the walk's: the in-order sequence must
 * be the free blocks.) */
static int
heap_check_node(struct heap *h, struct heap_free *f)
{
	uint32_t fo = tree_off(h, f), max = tag_size(&f->tag);
	uint32_t kids[2] = { f->left, f->right };

	for (int i = 0; i < 2; i++) {
		if (kids[i] == 0)
			continue;
		if (!tree_off_ok(h, kids[i]))
			return heap_fault(h, "free tree link out of the heap", &f->tag);
		struct heap_free *k = tree_node(h, kids[i]);
		if (k->parent != fo)
			return heap_fault(h, "broken free tree link", &f->tag);
		if (tree_priority(h, k) > tree_priority(h, f))
			return heap_fault(h, "free tree out of priority order", &f->tag);
		max = k->max > max ? k->max : max;
	}
	if (f->parent == 0 ? h->root != fo
	    : !tree_off_ok(h, f->parent) || *tree_link(h, f->parent, fo) != fo)
		return heap_fault(h, "broken free tree link", &f->tag);
	if (f->max != max)
		return heap_fault(h, "wrong max in the free tree", &f->tag);
	return 0;
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
	if (*expect == TREE_BROKEN)
		return heap_fault(h, "broken free tree link", b);
	if (*expect != tree_off(h, f))
		return heap_fault(h, "free block missing from the tree", b);
	if (heap_check_node(h, f) != 0)
		return -EFAULT;
	*expect = tree_check_step(h, *expect, budget);
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
	uint32_t expect = tree_check_step(h, 0, &budget);
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
		return heap_fault(h, "free tree holds a non-block", expect == TREE_BROKEN
			? NULL : &tree_node(h, expect)->tag);
	if (nfree != h->free_blocks || nused != h->used_blocks ||
	    free_bytes != h->free_bytes)
		return heap_fault(h, "counters disagree with the blocks", NULL);
	return 0;
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
		tree_move(h, n, r, total - need);       /* r keeps n's end */
	} else {
		tree_remove(h, n);
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
	size_t size = (size_t)(h->brk - h->start);
	*st = (struct heap_stats){
		.heap_size = size,
		.used_bytes = size ? size - 2 * TAG_SIZE - h->free_bytes : 0,
		.free_bytes = h->free_bytes,
		.largest_free = tree_max(h, h->root),
		.used_blocks = h->used_blocks,
		.free_blocks = h->free_blocks,
		.grows = h->grows,
		.shrinks = h->shrinks,
	};
}
