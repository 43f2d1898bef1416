/*
 * The K&R allocator (krmalloc.h): a circular free list in address order,
 * searched from where the last search stopped. Written for Cairn from the
 * idea in K&R 8.7, as the baseline heaptrace measures the heap core
 * against: what a teaching kernel gets for the least code.
 */
#include <string.h>

#include "krmalloc.h"

typedef union kr_header header;

void
kr_init(struct kr_heap *h, kr_more_fn *more)
{
	h->base.s.next = &h->base;
	h->base.s.units = 0;
	h->freep = NULL;
	h->more = more;
	h->grows = 0;
}

/* Puts block b back on the list after the free block p that precedes it
 * in memory, merging it with either neighbour it touches. */
static void
kr_insert(struct kr_heap *h, header *b)
{
	header *p = h->freep;

	/* The list is in address order but circular: the one place it
	 * wraps (p >= p->next) takes a block above the highest or below
	 * the lowest. */
	while (!(b > p && b < p->s.next))
		if (p >= p->s.next && (b > p || b < p->s.next))
			break;
		else
			p = p->s.next;
	if (b + b->s.units == p->s.next) {      /* merge with the one above */
		b->s.units += p->s.next->s.units;
		b->s.next = p->s.next->s.next;
	} else {
		b->s.next = p->s.next;
	}
	if (p + p->s.units == b) {              /* and with the one below */
		p->s.units += b->s.units;
		p->s.next = b->s.next;
	} else {
		p->s.next = b;
	}
	h->freep = p;
}

/* Asks more() for at least units units and frees them into the list.
 * Returns false if more() refuses. */
static int
kr_grow(struct kr_heap *h, size_t units)
{
	if (units < KR_GROW_UNITS)
		units = KR_GROW_UNITS;
	header *b = h->more((intptr_t)(units * sizeof(header)));
	if (b == NULL)
		return 0;
	h->grows++;
	b->s.units = units;
	kr_insert(h, b);
	return 1;
}

void *
kr_malloc(struct kr_heap *h, size_t n)
{
	/* A header, then the payload in whole units; at least one, so that
	 * even malloc(0) owns a byte no other block's header sits in. */
	size_t units = (n + sizeof(header) - 1) / sizeof(header) + 1;

	if (units < 2)
		units = 2;
	if (n > SIZE_MAX / 2)
		return NULL;
	if (h->freep == NULL)
		h->freep = &h->base;
	for (header *prev = h->freep, *p = prev->s.next; ; prev = p, p = p->s.next) {
		if (p->s.units >= units) {
			if (p->s.units == units) {
				prev->s.next = p->s.next;
			} else {                /* the tail: p's header stays put */
				p->s.units -= units;
				p += p->s.units;
				p->s.units = units;
			}
			h->freep = prev;        /* next fit: the next search starts here */
			return p + 1;
		}
		if (p == h->freep) {            /* once around: nothing fits */
			if (!kr_grow(h, units))
				return NULL;
			p = h->freep;           /* kr_insert left it before the new block */
		}
	}
}

void
kr_free(struct kr_heap *h, void *ptr)
{
	if (ptr != NULL)
		kr_insert(h, (header *)ptr - 1);
}

void *
kr_realloc(struct kr_heap *h, void *ptr, size_t n)
{
	if (ptr == NULL)
		return kr_malloc(h, n);
	if (n == 0) {
		kr_free(h, ptr);
		return NULL;
	}
	header *old = (header *)ptr - 1;
	size_t have = (old->s.units - 1) * sizeof(header);
	void *p = kr_malloc(h, n);
	if (p == NULL)
		return NULL;
	memcpy(p, ptr, have < n ? have : n);
	kr_free(h, ptr);
	return p;
}
