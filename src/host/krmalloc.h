/*
 * The K&R allocator (The C Programming Language, 8.7; xv6's umalloc.c is
 * the same idea): free blocks on a circular list in address order, each
 * a header {next, size in units}; malloc walks on from where the last
 * search stopped (next fit) and carves from a block's tail; free puts a
 * block back in order and merges it with its neighbours. Memory comes
 * from more(), an sbrk, and never goes back. heaptrace replays it as
 * `kr`, the baseline a teaching kernel would ship without thinking.
 */
#ifndef CAIRN_KRMALLOC_H
#define CAIRN_KRMALLOC_H

#include <stddef.h>
#include <stdint.h>

/* A header is one unit: blocks are whole units, and a payload starts one
 * unit after its header, so payloads are aligned like max_align_t (16
 * bytes on x86-64, what heaptrace checks). */
union kr_header {
	struct {
		union kr_header *next;  /* the next free block, in address order */
		size_t units;           /* of this block, its header included */
	} s;
	max_align_t align;
};

/* The least a growth asks more() for, in units: K&R's NALLOC. At 16
 * bytes a unit, 16 KiB, as the user runtime's UMALLOC_GROW_MIN. */
#define KR_GROW_UNITS   1024

/* sbrk: moves the break by delta bytes and returns the old break, or
 * NULL if it cannot. The K&R allocator only ever grows. */
typedef void *kr_more_fn(intptr_t delta);

struct kr_heap {
	union kr_header base;       /* a zero-size block: the list is never empty */
	union kr_header *freep;     /* where the next search starts; NULL before the first */
	kr_more_fn *more;
	size_t grows;               /* more() calls that succeeded */
};

/* Starts h afresh, with no memory, taking memory from more. */
void kr_init(struct kr_heap *h, kr_more_fn *more);

/* Returns a block of at least n bytes, or NULL if more() refuses. */
void *kr_malloc(struct kr_heap *h, size_t n);

/* Frees p (NULL is ignored); p must come from kr_malloc on h. */
void kr_free(struct kr_heap *h, void *p);

/* C realloc, the plain way: a new block, the payload copied, the old one
 * freed (K&R has none). size 0 frees p and returns NULL. */
void *kr_realloc(struct kr_heap *h, void *p, size_t n);

#endif /* CAIRN_KRMALLOC_H */
