/*
 * The break. Pages between heap_start and the break (rounded up) belong
 * to a user space's heap. In vm=eager they are all mapped; in vm=lazy the
 * ones not touched yet are "promised": counted, reserved in the PMM,
 * unmapped.
 */
#include <brk.h>
#include <cairn/errno.h>
#include <cow.h>
#include <kmap.h>
#include <layout.h>
#include <string.h>
#include <vmm.h>

/* Lazy mode: gives back the page tables for heap pages [from, to) that
 * hold nothing now. The table holding from - 1 may still cover promised
 * pages below from: it stays. */
static void
drop_tables(struct user_space *us, uint32_t from, uint32_t to)
{
	uint32_t first = from > us->heap_start ? pde_index(from - 1) + 1 : pde_index(from);

	for (uint32_t pdi = first; to > from && pdi <= pde_index(to - 1); pdi++)
		vmm_drop_table_if_empty(&us->as, (uintptr_t)pdi << PDE_SHIFT);
}

/* Unmaps the heap pages [from, to), freeing their frames; a lazy page
 * never touched gives back its promise instead. Lazy mode keeps the page
 * tables of pages still promised: a first touch must not need memory. */
static void
release_pages(struct user_space *us, uint32_t from, uint32_t to)
{
	for (uint32_t va = from; va < to; va += PAGE_SIZE) {
		paddr_t pa;
		int unmapped = us->lazy ? vmm_unmap_keep_table(&us->as, va, &pa) : vmm_unmap(&us->as, va, &pa);
		if (unmapped == 0) {
			pmm_free(pa);
		} else if (us->lazy && us->promised > 0) {
			us->promised--;
			pmm_unreserve(1);
		}
	}
	if (us->lazy)
		drop_tables(us, from, to);
}

/* Eager: maps zeroed frames over [from, to); all or nothing. */
static int
map_pages(struct user_space *us, uint32_t from, uint32_t to)
{
	return vmm_map_fresh(&us->as, from, to, PTE_USER | PTE_WRITABLE) < 0 ? -ENOMEM : 0;
}

/* Lazy: promises the pages [from, to): reserves a frame for each, and
 * makes their page tables now, so a first touch needs only its reserved
 * frame and cannot fail. */
static int
promise_pages(struct user_space *us, uint32_t from, uint32_t to)
{
	/* lab sbrk: begin promise_pages */
	uint32_t pages = (to - from) / PAGE_SIZE;

	if (pmm_reserve(pages) < 0)
		return -ENOMEM;
	for (uint32_t pdi = pde_index(from); pdi <= pde_index(to - 1); pdi++) {
		if (vmm_prepare_table(&us->as, (uintptr_t)pdi << PDE_SHIFT) < 0) {
			pmm_unreserve(pages);
			drop_tables(us, from, to);
			return -ENOMEM;
		}
	}
	us->promised += pages;
	return 0;
	/* lab sbrk: end */
}

/* Zeroes the heap bytes [from, to), which lie in one page that stayed
 * mapped below the old break's page end: what the program wrote there
 * before the break last shrank (or past the break) must not come back
 * when it grows. A lazy page not touched yet is zero when it is. The
 * page must be us's alone (see make_private). */
static void
zero_in_page(struct user_space *us, uint32_t from, uint32_t to)
{
	paddr_t pa;

	if (from >= to || vmm_translate(&us->as, from, &pa) < 0)
		return;
	uint8_t *page = kmap(page_round_down(pa));
	memset(page + page_offset(pa), 0, to - from);
	kunmap(page);
}

/* The page at va, if it is copy-on-write, copied for us alone: after a
 * fork, zeroing through its frame would zero the other process's bytes
 * too. Returns 0, or -ENOMEM. */
static int
make_private(struct user_space *us, uint32_t va)
{
	int error = cow_break(&us->as, va);

	return error == -ENOENT ? 0 : error;
}

int
brk_set(struct user_space *us, uint32_t new_break)
{
	/* lab sbrk: begin brk_set */
	uint32_t old_top = page_round_up(us->brk), new_top;

	if (new_break < us->heap_start)
		return -EINVAL;
	if (new_break > USER_STACK_GUARD)
		return -ENOMEM;
	new_top = page_round_up(new_break);
	if (new_break > us->brk && us->brk < old_top && make_private(us, us->brk) < 0)
		return -ENOMEM;         /* the page the break is in, to be zeroed */
	if (new_top > old_top) {
		int error = us->lazy ? promise_pages(us, old_top, new_top) : map_pages(us, old_top, new_top);
		if (error)
			return error;
	} else if (new_top < old_top) {
		release_pages(us, new_top, old_top);
	}
	if (new_break > us->brk)         /* growth is zero-filled, new pages or not */
		zero_in_page(us, us->brk, new_break < old_top ? new_break : old_top);
	us->brk = new_break;
	return 0;
	/* lab sbrk: end */
}

int
brk_grow(struct user_space *us, int32_t increment, uint32_t *old)
{
	int64_t target = (int64_t)us->brk + increment;

	*old = us->brk;
	if (target < 0)
		return -EINVAL;
	if (target > UINT32_MAX)
		return -ENOMEM;
	return brk_set(us, (uint32_t)target);
}

bool
brk_fault_in(struct user_space *us, uint32_t addr)
{
	/* lab sbrk: begin brk_fault_in */
	uint32_t va = page_round_down(addr);
	paddr_t pa;

	if (!us->lazy || addr < us->heap_start || addr >= page_round_up(us->brk) || us->promised == 0)
		return false;
	if (vmm_translate(&us->as, va, &pa) == 0)
		return false;                   /* mapped: not a promise */
	pa = pmm_alloc_reserved();
	if (pa == PMM_NO_FRAME)
		return false;
	phys_zero(pa);
	if (vmm_map(&us->as, va, pa, PTE_USER | PTE_WRITABLE) < 0) {
		pmm_free(pa);
		pmm_reserve(1);         /* the promise stands: keep its frame set aside */
		return false;
	}
	us->promised--;
	return true;
	/* lab sbrk: end */
}

void
brk_release(struct user_space *us)
{
	pmm_unreserve(us->promised);
	us->promised = 0;
}
