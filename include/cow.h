/*
 * Copy-on-write (src/mm/cow.c): how fork() gives a child the parent's
 * memory without copying it. Every user page is shared: both address
 * spaces map the same frame, read-only, with PTE_COW on writable ones,
 * and the PMM counts the frame's owners. The first write to a COW page
 * faults; the fault gives the writer a copy of its own, or, when it is
 * the last owner left, simply makes the page writable again.
 *
 *              fork                     write (owners > 1)
 *   writable ---------> COW, read-only -------------------> writable copy
 *   1 owner             shared, N owners   |                1 owner; the
 *                                          |                old frame N-1
 *                                          | write (owners == 1)
 *                                          +-------------> writable again,
 *                                                          same frame
 */
#ifndef CAIRN_COW_H
#define CAIRN_COW_H

#include <stdbool.h>
#include <stdint.h>
#include <vmm.h>

/* Makes child (fresh from vmm_space_create, no user mappings) map every
 * user page of parent: the same frames, one more owner each, writable
 * pages read-only and marked PTE_COW in both. The parent's TLB entries
 * for them are flushed. Returns 0, or -ENOMEM when a page table for the
 * child could not be had (child then holds what was copied so far:
 * vmm_space_destroy() gives it back; the parent's pages stay COW and
 * become writable again on their next write). */
int cow_copy_space(struct address_space *child, struct address_space *parent);

/* Is the page at va in as a copy-on-write page? */
bool cow_is_shared_page(struct address_space *as, uintptr_t va);

/* Makes the COW page at va writable for as alone: a copy in a fresh
 * frame if others own its frame, else the same frame. Returns 0, -ENOENT
 * if va is not a COW page, or -ENOMEM when no frame is left for the copy
 * (nothing changed then). */
int cow_break(struct address_space *as, uintptr_t va);

/* User pages of as whose frame has more than one owner. */
uint32_t cow_shared_pages(struct address_space *as);

#endif /* CAIRN_COW_H */
