/*
 * The heap core's boundary tags and blocks (the layout is drawn in
 * include/heap.h): the small helpers that heap.c, heapcheck.c and
 * heaptree.c share. Private to the core: its users include heap.h only.
 */
#ifndef CAIRN_HEAPBLOCK_H
#define CAIRN_HEAPBLOCK_H

#include <heap.h>
#include <stdbool.h>
#include <stdint.h>

#define TAG_SIZE    sizeof(struct heap_tag)

_Static_assert(sizeof(struct heap_tag) == 8, "headers are 8 bytes");
_Static_assert(sizeof(struct heap_free) + TAG_SIZE <= HEAP_MIN_BLOCK,
	"a minimal block holds the links and a footer");

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

/* The free block at offset off from the region's start (a link of the
 * free list or tree), or NULL for 0. */
static inline struct heap_free *
free_block_at(struct heap *h, uint32_t off)
{
	return off != 0 ? (struct heap_free *)(h->start + off) : NULL;
}

/* The offset of free block f, or 0 for NULL. */
static inline uint32_t
free_block_off(struct heap *h, struct heap_free *f)
{
	return f != NULL ? (uint32_t)((char *)f - h->start) : 0;
}

/* Whether a block of h may start at offset off: the checks follow no
 * link that fails this. */
static inline bool
heap_off_ok(struct heap *h, uint32_t off)
{
	return off % HEAP_ALIGN == TAG_SIZE &&
		off <= (size_t)(h->brk - h->start) - TAG_SIZE - HEAP_MIN_BLOCK;
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
static inline void
block_set_free(struct heap_tag *b, uint32_t size)
{
	tag_set(b, size);
	tag_set((struct heap_tag *)((char *)b + size) - 1, size);
	block_set_prev_free((struct heap_tag *)((char *)b + size), true);
}

/* The one way the core reports a fault: through the caller's corrupt(). */
static inline void
heap_report(struct heap *h, const char *what, void *ptr, struct heap_tag *b,
	void *caller)
{
	h->corrupt(h, what, ptr, b, caller);
}

/* heapcheck.c: returns the used block of a pointer handed to free or
 * realloc, or reports why it is none (double free, foreign, misaligned,
 * damaged) and returns NULL. */
struct heap_tag *heap_lookup(struct heap *h, void *ptr, void *caller);

#endif /* CAIRN_HEAPBLOCK_H */
