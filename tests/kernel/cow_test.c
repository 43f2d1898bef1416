/*
 * Tests of copy-on-write (src/mm/cow.c, uspace_fork in src/mm/uspace.c)
 * on the real MMU: fork shares every page and counts its owners, a write
 * (by the CPU's fault, or by the kernel's copy_to_user) gets the writer a
 * copy, the last owner gets its page back without one, a copy with no
 * frame left changes nothing, stale TLB entries cannot write a shared
 * frame, lazy promises are reserved again, and everything comes back.
 */
#include <brk.h>
#include <cairn/errno.h>
#include <cow.h>
#include <kmap.h>
#include <ktest.h>
#include <layout.h>
#include <string.h>
#include <trap.h>
#include <uaccess.h>
#include <uspace.h>
#include <x86.h>

#define DATA_VA     0x40000000u     /* a writable page */
#define TEXT_VA     0x40001000u     /* a read-only page */
#define FAR_VA      0x40800000u     /* a writable page in a second table */

/* Reads or writes a word of user memory from the kernel, with SMAP's
 * window open (a kernel write to a COW page faults like a user one). */
static uint32_t
peek(uintptr_t va)
{
	uint32_t v;

	if (read_cr4() & CR4_SMAP)
		__asm__ volatile("stac; movl (%1), %0; clac" : "=r"(v) : "r"(va) : "memory");
	else
		v = *(volatile uint32_t *)va;
	return v;
}

static void
poke(uintptr_t va, uint32_t v)
{
	if (read_cr4() & CR4_SMAP)
		__asm__ volatile("stac; movl %1, (%0); clac" : : "r"(va), "r"(v) : "memory");
	else
		*(volatile uint32_t *)va = v;
}

static void
poke_fn(void *arg)
{
	poke(DATA_VA, 0xBAD);
}

static paddr_t
frame_of(struct user_space *us, uintptr_t va)
{
	paddr_t pa = 0;

	vmm_translate(&us->as, va, &pa);
	return pa;
}

static uint32_t
flags_of(struct user_space *us, uintptr_t va)
{
	uint32_t flags = 0;

	vmm_query(&us->as, va, &flags);
	return flags;
}

/* A parent with three pages: DATA_VA (writable, holds 0x1111), TEXT_VA
 * (read-only, 0x2222) and FAR_VA (writable, 0x3333, another table). */
static bool
make_parent(struct ktest *t, struct user_space *us)
{
	static const struct { uintptr_t va; uint32_t flags, value; } pages[] = {
		{ DATA_VA, PTE_USER | PTE_WRITABLE, 0x1111 },
		{ TEXT_VA, PTE_USER, 0x2222 },
		{ FAR_VA, PTE_USER | PTE_WRITABLE, 0x3333 },
	};

	KASSERT_EQ(t, uspace_create(us), 0);
	for (unsigned i = 0; i < 3; i++) {
		KASSERT_EQ(t, vmm_map_fresh(&us->as, pages[i].va, pages[i].va + PAGE_SIZE, pages[i].flags), 0);
		uint32_t *w = kmap(frame_of(us, pages[i].va));
		w[0] = pages[i].value;
		kunmap(w);
	}
	return true;
}

static uint32_t
read_frame(paddr_t pa)
{
	uint32_t *w = kmap(pa), v = w[0];

	kunmap(w);
	return v;
}

static void
destroy(struct user_space *a, struct user_space *b)
{
	uspace_switch(NULL);
	uspace_destroy(a);
	uspace_destroy(b);
}

static void
fork_shares_every_page_and_counts_its_owners(struct ktest *t)
{
	struct user_space parent, child;
	uint32_t free_before = pmm_free_frames();

	make_parent(t, &parent);
	uint32_t free_parent = pmm_free_frames();
	KASSERT_EQ(t, uspace_fork(&child, &parent), 0);
	/* The child's directory and its two tables: no page was copied. */
	KEXPECT_EQ(t, free_parent - pmm_free_frames(), 3);
	static const uintptr_t pages[] = { DATA_VA, TEXT_VA, FAR_VA };
	for (unsigned i = 0; i < 3; i++) {
		KEXPECT_EQ(t, frame_of(&child, pages[i]), frame_of(&parent, pages[i]));
		KEXPECT_EQ(t, pmm_owners(frame_of(&parent, pages[i])), 2);
	}
	KEXPECT_EQ(t, flags_of(&parent, DATA_VA) & (PTE_WRITABLE | PTE_COW), PTE_COW);
	KEXPECT_EQ(t, flags_of(&child, DATA_VA) & (PTE_WRITABLE | PTE_COW), PTE_COW);
	KEXPECT_EQ(t, flags_of(&child, TEXT_VA) & (PTE_WRITABLE | PTE_COW), 0);     /* read-only stays so */
	KEXPECT_EQ(t, cow_shared_pages(&parent.as), 3);
	KEXPECT_EQ(t, cow_shared_pages(&child.as), 3);
	destroy(&parent, &child);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
}

static void
a_write_fault_gives_the_writer_a_copy(struct ktest *t)
{
	struct user_space parent, child;

	make_parent(t, &parent);
	KASSERT_EQ(t, uspace_fork(&child, &parent), 0);
	paddr_t shared = frame_of(&parent, DATA_VA);
	uint32_t free_before = pmm_free_frames();
	uspace_switch(&child);
	poke(DATA_VA, 0xC0C0);                  /* faults; the handler copies */
	KEXPECT_EQ(t, peek(DATA_VA), 0xC0C0);
	KEXPECT_NE(t, frame_of(&child, DATA_VA), shared);
	KEXPECT_EQ(t, free_before - pmm_free_frames(), 1);
	KEXPECT_EQ(t, flags_of(&child, DATA_VA) & (PTE_WRITABLE | PTE_COW), PTE_WRITABLE);
	KEXPECT_EQ(t, read_frame(shared), 0x1111);             /* the parent's is untouched */
	KEXPECT_EQ(t, pmm_owners(shared), 1);
	KEXPECT_EQ(t, cow_shared_pages(&child.as), 2);
	destroy(&parent, &child);
}

static void
the_last_owner_gets_its_page_back_without_a_copy(struct ktest *t)
{
	struct user_space parent, child;

	make_parent(t, &parent);
	KASSERT_EQ(t, uspace_fork(&child, &parent), 0);
	paddr_t shared = frame_of(&parent, DATA_VA);
	uspace_switch(NULL);
	uspace_destroy(&child);                 /* the child ends without writing */
	KEXPECT_EQ(t, pmm_owners(shared), 1);
	uint32_t free_before = pmm_free_frames();
	uspace_switch(&parent);
	poke(DATA_VA, 0xD0D0);
	KEXPECT_EQ(t, frame_of(&parent, DATA_VA), shared);     /* the same frame */
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
	KEXPECT_EQ(t, flags_of(&parent, DATA_VA) & (PTE_WRITABLE | PTE_COW), PTE_WRITABLE);
	KEXPECT_EQ(t, read_frame(shared), 0xD0D0);
	uspace_switch(NULL);
	uspace_destroy(&parent);
}

/* The parent wrote DATA_VA just before the fork, so its TLB holds a
 * writable entry for it: fork must flush that, or the next write would
 * go straight into the frame the child shares. */
static void
fork_flushes_the_parents_stale_writable_entries(struct ktest *t)
{
	struct user_space parent, child;

	make_parent(t, &parent);
	uspace_switch(&parent);
	poke(DATA_VA, 0x1111);                  /* a writable entry, cached */
	KASSERT_EQ(t, uspace_fork(&child, &parent), 0);
	poke(DATA_VA, 0xE0E0);
	KEXPECT_EQ(t, read_frame(frame_of(&child, DATA_VA)), 0x1111);
	KEXPECT_EQ(t, read_frame(frame_of(&parent, DATA_VA)), 0xE0E0);
	destroy(&parent, &child);
}

static void
a_copy_with_no_frame_left_fails_and_changes_nothing(struct ktest *t)
{
	struct user_space parent, child;

	make_parent(t, &parent);
	KASSERT_EQ(t, uspace_fork(&child, &parent), 0);
	paddr_t shared = frame_of(&child, DATA_VA);
	uint32_t all = pmm_free_frames();
	KASSERT_EQ(t, pmm_reserve(all), 0);
	KEXPECT_EQ(t, cow_break(&child.as, DATA_VA), -ENOMEM);
	/* The CPU's fault is not resolved either: it stays a fault (the
	 * process would be killed), and the page stays shared. */
	uspace_switch(&child);
	KEXPECT_TRUE(t, ktest_catch_fault(T_PAGE_FAULT, poke_fn, NULL, NULL, NULL));
	pmm_unreserve(all);
	KEXPECT_EQ(t, frame_of(&child, DATA_VA), shared);
	KEXPECT_EQ(t, pmm_owners(shared), 2);
	KEXPECT_TRUE(t, cow_is_shared_page(&child.as, DATA_VA));
	KEXPECT_EQ(t, read_frame(shared), 0x1111);
	destroy(&parent, &child);
}

static void
breaking_a_page_that_is_not_cow_is_refused(struct ktest *t)
{
	struct user_space us;

	make_parent(t, &us);
	KEXPECT_EQ(t, cow_break(&us.as, DATA_VA), -ENOENT);     /* writable, never shared */
	KEXPECT_EQ(t, cow_break(&us.as, TEXT_VA), -ENOENT);     /* read-only */
	KEXPECT_EQ(t, cow_break(&us.as, 0x50000000), -ENOENT);  /* unmapped */
	KEXPECT_EQ(t, cow_break(&us.as, KERNEL_BASE), -ENOENT); /* the kernel's */
	uspace_destroy(&us);
}

/* A system call that writes into a COW page (copy_to_user) must copy it
 * first, like the program's own write: never write the shared frame. */
static void
copy_to_user_copies_a_shared_page_first(struct ktest *t)
{
	struct user_space parent, child;
	uint32_t value = 0xF00D;

	make_parent(t, &parent);
	KASSERT_EQ(t, uspace_fork(&child, &parent), 0);
	uspace_switch(&child);
	KEXPECT_EQ(t, copy_to_user((void *)(DATA_VA + 8), &value, sizeof(value)), 0);
	KEXPECT_EQ(t, peek(DATA_VA + 8), 0xF00D);
	KEXPECT_EQ(t, peek(DATA_VA), 0x1111);                   /* the rest copied along */
	KEXPECT_NE(t, frame_of(&child, DATA_VA), frame_of(&parent, DATA_VA));
	KEXPECT_EQ(t, read_frame(frame_of(&parent, DATA_VA)), 0x1111);
	/* Read-only pages stay read-only to the kernel's copies too. */
	KEXPECT_EQ(t, copy_to_user((void *)TEXT_VA, &value, sizeof(value)), -EFAULT);
	destroy(&parent, &child);
}

static void
copy_to_user_with_no_frame_for_the_copy_is_enomem(struct ktest *t)
{
	struct user_space parent, child;
	uint32_t value = 0xF00D;

	make_parent(t, &parent);
	KASSERT_EQ(t, uspace_fork(&child, &parent), 0);
	uspace_switch(&child);
	uint32_t all = pmm_free_frames();
	KASSERT_EQ(t, pmm_reserve(all), 0);
	KEXPECT_EQ(t, copy_to_user((void *)DATA_VA, &value, sizeof(value)), -ENOMEM);
	pmm_unreserve(all);
	KEXPECT_EQ(t, peek(DATA_VA), 0x1111);
	KEXPECT_EQ(t, read_frame(frame_of(&parent, DATA_VA)), 0x1111);
	destroy(&parent, &child);
}

static void
fork_with_no_frame_for_a_table_gives_everything_back(struct ktest *t)
{
	struct user_space parent, child;

	make_parent(t, &parent);
	uint32_t free_before = pmm_free_frames();
	/* The directory and the first table, but not the second. */
	KASSERT_EQ(t, pmm_reserve(free_before - 2), 0);
	KEXPECT_EQ(t, uspace_fork(&child, &parent), -ENOMEM);
	pmm_unreserve(free_before - 2);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
	KEXPECT_EQ(t, child.as.directory, 0);
	KEXPECT_EQ(t, pmm_owners(frame_of(&parent, DATA_VA)), 1);
	uspace_switch(&parent);                 /* its pages still work */
	poke(DATA_VA, 0xABCD);
	KEXPECT_EQ(t, peek(DATA_VA), 0xABCD);
	uspace_switch(NULL);
	uspace_destroy(&parent);
}

/* vm=lazy: the child inherits the parent's promises and gets frames set
 * aside for them again, so neither can run the other out. */
static void
fork_of_a_lazy_heap_reserves_its_promises_again(struct ktest *t)
{
	struct user_space parent, child;

	KASSERT_EQ(t, uspace_create(&parent), 0);
	parent.lazy = true;
	uspace_start_heap(&parent, 0x50000000);
	KASSERT_EQ(t, brk_set(&parent, 0x50000000 + 8 * PAGE_SIZE), 0);
	uint32_t reserved = pmm_reserved_frames();
	KASSERT_EQ(t, uspace_fork(&child, &parent), 0);
	KEXPECT_EQ(t, child.promised, 8);
	KEXPECT_EQ(t, pmm_reserved_frames(), reserved + 8);
	uspace_switch(&child);
	poke(0x50000000, 0x77);                 /* a first touch: its own promise */
	KEXPECT_EQ(t, child.promised, 7);
	KEXPECT_EQ(t, parent.promised, 8);
	destroy(&parent, &child);
	KEXPECT_EQ(t, pmm_reserved_frames(), reserved - 8);
}

/* The break inside a shared page: growing it zeroes the bytes past the
 * old break in the grower's copy only. */
static void
growing_the_break_in_a_shared_page_zeroes_only_the_growers_copy(struct ktest *t)
{
	struct user_space parent, child;
	uint32_t heap = 0x50000000;

	KASSERT_EQ(t, uspace_create(&parent), 0);
	uspace_start_heap(&parent, heap);
	KASSERT_EQ(t, brk_set(&parent, heap + 64), 0);
	uspace_switch(&parent);
	poke(heap + 64, 0x5EC2E7);              /* past the break, in its page */
	KASSERT_EQ(t, uspace_fork(&child, &parent), 0);
	uspace_switch(&child);
	KEXPECT_EQ(t, brk_set(&child, heap + 128), 0);
	KEXPECT_EQ(t, peek(heap + 64), 0);
	KEXPECT_EQ(t, read_frame(frame_of(&parent, heap)) , 0);         /* word 0: untouched */
	uint32_t *w = kmap(frame_of(&parent, heap));
	KEXPECT_EQ(t, w[16], 0x5EC2E7);         /* the parent's bytes past its break */
	kunmap(w);
	destroy(&parent, &child);
}

KTEST_SUITE(cow,
	KTEST_CASE(fork_shares_every_page_and_counts_its_owners),
	KTEST_CASE(a_write_fault_gives_the_writer_a_copy),
	KTEST_CASE(the_last_owner_gets_its_page_back_without_a_copy),
	KTEST_CASE(fork_flushes_the_parents_stale_writable_entries),
	KTEST_CASE(a_copy_with_no_frame_left_fails_and_changes_nothing),
	KTEST_CASE(breaking_a_page_that_is_not_cow_is_refused),
	KTEST_CASE(copy_to_user_copies_a_shared_page_first),
	KTEST_CASE(copy_to_user_with_no_frame_for_the_copy_is_enomem),
	KTEST_CASE(fork_with_no_frame_for_a_table_gives_everything_back),
	KTEST_CASE(fork_of_a_lazy_heap_reserves_its_promises_again),
	KTEST_CASE(growing_the_break_in_a_shared_page_zeroes_only_the_growers_copy));
