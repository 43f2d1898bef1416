/*
 * heaptrace: replays malloc-lab traces (the CMU format that gentrace
 * writes) against allocators, checking every payload, and prints each
 * one's peak utilization, throughput and trips to the system:
 *
 *   heaptrace [--allocator=NAME]... [--count] TRACE...
 *   TRACE ALLOCATOR ops=N util=U cold=K hot=H faults=F hotfaults=G
 *       grows=B shrinks=S mmaps=M
 *
 * util is peak live payload bytes / peak heap bytes (memory taken from
 * the system: the break's distance from its start, plus the blocks
 * mmapped apart: glibc's, and bins-tree-map's).
 *
 * cold and hot are thousands of operations a second over an unchecked
 * replay (no payload writes or checks), the best of TIMED_RUNS each;
 * faults and hotfaults are the page faults in that replay. Each replay,
 * checked or timed, runs in a fresh child forked from a parent that never
 * called malloc, so every allocator starts the same way: no memory yet.
 * Cold is one pass: every page the allocator touches is faulted in for
 * the first time, and every page it gives back (glibc's trims and
 * munmaps, the heap core's shrinks, which the host more() turns into
 * MADV_DONTNEED as sbrk would) faulted in again if used again. (A page
 * fault costs about 15 us on the benchmark's VM, a few hundred
 * operations' worth, so cold weighs faults heavily.) Hot is a second pass
 * of the same operations in the same child, after the first pass and a
 * free of what it left live, with every allocator told to keep its pages
 * (keep_pages()): it weighs the allocator's own work, not the kernel's.
 *
 * grows, shrinks, mmaps count the checked replay's trips to the system:
 * moves of the break up and down (more() calls for the heap core and kr,
 * which cost a function call here but a system call in Cairn; brk calls
 * for glibc, seen as sbrk(0) changing over an operation), and blocks
 * mmapped apart (glibc's; bins-tree-map's map() calls). --count runs one hot replay per trace and allocator and
 * nothing else, for callgrind (scripts/bench-heap.sh).
 *
 * Every trace is read and checked (src/host/trace.c) before any replay,
 * so allocators only ever see valid ones. A refused trace is named with
 * its line and what is wrong, and the exit status is 2 (as for a usage
 * error). A failed replay, whether an integrity error, a corruption the
 * heap reports, or a child killed by a signal, is named as
 *
 *   heaptrace: TRACE:LINE: 'OPERATION': ALLOCATOR: what happened
 *
 * and the exit status is 1. (HEAPTRACE_CRASH_LINE=N in the environment
 * makes the checked replay raise SIGSEGV at the operation on line N, so
 * that a test can see a dying replay reported.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
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

#include "krmalloc.h"
#include "trace.h"

/* ---------------------------------------------------------- allocators */

/* How often an allocator went to the system during the checked replay:
 * its break moved up (grows) or down (shrinks), or it mmapped a block
 * apart (mmaps: blocks born mmapped, a realloc's mremap included; for
 * bins-tree-map, map() calls, a realloc's move included). */
struct moves {
	unsigned long grows, shrinks, mmaps;
};

/* One allocator under test; add a line to `allocators` for another. */
struct allocator {
	const char *name;
	void (*reset)(void);            /* before each replay */
	void (*keep_pages)(void);       /* after reset, for a hot replay */
	void *(*alloc)(size_t size);
	void (*free)(void *p);
	void *(*realloc)(void *p, size_t size);
	size_t (*heap_bytes)(void);     /* memory taken from the system now */
	void (*note)(void *p, long delta); /* told of each block's birth, death */
	void (*moves)(struct moves *m); /* at the end of the checked replay */
};

static void child_fail(const char *why);

/* first-fit: the heap core on an mmap'd arena with an sbrk-like break,
 * its free blocks on the list. first-fit-tree: the same with the free
 * tree (HEAP_TREE_INDEX). bins-tree: the fast index (HEAP_FAST_INDEX),
 * small blocks in bins in front of the tree; bins-tree-map: the same with
 * big blocks mmapped apart (below). The arena also serves `kr`. */
#define FF_ARENA    (1ul << 31)

static char *ff_arena;
static size_t ff_brk;
static struct heap ff_heap;
static struct heap_bins ff_bins;        /* the fast index's tables */
static bool ff_keep_pages;      /* a hot replay: shrinks keep their pages */

static void *
ff_more(void *ctx, intptr_t delta)
{
	char *old = ff_arena + ff_brk;

	if (delta > 0 && (size_t)delta > FF_ARENA - ff_brk)
		return NULL;
	if (delta < 0 && !ff_keep_pages)   /* really give it back, as sbrk would */
		madvise(old + delta, (size_t)-delta, MADV_DONTNEED);
	ff_brk += delta;
	return old;
}

static void
ff_corrupt(struct heap *h, const char *what, void *ptr, void *block, void *caller)
{
	char line[200];

	heap_format_report(line, sizeof line, h, what, ptr, block, caller);
	child_fail(line);
}

/* Maps the arena if it is not yet, and empties it. */
static void
ff_arena_reset(void)
{
	if (ff_arena == NULL) {
		ff_arena = mmap(NULL, FF_ARENA, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (ff_arena == MAP_FAILED)
			child_fail("mmap failed for the arena");
	}
	ff_brk = 0;
}

/* Starts the heap afresh on an empty arena, with cfg's policy. */
static void
ff_start(struct heap_config cfg)
{
	ff_arena_reset();
	cfg.more = ff_more;
	cfg.corrupt = ff_corrupt;
	cfg.bins = &ff_bins;
	heap_init(&ff_heap, &cfg);
}

static void
ff_reset(void)
{
	ff_start((struct heap_config){ 0 });
}

static void
tree_reset(void)
{
	ff_start((struct heap_config){ .flags = HEAP_TREE_INDEX });
}

static void
fast_reset(void)
{
	ff_start((struct heap_config){ .flags = HEAP_FAST_INDEX });
}

/* bins-tree-map: the fast index, with each block of FF_MAP_THRESHOLD
 * bytes or more in a region of its own from mmap, unmapped when freed,
 * as glibc does. 128 KiB is glibc's M_MMAP_THRESHOLD by default; glibc
 * raises it as mmapped blocks are freed, but not once M_TOP_PAD is set,
 * so libc-nopad, the allocator this one is held against, maps at 128 KiB
 * throughout: the same rule. A region's bytes count in the heap's size
 * (fast_map_heap_bytes) as glibc's mmapped chunks do in libc_heap_bytes, and
 * its maps in the mmaps column. */
#define FF_MAP_THRESHOLD    (128 << 10)

static void *
ff_map(void *ctx, size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void
ff_unmap(void *ctx, void *region, size_t bytes)
{
	munmap(region, bytes);
}

static struct heap_mapping ff_mapping;

static void
fast_map_reset(void)
{
	ff_mapping = (struct heap_mapping){ .map = ff_map, .unmap = ff_unmap,
		.threshold = FF_MAP_THRESHOLD };
	ff_start((struct heap_config){ .flags = HEAP_FAST_INDEX, .mapping = &ff_mapping });
}

/* The break's bytes and the mapped regions', as libc_heap_bytes counts. */
static size_t
fast_map_heap_bytes(void)
{
	struct heap_stats st;

	heap_get_stats(&ff_heap, &st);
	return ff_brk + st.mapped_bytes;
}

/* A hot replay maps nothing, as glibc's gets M_MMAP_MAX 0 (libc_keep_pages):
 * the heap starts afresh without mapping, so that hot measures the same
 * work as bins-tree's. It is called right after the reset. */
static void
fast_map_keep(void)
{
	fast_reset();
	ff_keep_pages = true;
}

/* A shrink in a hot replay moves the break but keeps the pages, so that
 * the second pass finds them faulted in (glibc's twin: libc_keep_pages). */
static void ff_keep(void) { ff_keep_pages = true; }

static void *ff_alloc(size_t n) { return heap_alloc(&ff_heap, n); }
static void ff_free(void *p) { heap_free(&ff_heap, p, __builtin_return_address(0)); }
static void *ff_realloc(void *p, size_t n) { return heap_realloc(&ff_heap, p, n, __builtin_return_address(0)); }
static size_t ff_heap_bytes(void) { return ff_brk; }
static void ff_note(void *p, long delta) { }

static void
ff_moves(struct moves *m)
{
	struct heap_stats st;

	heap_get_stats(&ff_heap, &st);
	*m = (struct moves){ st.grows, st.shrinks, st.maps };
}

/* user: the user runtime's malloc (src/ulib/malloc.c): the same core on
 * the same arena, grown and trimmed by the runtime's policy, with the
 * index the build gives malloc (HEAP_INDEX_FLAG: the tree, unless built
 * with make HEAP_INDEX=list or fast). */
static void
user_reset(void)
{
	ff_start((struct heap_config){ .grow_min = UMALLOC_GROW_MIN,
		.trim_threshold = UMALLOC_TRIM_THRESHOLD, .flags = HEAP_INDEX_FLAG });
}

/* kr: the K&R allocator (krmalloc.h) on the same arena: the baseline. */
static struct kr_heap kr_heap;

static void *kr_more(intptr_t delta) { return ff_more(NULL, delta); }

static void
kr_reset(void)
{
	ff_arena_reset();
	kr_init(&kr_heap, kr_more);
}

static void *kr_alloc(size_t n) { return kr_malloc(&kr_heap, n); }
static void kr_release(void *p) { kr_free(&kr_heap, p); }
static void *kr_resize(void *p, size_t n) { return kr_realloc(&kr_heap, p, n); }
static void kr_moves(struct moves *m) { *m = (struct moves){ kr_heap.grows, 0, 0 }; }

/* libc: the host's malloc, the reference. Its heap is the main arena's
 * sbrk'd bytes (the break's distance from where it started) plus the
 * blocks glibc mmaps for itself: those are told apart by the IS_MMAPPED
 * bit (2) of glibc's chunk header, whose size (page-rounded, header
 * included) is what they cost. mallinfo2() would say the same, but walks
 * every free chunk on each call.
 *
 * libc-nopad: the same malloc with M_TOP_PAD 0. glibc pads every growth
 * of the break by 128 KiB it has not been asked for (and trims down to
 * that pad), which util counts as heap: with the pad at 0, util compares
 * placement, not padding. Setting any of M_TOP_PAD, M_TRIM_THRESHOLD,
 * M_MMAP_THRESHOLD also stops glibc raising its mmap threshold as it
 * frees mmapped blocks (glibc's malloc.c: no_dyn_threshold), so big
 * blocks stay mmapped at 128 KiB and up: the mmaps column shows it. M_TRIM_THRESHOLD is left at its default
 * (128 KiB, the heap core's too): trimming decides when memory goes
 * back, not how much the peak takes. */
static char *libc_brk0, *libc_brk_seen;
static size_t libc_mmapped;
static struct moves libc_counted;

static void
libc_reset(void)
{
	libc_brk0 = libc_brk_seen = sbrk(0);
	libc_mmapped = 0;
	libc_counted = (struct moves){ 0 };
}

static void
libc_nopad_reset(void)
{
	mallopt(M_TOP_PAD, 0);
	libc_reset();
}

/* For a hot replay: never trim the break, never mmap a block (the break
 * serves all), so that nothing the first pass faulted in is given back. */
static void
libc_keep_pages(void)
{
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
	mallopt(M_MMAP_MAX, 0);
}

static void
libc_note(void *p, long delta)
{
	size_t chunk = ((size_t *)p)[-1];

	if (chunk & 2) {
		libc_mmapped += delta * (long)(chunk & ~(size_t)7);
		libc_counted.mmaps += delta > 0;
	}
}

/* The checked replay calls this after every operation, so it also
 * counts the moves of the break it sees (one at most an operation). */
static size_t
libc_heap_bytes(void)
{
	char *brk = sbrk(0);

	libc_counted.grows += brk > libc_brk_seen;
	libc_counted.shrinks += brk < libc_brk_seen;
	libc_brk_seen = brk;
	return (brk > libc_brk0 ? (size_t)(brk - libc_brk0) : 0) + libc_mmapped;
}

static void libc_moves(struct moves *m) { *m = libc_counted; }

static const struct allocator allocators[] = {
	{ "first-fit", ff_reset, ff_keep, ff_alloc, ff_free, ff_realloc,
		ff_heap_bytes, ff_note, ff_moves },
	{ "first-fit-tree", tree_reset, ff_keep, ff_alloc, ff_free, ff_realloc,
		ff_heap_bytes, ff_note, ff_moves },
	{ "bins-tree", fast_reset, ff_keep, ff_alloc, ff_free, ff_realloc,
		ff_heap_bytes, ff_note, ff_moves },
	{ "bins-tree-map", fast_map_reset, fast_map_keep, ff_alloc, ff_free, ff_realloc,
		fast_map_heap_bytes, ff_note, ff_moves },
	{ "user", user_reset, ff_keep, ff_alloc, ff_free, ff_realloc,
		ff_heap_bytes, ff_note, ff_moves },
	{ "kr", kr_reset, ff_keep, kr_alloc, kr_release, kr_resize,
		ff_heap_bytes, ff_note, kr_moves },
	{ "libc", libc_reset, libc_keep_pages, malloc, free, realloc,
		libc_heap_bytes, libc_note, libc_moves },
	{ "libc-nopad", libc_nopad_reset, libc_keep_pages, malloc, free, realloc,
		libc_heap_bytes, libc_note, libc_moves },
};
#define NALLOCATORS (sizeof allocators / sizeof allocators[0])

/* --------------------------------------------------------------- traces */

/* A trace file, read and checked. */
struct tracefile {
	const char *path;       /* as given, for messages */
	const char *name;       /* its base name, without .rep: for results */
	int name_len;
	struct trace t;
};

/* Where a replay child is, in memory it shares with the parent: the index
 * of the operation it is replaying, OP_BEFORE before the first, nops
 * after the last. */
#define OP_BEFORE   UINT32_MAX

/* What a child measured, and how far it got, shared with the parent. */
struct result {
	double util;
	struct moves moves;
	double seconds;
	long faults;
	volatile uint32_t op;   /* volatile: still right if the child dies */
};

/* Prints one line for a failed replay: the trace, the operation at index
 * op (with its line) if there is one, the allocator, and why. */
static void
report(const struct tracefile *tf, const struct allocator *a, uint32_t op,
	const char *why)
{
	char text[48];

	if (op < tf->t.nops) {
		trace_op_format(&tf->t.ops[op], text, sizeof text);
		fprintf(stderr, "heaptrace: %s:%u: '%s': %s: %s\n", tf->path,
			tf->t.ops[op].line, text, a->name, why);
	} else {
		fprintf(stderr, "heaptrace: %s: %s: %s, %s\n", tf->path, a->name, why,
			op == OP_BEFORE ? "before the first operation" : "after the last operation");
	}
}

/* What a replay child is doing, for its failure reports. */
static struct {
	const struct tracefile *tf;
	const struct allocator *a;
	struct result *res;
} child;

/* Reports a failure in a replay child at the operation it is on, and
 * ends the child with 1: "said why", to the parent. */
static void
child_fail(const char *why)
{
	report(child.tf, child.a, child.res->op, why);
	exit(1);
}

/* The replay's own memory comes from mmap, never malloc, so that libc's
 * heap holds nothing but the trace's blocks. */
static void *
xmap(size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		child_fail("mmap failed for the replay's own tables");
	return p;
}

/* Says why path cannot be read (errno), releases what was taken, and
 * returns NULL. */
static char *
read_failed(const char *path, int fd, char *text, size_t size)
{
	fprintf(stderr, "heaptrace: %s: %s\n", path, strerror(errno));
	if (text != NULL)
		munmap(text, size);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Reads the whole of path into *size bytes from mmap (malloc is for the
 * replays), *len of them read. Returns NULL after saying why it cannot. */
static char *
read_file(const char *path, size_t *len, size_t *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0)
		return read_failed(path, fd, NULL, 0);
	*size = (size_t)st.st_size + 1;         /* mmap refuses 0 bytes */
	char *text = mmap(NULL, *size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (text == MAP_FAILED)
		return read_failed(path, fd, NULL, 0);
	for (*len = 0; *len < *size - 1; ) {
		ssize_t got = read(fd, text + *len, *size - 1 - *len);
		if (got < 0)
			return read_failed(path, fd, text, *size);
		if (got == 0)
			break;
		*len += (size_t)got;
	}
	close(fd);
	return text;
}

/* Reads and checks the trace at path into *tf. Returns 0, or -1 after
 * naming the file, the line and what is wrong with it. */
static int
trace_load(const char *path, struct tracefile *tf)
{
	struct trace_error err;
	size_t len, size = 0;
	char *text = read_file(path, &len, &size);

	if (text == NULL)
		return -1;
	const char *slash = strrchr(path, '/');
	tf->path = path;
	tf->name = slash ? slash + 1 : path;
	tf->name_len = (int)strlen(tf->name);
	if (tf->name_len > 4 && strcmp(tf->name + tf->name_len - 4, ".rep") == 0)
		tf->name_len -= 4;
	int r = trace_parse(text, len, &tf->t, &err);
	munmap(text, size);
	if (r == -ENOMEM)
		fprintf(stderr, "heaptrace: %s: out of memory reading it\n", path);
	else if (r != 0 && err.text[0] != '\0')
		fprintf(stderr, "heaptrace: %s:%u: '%s': %s\n", path, err.line, err.text, err.why);
	else if (r != 0)
		fprintf(stderr, "heaptrace: %s:%u: %s\n", path, err.line, err.why);
	return r == 0 ? 0 : -1;
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
};

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
			child_fail("payload changed while live");
}

/* Checks a new block: aligned, and overlapping no live one. */
static void
block_add(struct replay *r, uint32_t id, unsigned char *p, size_t size)
{
	uintptr_t start = (uintptr_t)p, end = start + (size ? size : 1);

	if (p == NULL)
		child_fail("out of memory");
	if (start % 16 != 0)
		child_fail("block not 16-byte aligned");
	uint32_t below = treap_below(r->root, end);
	if (below != 0 && nodes[below].end > start)
		child_fail("block overlaps a live block");
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

/* Set from HEAPTRACE_CRASH_LINE: the checked replay raises SIGSEGV at
 * the operation on this line (0: never), for the test of how a replay
 * that dies is reported. */
static uint32_t crash_line;

/* The checked replay, recording in res->op how far it got; returns the
 * peak utilization. The trace is valid (trace.h), so every 'r' and 'f'
 * finds its id live and every 'a' finds it free. */
static double
replay_checked(const struct trace *t, const struct allocator *a, struct result *res)
{
	struct replay r = { .t = t, .a = a };
	size_t live = 0, peak_live = 0, peak_heap = 0;

	r.ptr = xmap(t->nids * sizeof *r.ptr);
	r.size = xmap(t->nids * sizeof *r.size);
	nodes = xmap((t->nids + 1) * sizeof *nodes);
	a->reset();
	for (uint32_t i = 0; i < t->nops; i++) {
		const struct trace_op *o = &t->ops[i];
		uint32_t id = o->id;
		res->op = i;
		if (o->line == crash_line)
			raise(SIGSEGV);
		if (o->kind != 'a') {
			payload_verify(&r, id, r.size[id]);
			block_remove(&r, id);
			live -= r.size[id];
		}
		if (trace_op_frees(o)) {        /* 'r ID 0' too: see trace.h */
			a->free(r.ptr[id]);
			r.ptr[id] = NULL;
			a->heap_bytes();        /* libc counts its break's moves */
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
	res->op = t->nops;
	a->moves(&res->moves);
	return peak_heap ? (double)peak_live / (double)peak_heap : 0;
}

#define TIMED_RUNS  9

static long
minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* The calls of one pass and nothing else, but the stores that record
 * how far it got and which ids are live. */
static void __attribute__((noinline, noclone))
replay_calls(const struct trace *t, const struct allocator *a, void **ptr,
	struct result *res)
{
	for (uint32_t i = 0; i < t->nops; i++) {
		const struct trace_op *o = &t->ops[i];
		res->op = i;
		if (trace_op_frees(o)) {
			a->free(ptr[o->id]);
			ptr[o->id] = NULL;
		} else if (o->kind == 'a') {
			ptr[o->id] = a->alloc(o->size);
		} else {
			ptr[o->id] = a->realloc(ptr[o->id], o->size);
		}
	}
}

/* The second, timed pass of a hot replay: a function of its own so that
 * callgrind counts it alone (--toggle-collect=replay_hot_pass). */
static void __attribute__((noinline, noclone))
replay_hot_pass(const struct trace *t, const struct allocator *a, void **ptr,
	struct result *res)
{
	replay_calls(t, a, ptr, res);
}

/* The timed replay. Cold: one pass on a fresh allocator. Hot: a first
 * pass, the blocks it leaves live freed, then the same pass again, timed,
 * on the allocator as the first left it; keep_pages() has made it keep
 * what it gives back (the break moves, the pages stay), so the second
 * pass runs on pages faulted in already. Its own pages (the pointers by
 * id, the operations, the shared result) are touched first, so that the
 * faults counted are the allocator's. */
static void
replay_timed(const struct trace *t, const struct allocator *a, bool hot,
	struct result *res)
{
	void **ptr = xmap(t->nids * sizeof *ptr);
	struct timespec t0, t1;
	volatile uint32_t sum = 0;

	memset(ptr, 0, t->nids * sizeof *ptr);
	for (uint32_t i = 0; i < t->nops; i++)
		sum += t->ops[i].size;
	res->op = OP_BEFORE;
	a->reset();
	if (hot) {
		a->keep_pages();
		replay_calls(t, a, ptr, res);
		for (uint32_t id = 0; id < t->nids; id++) {
			a->free(ptr[id]);
			ptr[id] = NULL;
		}
		res->op = OP_BEFORE;
	}
	long faults = minor_faults();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (hot)
		replay_hot_pass(t, a, ptr, res);
	else
		replay_calls(t, a, ptr, res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->op = t->nops;
	res->faults = minor_faults() - faults;
	res->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
}

/* Why a child that did not say so itself failed: a signal, or an exit
 * status other than 1. */
static void
describe_status(int status, const char *what, char *why, size_t size)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		const char *abbrev = sigabbrev_np(sig), *descr = sigdescr_np(sig);
		if (abbrev != NULL)
			snprintf(why, size, "%s killed by SIG%s (%s)", what, abbrev, descr);
		else
			snprintf(why, size, "%s killed by signal %d", what, sig);
	} else {
		snprintf(why, size, "%s exited with status %d", what,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
}

enum mode { CHECKED, COLD, HOT };

/* Runs one replay of tf on a in a fresh child: checked, timed cold or
 * timed hot. Returns 0, or 1 once the failure is reported: by the child
 * itself (exit 1), or here, from the last operation it recorded in res. */
static int
in_child(const struct tracefile *tf, const struct allocator *a, enum mode mode,
	struct result *res)
{
	const char *what = mode == CHECKED ? "checked replay" : "timed replay";
	char why[128];
	int status;

	fflush(stdout);
	res->op = OP_BEFORE;
	pid_t pid = fork();
	if (pid == 0) {
		child.tf = tf;
		child.a = a;
		child.res = res;
		if (mode == CHECKED)
			res->util = replay_checked(&tf->t, a, res);
		else
			replay_timed(&tf->t, a, mode == HOT, res);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		snprintf(why, sizeof why, "%s: %s", what, strerror(errno));
		report(tf, a, OP_BEFORE, why);
		return 1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		return 1;
	describe_status(status, what, why, sizeof why);
	report(tf, a, res->op, why);
	return 1;
}

/* The best (least) time of TIMED_RUNS timed replays in mode, into *best
 * and the faults of that replay into *faults. Returns 0 or 1 as in_child. */
static int
best_of(const struct tracefile *tf, const struct allocator *a, enum mode mode,
	struct result *res, double *best, long *faults)
{
	*best = 1e9;
	for (int rep = 0; rep < TIMED_RUNS; rep++) {
		if (in_child(tf, a, mode, res) != 0)
			return 1;
		if (res->seconds < *best) {
			*best = res->seconds;
			*faults = res->faults;
		}
	}
	return 0;
}

/* --count: one hot replay per trace and allocator, nothing else, for
 * callgrind to count (scripts/bench-heap.sh). */
static bool count_only;

/* One trace on one allocator: the checked replay, then the timed ones,
 * cold and hot. */
static int
run(const struct tracefile *tf, const struct allocator *a)
{
	static struct result *res;
	double cold, hot;
	long cold_faults = 0, hot_faults = 0;

	if (res == NULL) {
		res = mmap(NULL, sizeof *res, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (res == MAP_FAILED) {
			perror("heaptrace: mmap");
			exit(1);
		}
	}
	if (count_only) {
		if (in_child(tf, a, HOT, res) != 0)
			return 1;
		printf("%.*s %s ops=%u hot=%.0f\n", tf->name_len, tf->name, a->name,
			tf->t.nops, tf->t.nops / res->seconds / 1000);
		return 0;
	}
	if (in_child(tf, a, CHECKED, res) != 0)
		return 1;
	double util = res->util;
	struct moves m = res->moves;
	if (best_of(tf, a, COLD, res, &cold, &cold_faults) != 0 ||
	    best_of(tf, a, HOT, res, &hot, &hot_faults) != 0)
		return 1;
	printf("%.*s %s ops=%u util=%.2f cold=%.0f hot=%.0f faults=%ld hotfaults=%ld "
		"grows=%lu shrinks=%lu mmaps=%lu\n", tf->name_len, tf->name, a->name,
		tf->t.nops, util, tf->t.nops / cold / 1000, tf->t.nops / hot / 1000,
		cold_faults, hot_faults, m.grows, m.shrinks, m.mmaps);
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

#define TRACES_MAX  256

int
main(int argc, char **argv)
{
	const struct allocator *chosen[16];
	int nchosen = 0, status = 0, ntraces = 0, refused = 0;
	const char *paths[TRACES_MAX];
	static struct tracefile traces[TRACES_MAX];
	static char out[4096];
	const char *crash = getenv("HEAPTRACE_CRASH_LINE");

	/* A buffer of our own: stdio would malloc one, and the children must
	 * inherit a glibc that has not started its heap. */
	setvbuf(stdout, out, _IOLBF, sizeof out);

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--allocator=", 12) == 0 && nchosen < 16)
			chosen[nchosen++] = allocator_named(argv[i] + 12);
		else if (strcmp(argv[i], "--count") == 0)
			count_only = true;
		else if (argv[i][0] != '-' && ntraces < TRACES_MAX)
			paths[ntraces++] = argv[i];
		else {
			fprintf(stderr, "usage: heaptrace [--allocator=NAME]... [--count] TRACE...\n");
			return 2;
		}
	}
	if (ntraces == 0) {
		fprintf(stderr, "usage: heaptrace [--allocator=NAME]... [--count] TRACE...\n");
		return 2;
	}
	if (nchosen == 0)               /* all of them */
		for (size_t i = 0; i < NALLOCATORS; i++)
			chosen[nchosen++] = &allocators[i];
	crash_line = crash ? (uint32_t)strtoul(crash, NULL, 10) : 0;
	/* Every trace is checked before any is replayed. */
	for (int i = 0; i < ntraces; i++)
		if (trace_load(paths[i], &traces[i]) != 0)
			refused++;
	if (refused > 0)
		return 2;
	for (int i = 0; i < ntraces; i++)
		for (int j = 0; j < nchosen; j++)
			status |= run(&traces[i], chosen[j]);
	return status;
}
