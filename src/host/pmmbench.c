/*
 * pmmbench: what an alloc+free pair costs on the PMM (src/mm/pmm.c, a
 * stack of free frames) against the classic bitmap allocator, in a steady
 * state: half the frames are held, and each pair frees a random held frame
 * and allocates one. Two bitmap baselines, a bit per frame each: the
 * plain one scans 32-bit words from the start for a clear bit; the
 * hinted one, as bitmap allocators are usually written, keeps the lowest
 * word that may have one (a free lowers it, an alloc scans from it). The
 * hinted one is the fair comparison; the plain one shows what the hint
 * buys.
 *
 *   pmmbench                  ns per pair, every allocator, 128 MiB and 3 GiB
 *   pmmbench --pairs N --allocator stack|bitmap|bitmap-hint|null --frames N
 *                             exactly N pairs in run_pairs(), for callgrind
 *
 * The null allocator hands back the frame just freed: the harness's own
 * cost (random choice, pool bookkeeping, indirect calls), to subtract.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pmm.h>
#include <xorshift.h>

#define FIRST_FRAME     0x100           /* the owned range starts at 1 MiB */
#define HELD_PERCENT    50

/* ---------------------------------------------------------- allocators */

struct allocator {
	const char *name;
	void (*init)(uint32_t frames);          /* own FIRST_FRAME..+frames */
	paddr_t (*alloc)(void);
	void (*free)(paddr_t pa);
};

/* stack: the PMM itself. */
static pfn_t *pmm_stack;
static uint32_t *pmm_bits;

static void
stack_init(uint32_t frames)
{
	struct pmm_range r = { FIRST_FRAME, FIRST_FRAME + frames };

	free(pmm_stack);
	free(pmm_bits);
	pmm_stack = malloc(frames * sizeof(*pmm_stack));
	pmm_bits = malloc(pmm_bitmap_words(&r, 1) * sizeof(*pmm_bits));
	if (pmm_stack == NULL || pmm_bits == NULL || pmm_init(&r, 1, pmm_stack, frames, pmm_bits, NULL)) {
		fprintf(stderr, "pmmbench: pmm_init failed for %u frames\n", frames);
		exit(1);
	}
}

static paddr_t
stack_alloc(void)
{
	return pmm_alloc();
}

static void
stack_free(paddr_t pa)
{
	pmm_free(pa);
}

/* bitmap: bit i set when frame FIRST_FRAME + i is allocated. */
static uint32_t *bm;
static uint32_t bm_words;
static uint32_t bm_frames;

static void
bitmap_init(uint32_t frames)
{
	free(bm);
	bm_frames = frames;
	bm_words = (frames + 31) / 32;
	bm = calloc(bm_words, sizeof(*bm));
	if (bm == NULL)
		exit(1);
	if (frames % 32)                        /* the tail past the end: never free */
		bm[bm_words - 1] = ~0u << (frames % 32);
}

/* The first clear bit from the start, or PMM_NO_FRAME. */
static paddr_t
bitmap_alloc(void)
{
	for (uint32_t w = 0; w < bm_words; w++) {
		if (bm[w] != ~0u) {
			uint32_t bit = __builtin_ctz(~bm[w]);
			bm[w] |= 1u << bit;
			return pmm_frame_address(FIRST_FRAME + w * 32 + bit);
		}
	}
	return PMM_NO_FRAME;
}

static void
bitmap_free(paddr_t pa)
{
	uint32_t i = pmm_frame_number(pa) - FIRST_FRAME;

	bm[i / 32] &= ~(1u << (i % 32));
}

/* bitmap-hint: the same bits, and the lowest word that may have a clear
 * one: every word below it is full. */
static uint32_t bm_hint;

static void
bitmap_hint_init(uint32_t frames)
{
	bitmap_init(frames);
	bm_hint = 0;
}

static paddr_t
bitmap_hint_alloc(void)
{
	for (uint32_t w = bm_hint; w < bm_words; w++) {
		if (bm[w] != ~0u) {
			uint32_t bit = __builtin_ctz(~bm[w]);
			bm[w] |= 1u << bit;
			bm_hint = w;            /* words below are full */
			return pmm_frame_address(FIRST_FRAME + w * 32 + bit);
		}
	}
	bm_hint = bm_words;
	return PMM_NO_FRAME;
}

static void
bitmap_hint_free(paddr_t pa)
{
	uint32_t i = pmm_frame_number(pa) - FIRST_FRAME;

	bitmap_free(pa);
	if (i / 32 < bm_hint)
		bm_hint = i / 32;
}

/* null: remembers one frame and gives it straight back. */
static paddr_t null_frame;
static uint32_t null_next;

static void
null_init(uint32_t frames)
{
	null_next = FIRST_FRAME;
}

static paddr_t
null_alloc(void)
{
	paddr_t pa = null_frame;

	if (pa == PMM_NO_FRAME)
		return pmm_frame_address(null_next++);
	null_frame = PMM_NO_FRAME;
	return pa;
}

static void
null_free(paddr_t pa)
{
	null_frame = pa;
}

static const struct allocator allocators[] = {
	{ "stack", stack_init, stack_alloc, stack_free },
	{ "bitmap", bitmap_init, bitmap_alloc, bitmap_free },
	{ "bitmap-hint", bitmap_hint_init, bitmap_hint_alloc, bitmap_hint_free },
	{ "null", null_init, null_alloc, null_free },
};

static const struct allocator *
allocator_named(const char *name)
{
	for (size_t i = 0; i < sizeof(allocators) / sizeof(allocators[0]); i++)
		if (strcmp(allocators[i].name, name) == 0)
			return &allocators[i];
	return NULL;
}

/* ------------------------------------------------------------ the harness */

static paddr_t *held;
static uint32_t nheld;
static uint32_t rng_state;

static uint32_t
rng(void)
{
	return xorshift32(&rng_state);
}

/* Fills the pool: HELD_PERCENT of the frames, allocated in order. The
 * bitmap's first-free scan would make this quadratic, so it sets the bits
 * it would have set directly; the result is the same. */
static void
fill_pool(const struct allocator *a, uint32_t frames)
{
	nheld = (uint64_t)frames * HELD_PERCENT / 100;
	free(held);
	held = malloc(nheld * sizeof(*held));
	if (held == NULL)
		exit(1);
	a->init(frames);
	rng_state = 0x2545F491;
	for (uint32_t i = 0; i < nheld; i++) {
		if (a->alloc == bitmap_alloc || a->alloc == bitmap_hint_alloc) {
			bm[i / 32] |= 1u << (i % 32);
			held[i] = pmm_frame_address(FIRST_FRAME + i);
		} else {
			held[i] = a->alloc();
		}
	}
}

/* The measured loop: pairs times, free a random held frame and allocate
 * one in its place. scripts/bench-pmm.sh counts this function's
 * instructions (callgrind --toggle-collect=run_pairs). */
__attribute__((noinline)) static void
run_pairs(const struct allocator *a, uint64_t pairs)
{
	for (uint64_t p = 0; p < pairs; p++) {
		uint32_t i = rng() % nheld;
		a->free(held[i]);
		held[i] = a->alloc();
		if (held[i] == PMM_NO_FRAME) {
			fprintf(stderr, "pmmbench: %s ran out of frames\n", a->name);
			exit(1);
		}
	}
}

static double
seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* ns per pair: the best of three runs of at least 0.2 s each. */
static double
ns_per_pair(const struct allocator *a, uint32_t frames)
{
	double best = 0;

	fill_pool(a, frames);
	run_pairs(a, nheld);                    /* warm up the caches */
	for (int round = 0; round < 3; round++) {
		uint64_t pairs = 1000;
		double t;
		for (;;) {
			double t0 = seconds();
			run_pairs(a, pairs);
			t = seconds() - t0;
			if (t >= 0.2)
				break;
			pairs *= t > 0.02 ? (uint64_t)(0.25 / t) + 1 : 16;
		}
		double ns = t * 1e9 / pairs;
		if (round == 0 || ns < best)
			best = ns;
	}
	return best;
}

/* Checks that the allocator handed out each held frame once: a sanity
 * check on the harness, not a test of the allocator. */
static void
check_pool(const struct allocator *a, uint32_t frames)
{
	uint32_t *seen = calloc((frames + 31) / 32, sizeof(*seen));

	for (uint32_t i = 0; seen && i < nheld; i++) {
		uint32_t f = pmm_frame_number(held[i]) - FIRST_FRAME;
		if (f >= frames || (seen[f / 32] >> (f % 32) & 1)) {
			fprintf(stderr, "pmmbench: %s handed out 0x%08x twice\n", a->name, held[i]);
			exit(1);
		}
		seen[f / 32] |= 1u << (f % 32);
	}
	free(seen);
	if (a->alloc == stack_alloc && pmm_check() != 0) {
		fprintf(stderr, "pmmbench: pmm_check failed\n");
		exit(1);
	}
}

static void
timing_table(void)
{
	static const uint32_t sizes[] = { 128u << 8, 3u << 18 };     /* 128 MiB, 3 GiB */
	static const char *const names[] = { "stack", "bitmap-hint", "bitmap" };

	printf("alloc+free pairs, steady state (%d%% of frames held, free a random one, alloc one)\n",
	       HELD_PERCENT);
	printf("%-8s %8s %14s %16s %15s %12s %12s\n", "memory", "frames", "stack ns/pair",
	       "bitmap-hint ns", "bitmap ns/pair", "hint/stack", "bitmap/stack");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint32_t frames = sizes[s];
		double ns[3];
		for (int a = 0; a < 3; a++) {
			ns[a] = ns_per_pair(allocator_named(names[a]), frames);
			check_pool(allocator_named(names[a]), frames);
		}
		char memory[16];
		if (frames >= 1u << 18)
			snprintf(memory, sizeof(memory), "%u GiB", frames >> 18);
		else
			snprintf(memory, sizeof(memory), "%u MiB", frames >> 8);
		printf("%-8s %8u %14.1f %16.1f %15.1f %12.1f %12.1f\n", memory, frames, ns[0], ns[1], ns[2],
		       ns[1] / ns[0], ns[2] / ns[0]);
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: pmmbench\n"
			"       pmmbench --pairs N --allocator stack|bitmap|bitmap-hint|null --frames N\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const struct allocator *a = NULL;
	uint64_t pairs = 0;
	uint32_t frames = 0;

	if (argc == 1) {
		timing_table();
		return 0;
	}
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--pairs") == 0)
			pairs = strtoull(argv[i + 1], NULL, 0);
		else if (strcmp(argv[i], "--allocator") == 0)
			a = allocator_named(argv[i + 1]);
		else if (strcmp(argv[i], "--frames") == 0)
			frames = strtoul(argv[i + 1], NULL, 0);
		else
			usage();
	}
	if (argc % 2 == 0 || a == NULL || frames < 2 || frames > PMM_FRAME_LIMIT - FIRST_FRAME)
		usage();
	fill_pool(a, frames);
	run_pairs(a, pairs);
	check_pool(a, frames);
	printf("%s frames=%u pairs=%llu\n", a->name, frames, (unsigned long long)pairs);
	return 0;
}
