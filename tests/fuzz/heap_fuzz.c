/*
 * libFuzzer target for src/mm/heap.c: the input is a program of heap
 * operations (four bytes each: operation, slot, size). Every payload is
 * filled with its slot's pattern and verified before it is freed or
 * resized, and heap_check runs after every operation. The fuzzer only
 * makes legal calls, so any corruption report is a bug in the heap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <heap.h>

#define ARENA_SIZE  (4u << 20)
#define SLOTS       64

static _Alignas(4096) char arena[ARENA_SIZE];
static size_t arena_brk;

static void *
arena_more(void *ctx, intptr_t delta)
{
	char *old = arena + arena_brk;

	if (delta > 0 && (size_t)delta > ARENA_SIZE - arena_brk)
		return NULL;
	if (delta < 0 && (size_t)-delta > arena_brk)
		return NULL;
	arena_brk += delta;
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

struct slot {
	unsigned char *p;
	size_t size;
};

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct heap h;
	struct slot slots[SLOTS] = { 0 };
	struct heap_config cfg = {
		.more = arena_more,
		.corrupt = fuzz_corrupt,
		.flags = HEAP_CHECK_EVERY_OP,
	};

	arena_brk = 0;
	if (heap_init(&h, &cfg) != 0)
		abort();
	for (size_t i = 0; i + 4 <= len; i += 4)
		run_op(&h, slots, data + i);
	for (int i = 0; i < SLOTS; i++)
		heap_free(&h, slots[i].p, NULL);
	struct heap_stats st;
	heap_get_stats(&h, &st);
	if (st.used_blocks != 0 || (st.heap_size != 0 && st.free_blocks != 1))
		abort();
	return 0;
}
