/*
 * The kernel heap (src/mm/kheap.c): kmalloc and friends, the first-fit
 * core of src/mm/heap.c growing page by page through the VMM in the
 * region [KHEAP_BASE, KHEAP_LIMIT) of include/layout.h.
 *
 * Every pointer is 16-byte aligned. kmalloc(0) returns a unique minimal
 * block (free it like any other). Out of memory (no frame left, or the
 * region full) is NULL, never a panic; a corrupted heap (double free, a
 * foreign pointer, an overwritten header or canary) panics, naming the
 * pointer, the block and the caller.
 *
 * With `kheap=guard` on the command line every allocation gets pages of
 * its own with an unmapped page right after it, so an overrun faults at
 * once and the fault report names the allocation (a "page heap").
 */
#ifndef CAIRN_KHEAP_H
#define CAIRN_KHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct heap_stats;

/* Sets the heap up (empty: memory is mapped on first use), in guard mode
 * if the command line says kheap=guard. */
void kheap_init(void);

/* Before kheap_init: check every invariant of the heap after every call
 * (the test runner asks for it). */
void kheap_check_every_operation(void);

void *kmalloc(size_t size);
/* kmalloc(n * size), zeroed; NULL if n * size overflows. */
void *kcalloc(size_t n, size_t size);
/* C realloc: NULL ptr allocates, size 0 frees and returns NULL; on
 * failure ptr is left as it was and NULL is returned. */
void *krealloc(void *ptr, size_t size);
/* size bytes aligned to align, a power of two up to 4096; else NULL. */
void *kmalloc_aligned(size_t align, size_t size);
void kfree(void *ptr);

/* Checks every heap invariant (panics on a broken one); returns 0. */
int kheap_check(void);
/* The heap's statistics (bytes in use and free, largest free block,
 * block counts, heap size). Guard mode does not use the heap core: its
 * statistics are all zero. */
void kheap_stats(struct heap_stats *st);
/* Walks the heap's blocks in address order (heap_next_block() on the
 * kernel heap): false at once in guard mode, which has no blocks. */
struct heap_block;
bool kheap_next_block(void **cursor, struct heap_block *b);
/* Prints them on one line. */
void kheap_print_stats(void);
/* Is the heap in guard mode? */
bool kheap_guard_mode(void);

/* In guard mode, for a faulting address in an unmapped heap page: says
 * whose guard page it is ("N bytes past the end of kmalloc(S) = P,
 * allocated from CALLER") into buf and returns true; else false. */
bool kheap_guard_describe(uintptr_t addr, char *buf, size_t size);

#endif /* CAIRN_KHEAP_H */
