/*
 * kmalloc: the shared first-fit core (src/mm/heap.c) on a region of
 * kernel virtual memory that grows at its top. The core asks for memory
 * with sbrk semantics; kheap_more() maps fresh frames from the PMM at the
 * break, or unmaps and frees them when the core gives a tail back.
 *
 * Guard mode (kheap=guard) bypasses the core: each allocation gets its
 * own pages, its payload ends against an unmapped guard page, and freed
 * pages are never mapped again, so overruns and uses after free fault.
 */
#include <bootargs.h>
#include <cairn/errno.h>
#include <console.h>
#include <format.h>
#include <heap.h>
#include <kheap.h>
#include <kmap.h>
#include <layout.h>
#include <panic.h>
#include <string.h>
#include <symbols.h>
#include <vmm.h>

#define GUARD_MAGIC 0x6A4D6A4Du

static struct heap heap;
static uintptr_t brk = KHEAP_BASE;      /* the heap region is [KHEAP_BASE, brk) */
static bool guard;
static bool check_every_op;        /* heap_check after each call: test kernels */

/* ------------------------------------------------------------ growing */

static void
unmap_pages(uintptr_t from, uintptr_t to)
{
	vmm_unmap_free(vmm_kernel_space(), from, to);
}

/* Maps fresh (zeroed) frames over [from, to); all or nothing. */
static bool
map_pages(uintptr_t from, uintptr_t to)
{
	return vmm_map_fresh(vmm_kernel_space(), from, to, PTE_WRITABLE) == 0;
}

/* sbrk for the core: the pages covering [KHEAP_BASE, brk) are mapped. */
static void *
kheap_more(void *ctx, intptr_t delta)
{
	uintptr_t old = brk;

	if (delta > 0) {
		if ((uintptr_t)delta > KHEAP_LIMIT - brk)
			return NULL;            /* the region is full */
		if (!map_pages(page_round_up(brk), page_round_up(brk + delta)))
			return NULL;            /* no frames left */
	} else if (delta < 0) {
		if ((uintptr_t)-delta > brk - KHEAP_BASE)
			return NULL;
		unmap_pages(page_round_up(brk + delta), page_round_up(brk));
	}
	brk += delta;
	return (void *)old;
}

/* The core found its blocks damaged: a kernel bug, so panic, naming
 * everything the core knows. */
static void
kheap_corrupt(struct heap *h, const char *what, void *ptr, void *block, void *caller)
{
	char line[192], where[64];

	heap_format_report(line, sizeof(line), h, what, ptr, block, caller);
	panic("%s%s", line, symbols_format((uint32_t)(uintptr_t)caller, SYMBOLS_RETURN_ADDRESS,
					   where, sizeof(where)));
}

/* ------------------------------------------------------------ guard mode */

/* At the start of a guard allocation's first page. */
struct guard_header {
	uint32_t magic;
	uint32_t pages;         /* mapped pages, header's included */
	size_t size;            /* what was asked for */
	void *payload;
	void *caller;
};

static uintptr_t guard_next = KHEAP_BASE;       /* never reused */

static void *
guard_alloc(size_t size, size_t align, void *caller)
{
	size_t payload = (size + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
	if (payload == 0)
		payload = HEAP_ALIGN;
	if (size > HEAP_MAX_ALLOC)
		return NULL;
	uint32_t pages = (uint32_t)((payload + align + sizeof(struct guard_header) + PAGE_SIZE - 1) / PAGE_SIZE);
	uintptr_t start = guard_next, end = start + pages * PAGE_SIZE;
	if (end + PAGE_SIZE > KHEAP_LIMIT || end < start || !map_pages(start, end))
		return NULL;
	guard_next = end + PAGE_SIZE;           /* the guard page stays unmapped */
	/* The payload ends at the guard page, up to HEAP_ALIGN-1 bytes short:
	 * alignment wins over catching the smallest overruns. */
	uintptr_t p = (end - payload) & ~(uintptr_t)(align - 1);
	*(struct guard_header *)start = (struct guard_header){ GUARD_MAGIC, pages, size, (void *)p, caller };
	return (void *)p;
}

/* The header of the guard allocation holding address a, or NULL. */
static struct guard_header *
guard_header_of(uintptr_t a)
{
	uint32_t flags;

	for (uintptr_t page = page_round_down(a); page >= KHEAP_BASE; page -= PAGE_SIZE) {
		if (vmm_query(vmm_kernel_space(), page, &flags) < 0)
			return NULL;
		struct guard_header *g = (struct guard_header *)page;
		if (g->magic == GUARD_MAGIC)
			return g;
	}
	return NULL;
}

/* The live guard-mode allocation at ptr. Anything else handed to kfree
 * or krealloc is a kernel bug: a panic naming the call, the pointer and
 * the caller. */
static struct guard_header *
guard_live(void *ptr, const char *call, void *caller)
{
	struct guard_header *g = guard_header_of((uintptr_t)ptr);
	char where[64];

	if (g == NULL || g->payload != ptr)
		panic("%s of 0x%08x, not a live guard-mode allocation (freed twice?), from 0x%08x%s", call,
		      (uint32_t)(uintptr_t)ptr, (uint32_t)(uintptr_t)caller,
		      symbols_format((uint32_t)(uintptr_t)caller, SYMBOLS_RETURN_ADDRESS, where, sizeof(where)));
	return g;
}

static void
guard_free(void *ptr, void *caller)
{
	struct guard_header *g = guard_live(ptr, "kfree", caller);
	uintptr_t start = (uintptr_t)g;
	g->magic = 0;
	unmap_pages(start, start + g->pages * PAGE_SIZE);
}

bool
kheap_guard_describe(uintptr_t addr, char *buf, size_t size)
{
	uint32_t flags;

	if (!guard || addr < KHEAP_BASE + PAGE_SIZE || addr >= guard_next)
		return false;
	if (vmm_query(vmm_kernel_space(), addr, &flags) == 0)
		return false;                           /* mapped: not a guard page */
	struct guard_header *g = guard_header_of(page_round_down(addr) - PAGE_SIZE);
	if (g == NULL) {
		snprintf(buf, size, "a freed guard-mode allocation (use after free?)");
		return true;
	}
	char where[64];
	snprintf(buf, size, "%u bytes past the end of kmalloc(%u) = 0x%08x, allocated from 0x%08x%s",
		 (uint32_t)(addr - ((uintptr_t)g->payload + g->size)), (uint32_t)g->size,
		 (uint32_t)(uintptr_t)g->payload, (uint32_t)(uintptr_t)g->caller,
		 symbols_format((uint32_t)(uintptr_t)g->caller, SYMBOLS_RETURN_ADDRESS, where, sizeof(where)));
	return true;
}

/* ------------------------------------------------------------ the API */

static const char *const kheap_modes[] = { "guard", NULL };

static const char *
kheap_option(const struct bootarg *arg)
{
	guard = true;                   /* the one mode there is */
	return NULL;
}
BOOTARG(kheap, BOOTARG_VALUE, kheap_modes,
	"kheap=guard: every kmalloc on its own pages, an unmapped page after it", kheap_option);

void
kheap_check_every_operation(void)
{
	check_every_op = true;
}

/* The fast index's tables: only in a kernel built with it (make
 * HEAP_INDEX=fast). */
#if (HEAP_INDEX_FLAG) & HEAP_SMALL_BINS
static struct heap_bins kheap_bins;
#define KHEAP_BINS (&kheap_bins)
#else
#define KHEAP_BINS NULL
#endif

void
kheap_init(void)
{
	struct heap_config cfg = {
		.more = kheap_more,
		.corrupt = kheap_corrupt,
		/* The free list, or the tree or the fast index if built with
		 * make HEAP_INDEX=tree or fast; a test kernel checks every
		 * invariant after every call. */
		.flags = HEAP_INDEX_FLAG | (check_every_op ? HEAP_CHECK_EVERY_OP : 0),
		.bins = KHEAP_BINS,
	};

	if (heap_init(&heap, &cfg) < 0)
		panic("kheap: heap_init refused the kernel heap region");
	if (guard)
		kprintf("kheap: guard mode: every allocation on its own pages, an unmapped page after it\n");
}

bool
kheap_guard_mode(void)
{
	return guard;
}

void *
kmalloc(size_t size)
{
	if (guard)
		return guard_alloc(size, HEAP_ALIGN, __builtin_return_address(0));
	return heap_alloc(&heap, size);
}

void *
kmalloc_aligned(size_t align, size_t size)
{
	if (guard) {
		if (align == 0 || (align & (align - 1)) || align > HEAP_MAX_ALIGN)
			return NULL;
		return guard_alloc(size, align < HEAP_ALIGN ? HEAP_ALIGN : align, __builtin_return_address(0));
	}
	return heap_alloc_aligned(&heap, align, size);
}

void *
kcalloc(size_t n, size_t size)
{
	if (guard) {
		if (size && n > SIZE_MAX / size)
			return NULL;
		void *p = guard_alloc(n * size, HEAP_ALIGN, __builtin_return_address(0));
		if (p)
			memset(p, 0, n * size);
		return p;
	}
	return heap_calloc(&heap, n, size);
}

void
kfree(void *ptr)
{
	if (ptr == NULL)
		return;
	if (guard)
		guard_free(ptr, __builtin_return_address(0));
	else
		heap_free(&heap, ptr, __builtin_return_address(0));
}

void *
krealloc(void *ptr, size_t size)
{
	void *caller = __builtin_return_address(0);

	if (!guard)
		return heap_realloc(&heap, ptr, size, caller);
	if (ptr == NULL)
		return guard_alloc(size, HEAP_ALIGN, caller);
	if (size == 0) {
		guard_free(ptr, caller);
		return NULL;
	}
	struct guard_header *g = guard_live(ptr, "krealloc", caller);
	void *p = guard_alloc(size, HEAP_ALIGN, caller);
	if (p) {
		memcpy(p, ptr, g->size < size ? g->size : size);
		guard_free(ptr, caller);
	}
	return p;
}

int
kheap_check(void)
{
	return guard ? 0 : heap_check(&heap);
}

void
kheap_stats(struct heap_stats *st)
{
	heap_get_stats(&heap, st);
}

bool
kheap_next_block(void **cursor, struct heap_block *b)
{
	return !guard && heap_next_block(&heap, cursor, b);
}

void
kheap_print_stats(void)
{
	struct heap_stats st;

	kheap_stats(&st);
	kprintf("kheap: %u bytes in %u pages; in use %u bytes in %u blocks; free %u bytes in %u blocks, "
		"largest %u\n", (uint32_t)st.heap_size, (uint32_t)(page_round_up(brk) - KHEAP_BASE) / PAGE_SIZE,
		(uint32_t)st.used_bytes, (uint32_t)st.used_blocks, (uint32_t)st.free_bytes,
		(uint32_t)st.free_blocks, (uint32_t)st.largest_free);
}
