/*
 * The heap core's free tree, the index of a heap with HEAP_TREE_INDEX: the
 * free blocks in a treap ordered by address, whose nodes keep their
 * subtree's largest block size, so first fit descends to the lowest block
 * that holds a request in O(log n) where the free list's walk takes O(n).
 * The API and its contract are in heaptree.h.
 */
#include "heapblock.h"
#include "heaptree.h"

/*
 * The treap is a binary search tree by address (its in-order walk is the
 * address-ordered free list), kept balanced by a second order, a
 * pseudo-random priority that no child exceeds, so its depth is O(log n)
 * whatever the order of frees.
 *
 * Offsets rather than pointers let a node fit a minimal block's 16 spare
 * bytes on a 64-bit host too. The priority is a hash of the block's end:
 * cutting a block's front off (alloc) and freeing the block just before a
 * free one (free) keep the end, so the node moves in place
 * (heaptree_move) without rebalancing.
 */

/* murmur3's finalizer of the end offset: a bijection, so no two free
 * blocks (which end at different places) share a priority. */
static inline uint32_t
heaptree_priority(struct heap *h, struct heap_free *f)
{
	uint32_t x = free_block_off(h, f) + tag_size(&f->tag);

	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	return x ^ (x >> 16);
}

/* Recomputes f's max from its own size and its children's maxes. */
static inline uint32_t
heaptree_pull(struct heap *h, struct heap_free *f)
{
	uint32_t m = tag_size(&f->tag);
	uint32_t l = heaptree_max(h, f->left), r = heaptree_max(h, f->right);

	m = l > m ? l : m;
	f->max = r > m ? r : m;
	return f->max;
}

/* Something under f changed: fixes the maxes from f up, stopping at the
 * first that stays the same (those above it cannot change either). */
static void
heaptree_update_up(struct heap *h, struct heap_free *f)
{
	while (f != NULL) {
		uint32_t old = f->max;
		if (heaptree_pull(h, f) == old)
			return;
		f = free_block_at(h, f->parent);
	}
}

/* The link that holds child: the root, or one of parent's. */
static inline uint32_t *
heaptree_link(struct heap *h, uint32_t parent, uint32_t child)
{
	if (parent == 0)
		return &h->root;
	struct heap_free *p = free_block_at(h, parent);
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
heaptree_rotate_up(struct heap *h, struct heap_free *x)
{
	/* lab heaptree: begin heaptree_rotate_up */
	uint32_t xo = free_block_off(h, x), po = x->parent;
	struct heap_free *p = free_block_at(h, po);
	uint32_t moved;

	if (p->left == xo) {
		moved = p->left = x->right;
		x->right = po;
	} else {
		moved = p->right = x->left;
		x->left = po;
	}
	if (moved != 0)
		free_block_at(h, moved)->parent = po;
	x->parent = p->parent;
	*heaptree_link(h, p->parent, po) = xo;
	p->parent = xo;
	x->max = p->max;                /* x's subtree is what p's was */
	heaptree_pull(h, p);
	/* lab heaptree: end */
}

/* Adds free block f (tags set) at its address: down to a leaf, raising
 * the maxes it passes, then up while its priority beats its parent's. */
void
heaptree_insert(struct heap *h, struct heap_free *f)
{
	/* lab heaptree: begin heaptree_insert */
	uint32_t fo = free_block_off(h, f), size = tag_size(&f->tag), parent = 0;
	uint32_t *link = &h->root;

	while (*link != 0) {
		struct heap_free *n = free_block_at(h, *link);
		if (n->max < size)
			n->max = size;
		parent = *link;
		link = fo < parent ? &n->left : &n->right;
	}
	*link = fo;
	f->left = f->right = 0;
	f->parent = parent;
	f->max = size;
	uint32_t prio = heaptree_priority(h, f);
	while (f->parent != 0 &&
	    heaptree_priority(h, free_block_at(h, f->parent)) < prio)
		heaptree_rotate_up(h, f);
	/* lab heaptree: end */
}

/* Takes f out: rotates it down under its higher-priority child until it
 * has one child at most, which then takes its place. */
void
heaptree_remove(struct heap *h, struct heap_free *f)
{
	/* lab heaptree: begin heaptree_remove */
	while (f->left != 0 && f->right != 0) {
		struct heap_free *l = free_block_at(h, f->left);
		struct heap_free *r = free_block_at(h, f->right);
		if (heaptree_priority(h, l) > heaptree_priority(h, r))
			heaptree_rotate_up(h, l);
		else
			heaptree_rotate_up(h, r);
	}
	uint32_t child = f->left != 0 ? f->left : f->right;
	if (child != 0)
		free_block_at(h, child)->parent = f->parent;
	*heaptree_link(h, f->parent, free_block_off(h, f)) = child;
	heaptree_update_up(h, free_block_at(h, f->parent));
	/* lab heaptree: end */
}

/* Makes nf a free block of size bytes ending where old ends, in old's
 * place: no free block lies between them, and the priority (a hash of
 * the end) is the same, so only the links move. nf may overlap old's
 * node: old's links are read first. */
void
heaptree_move(struct heap *h, struct heap_free *old, struct heap_free *nf,
	uint32_t size)
{
	uint32_t left = old->left, right = old->right, parent = old->parent;
	uint32_t max = old->max;
	uint32_t oo = free_block_off(h, old), no = free_block_off(h, nf);

	block_set_free(&nf->tag, size);
	nf->left = left;
	nf->right = right;
	nf->parent = parent;
	nf->max = max;
	if (left != 0)
		free_block_at(h, left)->parent = no;
	if (right != 0)
		free_block_at(h, right)->parent = no;
	*heaptree_link(h, parent, oo) = no;
	heaptree_update_up(h, nf);
}

/* Gives free block f a new size at the same start; its end, hence its
 * priority, changes: out of the tree and back in. */
void
heaptree_resize(struct heap *h, struct heap_free *f, uint32_t size)
{
	heaptree_remove(h, f);
	block_set_free(&f->tag, size);
	heaptree_insert(h, f);
}

/* Makes f a free block of size bytes and adds it. */
void
heaptree_insert_new(struct heap *h, struct heap_free *f, uint32_t size)
{
	block_set_free(&f->tag, size);
	heaptree_insert(h, f);
}

/* The lowest-addressed block of at least size bytes in the subtree at n,
 * or NULL. Every node it passes is checked: a damaged one is reported. */
struct heap_free *
heaptree_first_fit(struct heap *h, uint32_t n, uint32_t size)
{
	/* lab heaptree: begin heaptree_first_fit */
	if (heaptree_max(h, n) < size)
		return NULL;
	for (;;) {
		struct heap_free *f = free_block_at(h, n);
		if (!tag_ok(&f->tag) || block_used(&f->tag)) {
			heap_report(h, "damaged free block", block_payload(&f->tag),
				&f->tag, NULL);
			return NULL;
		}
		if (heaptree_max(h, f->left) >= size)
			n = f->left;            /* a fit lies lower: go there */
		else if (tag_size(&f->tag) >= size)
			return f;
		else
			n = f->right;           /* its max >= size: f's did */
	}
	/* lab heaptree: end */
}

/* The next block above f (in address order) of at least size bytes, or
 * NULL: the first in f's right subtree, else the first ancestor that f
 * lies left of, else the first in that ancestor's right subtree. */
struct heap_free *
heaptree_next_fit(struct heap *h, struct heap_free *f, uint32_t size)
{
	if (f->right != 0 && heaptree_max(h, f->right) >= size)
		return heaptree_first_fit(h, f->right, size);
	while (f->parent != 0) {
		uint32_t child = free_block_off(h, f);
		f = free_block_at(h, f->parent);
		if (f->left != child)
			continue;               /* came up from the right: f is lower */
		if (tag_size(&f->tag) >= size)
			return f;
		if (f->right != 0 && heaptree_max(h, f->right) >= size)
			return heaptree_first_fit(h, f->right, size);
	}
	return NULL;
}

/* ------------------------------------------------------ for heap_check */

/* heap_check's in-order step, which trusts no link it has not checked:
 * down to the leftmost node of the right subtree, else up to the first
 * ancestor reached from its left. A walk over n nodes follows fewer than
 * 2n links, so a budget that runs out means a cycle. */
uint32_t
heaptree_walk_next(struct heap *h, uint32_t off, size_t *budget)
{
	uint32_t n = off == 0 ? h->root : free_block_at(h, off)->right;

	if (n != 0 || off == 0) {               /* down: leftmost of n */
		for (uint32_t m = n; m != 0; m = free_block_at(h, m)->left) {
			if (!heap_off_ok(h, m) || (*budget)-- == 0)
				return HEAPTREE_BROKEN;
			n = m;
		}
		return n;
	}
	for (;;) {                              /* up: to the first left turn */
		uint32_t p = free_block_at(h, off)->parent;
		if (p == 0)
			return 0;
		if (!heap_off_ok(h, p) || (*budget)-- == 0)
			return HEAPTREE_BROKEN;
		if (free_block_at(h, p)->left == off)
			return p;
		off = p;
	}
}

/* heap_check's part for free block f, a node of the tree: its children
 * link back to it and rank below it, its parent links to it, and its max
 * is right. (The address order is the walk's: the in-order sequence must
 * be the free blocks.) */
const char *
heaptree_check_node(struct heap *h, struct heap_free *f)
{
	uint32_t fo = free_block_off(h, f), max = tag_size(&f->tag);
	uint32_t kids[2] = { f->left, f->right };

	for (int i = 0; i < 2; i++) {
		if (kids[i] == 0)
			continue;
		if (!heap_off_ok(h, kids[i]))
			return "free tree link out of the heap";
		struct heap_free *k = free_block_at(h, kids[i]);
		if (k->parent != fo)
			return "broken free tree link";
		if (heaptree_priority(h, k) > heaptree_priority(h, f))
			return "free tree out of priority order";
		max = k->max > max ? k->max : max;
	}
	if (f->parent == 0 ? h->root != fo
	    : !heap_off_ok(h, f->parent) ||
	      *heaptree_link(h, f->parent, fo) != fo)
		return "broken free tree link";
	if (f->max != max)
		return "wrong max in the free tree";
	return NULL;
}
