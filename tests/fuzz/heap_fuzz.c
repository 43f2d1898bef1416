/*
 * libFuzzer target for src/mm/heap.c: the input is a program of heap
 * operations (four bytes each: operation, slot, size), run on two heaps
 * side by side, one with the free list and one with the free tree
 * (HEAP_TREE_INDEX). Every payload is filled with its slot's pattern and
 * verified before it is freed or resized, and heap_check runs after every
 * operation. Both heaps are exact first fit, so every call must give the
 * same block (the same offset in its arena) on both. A third heap runs
 * the same program on the fast index (HEAP_FAST_INDEX), whose best fit
 * and quick cache place blocks elsewhere: it is checked alone. A fourth
 * runs it on the fast index with blocks of MAP_THRESHOLD bytes or more
 * mapped apart (heapmap.c) by the host's mmap, a threshold the sizes
 * cross often, so realloc moves blocks in and out of mappings. The
 * fuzzer only makes legal calls, so any corruption report is a bug in
 * the heap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <heap.h>

#define ARENA_SIZE  (4u << 20)
#define SLOTS       64

struct slot {
	unsigned char *p;
	size_t size;
};

/* One heap under test: its arena and break, the heap, its slots. */
struct side {
	_Alignas(4096) char arena[ARENA_SIZE];
	size_t brk;
	struct heap heap;
	struct heap_bins bins;  /* for the fast index */
	struct slot slots[SLOTS];
	struct heap_mapping mapping;    /* for map_side */
	size_t regions;         /* mapped apart, not yet unmapped */
};

static struct side list_side, tree_side, fast_side, map_side;

/* map_side's threshold: a block this big or more is mapped apart. */
#define MAP_THRESHOLD   (16u << 10)

static void *
host_map(void *ctx, size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	((struct side *)ctx)->regions++;
	return p;
}

static void
host_unmap(void *ctx, void *region, size_t bytes)
{
	if (munmap(region, bytes) != 0)
		abort();
	((struct side *)ctx)->regions--;
}

static void *
arena_more(void *ctx, intptr_t delta)
{
	struct side *s = ctx;
	char *old = s->arena + s->brk;

	if (delta > 0 && (size_t)delta > ARENA_SIZE - s->brk)
		return NULL;
	if (delta < 0 && (size_t)-delta > s->brk)
		return NULL;
	s->brk += delta;
	return old;
}

static void
fuzz_corrupt(struct heap *h, const char *what, void *ptr, void *block,
	void *caller)
{
	char line[200];

	heap_format_report(line, sizeof line, h, what, ptr, block, caller);
	fprintf(stderr, "%s\n", line);
	abort();
}

static void
slot_verify(const struct slot *s, unsigned char fill)
{
	for (size_t i = 0; i < s->size; i++)
		if (s->p[i] != fill) {
			fprintf(stderr, "payload %p byte %zu changed\n", (void *)s->p, i);
			abort();
		}
}

/* Sizes: mostly small, up to 64 KiB when the high bit says so. */
static size_t
op_size(const uint8_t *op)
{
	size_t v = (size_t)op[2] | (size_t)op[3] << 8;
	return v & 0x8000 ? (v & 0x7fff) * 2 : v & 0x1ff;
}

static void
run_op(struct heap *h, struct slot *slots, const uint8_t *op)
{
	unsigned slot = op[1] % SLOTS;
	struct slot *s = &slots[slot];
	unsigned char fill = (unsigned char)(slot * 37 + 1);
	size_t size = op_size(op);

	if (s->p != NULL)
		slot_verify(s, fill);
	switch (op[0] % 5) {
	case 0:
		heap_free(h, s->p, NULL);
		s->p = NULL;
		s->size = 0;
		return;
	case 1: {
		unsigned char *q = heap_realloc(h, s->p, size, NULL);
		if (q == NULL && size != 0)
			return;                 /* out of memory: untouched */
		size_t keep = s->size < size ? s->size : size;
		s->p = q;
		s->size = q != NULL ? size : 0;
		if (q != NULL)
			memset(q + keep, fill, size - keep);
		return;
	}
	}
	heap_free(h, s->p, NULL);
	s->p = NULL;
	s->size = 0;
	if (op[0] % 5 == 2) {
		s->p = heap_alloc(h, size);
	} else if (op[0] % 5 == 3) {
		size_t align = (size_t)1 << (op[0] / 5 % 13);
		s->p = heap_alloc_aligned(h, align, size);
		if (s->p != NULL && (uintptr_t)s->p % align != 0)
			abort();
	} else {
		s->p = heap_calloc(h, 1, size);
		for (size_t i = 0; s->p != NULL && i < size; i++)
			if (s->p[i] != 0)
				abort();
	}
	if (s->p != NULL) {
		s->size = size;
		memset(s->p, fill, size);
	}
}

/* Where slot i's block lies in its side's arena (-1: none). */
static long
slot_offset(const struct side *s, int i)
{
	return s->slots[i].p != NULL ? (long)((char *)s->slots[i].p - s->arena) : -1;
}

/* The list and the tree must have done the very same thing. */
static void
sides_agree(void)
{
	for (int i = 0; i < SLOTS; i++)
		if (slot_offset(&list_side, i) != slot_offset(&tree_side, i)) {
			fprintf(stderr, "slot %d: the list put it at %ld, the tree at %ld\n",
				i, slot_offset(&list_side, i), slot_offset(&tree_side, i));
			abort();
		}
	if (list_side.brk != tree_side.brk) {
		fprintf(stderr, "break: list %zu, tree %zu\n", list_side.brk, tree_side.brk);
		abort();
	}
}

static void
side_start(struct side *s, unsigned index, size_t map_threshold)
{
	struct heap_config cfg = {
		.more = arena_more,
		.ctx = s,
		.corrupt = fuzz_corrupt,
		.flags = HEAP_CHECK_EVERY_OP | index,
		.bins = &s->bins,
		.mapping = map_threshold != 0 ? &s->mapping : NULL,
	};

	s->brk = 0;
	s->mapping = (struct heap_mapping){ .map = host_map, .unmap = host_unmap,
		.threshold = map_threshold };
	memset(s->slots, 0, sizeof s->slots);
	if (heap_init(&s->heap, &cfg) != 0)
		abort();
}

/* Frees what is left; one free block (or none) must remain. */
static void
side_finish(struct side *s)
{
	struct heap_stats st;

	for (int i = 0; i < SLOTS; i++)
		heap_free(&s->heap, s->slots[i].p, NULL);
	heap_flush_cache(&s->heap);
	heap_get_stats(&s->heap, &st);
	if (st.used_blocks != 0 || (st.heap_size != 0 && st.free_blocks != 1) ||
	    st.mapped_blocks != 0 || st.mapped_bytes != 0 || s->regions != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	side_start(&list_side, 0, 0);
	side_start(&tree_side, HEAP_TREE_INDEX, 0);
	side_start(&fast_side, HEAP_FAST_INDEX, 0);
	side_start(&map_side, HEAP_FAST_INDEX, MAP_THRESHOLD);
	for (size_t i = 0; i + 4 <= len; i += 4) {
		run_op(&list_side.heap, list_side.slots, data + i);
		run_op(&tree_side.heap, tree_side.slots, data + i);
		run_op(&fast_side.heap, fast_side.slots, data + i);
		run_op(&map_side.heap, map_side.slots, data + i);
		sides_agree();
	}
	side_finish(&list_side);
	side_finish(&tree_side);
	side_finish(&fast_side);
	side_finish(&map_side);
	return 0;
}
