/*
 * The heap allocator core (src/mm/heap.c; its checks in heapcheck.c, its
 * optional free tree in heaptree.c): first fit, the lowest-addressed free
 * block that holds a request, found on a free list kept in address order;
 * boundary tags let a free find its free neighbours in O(1). A heap may
 * keep its free blocks in a balanced tree instead (HEAP_TREE_INDEX), which
 * finds the same block in O(log n), or in the fast index
 * (HEAP_FAST_INDEX, heapbins.c): exact-size bins and a quick cache of
 * freed small blocks in front of the tree, best fit for small sizes. One
 * source serves the kernel (kmalloc, growing its heap region page by
 * page), user space (malloc on sbrk) and the host tools; it needs nothing
 * but a grow callback with sbrk semantics and a corruption callback. A
 * caller that can map memory may also give map/unmap callbacks: blocks
 * past a threshold then get regions of their own (heapmap.c, HEAP_MAPPED).
 *
 * The region is contiguous, [start, brk), and tiled exactly by blocks:
 *
 *   start                                                           brk
 *   | pad |  block  |  block  | ... |  block  | end |
 *     8 B                                      8 B: a header of size 0
 *
 *   used block:  | header | payload ...                              |
 *   free block:  | header | prev next | ...                 | footer |
 *                 8 B      links, 2 x 4 B                      8 B
 *                ^ block (16n + 8)  ^ payload (16-byte aligned)
 *
 * In a heap with HEAP_TREE_INDEX a free block's links are its node in the
 * tree instead: left, right, parent and max, 4 x 4 B.
 *
 * Block sizes are multiples of 16 and include the header, so every
 * payload is 16-byte aligned. A used block has no footer: its successor's
 * header records (HEAP_PREV_FREE) whether it is free, and that header,
 * right after the payload, doubles as the used block's canary.
 */
#ifndef CAIRN_HEAP_H
#define CAIRN_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_ALIGN          16          /* every payload is aligned to this */
#define HEAP_MIN_BLOCK      32          /* header + links + footer, rounded to 16 */
#define HEAP_MAX_ALIGN      4096        /* largest heap_alloc_aligned alignment */
#define HEAP_MAX_ALLOC      (1u << 30)  /* larger requests return NULL */
#define HEAP_MAX_REGION     (3u << 30)  /* the region never grows past this */
#define HEAP_PAGE_SIZE      4096        /* grow/shrink unit: the i386 page */
#define HEAP_GROW_MIN       4096        /* default least growth per more(): a page */
#define HEAP_TRIM_THRESHOLD (128 << 10) /* default: a free tail past this is trimmed to half */

/* Low bits of heap_tag.size (block sizes are multiples of 16). */
#define HEAP_USED           0x1         /* the block is allocated */
#define HEAP_PREV_FREE      0x2         /* the block before is free (has a footer) */
#define HEAP_CACHED         0x4         /* with HEAP_USED: freed, held in the quick cache */
#define HEAP_MAPPED         0x8         /* with HEAP_USED: a big block in a region of its own */
#define HEAP_FLAG_MASK      0xF
#define HEAP_TAG_KEY        0x5EA1C0DEu /* check = size ^ key */

/* heap_config.flags */
#define HEAP_CHECK_EVERY_OP 0x1         /* heap_check after each operation */
#define HEAP_TREE_INDEX     0x2         /* free blocks in a tree (heaptree.c), not a list */
#define HEAP_SMALL_BINS     0x4         /* with the tree: small free blocks in bins (heapbins.c) */
#define HEAP_FAST_INDEX     (HEAP_TREE_INDEX | HEAP_SMALL_BINS)

/* The fast index's bins: one list per block size from HEAP_MIN_BLOCK to
 * HEAP_BIN_MAX in steps of HEAP_ALIGN; larger free blocks go in the tree. */
#define HEAP_BIN_MAX        16384
#define HEAP_NBINS          ((HEAP_BIN_MAX - HEAP_MIN_BLOCK) / HEAP_ALIGN + 1)
#define HEAP_BIN_WORDS      ((HEAP_NBINS + 31) / 32)

/* The fast index's quick cache: up to HEAP_QUICK_DEPTH freed blocks of
 * each size up to HEAP_QUICK_MAX wait, unmerged, for a request of their
 * size (glibc's tcache keeps 7 of each size up to 1 KiB). */
#define HEAP_QUICK_MAX      1024
#define HEAP_QUICK_DEPTH    7
#define HEAP_NQUICK         ((HEAP_QUICK_MAX - HEAP_MIN_BLOCK) / HEAP_ALIGN + 1)

struct heap;
struct heap_mapped;

/* sbrk semantics: moves the break by delta (grow when > 0, give back when
 * < 0) and returns the old break, or NULL when it cannot. delta 0 asks
 * for the current break. The region must stay contiguous. */
typedef void *heap_more_fn(void *ctx, intptr_t delta);

/* Called when a check fails: what broke, the pointer the caller handed
 * over (or the payload being checked), its block (NULL if none could be
 * found) and the caller's return address (NULL if unknown). The kernel
 * panics; if it returns, the operation is abandoned (free does nothing,
 * alloc and realloc return NULL, heap_check returns -EFAULT). */
/* Optional (struct heap_mapping): returns a region of bytes bytes (a
 * multiple of HEAP_PAGE_SIZE), 16-byte aligned, for one big block, or
 * NULL when it cannot; unmap gives such a region back whole. */
typedef void *heap_map_fn(void *ctx, size_t bytes);
typedef void heap_unmap_fn(void *ctx, void *region, size_t bytes);

typedef void heap_corrupt_fn(struct heap *h, const char *what, void *ptr,
	void *block, void *caller);

struct heap_config {
	heap_more_fn *more;
	void *ctx;                  /* handed to more() */
	heap_corrupt_fn *corrupt;
	size_t grow_min;            /* least growth, bytes; 0: HEAP_GROW_MIN */
	size_t trim_threshold;      /* give back a free tail above this; 0: default */
	unsigned flags;             /* HEAP_CHECK_EVERY_OP, HEAP_TREE_INDEX or HEAP_FAST_INDEX */
	struct heap_bins *bins;     /* with HEAP_SMALL_BINS: its tables; else NULL */
	struct heap_mapping *mapping; /* optional: big blocks mapped apart; else NULL */
};

/* The fast index's tables (HEAP_SMALL_BINS), about 4.5 KiB: the caller
 * gives them (heap_config.bins), so that a heap with another index does
 * not carry them. Only the core looks inside. */
struct heap_bins {
	uint32_t head[HEAP_NBINS];          /* each bin's first block, 0 if empty */
	uint32_t map[HEAP_BIN_WORDS];       /* bit i set: head[i] is not 0 */
	uint32_t words;                     /* bit w set: map[w] is not 0 */
	uint32_t quick[HEAP_NQUICK];        /* each size's last cached block */
	uint8_t quick_count[HEAP_NQUICK];   /* and how many it holds */
};

/* A heap that maps big blocks apart (heapmap.c): the caller fills the
 * first three fields and gives it (heap_config.mapping), so that a heap
 * that maps none, as kmalloc's and malloc's, does not carry the rest.
 * The rest is the core's. */
struct heap_mapping {
	heap_map_fn *map;           /* both are handed heap_config.ctx */
	heap_unmap_fn *unmap;
	size_t threshold;           /* blocks of at least this many bytes, header included */
	struct heap_mapped *live;   /* the core's: the live mapped blocks (heapmap.h) */
	size_t blocks, bytes;       /* the core's: how many live, their regions' bytes */
	size_t maps;                /* the core's: map() calls that gave a region */
};

/* Boundary tag: a header, and the footer of a free block. */
struct heap_tag {
	uint32_t size;              /* block bytes | HEAP_USED | HEAP_PREV_FREE */
	uint32_t check;             /* size ^ HEAP_TAG_KEY: catches overwrites */
};

/* A free block's start: its header, then the links of the heap's free
 * index in its payload, the list's (or a bin's) or the tree's. Links
 * are offsets from the region's start, 0 for none, so that they fit a
 * minimal block on 64-bit hosts too. */
struct heap_free {
	struct heap_tag tag;
	union {
		struct {                        /* on the free list */
			uint32_t prev, next;    /* the free blocks below and above */
		};
		struct {                        /* in the free tree: see heaptree.h */
			uint32_t left, right;   /* lower and higher addresses */
			uint32_t parent;
			uint32_t max;           /* the largest block size in this subtree */
		};
	};
};

/* The caller owns it; only the core (heap.c, heaptree.c, heapcheck.c)
 * looks inside. */
struct heap {
	heap_more_fn *more;
	void *ctx;
	heap_corrupt_fn *corrupt;
	size_t grow_min;
	size_t trim_threshold;
	unsigned flags;
	char *start;                /* region [start, brk) */
	char *brk;
	uint32_t free_list;         /* the lowest free block: an offset, 0 if none */
	uint32_t root;              /* of the free tree, with HEAP_TREE_INDEX */
	uint32_t top;               /* HEAP_SMALL_BINS: the last free block, if any */
	uint32_t bin_max;           /* HEAP_SMALL_BINS: HEAP_BIN_MAX; else 0, no bins */
	uint32_t quick_max;         /* HEAP_SMALL_BINS: HEAP_QUICK_MAX; else 0 */
	struct heap_bins *bins;     /* HEAP_SMALL_BINS: the caller's, cfg->bins */
	size_t free_bytes;          /* in free blocks (used bytes follow) */
	size_t used_blocks, free_blocks;
	size_t grows, shrinks;      /* calls to more() that moved the break */
	size_t cached_blocks;       /* used blocks waiting in the quick cache */
	size_t cached_bytes;        /* their bytes */
	struct heap_mapping *mapping; /* cfg->mapping, or NULL: maps none */
};

struct heap_stats {
	size_t heap_size;           /* brk - start */
	size_t used_bytes;          /* in used blocks, headers included (not cached) */
	size_t free_bytes;          /* in free blocks and cached ones */
	size_t largest_free;        /* the largest free block, header included */
	size_t used_blocks;         /* live: allocated and not freed */
	size_t free_blocks;
	size_t cached_blocks;       /* freed, waiting unmerged in the quick cache */
	size_t cached_bytes;        /* their bytes (in free_bytes too) */
	size_t grows;               /* more() calls that grew the region */
	size_t shrinks;             /* more() calls that gave memory back */
	size_t mapped_blocks;       /* live blocks in regions of their own (map()) */
	size_t mapped_bytes;        /* their regions' bytes: not in heap_size or the rest */
	size_t maps;                /* map() calls that gave a region */
};

/* Sets h up from cfg with an empty region at more(ctx, 0), which must be
 * 16-byte aligned; its free blocks go on the free list, in the free tree
 * if cfg->flags has HEAP_TREE_INDEX, or in the fast index if it has
 * HEAP_FAST_INDEX (then cfg->bins must be given). Returns 0, or -EINVAL
 * for a missing callback or tables, or an unaligned break. With
 * cfg->mapping, a block of at least its threshold gets a region of its
 * own from its map() (heapmap.c), given back by unmap() when freed:
 * -EINVAL if a callback or the threshold is missing, or this build has
 * no mapping (HEAP_WITH_MAPPING). Nothing is allocated until the first
 * request. */
int heap_init(struct heap *h, const struct heap_config *cfg);

/* Returns a 16-byte-aligned block of at least size bytes, or NULL when
 * size exceeds HEAP_MAX_ALLOC or more() cannot grow the region. size 0
 * returns a unique minimal block, as glibc does. */
void *heap_alloc(struct heap *h, size_t size);

/* Returns a block of at least size bytes aligned to align (a power of two
 * up to HEAP_MAX_ALIGN), or NULL for another align or no memory. */
void *heap_alloc_aligned(struct heap *h, size_t align, size_t size);

/* heap_alloc(n * size) zero-filled; NULL if n * size overflows. */
void *heap_calloc(struct heap *h, size_t n, size_t size);

/* Frees ptr (NULL is ignored). caller is reported if ptr is not a live
 * block of h (double free, foreign or misaligned pointer) or the block
 * was damaged (header, or the next header it overflowed into). */
void heap_free(struct heap *h, void *ptr, void *caller);

/* C realloc: NULL ptr allocates; size 0 frees ptr and returns NULL.
 * Otherwise resizes in place when the block or its free successor allows,
 * else moves; returns NULL and leaves ptr untouched when out of memory.
 * Bad pointers are reported as for heap_free. */
void *heap_realloc(struct heap *h, void *ptr, size_t size, void *caller);

/* Merges every block waiting in the quick cache (HEAP_FAST_INDEX) with
 * its free neighbours, as a free without the cache would have: for a
 * caller that wants its free memory whole. Returns how many there were
 * (0 for a heap without the cache). heap_alloc does it by itself before
 * it gives up for want of memory. */
size_t heap_flush_cache(struct heap *h);

/* Walks the whole heap and verifies every invariant: blocks tile the
 * region, tags intact and agreeing, no two free blocks adjacent, counters
 * right, and the free index holds exactly the free blocks: the list in
 * address order with its back links right, or the tree's in-order walk,
 * with its links, priorities and maxes right. A cycle is reported, not
 * followed forever.
 * Returns 0, or -EFAULT after reporting the first fault via corrupt(). */
int heap_check(struct heap *h);

/* Fills *st: in O(1) but for largest_free, which takes a walk of the
 * free list (the tree's root knows it). */
void heap_get_stats(struct heap *h, struct heap_stats *st);

/* One block as heap_next_block() shows it. */
struct heap_block {
	void *block;                /* its header */
	void *payload;              /* what an alloc returned (or would) */
	size_t size;                /* bytes, header included */
	bool used;
};

/* Walks h's blocks in address order without changing anything: start
 * with *cursor NULL; each call fills *b, moves *cursor on and returns
 * true, or returns false past the last block (or at a damaged header,
 * which heap_check() would report). */
bool heap_next_block(struct heap *h, void **cursor, struct heap_block *b);

/* Formats the one-line report for a corrupt() call into buf, e.g.
 * "heap: double free of 0x... (block 0x..., size 48) from 0x...".
 * Returns what snprintf returns. */
int heap_format_report(char *buf, size_t size, struct heap *h,
	const char *what, void *ptr, void *block, void *caller);

#endif /* CAIRN_HEAP_H */
