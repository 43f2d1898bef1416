/*
 * Copy-on-write: fork's address-space copy, and the fault that ends the
 * sharing of one page (the states are drawn in include/cow.h).
 *
 * The copy touches page tables, not pages: for each user page table of
 * the parent, one fresh table for the child, and each present entry
 * copied with its write permission traded for PTE_COW. Its cost grows
 * with the entries (one word written in each space and a count raised),
 * never with the 4 KiB behind them.
 */
#include <cairn/errno.h>
#include <cow.h>
#include <kmap.h>
#include <layout.h>
#include <string.h>
#include <x86.h>

/* What the parent's entry becomes, and the child's with it: the same
 * frame, read-only, COW if it was writable or already COW. */
static pte_t
shared_entry(pte_t e)
{
	if (e & (PTE_WRITABLE | PTE_COW))
		e = (e & ~(pte_t)PTE_WRITABLE) | PTE_COW;
	return e;
}

/* Shares every present entry of the parent's table with the child's. */
static void
share_table(pte_t *parent, pte_t *child)
{
	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++) {
		if (!(parent[i] & PTE_PRESENT))
			continue;
		parent[i] = child[i] = shared_entry(parent[i]);
		/* Cannot fail: a frame has no more owners than there are
		 * address spaces, fewer than 256 (PROCESS_MAX). */
		pmm_share(parent[i] & PTE_FRAME_MASK);
	}
}

int
cow_copy_space(struct address_space *child, struct address_space *parent)
{
	pte_t *pd = kmap(parent->directory), *cd = kmap(child->directory);
	int error = 0;

	for (uint32_t pdi = 0; pdi < KERNEL_PDE_FIRST && !error; pdi++) {
		if (!(pd[pdi] & PTE_PRESENT))
			continue;
		paddr_t table = pmm_alloc();
		if (table == PMM_NO_FRAME) {
			error = -ENOMEM;
			break;
		}
		pte_t *pt = kmap(pd[pdi] & PTE_FRAME_MASK), *ct = kmap(table);
		memset(ct, 0, PAGE_SIZE);
		share_table(pt, ct);
		kunmap(ct);
		kunmap(pt);
		cd[pdi] = table | (pd[pdi] & PTE_FLAGS_MASK);
	}
	kunmap(cd);
	kunmap(pd);
	/* The parent's pages were writable a moment ago, and its TLB may
	 * still say so: a stale entry would let it write the shared frame.
	 * One CR3 reload forgets them all (cheaper than an invlpg per page). */
	if (parent->directory == vmm_current_directory())
		write_cr3(parent->directory);
	return error;
}

bool
cow_is_shared_page(struct address_space *as, uintptr_t va)
{
	uint32_t flags;

	return va < USER_LIMIT && vmm_query(as, page_round_down(va), &flags) == 0 && (flags & PTE_COW);
}

int
cow_break(struct address_space *as, uintptr_t va)
{
	uint32_t flags;
	paddr_t old, copy;

	va = page_round_down(va);
	if (!cow_is_shared_page(as, va) || vmm_query(as, va, &flags) < 0 || vmm_translate(as, va, &old) < 0)
		return -ENOENT;
	flags = (flags & VMM_FLAGS & ~(uint32_t)PTE_COW) | PTE_WRITABLE;
	if (pmm_owners(old) == 1)               /* the others have gone: no copy */
		return vmm_protect(as, va, flags);
	if ((copy = pmm_alloc()) == PMM_NO_FRAME)
		return -ENOMEM;
	void *from = kmap(old), *to = kmap(copy);
	memcpy(to, from, PAGE_SIZE);
	kunmap(to);
	kunmap(from);
	vmm_unmap_keep_table(as, va, NULL);     /* flushes va's entry */
	vmm_map(as, va, copy, flags);           /* cannot fail: the table is there */
	pmm_free(old);                          /* one owner fewer */
	return 0;
}

/* A page whose frame has other owners. */
static bool
is_shared(pte_t entry)
{
	return pmm_owners(entry & PTE_FRAME_MASK) > 1;
}

uint32_t
cow_shared_pages(struct address_space *as)
{
	return vmm_count_user_pages(as, is_shared);
}
