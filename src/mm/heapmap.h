/*
 * The heap core's mapped blocks (src/mm/heapmap.c): with a struct heap_mapping,
 * a block of at least that many bytes does not come from the region but
 * from a region of its own, which the caller's map() gives and unmap()
 * takes back when the block is freed: a big block freed leaves no hole in
 * the heap (glibc's mmapped chunks, M_MMAP_THRESHOLD). Private to the core.
 *
 *   region (from map(), bytes = a whole number of pages)
 *   | next | header | payload ...                                    |
 *     8 B    8 B: bytes | HEAP_MAPPED | HEAP_USED
 *                 ^ region + HEAP_MAP_LEAD (16-byte aligned)
 *
 * The header's size is the region's bytes. The live mapped blocks are
 * linked from h->mapping->live through next, and free trusts a header that says
 * HEAP_MAPPED only for a block found on that list: a forged header never
 * makes it unmap anything (heapmap_find).
 */
#ifndef CAIRN_HEAPMAP_H
#define CAIRN_HEAPMAP_H

#include <heap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "heapblock.h"

/* Whether this copy of the core can map blocks at all: the host's
 * always; the kernel's and the user runtime's never (the Makefile passes
 * 0: kmalloc and malloc pass no map()), so that they carry none of it. A
 * constant, as HEAP_WITH_FAST_INDEX is: the compiler drops what it guards. */
#ifndef HEAP_WITH_MAPPING
#define HEAP_WITH_MAPPING 1
#endif

/* A mapped block's start: the link to the next live one, then its header. */
struct heap_mapped {
	union {
		struct heap_mapped *next;
		uint64_t next_room;     /* 8 bytes on i386 too: the payload stays aligned */
	};
	struct heap_tag tag;
};

#define HEAP_MAP_LEAD       sizeof(struct heap_mapped)

_Static_assert(sizeof(struct heap_mapped) % HEAP_ALIGN == 0,
	"a mapped block's payload is aligned");

/* Whether h maps blocks. */
static inline bool
heapmap_on(const struct heap *h)
{
	return HEAP_WITH_MAPPING && h->mapping != NULL;
}

/* Whether a block of need bytes gets a region of its own. */
static inline bool
heapmap_wants(const struct heap *h, uint32_t need)
{
	return heapmap_on(h) && need >= h->mapping->threshold;
}

/* The mapped block whose header is b. */
static inline struct heap_mapped *
heapmap_of(struct heap_tag *b)
{
	return (struct heap_mapped *)((char *)b - offsetof(struct heap_mapped, tag));
}

/* The region's bytes for a block of need bytes (header included). */
static inline size_t
heapmap_region_bytes(size_t need)
{
	size_t bytes = need - TAG_SIZE + HEAP_MAP_LEAD;

	return (bytes + HEAP_PAGE_SIZE - 1) & ~(size_t)(HEAP_PAGE_SIZE - 1);
}

/* heapmap.c */
void *heapmap_alloc(struct heap *h, uint32_t need);
struct heap_tag *heapmap_find(struct heap *h, void *ptr, void *caller);
void heapmap_release(struct heap *h, struct heap_tag *b);
void *heapmap_realloc(struct heap *h, struct heap_tag *b, size_t size);
const char *heapmap_check(struct heap *h);

#endif /* CAIRN_HEAPMAP_H */
