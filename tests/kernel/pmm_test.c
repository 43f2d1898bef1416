/*
 * Tests of the frame allocator as the kernel booted it (src/mm/pmm.c,
 * src/mm/physmem.c): on this machine's real map, every frame handed out
 * is usable RAM that nothing else owns, and every one comes back.
 */
#include <cairn/errno.h>
#include <ktest.h>
#include <layout.h>
#include <memmap.h>
#include <mmu.h>
#include <physmem.h>
#include <pmm.h>
#include <string.h>

#define FOUR_GIB 0x100000000ull

/* One bit per frame below 4 GiB: which frames the test was given. */
static uint32_t seen[PMM_FRAME_LIMIT / 32];

static bool
seen_get(pfn_t f)
{
	return seen[f / 32] >> (f % 32) & 1;
}

static void
seen_set(pfn_t f, bool on)
{
	if (on)
		seen[f / 32] |= 1u << (f % 32);
	else
		seen[f / 32] &= ~(1u << (f % 32));
}

static bool
inside_usable_range(paddr_t pa)
{
	const struct memmap *m = physmem_map();

	for (int i = 0; i < m->nrange; i++)
		if (m->range[i].type == MEMMAP_USABLE && pa >= m->range[i].first &&
		    (uint64_t)pa + PMM_FRAME_SIZE - 1 <= m->range[i].last)
			return true;
	return false;
}

/* Does the frame at pa overlap a reserved region (kernel, boot data)? */
static const char *
reserved_overlap(paddr_t pa)
{
	const struct boot_region *r;
	unsigned n = physmem_reserved(&r);

	for (unsigned i = 0; i < n; i++)
		if (pa < r[i].end && (uint64_t)pa + PMM_FRAME_SIZE > r[i].first)
			return r[i].what;
	return NULL;
}

static void
alloc_until_empty_returns_each_frame_once(struct ktest *t)
{
	uint32_t free_before = pmm_free_frames();
	uint32_t count = 0, bad = 0;
	paddr_t pa;

	memset(seen, 0, sizeof(seen));
	while ((pa = pmm_alloc()) != PMM_NO_FRAME) {
		pfn_t f = pmm_frame_number(pa);
		bool ok = pa % PMM_FRAME_SIZE == 0 && pa >= PMM_LOW_LIMIT && !seen_get(f) &&
			  inside_usable_range(pa) && reserved_overlap(pa) == NULL;
		if (!ok && bad++ < 3) {
			KEXPECT_EQ(t, pa % PMM_FRAME_SIZE, 0);
			KEXPECT_FALSE(t, seen_get(f));
			KEXPECT_TRUE(t, inside_usable_range(pa));
			KEXPECT_NULL(t, reserved_overlap(pa));
		}
		seen_set(f, true);
		count++;
	}
	KEXPECT_EQ(t, bad, 0);
	KEXPECT_EQ(t, count, free_before);
	KEXPECT_EQ(t, pmm_free_frames(), 0);
	KEXPECT_EQ(t, pmm_alloc(), PMM_NO_FRAME);       /* empty stays empty */
	KEXPECT_EQ(t, pmm_check(), 0);

	for (pfn_t f = 0; f < PMM_FRAME_LIMIT; f++)
		if (seen_get(f))
			KASSERT_EQ(t, pmm_free(pmm_frame_address(f)), 0);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
	KEXPECT_EQ(t, pmm_check(), 0);
}

static void
freed_frames_come_back_last_in_first_out(struct ktest *t)
{
	paddr_t a = pmm_alloc(), b = pmm_alloc(), c = pmm_alloc();

	KASSERT_NE(t, c, PMM_NO_FRAME);
	pmm_free(a);
	pmm_free(b);
	pmm_free(c);
	KEXPECT_EQ(t, pmm_alloc(), c);
	KEXPECT_EQ(t, pmm_alloc(), b);
	KEXPECT_EQ(t, pmm_alloc(), a);
	pmm_free(a);
	pmm_free(b);
	pmm_free(c);
}

static void
double_free_is_refused(struct ktest *t)
{
	paddr_t pa = pmm_alloc();
	uint32_t free_before;

	KASSERT_NE(t, pa, PMM_NO_FRAME);
	KEXPECT_EQ(t, pmm_free(pa), 0);
	free_before = pmm_free_frames();
	KEXPECT_EQ(t, pmm_free(pa), -EINVAL);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
	KEXPECT_EQ(t, pmm_check(), 0);
}

static void
frames_the_pmm_never_owned_are_refused(struct ktest *t)
{
	uint32_t free_before = pmm_free_frames();
	paddr_t pa = pmm_alloc();

	KASSERT_NE(t, pa, PMM_NO_FRAME);
	KEXPECT_EQ(t, pmm_free(pa + 8), -EINVAL);                       /* unaligned */
	KEXPECT_EQ(t, pmm_free(0x9F000), -EINVAL);                      /* below 1 MiB */
	KEXPECT_EQ(t, pmm_free(KERNEL_LOAD_PHYS), -EINVAL);             /* the kernel */
	KEXPECT_EQ(t, pmm_free(kernel_virt_to_phys(text_start)), -EINVAL);
	KEXPECT_EQ(t, pmm_free(page_round_down(multiboot_info_phys())), -EINVAL);  /* boot data */
	KEXPECT_EQ(t, pmm_free(0xFFFFF000), -EINVAL);                   /* firmware ROM */
	pmm_free(pa);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
	KEXPECT_EQ(t, pmm_check(), 0);
}

static void
counts_match_the_map(struct ktest *t)
{
	const struct boot_region *r;
	unsigned n = physmem_reserved(&r);
	uint64_t usable = memmap_count_frames(physmem_map(), PMM_LOW_LIMIT, FOUR_GIB);

	/* Owned frames are the usable ones minus at least the kernel's. */
	KEXPECT_GT(t, n, 0);
	KEXPECT_LT(t, pmm_total_frames(), usable);
	KEXPECT_GE(t, pmm_total_frames(), pmm_free_frames());
	KEXPECT_EQ(t, pmm_check(), 0);
}

static void
no_frame_comes_from_above_4_gib(struct ktest *t)
{
	/* With -m 4G or more, QEMU lists RAM above 4 GiB: it must stay unused,
	 * so the owned frames are what lies below 4 GiB and nothing more. */
	KEXPECT_LE(t, pmm_total_frames(), memmap_count_frames(physmem_map(), PMM_LOW_LIMIT, FOUR_GIB));
}

KTEST_SUITE(pmm,
	KTEST_CASE(alloc_until_empty_returns_each_frame_once),
	KTEST_CASE(freed_frames_come_back_last_in_first_out),
	KTEST_CASE(double_free_is_refused),
	KTEST_CASE(frames_the_pmm_never_owned_are_refused),
	KTEST_CASE(counts_match_the_map),
	KTEST_CASE(no_frame_comes_from_above_4_gib));
