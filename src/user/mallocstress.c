/*
 * 100,000 random malloc, calloc, realloc and free calls (a fixed-seed
 * PRNG, so every run is the same) over 512 slots. Every block is filled
 * with a pattern of its own and checked before it is resized or freed;
 * calloc's must start zeroed; the heap checks itself every 10,000 calls.
 * At the end everything is freed and the heap must have given pages back.
 */
// expect: exit=0
#include <cairn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <xorshift.h>

#define OPS     100000
#define SLOTS   512

struct slot {
	unsigned char *p;
	uint32_t size;
	uint32_t seed;          /* the pattern's */
};

static struct slot slots[SLOTS];
static uint32_t rng = 2463534242u;
static int failures;

static uint32_t
random32(void)
{
	return xorshift32(&rng);
}

/* Mostly small blocks, some medium, a few large enough to make the
 * heap grow (and shrink again) by many pages at once. */
static uint32_t
random_size(void)
{
	uint32_t r = random32() % 100;

	if (r < 70)
		return random32() % 128 + 1;
	if (r < 97)
		return random32() % 2048 + 1;
	return random32() % 65536 + 1;
}

static unsigned char
pattern(uint32_t seed, uint32_t i)
{
	return (unsigned char)(seed + i * 7 + (i >> 8));
}

static void
fill(struct slot *s, uint32_t from)
{
	for (uint32_t i = from; i < s->size; i++)
		s->p[i] = pattern(s->seed, i);
}

/* Checks the first n bytes of s still hold its pattern. */
static void
verify(struct slot *s, uint32_t n, int op)
{
	for (uint32_t i = 0; i < n; i++) {
		if (s->p[i] != pattern(s->seed, i)) {
			printf("FAIL op %d: block %p (size %u) byte %u is 0x%02x, not 0x%02x\n",
				op, (void *)s->p, s->size, i, s->p[i], pattern(s->seed, i));
			failures++;
			return;
		}
	}
}

static void
check_new(struct slot *s, int op)
{
	if (s->p == NULL) {
		printf("FAIL op %d: out of memory for %u bytes\n", op, s->size);
		exit(1);
	}
	if ((uintptr_t)s->p % 16 != 0) {
		printf("FAIL op %d: %p is not 16-byte aligned\n", op, (void *)s->p);
		failures++;
	}
}

static void
one_op(int op, uint32_t *peak_mapped)
{
	struct slot *s = &slots[random32() % SLOTS];
	uint32_t kind = random32() % 4;

	if (s->p != NULL && kind != 3) {        /* free it */
		verify(s, s->size, op);
		free(s->p);
		s->p = NULL;
		return;
	}
	if (s->p != NULL) {                     /* realloc: the common prefix survives */
		uint32_t size = random_size(), kept = size < s->size ? size : s->size;
		verify(s, s->size, op);
		s->p = realloc(s->p, size);
		s->size = size;
		check_new(s, op);
		verify(s, kept, op);
		fill(s, kept);
	} else if (kind == 0) {                 /* calloc: starts zeroed */
		s->size = random_size();
		s->p = calloc(1, s->size);
		check_new(s, op);
		for (uint32_t i = 0; i < s->size; i++)
			if (s->p[i] != 0) {
				printf("FAIL op %d: calloc'd byte %u is 0x%02x\n", op, i, s->p[i]);
				failures++;
				break;
			}
		s->seed = random32();
		fill(s, 0);
	} else {
		s->size = random_size();
		s->p = malloc(s->size);
		check_new(s, op);
		s->seed = random32();
		fill(s, 0);
	}
	if (s->size > 16384) {                  /* big blocks move the break: note the peak */
		struct meminfo m;
		meminfo(&m);
		if (m.mapped_pages > *peak_mapped)
			*peak_mapped = m.mapped_pages;
	}
}

int
main(void)
{
	struct meminfo start, end;
	uint32_t peak_mapped = 0;

	meminfo(&start);
	for (int op = 0; op < OPS; op++) {
		one_op(op, &peak_mapped);
		if (op % 10000 == 9999)
			malloc_check();
	}
	for (int i = 0; i < SLOTS; i++) {
		verify(&slots[i], slots[i].p ? slots[i].size : 0, OPS);
		free(slots[i].p);
	}
	malloc_check();
	meminfo(&end);
	printf("mallocstress: %d operations; mapped pages %u at the start, %u at the peak, %u at the end\n",
		OPS, start.mapped_pages, peak_mapped, end.mapped_pages);
	if (end.mapped_pages >= peak_mapped) {
		printf("FAIL: freeing everything gave no pages back\n");
		failures++;
	}
	if (failures)
		printf("mallocstress: %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
