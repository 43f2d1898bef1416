/*
 * heaptrace: replays malloc-lab traces (the CMU format that gentrace
 * writes) against allocators, checking every payload, and prints each
 * one's peak utilization and throughput:
 *
 *   heaptrace [--allocator=NAME]... TRACE...
 *   TRACE ALLOCATOR ops=N util=U kops=K faults=F
 *
 * util is peak live payload bytes / peak heap bytes (memory taken from
 * the system: the break's distance from its start, plus glibc's mmaps).
 *
 * kops is thousands of operations a second over an unchecked replay (no
 * payload writes or checks), the best of TIMED_RUNS; faults is the page
 * faults during that replay. Each replay, checked or timed, runs in a
 * fresh child forked from a parent that never called malloc, so both
 * allocators start the same way: no memory yet, every page they touch
 * faulted in for the first time, and every page they give back (glibc's
 * trims and munmaps, the heap core's shrinks, which the host more() turns
 * into MADV_DONTNEED as sbrk would) faulted in again if used again. No
 * allocator keeps pages warm from an earlier replay. (A page fault costs
 * about 15 us on the benchmark's VM, a few hundred operations' worth, so
 * faults weigh heavily: a policy that gives memory back too eagerly pays.)
 *
 * An integrity error names the trace, the operation and what broke, and
 * the exit status is 1.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <heap.h>
#include <umalloc.h>

/* ---------------------------------------------------------- allocators */

/* One allocator under test; add a line to `allocators` for another. */
struct allocator {
	const char *name;
	void (*reset)(void);            /* before each replay */
	void *(*alloc)(size_t size);
	void (*free)(void *p);
	void *(*realloc)(void *p, size_t size);
	size_t (*heap_bytes)(void);     /* memory taken from the system now */
	void (*note)(void *p, long delta); /* told of each block's birth, death */
};

/* first-fit: the heap core on an mmap'd arena with an sbrk-like break. */
#define FF_ARENA    (1ul << 31)

static char *ff_arena;
static size_t ff_brk;
static struct heap ff_heap;

static void *
ff_more(void *ctx, intptr_t delta)
{
	char *old = ff_arena + ff_brk;

	if (delta > 0 && (size_t)delta > FF_ARENA - ff_brk)
		return NULL;
	if (delta < 0)          /* really give it back, as sbrk would */
		madvise(old + delta, (size_t)-delta, MADV_DONTNEED);
	ff_brk += delta;
	return old;
}

static void
ff_corrupt(struct heap *h, const char *what, void *ptr, void *block, void *caller)
{
	char line[200];

	heap_format_report(line, sizeof line, h, what, ptr, block, caller);
	fprintf(stderr, "heaptrace: %s\n", line);
	exit(1);
}

static void
ff_reset(void)
{
	struct heap_config cfg = { .more = ff_more, .corrupt = ff_corrupt };

	if (ff_arena == NULL) {
		ff_arena = mmap(NULL, FF_ARENA, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (ff_arena == MAP_FAILED) {
			perror("heaptrace: mmap");
			exit(1);
		}
	}
	ff_brk = 0;
	heap_init(&ff_heap, &cfg);
}

static void *ff_alloc(size_t n) { return heap_alloc(&ff_heap, n); }
static void ff_free(void *p) { heap_free(&ff_heap, p, __builtin_return_address(0)); }
static void *ff_realloc(void *p, size_t n) { return heap_realloc(&ff_heap, p, n, __builtin_return_address(0)); }
static size_t ff_heap_bytes(void) { return ff_brk; }
static void ff_note(void *p, long delta) { }

/* user: the user runtime's malloc (src/ulib/malloc.c): the same core on
 * the same arena, grown and trimmed by the runtime's policy. */
static void
user_reset(void)
{
	struct heap_config cfg = { .more = ff_more, .corrupt = ff_corrupt,
		.grow_min = UMALLOC_GROW_MIN, .trim_threshold = UMALLOC_TRIM_THRESHOLD };

	ff_reset();
	heap_init(&ff_heap, &cfg);
}

/* libc: the host's malloc, the reference. Its heap is the main arena's
 * sbrk'd bytes (the break's distance from where it started) plus the
 * blocks glibc mmaps for itself: those are told apart by the IS_MMAPPED
 * bit (2) of glibc's chunk header, whose size (page-rounded, header
 * included) is what they cost. mallinfo2() would say the same, but walks
 * every free chunk on each call. */
static char *libc_brk0;
static size_t libc_mmapped;

static void
libc_reset(void)
{
	libc_brk0 = sbrk(0);
	libc_mmapped = 0;
}

static void
libc_note(void *p, long delta)
{
	size_t chunk = ((size_t *)p)[-1];

	if (chunk & 2)
		libc_mmapped += delta * (long)(chunk & ~(size_t)7);
}

static size_t
libc_heap_bytes(void)
{
	char *brk = sbrk(0);
	return (brk > libc_brk0 ? (size_t)(brk - libc_brk0) : 0) + libc_mmapped;
}

static const struct allocator allocators[] = {
	{ "first-fit", ff_reset, ff_alloc, ff_free, ff_realloc, ff_heap_bytes, ff_note },
	{ "user", user_reset, ff_alloc, ff_free, ff_realloc, ff_heap_bytes, ff_note },
	{ "libc", libc_reset, malloc, free, realloc, libc_heap_bytes, libc_note },
};
#define NALLOCATORS (sizeof allocators / sizeof allocators[0])

/* --------------------------------------------------------------- traces */

struct op {
	char kind;              /* 'a', 'f', 'r' */
	uint32_t id;
	uint32_t size;
};

struct trace {
	const char *name;       /* the file's base name, without .rep */
	uint32_t nids;
	uint32_t nops;
	struct op *ops;
};

/* The replay's own memory comes from mmap, never malloc, so that libc's
 * heap holds nothing but the trace's blocks. */
static void *
xmap(size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("heaptrace: mmap");
		exit(1);
	}
	return p;
}

static void
trace_fail(const char *path, const char *why)
{
	fprintf(stderr, "heaptrace: %s: %s\n", path, why);
	exit(1);
}

/* Parses the header (heap size, ids, ops, weight) and the operations. */
static void
trace_load(const char *path, struct trace *t)
{
	int fd = open(path, O_RDONLY);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) != 0)
		trace_fail(path, "cannot open");
	char *text = xmap((size_t)st.st_size + 1);
	if (read(fd, text, (size_t)st.st_size) != st.st_size)
		trace_fail(path, "cannot read");
	close(fd);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *name = xmap(strlen(base) + 1);
	strcpy(name, base);
	if (strlen(name) > 4 && strcmp(name + strlen(name) - 4, ".rep") == 0)
		name[strlen(name) - 4] = '\0';
	t->name = name;

	char *p = text;
	unsigned long heap, weight;
	t->nids = (uint32_t)-1;
	heap = strtoul(p, &p, 10);
	t->nids = (uint32_t)strtoul(p, &p, 10);
	t->nops = (uint32_t)strtoul(p, &p, 10);
	weight = strtoul(p, &p, 10);
	(void)heap;
	(void)weight;
	t->ops = xmap(t->nops * sizeof *t->ops);
	for (uint32_t i = 0; i < t->nops; i++) {
		while (*p == ' ' || *p == '\n' || *p == '\r')
			p++;
		struct op *o = &t->ops[i];
		o->kind = *p++;
		o->id = (uint32_t)strtoul(p, &p, 10);
		o->size = o->kind == 'f' ? 0 : (uint32_t)strtoul(p, &p, 10);
		if ((o->kind != 'a' && o->kind != 'f' && o->kind != 'r') ||
		    o->id >= t->nids)
			trace_fail(path, "malformed operation");
	}
}

/* ------------------------------------------- overlap check: a treap */

/* Live blocks by address, to find the block below an address in
 * O(log n): node i + 1 is id i, 0 is none. */
struct node {
	uintptr_t start, end;
	uint32_t prio;
	uint32_t left, right;
};

static struct node *nodes;

static void
treap_split(uint32_t t, uintptr_t key, uint32_t *lo, uint32_t *hi)
{
	if (t == 0) {
		*lo = *hi = 0;
	} else if (nodes[t].start < key) {
		treap_split(nodes[t].right, key, &nodes[t].right, hi);
		*lo = t;
	} else {
		treap_split(nodes[t].left, key, lo, &nodes[t].left);
		*hi = t;
	}
}

static uint32_t
treap_merge(uint32_t a, uint32_t b)
{
	if (a == 0 || b == 0)
		return a ? a : b;
	if (nodes[a].prio > nodes[b].prio) {
		nodes[a].right = treap_merge(nodes[a].right, b);
		return a;
	}
	nodes[b].left = treap_merge(a, nodes[b].left);
	return b;
}

/* The live block with the highest start below key, or 0. */
static uint32_t
treap_below(uint32_t t, uintptr_t key)
{
	uint32_t best = 0;

	while (t != 0) {
		if (nodes[t].start < key) {
			best = t;
			t = nodes[t].right;
		} else {
			t = nodes[t].left;
		}
	}
	return best;
}

/* ------------------------------------------------------------ replay */

struct replay {
	const struct trace *t;
	const struct allocator *a;
	unsigned char **ptr;    /* by id */
	uint32_t *size;
	uint32_t root;          /* of the treap */
	uint32_t op;            /* for error messages */
};

static void
replay_fail(struct replay *r, const char *why)
{
	fprintf(stderr, "heaptrace: %s %s: operation %u (%c %u): %s\n",
		r->t->name, r->a->name, r->op, r->t->ops[r->op].kind,
		r->t->ops[r->op].id, why);
	exit(1);
}

static unsigned char
pattern(uint32_t id, size_t i)
{
	return (unsigned char)(id * 131 + i * 7 + 1);
}

static void
payload_fill(unsigned char *p, uint32_t id, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		p[i] = pattern(id, i);
}

static void
payload_verify(struct replay *r, uint32_t id, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (r->ptr[id][i] != pattern(id, i))
			replay_fail(r, "payload changed while live");
}

/* Checks a new block: aligned, and overlapping no live one. */
static void
block_add(struct replay *r, uint32_t id, unsigned char *p, size_t size)
{
	uintptr_t start = (uintptr_t)p, end = start + (size ? size : 1);

	if (p == NULL)
		replay_fail(r, "out of memory");
	if (start % 16 != 0)
		replay_fail(r, "block not 16-byte aligned");
	uint32_t below = treap_below(r->root, end);
	if (below != 0 && nodes[below].end > start)
		replay_fail(r, "block overlaps a live block");
	uint32_t n = id + 1, lo, hi;
	nodes[n] = (struct node){ start, end, (uint32_t)(n * 2654435761u), 0, 0 };
	treap_split(r->root, start, &lo, &hi);
	r->root = treap_merge(treap_merge(lo, n), hi);
	r->a->note(p, 1);
}

static void
block_remove(struct replay *r, uint32_t id)
{
	uint32_t lo, mid, hi;
	uintptr_t start = nodes[id + 1].start;

	treap_split(r->root, start, &lo, &mid);
	treap_split(mid, start + 1, &mid, &hi);
	r->root = treap_merge(lo, hi);
	r->a->note(r->ptr[id], -1);
}

/* The checked replay; returns the peak utilization. */
static double
replay_checked(const struct trace *t, const struct allocator *a)
{
	struct replay r = { .t = t, .a = a };
	size_t live = 0, peak_live = 0, peak_heap = 0;

	r.ptr = xmap(t->nids * sizeof *r.ptr);
	r.size = xmap(t->nids * sizeof *r.size);
	nodes = xmap((t->nids + 1) * sizeof *nodes);
	a->reset();
	for (r.op = 0; r.op < t->nops; r.op++) {
		const struct op *o = &t->ops[r.op];
		uint32_t id = o->id;
		if (o->kind != 'a') {
			if (r.ptr[id] == NULL)
				replay_fail(&r, "trace frees or resizes a dead id");
			payload_verify(&r, id, r.size[id]);
			block_remove(&r, id);
			live -= r.size[id];
		}
		if (o->kind == 'f') {
			a->free(r.ptr[id]);
			r.ptr[id] = NULL;
			continue;
		}
		unsigned char *p = o->kind == 'a' ? a->alloc(o->size)
			: a->realloc(r.ptr[id], o->size);
		block_add(&r, id, p, o->size);
		size_t kept = o->kind == 'r' && r.size[id] < o->size ? r.size[id]
			: o->kind == 'r' ? o->size : 0;
		r.ptr[id] = p;
		payload_verify(&r, id, kept);
		payload_fill(p, id, kept, o->size);
		r.size[id] = o->size;
		live += o->size;
		peak_live = live > peak_live ? live : peak_live;
		size_t heap = a->heap_bytes();
		peak_heap = heap > peak_heap ? heap : peak_heap;
	}
	return peak_heap ? (double)peak_live / (double)peak_heap : 0;
}

#define TIMED_RUNS  9

/* What a child measured, in memory it shares with the parent. */
struct result {
	double util;
	double seconds;
	long faults;
};

static long
minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* The timed replay: the same calls, nothing else. Its own pages (the
 * pointers by id, the operations) are touched first, so that the faults
 * counted are the allocator's. */
static void
replay_timed(const struct trace *t, const struct allocator *a, struct result *res)
{
	void **ptr = xmap(t->nids * sizeof *ptr);
	struct timespec t0, t1;
	volatile uint32_t sum = 0;

	memset(ptr, 0, t->nids * sizeof *ptr);
	for (uint32_t i = 0; i < t->nops; i++)
		sum += t->ops[i].size;
	a->reset();
	long faults = minor_faults();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint32_t i = 0; i < t->nops; i++) {
		const struct op *o = &t->ops[i];
		if (o->kind == 'a')
			ptr[o->id] = a->alloc(o->size);
		else if (o->kind == 'r')
			ptr[o->id] = a->realloc(ptr[o->id], o->size);
		else
			a->free(ptr[o->id]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->faults = minor_faults() - faults;
	res->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
}

/* Runs one replay of t on a in a fresh child, timed or checked; returns
 * the child's exit status. */
static int
in_child(const struct trace *t, const struct allocator *a, bool timed,
	struct result *res)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (timed)
			replay_timed(t, a, res);
		else
			res->util = replay_checked(t, a);
		_exit(0);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* One trace on one allocator: the checked replay, then the timed ones. */
static int
run(const struct trace *t, const struct allocator *a)
{
	static struct result *res;
	double best = 1e9;
	long faults = 0;

	if (res == NULL) {
		res = mmap(NULL, sizeof *res, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (res == MAP_FAILED) {
			perror("heaptrace: mmap");
			exit(1);
		}
	}
	if (in_child(t, a, false, res) != 0)
		return 1;
	double util = res->util;
	for (int rep = 0; rep < TIMED_RUNS; rep++) {
		if (in_child(t, a, true, res) != 0)
			return 1;
		if (res->seconds < best) {
			best = res->seconds;
			faults = res->faults;
		}
	}
	printf("%s %s ops=%u util=%.2f kops=%.0f faults=%ld\n", t->name, a->name,
		t->nops, util, t->nops / best / 1000, faults);
	return 0;
}

static const struct allocator *
allocator_named(const char *name)
{
	for (size_t i = 0; i < NALLOCATORS; i++)
		if (strcmp(allocators[i].name, name) == 0)
			return &allocators[i];
	fprintf(stderr, "heaptrace: no allocator %s (have:", name);
	for (size_t i = 0; i < NALLOCATORS; i++)
		fprintf(stderr, " %s", allocators[i].name);
	fprintf(stderr, ")\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const struct allocator *chosen[16];
	int nchosen = 0, status = 0, ntraces = 0;
	const char *paths[256];
	static char out[4096];

	/* A buffer of our own: stdio would malloc one, and the children must
	 * inherit a glibc that has not started its heap. */
	setvbuf(stdout, out, _IOLBF, sizeof out);

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--allocator=", 12) == 0 && nchosen < 16)
			chosen[nchosen++] = allocator_named(argv[i] + 12);
		else if (argv[i][0] != '-' && ntraces < 256)
			paths[ntraces++] = argv[i];
		else {
			fprintf(stderr, "usage: heaptrace [--allocator=NAME]... TRACE...\n");
			return 2;
		}
	}
	if (ntraces == 0) {
		fprintf(stderr, "usage: heaptrace [--allocator=NAME]... TRACE...\n");
		return 2;
	}
	if (nchosen == 0)               /* all of them */
		for (size_t i = 0; i < NALLOCATORS; i++)
			chosen[nchosen++] = &allocators[i];
	for (int i = 0; i < ntraces; i++) {
		struct trace t;
		trace_load(paths[i], &t);
		for (int j = 0; j < nchosen; j++)
			status |= run(&t, chosen[j]);
	}
	return status;
}
