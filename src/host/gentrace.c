/*
 * gentrace: writes the allocator traces in tests/traces/ (CMU malloc-lab
 * format, read by heaptrace). Each trace comes from its own fixed seed and
 * a small deterministic PRNG, so `make traces` rebuilds them byte for byte
 * and `make check-traces` can prove it.
 *
 * usage: gentrace DIR      writes DIR/NAME.rep for every trace below
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPS 120000

struct op {
	char kind;              /* 'a', 'f' or 'r' */
	uint32_t id;
	uint32_t size;
};

/* A trace being built: its operations and the ids still live. */
struct gen {
	uint64_t rng;
	struct op ops[MAX_OPS];
	int nops;
	uint32_t next_id;
	uint32_t live[MAX_OPS];
	uint32_t live_size[MAX_OPS];    /* by id */
	int nlive;
};

static uint64_t
rnd(struct gen *g)
{
	/* xorshift64*: deterministic everywhere, unlike rand(). */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545F4914F6CDD1Dull;
}

/* A number in [lo, hi]. */
static uint32_t
between(struct gen *g, uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(rnd(g) % (hi - lo + 1));
}

static void
emit(struct gen *g, char kind, uint32_t id, uint32_t size)
{
	if (g->nops == MAX_OPS) {
		fprintf(stderr, "gentrace: trace too long\n");
		exit(1);
	}
	g->ops[g->nops++] = (struct op){ kind, id, size };
}

static uint32_t
gen_alloc(struct gen *g, uint32_t size)
{
	uint32_t id = g->next_id++;
	emit(g, 'a', id, size);
	g->live[g->nlive++] = id;
	g->live_size[id] = size;
	return id;
}

/* Frees the live id at index i of the live array. */
static void
gen_free_at(struct gen *g, int i)
{
	emit(g, 'f', g->live[i], 0);
	g->live[i] = g->live[--g->nlive];
}

static void
gen_free_random(struct gen *g)
{
	if (g->nlive > 0)
		gen_free_at(g, (int)(rnd(g) % (uint64_t)g->nlive));
}

static void
gen_realloc_at(struct gen *g, int i, uint32_t size)
{
	emit(g, 'r', g->live[i], size);
	g->live_size[g->live[i]] = size;
}

static void
gen_free_all(struct gen *g)
{
	while (g->nlive > 0)
		gen_free_at(g, 0);
}

/* ------------------------------------------------------------ the traces */

/* Uniform sizes up to 4 KiB; the live set drifts up and down. */
static void
trace_random(struct gen *g)
{
	for (int i = 0; i < 12000; i++) {
		if (rnd(g) % 100 < (i % 4000 < 2500 ? 65u : 35u))
			gen_alloc(g, between(g, 1, 4096));
		else
			gen_free_random(g);
	}
}

/* Powers of two from 16 B to 16 KiB, the sizes page-minded code asks for. */
static void
trace_pow2(struct gen *g)
{
	for (int i = 0; i < 12000; i++) {
		if (rnd(g) % 100 < (i % 3000 < 1800 ? 60u : 40u))
			gen_alloc(g, 16u << between(g, 0, 10));
		else
			gen_free_random(g);
	}
}

/* Frees a live id wherever it sits in the live array. */
static void
gen_free_id(struct gen *g, uint32_t id)
{
	for (int i = g->nlive - 1; i >= 0; i--)
		if (g->live[i] == id) {
			gen_free_at(g, i);
			return;
		}
}

/* Rows of neighbours freed in an order that exercises all four merge
 * cases (every third, then their right neighbours, then the rest), with
 * a few survivors, then a new row of larger sizes. */
static void
trace_coalesce(struct gen *g)
{
	uint32_t row[800];

	for (int round = 0; round < 12; round++) {
		for (int i = 0; i < 800; i++)
			row[i] = gen_alloc(g, between(g, 16, 64 + 40 * (uint32_t)round));
		for (int pass = 0; pass < 3; pass++)
			for (int i = pass; i < 800; i += 3)
				if (rnd(g) % 8 != 0)
					gen_free_id(g, row[i]);
	}
	gen_free_all(g);
}

/* Buffers that grow by steps (string builders, vectors), among small
 * short-lived allocations, and sometimes shrink. */
static void
trace_realloc(struct gen *g)
{
	int bufs[16];

	for (int b = 0; b < 16; b++) {
		gen_alloc(g, between(g, 8, 64));
		bufs[b] = g->nlive - 1;
	}
	for (int i = 0; i < 15000; i++) {
		uint32_t r = (uint32_t)(rnd(g) % 10);
		if (r < 5) {
			int b = bufs[rnd(g) % 16];
			uint32_t old = g->live_size[g->live[b]];
			uint32_t size = r == 0 && old > 64 ? old / 2
				: old + between(g, 1, old / 4 + 16);
			if (size > (1u << 20))
				size = between(g, 16, 256);
			gen_realloc_at(g, b, size);
		} else if (r < 8 || g->nlive <= 16) {
			gen_alloc(g, between(g, 8, 256));
		} else {
			int i2 = 16 + (int)(rnd(g) % (uint64_t)(g->nlive - 16));
			gen_free_at(g, i2);     /* never a buffer: those are the first 16 */
		}
	}
	gen_free_all(g);
}

/* Many small objects (list nodes, strings): tens of thousands live. */
static void
trace_small(struct gen *g)
{
	for (int i = 0; i < 80000; i++) {
		if (rnd(g) % 100 < (i < 40000 ? 70u : 30u))
			gen_alloc(g, between(g, 1, 64));
		else
			gen_free_random(g);
	}
	gen_free_all(g);
}

/* A few huge blocks (256 KiB .. 4 MiB) among ordinary ones. */
static void
trace_huge(struct gen *g)
{
	for (int i = 0; i < 4000; i++) {
		uint32_t r = (uint32_t)(rnd(g) % 100);
		if (r < 3)
			gen_alloc(g, between(g, 256u << 10, 4u << 20));
		else if (r < 55)
			gen_alloc(g, between(g, 16, 2048));
		else
			gen_free_random(g);
	}
	gen_free_all(g);
}

/* The classic trap for fits: small and large alternate, the large are
 * freed, then requests slightly larger than those holes arrive. */
static void
trace_binary(struct gen *g)
{
	for (int round = 0; round < 4; round++) {
		int base = g->nlive;
		for (int i = 0; i < 1000; i++) {
			gen_alloc(g, 64);
			gen_alloc(g, 448);
		}
		for (int i = 1999; i >= 0; i -= 2)
			gen_free_at(g, base + i);
		for (int i = 0; i < 1000; i++)
			gen_alloc(g, 512);
	}
	gen_free_all(g);
}

struct trace {
	const char *name;
	uint64_t seed;
	void (*build)(struct gen *g);
};

static const struct trace traces[] = {
	{ "random",   0x1001, trace_random },
	{ "pow2",     0x1002, trace_pow2 },
	{ "coalesce", 0x1003, trace_coalesce },
	{ "realloc",  0x1004, trace_realloc },
	{ "small",    0x1005, trace_small },
	{ "huge",     0x1006, trace_huge },
	{ "binary",   0x1007, trace_binary },
};

/* The header: suggested heap size (the peak live bytes), ids, ops, weight. */
static void
write_trace(const char *dir, const struct trace *t, struct gen *g)
{
	char path[512];
	uint64_t live = 0, peak = 0;
	uint32_t *size = calloc(g->next_id + 1, sizeof *size);

	for (int i = 0; i < g->nops; i++) {
		struct op *o = &g->ops[i];
		live -= size[o->id];
		size[o->id] = o->kind == 'f' ? 0 : o->size;
		live += size[o->id];
		peak = live > peak ? live : peak;
	}
	free(size);
	snprintf(path, sizeof path, "%s/%s.rep", dir, t->name);
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fprintf(f, "%llu\n%u\n%d\n1\n", (unsigned long long)peak, g->next_id, g->nops);
	for (int i = 0; i < g->nops; i++) {
		struct op *o = &g->ops[i];
		if (o->kind == 'f')
			fprintf(f, "f %u\n", o->id);
		else
			fprintf(f, "%c %u %u\n", o->kind, o->id, o->size);
	}
	if (fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gentrace DIR\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof traces / sizeof traces[0]; i++) {
		struct gen *g = calloc(1, sizeof *g);
		g->rng = traces[i].seed;
		traces[i].build(g);
		gen_free_all(g);
		write_trace(argv[1], &traces[i], g);
		free(g);
	}
	return 0;
}
