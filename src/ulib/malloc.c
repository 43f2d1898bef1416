/*
 * malloc, free, calloc, realloc: the heap core (src/mm/heap.c, the
 * kernel's kmalloc core) on the program's break. The core asks for
 * memory through more(), which is sbrk; include/umalloc.h sets how much
 * at a time and when free pages at the top go back. The heap starts at
 * the break the first malloc finds, so a program that moves the break
 * itself must do so before its first malloc, or never after.
 */
#include <cairn.h>
#include <errno.h>
#include <heap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <umalloc.h>
#include <unistd.h>

static struct heap heap;
static bool heap_ready;

/* The fast index's tables, 4.5 KiB of every program's bss: only in a
 * build that asks for that index (make HEAP_INDEX=fast). */
#if (HEAP_INDEX_FLAG) & HEAP_SMALL_BINS
static struct heap_bins heap_bins;
#define MALLOC_BINS (&heap_bins)
#else
#define MALLOC_BINS NULL
#endif

/* heap_more_fn: sbrk, with the core's NULL for sbrk's (void *)-1. */
static void *
malloc_more(void *ctx, intptr_t delta)
{
	/* lab sbrk: begin malloc_more */
	void *old = sbrk(delta);

	return old == (void *)-1 ? NULL : old;
	/* lab sbrk: end */
}

/* heap_corrupt_fn: the core found a broken heap or a bad pointer. */
static void
malloc_corrupt(struct heap *h, const char *what, void *ptr, void *block, void *caller)
{
	char line[160];

	heap_format_report(line, sizeof line, h, what, ptr, block, caller);
	fflush(stdout);                 /* what the program printed comes first */
	fprintf(stderr, "%s\n", line);
	abort();
}

/* Sets the heap up at the current break, the first time. */
static bool
malloc_init(void)
{
	struct heap_config cfg = {
		.more = malloc_more,
		.corrupt = malloc_corrupt,
		.grow_min = UMALLOC_GROW_MIN,
		.trim_threshold = UMALLOC_TRIM_THRESHOLD,
		.flags = HEAP_INDEX_FLAG,       /* the tree; make HEAP_INDEX=list or fast */
		.bins = MALLOC_BINS,
	};

	if (!heap_ready && heap_init(&heap, &cfg) == 0)
		heap_ready = true;
	return heap_ready;
}

/* NULL results mean no memory, whichever call made them. */
static void *
malloc_result(void *p)
{
	if (p == NULL)
		errno = ENOMEM;
	return p;
}

void *
malloc(size_t size)
{
	if (!malloc_init())
		return malloc_result(NULL);
	return malloc_result(heap_alloc(&heap, size));
}

void
free(void *ptr)
{
	if (ptr != NULL && malloc_init())
		heap_free(&heap, ptr, __builtin_return_address(0));
}

void *
calloc(size_t n, size_t size)
{
	if (!malloc_init())
		return malloc_result(NULL);
	return malloc_result(heap_calloc(&heap, n, size));
}

void *
realloc(void *ptr, size_t size)
{
	if (!malloc_init())
		return malloc_result(NULL);
	void *p = heap_realloc(&heap, ptr, size, __builtin_return_address(0));
	return ptr != NULL && size == 0 ? p : malloc_result(p);
}

int
malloc_check(void)
{
	return malloc_init() ? heap_check(&heap) : 0;
}
