/*
 * The physical memory manager (src/mm/pmm.c): who owns each 4 KiB frame
 * of RAM. Free frames live on a stack of frame numbers: pmm_alloc() pops,
 * pmm_free() pushes, both O(1). A frame that was never handed out needs no
 * push at boot: it waits in the reservoir (the owned ranges, walked by a
 * cursor) until the stack runs dry, so start-up costs the same on 16 MiB
 * and on 3 GiB. One bit per frame says whether it is handed out, which
 * catches double frees and lets pmm_check() prove the books balance.
 *
 * The core takes its memory (stack and bitmap) from its caller and prints
 * nothing itself, so it compiles on the host for tests and benchmarks;
 * src/mm/physmem.c sets it up in the kernel.
 */
#ifndef CAIRN_PMM_H
#define CAIRN_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t paddr_t;       /* a physical address below 4 GiB */
typedef uint32_t pfn_t;         /* a frame number: paddr >> PAGE_SHIFT */

#define PMM_FRAME_SHIFT     12
#define PMM_FRAME_SIZE      4096
#define PMM_LOW_LIMIT       0x100000        /* frames below 1 MiB are never used */
#define PMM_FRAME_LIMIT     0x100000        /* frame numbers below 2^20: under 4 GiB */
#define PMM_NO_FRAME        0               /* pmm_alloc() when none is left */
#define PMM_RANGES_MAX      320             /* owned ranges, after reservations */

static inline pfn_t pmm_frame_number(paddr_t pa) { return pa >> PMM_FRAME_SHIFT; }
static inline paddr_t pmm_frame_address(pfn_t f) { return (paddr_t)f << PMM_FRAME_SHIFT; }

/* Frames first..end-1. */
struct pmm_range {
	pfn_t first;
	pfn_t end;
};

/* Receives a one-line message about a refused free or a failed check. */
typedef void pmm_warn_fn(const char *message);

/* Removes frames [first, end) from the sorted, disjoint ranges r[0..*n),
 * splitting a range when the hole falls inside it. Returns 0, or -ENOSPC
 * (r unchanged) when a split would need more than max ranges. */
int pmm_ranges_remove(struct pmm_range *r, unsigned *n, unsigned max, pfn_t first, pfn_t end);

/* Total frames in r[0..n). */
uint32_t pmm_ranges_frames(const struct pmm_range *r, unsigned n);

/* Words of bitmap pmm_init() needs for these ranges: one bit per frame
 * number, from frame 0 to the last owned frame (at most 32768 words,
 * 128 KiB, below 4 GiB). */
uint32_t pmm_bitmap_words(const struct pmm_range *r, unsigned n);

/*
 * Hands the frames of owned[0..n) (sorted, disjoint, each frame at or
 * above 1 MiB and below 4 GiB) to the allocator. stack must hold
 * stack_capacity frame numbers, at least every owned frame; bitmap must
 * hold pmm_bitmap_words() words (nobody clears it at start-up: its words
 * are cleared as frames are first handed out). With n == 0, owned
 * may be NULL and every allocation fails. warn (may be NULL)
 * hears about refused frees. Returns 0, or -EINVAL for ranges that break
 * those rules or a stack that is too small.
 */
int pmm_init(const struct pmm_range *owned, unsigned n, pfn_t *stack, uint32_t stack_capacity,
	     uint32_t *bitmap, pmm_warn_fn *warn);

/* A free frame's physical address, or PMM_NO_FRAME when memory is
 * exhausted: the caller must check. Freed frames come back first (LIFO). */
paddr_t pmm_alloc(void);

/* Gives the frame at pa back. A frame that is not the PMM's (unaligned,
 * below 1 MiB, reserved, part of the kernel, not RAM) or is not
 * allocated (a double free) is refused: a warning names the address and
 * the caller, nothing changes, and the result is -EINVAL. Else 0. */
int pmm_free(paddr_t pa);

/* Is pa the first byte of a frame the PMM owns (allocated or not)? */
bool pmm_owns(paddr_t pa);
/* Is pa a frame that is handed out right now? */
bool pmm_is_allocated(paddr_t pa);

/*
 * Reservations: a promise of frames for later, so lazily backed memory
 * never overcommits. pmm_reserve(n) sets n free frames aside (or returns
 * -ENOMEM, nothing set aside, if fewer are free); pmm_alloc() no longer
 * hands them out, only pmm_alloc_reserved() does, one per call, never
 * failing while a reservation is left. pmm_unreserve(n) gives back a
 * promise that will not be used.
 */
int pmm_reserve(uint32_t frames);
void pmm_unreserve(uint32_t frames);
paddr_t pmm_alloc_reserved(void);
uint32_t pmm_reserved_frames(void);

/*
 * Sharing, for copy-on-write (src/mm/cow.c): a handed-out frame may have
 * several owners. pmm_share(pa) adds one (0; -EINVAL if pa is not handed
 * out or sharing was not set up; -EAGAIN past 256 owners); pmm_free()
 * takes one away and frees the frame with its last owner. pmm_owners(pa)
 * is 0 for a frame that is not handed out, else its owners.
 * pmm_share_init() gives the PMM pmm_share_bytes() bytes for the counts,
 * one per frame; it zeroes them itself, in chunks, when first needed.
 */
#define PMM_SHARE_CHUNKS    (PMM_FRAME_LIMIT / 4096)    /* chunks of counts */
uint32_t pmm_share_bytes(void);
void pmm_share_init(uint8_t *counts);
int pmm_share(paddr_t pa);
uint32_t pmm_owners(paddr_t pa);

uint32_t pmm_free_frames(void);         /* ready to allocate: free, not reserved */
uint32_t pmm_total_frames(void);        /* owned, free or not */

/* The allocator's books at one moment, for the monitor (and debuggers,
 * which read the same fields of the static `pmm`). free + reserved +
 * handed_out == total; stacked + reservoir == free + reserved. */
struct pmm_stats {
	uint32_t total;         /* owned frames */
	uint32_t free;          /* pmm_alloc() may hand these out */
	uint32_t reserved;      /* free, but promised (pmm_reserve) */
	uint32_t handed_out;    /* allocated right now */
	uint32_t stacked;       /* free frames on the stack (freed at least once) */
	uint32_t reservoir;     /* free frames never handed out yet */
};
void pmm_get_stats(struct pmm_stats *st);

/* Checks that the stack, the reservoir and the bitmap agree: every stacked
 * frame owned, free and stacked once, every free frame either stacked or
 * in the reservoir, a bit set for each frame handed out and for no other
 * (pmm_free trusts it), the counts right. Returns 0, or -EINVAL after
 * warning about the first disagreement. O(frames): for tests. */
int pmm_check(void);

#endif /* CAIRN_PMM_H */
