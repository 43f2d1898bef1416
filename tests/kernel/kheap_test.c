/*
 * Tests of kmalloc (src/mm/kheap.c) in the running kernel: the heap grows
 * through the VMM, gives whole pages back to the PMM, returns NULL when
 * memory runs out, and in guard mode (kheap=guard) faults on an overrun.
 */
#include <heap.h>
#include <kheap.h>
#include <ktest.h>
#include <layout.h>
#include <string.h>
#include <trap.h>
#include <vmm.h>

static void
pointers_are_aligned_and_usable(struct ktest *t)
{
	void *p[64];

	for (int i = 0; i < 64; i++) {
		p[i] = kmalloc((size_t)i * 37);
		KASSERT_NOT_NULL(t, p[i]);
		KEXPECT_EQ(t, (uintptr_t)p[i] % 16, 0);
		memset(p[i], i, (size_t)i * 37);
	}
	for (int i = 0; i < 64; i++) {
		for (size_t j = 0; j < (size_t)i * 37; j++)
			KASSERT_EQ(t, ((uint8_t *)p[i])[j], i);
		kfree(p[i]);
	}
	KEXPECT_EQ(t, kheap_check(), 0);
}

/* Pages mapped for the heap region: its break rounded up. */
static uint32_t
heap_pages(void)
{
	struct heap_stats st;

	kheap_stats(&st);
	return (uint32_t)(page_round_up(st.heap_size) / PAGE_SIZE);
}

static void
the_heap_grows_through_the_vmm(struct ktest *t)
{
	if (kheap_guard_mode())
		ktest_skip(t, "guard mode does not use the heap core");
	struct heap_stats st;
	uint32_t free_before = pmm_free_frames(), pages_before = heap_pages();
	paddr_t pa;

	/* Four pages more than any free block holds, so the region must grow
	 * (by at most size: a machine with fewer free frames cannot run it). */
	kheap_stats(&st);
	size_t size = st.largest_free + 4 * PAGE_SIZE;
	if (size / PAGE_SIZE + 2 > free_before)
		ktest_skip(t, "fewer free frames than the block it would allocate");
	uint8_t *p = kmalloc(size);

	KASSERT_NOT_NULL(t, p);
	KEXPECT_GE(t, (uintptr_t)p, KHEAP_BASE);
	KEXPECT_LT(t, (uintptr_t)p + size, KHEAP_LIMIT);
	/* Every page of the block is mapped, by a frame the PMM handed out. */
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		KASSERT_EQ(t, vmm_translate(vmm_kernel_space(), (uintptr_t)p + off, &pa), 0);
		KEXPECT_TRUE(t, pmm_is_allocated(pa & PTE_FRAME_MASK));
	}
	/* Each page the region grew by is one frame from the PMM. */
	KEXPECT_GT(t, heap_pages(), pages_before);
	KEXPECT_EQ(t, free_before - pmm_free_frames(), heap_pages() - pages_before);
	p[0] = 1;
	p[size - 1] = 2;
	kfree(p);
}

static void
freeing_gives_whole_pages_back_to_the_pmm(struct ktest *t)
{
	struct heap_stats st;
	uint32_t free_before;

	if (kheap_guard_mode())
		ktest_skip(t, "guard mode gives every page back at kfree");
	kheap_stats(&st);
	free_before = pmm_free_frames();
	uint32_t pages_before = heap_pages();
	uint32_t pages = free_before / 2 < 512 ? free_before / 2 : 512;  /* 2 MiB, less on small machines */
	void *p = kmalloc((size_t)pages * PAGE_SIZE);
	KASSERT_NOT_NULL(t, p);
	/* That many pages, less whatever free tail the heap already had mapped. */
	KEXPECT_EQ(t, free_before - pmm_free_frames(), heap_pages() - pages_before);
	KEXPECT_GE(t, heap_pages() - pages_before + st.free_bytes / PAGE_SIZE + 1, pages);
	kfree(p);
	/* The free tail beyond the trim threshold went back; at most half
	 * the threshold stays mapped as slack. */
	KEXPECT_GE(t, pmm_free_frames() + HEAP_TRIM_THRESHOLD / PAGE_SIZE, free_before);
	KEXPECT_EQ(t, pmm_check(), 0);
}

static void
exhaustion_returns_null_and_leaks_nothing(struct ktest *t)
{
	uint32_t free_before = pmm_free_frames();
	struct heap_stats st;

	/* More than the region holds, then more than the machine has: every
	 * free frame plus the heap's own free bytes, and a bit. */
	KEXPECT_NULL(t, kmalloc(KHEAP_LIMIT - KHEAP_BASE));
	kheap_stats(&st);
	size_t all = (size_t)free_before * PAGE_SIZE + st.free_bytes + 16 * PAGE_SIZE;
	if (all < KHEAP_LIMIT - KHEAP_BASE - PAGE_SIZE) {
		void *p = kmalloc(all);
		KEXPECT_NULL(t, p);
		kfree(p);
	}
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
	KEXPECT_EQ(t, kheap_check(), 0);
	void *p = kmalloc(100);                 /* and it still works */
	KEXPECT_NOT_NULL(t, p);
	kfree(p);
}

static void
calloc_overflow_and_realloc_follow_c(struct ktest *t)
{
	KEXPECT_NULL(t, kcalloc(SIZE_MAX / 2, 4));
	uint32_t *z = kcalloc(100, 4);
	KASSERT_NOT_NULL(t, z);
	for (int i = 0; i < 100; i++)
		KASSERT_EQ(t, z[i], 0);
	z[99] = 7;
	uint32_t *bigger = krealloc(z, 4000 * 4);
	KASSERT_NOT_NULL(t, bigger);
	KEXPECT_EQ(t, bigger[99], 7);
	KEXPECT_NULL(t, krealloc(bigger, 0));   /* frees */
	void *fresh = krealloc(NULL, 10);
	KEXPECT_NOT_NULL(t, fresh);
	kfree(fresh);
	void *zero = kmalloc(0);                /* a unique minimal block */
	KEXPECT_NOT_NULL(t, zero);
	kfree(zero);
}

static void
aligned_allocations_up_to_a_page(struct ktest *t)
{
	for (size_t align = 1; align <= PAGE_SIZE; align <<= 1) {
		void *p = kmalloc_aligned(align, 100);
		KASSERT_NOT_NULL(t, p);
		KEXPECT_EQ(t, (uintptr_t)p % align, 0);
		kfree(p);
	}
	KEXPECT_NULL(t, kmalloc_aligned(3, 100));
	KEXPECT_NULL(t, kmalloc_aligned(2 * PAGE_SIZE, 100));
}

static void
stats_add_up(struct ktest *t)
{
	struct heap_stats st;

	if (kheap_guard_mode())
		ktest_skip(t, "guard mode does not use the heap core");
	void *p = kmalloc(1000);

	kheap_stats(&st);
	KEXPECT_EQ(t, st.used_bytes + st.free_bytes + 16, st.heap_size);
	KEXPECT_GE(t, st.used_blocks, 1);
	KEXPECT_LE(t, st.largest_free, st.free_bytes);
	kheap_print_stats();                    /* the line the chapter shows */
	kfree(p);
}

KTEST_SUITE(kheap,
	KTEST_CASE(pointers_are_aligned_and_usable),
	KTEST_CASE(the_heap_grows_through_the_vmm),
	KTEST_CASE(freeing_gives_whole_pages_back_to_the_pmm),
	KTEST_CASE(exhaustion_returns_null_and_leaks_nothing),
	KTEST_CASE(calloc_overflow_and_realloc_follow_c),
	KTEST_CASE(aligned_allocations_up_to_a_page),
	KTEST_CASE(stats_add_up));

/* ---- guard mode: booted with kheap=guard (scripts/test-all.sh does) ---- */

static char *overrun_target;

static void
write_past_the_end(void *arg)
{
	overrun_target[(uintptr_t)arg] = 'x';
}

static void
an_overrun_faults_at_once_and_names_the_allocation(struct ktest *t)
{
	struct trapframe tf;
	uint32_t cr2;
	char words[160];

	if (!kheap_guard_mode())
		ktest_skip(t, "boot with kheap=guard to run this");
	overrun_target = kmalloc(4096 - 16 * 3);        /* ends 16-aligned at the guard page */
	KASSERT_NOT_NULL(t, overrun_target);
	overrun_target[4096 - 16 * 3 - 1] = 'y';        /* the last byte is fine */
	KASSERT_TRUE(t, ktest_catch_fault(T_PAGE_FAULT, write_past_the_end,
					  (void *)(uintptr_t)(4096 - 16 * 3), &tf, &cr2));
	KEXPECT_EQ(t, cr2, (uintptr_t)overrun_target + 4096 - 16 * 3);
	KEXPECT_TRUE(t, kheap_guard_describe(cr2, words, sizeof(words)));
	KEXPECT_EQ(t, strncmp(words, "0 bytes past the end of kmalloc(4048)", 37), 0);
	kfree(overrun_target);
}

static void
a_use_after_free_faults(struct ktest *t)
{
	struct trapframe tf;

	if (!kheap_guard_mode())
		ktest_skip(t, "boot with kheap=guard to run this");
	overrun_target = kmalloc(64);
	KASSERT_NOT_NULL(t, overrun_target);
	kfree(overrun_target);
	KEXPECT_TRUE(t, ktest_catch_fault(T_PAGE_FAULT, write_past_the_end, (void *)0, &tf, NULL));
}

static void
guard_allocations_are_aligned_and_return_their_frames(struct ktest *t)
{
	if (!kheap_guard_mode())
		ktest_skip(t, "boot with kheap=guard to run this");
	uint32_t free_before = pmm_free_frames();
	void *p = kmalloc_aligned(256, 1000), *q = kcalloc(10, 10);
	KASSERT_NOT_NULL(t, p);
	KASSERT_NOT_NULL(t, q);
	KEXPECT_EQ(t, (uintptr_t)p % 256, 0);
	KEXPECT_EQ(t, ((uint8_t *)q)[99], 0);
	kfree(p);
	kfree(q);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
}

KTEST_SUITE(kheap_guard,
	KTEST_CASE(an_overrun_faults_at_once_and_names_the_allocation),
	KTEST_CASE(a_use_after_free_faults),
	KTEST_CASE(guard_allocations_are_aligned_and_return_their_frames));
