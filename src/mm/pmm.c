/*
 * The physical memory manager, in layers. Read the core first:
 *
 *   the core       a stack of free frame numbers: pmm_alloc() pops,
 *                  pmm_free() pushes, once one bit test has shown the
 *                  frame is handed out
 *   the reservoir  frames never handed out wait in the owned ranges
 *                  behind a cursor, so start-up pushes nothing
 *   the bitmap     one bit per frame, set while it is handed out: the
 *                  free's test, and the reasons when it refuses
 *   reservations   free frames promised to pmm_alloc_reserved()
 *   sharing        a count of extra owners per frame, for copy-on-write:
 *                  pmm_free() frees a shared frame only with its last owner
 *   pmm_check()    proves that the layers agree
 *
 * include/pmm.h has the contracts, docs/03-physical-memory.md the why.
 */
#include <cairn/errno.h>
#include <format.h>
#include <pmm.h>
#include <string.h>

static struct {
	/* the core */
	pfn_t *stack;           /* freed frames, top at stack[depth - 1] */
	uint32_t depth;
	uint32_t capacity;
	uint32_t total;         /* owned frames, free or not */
	/* the reservoir: owned[next_range] from next_frame on, and the
	 * ranges after it */
	struct pmm_range owned[PMM_RANGES_MAX];
	unsigned nowned;
	unsigned next_range;
	pfn_t next_frame;
	uint32_t unused;        /* frames left in the reservoir */
	/* the bitmap: bit f set while frame f is handed out */
	uint32_t *bitmap;
	pfn_t bitmap_frames;    /* frames 0 to bitmap_frames - 1 have a bit */
	pfn_t bits_cleared;     /* the words below this frame's have been cleared */
	/* reservations */
	uint32_t reserved;      /* free frames promised to pmm_alloc_reserved() */
	/* sharing: extra[f] more owners than one for handed-out frame f, in
	 * chunks of SHARE_CHUNK counts, each zeroed when first needed */
	uint8_t *extra;
	uint32_t extra_ready[PMM_SHARE_CHUNKS / 32];    /* bit c: chunk c zeroed */
	pmm_warn_fn *warn;
} pmm;

/* What the core asks of the layers, each defined and explained below. */
static pfn_t reservoir_take(void);
static bool bit_get(pfn_t f);
static void bit_set(pfn_t f);
static void clear_bits_to(pfn_t f);
static void bit_clear(pfn_t f);
static int refuse_free(paddr_t pa, void *caller);
static bool share_drop(paddr_t pa);

/* ======================================== the core: a stack of free frames */

/* Pushes free frame f. It cannot overflow: the stack has a slot for every
 * owned frame. */
static void
stack_push(pfn_t f)
{
	pmm.stack[pmm.depth++] = f;
}

/* Pops the most recently freed frame. Only when depth > 0. */
static pfn_t
stack_pop(void)
{
	return pmm.stack[--pmm.depth];
}

/* Free frames: on the stack, or never handed out (in the reservoir). */
static uint32_t
free_frames(void)
{
	return pmm.depth + pmm.unused;
}

/* Hands out a free frame and marks it: the stack's top, or, when the
 * stack is empty, the reservoir's next. Only when free_frames() > 0.
 * inline: it is most of pmm_alloc(), which should not pay for a call. */
static inline paddr_t
take_frame(void)
{
	pfn_t f = pmm.depth > 0 ? stack_pop() : reservoir_take();

	if (f >= pmm.bits_cleared)      /* a first hand-out, past the cleared words */
		clear_bits_to(f);
	bit_set(f);
	return pmm_frame_address(f);
}

paddr_t
pmm_alloc(void)
{
	if (free_frames() <= pmm.reserved)
		return PMM_NO_FRAME;    /* none left, or each is promised */
	return take_frame();
}

/* Is pa the first byte of a frame handed out right now? Its bit says so,
 * because only take_frame() sets one: the bit of a free frame, a hole, a
 * reserved frame or one below 1 MiB is clear. */
static bool
handed_out(paddr_t pa)
{
	pfn_t f = pmm_frame_number(pa);

	return pa % PMM_FRAME_SIZE == 0 && f < pmm.bitmap_frames && bit_get(f);
}

/* noinline: the caller we report must be pmm_free's caller. */
__attribute__((noinline)) int
pmm_free(paddr_t pa)
{
	if (share_drop(pa))
		return 0;               /* another owner still maps it */
	/* lab pmm: begin pmm_free */
	pfn_t f = pmm_frame_number(pa);

	if (!handed_out(pa))
		return refuse_free(pa, __builtin_return_address(0));
	bit_clear(f);
	stack_push(f);
	return 0;
	/* lab pmm: end */
}

/* ================================================== layer: the reservoir
 *
 * The textbook stack allocator pushes every free frame at start-up:
 * 786,000 pushes at 3 GiB before the kernel can do anything else. Here a
 * frame that was never handed out needs no slot. The owned ranges
 * themselves are the reservoir, and a cursor (next_range, next_frame)
 * walks them in address order: frames before it have been handed out at
 * least once, frames from it on never have. pmm.unused counts those, so
 * free_frames() is a sum; take_frame() asks the reservoir only when the
 * stack is empty.
 */

/* Takes the next never-used frame. Only when pmm.unused > 0. */
static pfn_t
reservoir_take(void)
{
	/* lab pmm: begin reservoir_take */
	pfn_t f = pmm.next_frame++;

	pmm.unused--;
	if (pmm.next_frame == pmm.owned[pmm.next_range].end && ++pmm.next_range < pmm.nowned)
		pmm.next_frame = pmm.owned[pmm.next_range].first;
	return f;
	/* lab pmm: end */
}

/* Is frame f of owned range r at or after the reservoir's cursor? */
static bool
past_cursor(unsigned r, pfn_t f)
{
	return r > pmm.next_range || (r == pmm.next_range && f >= pmm.next_frame);
}

/* The index of the owned range holding f, or -1: a binary search. */
static int
owned_range_of(pfn_t f)
{
	int lo = 0, hi = (int)pmm.nowned - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (f < pmm.owned[mid].first)
			hi = mid - 1;
		else if (f >= pmm.owned[mid].end)
			lo = mid + 1;
		else
			return mid;
	}
	return -1;
}

/* Still in the reservoir: owned, and at or after the cursor. */
static bool
in_reservoir(pfn_t f)
{
	int r = owned_range_of(f);

	return r >= 0 && past_cursor(r, f);
}

/* Frames left in the reservoir, counted from the cursor: what pmm.unused
 * must say (pmm_check() compares them). */
static uint32_t
reservoir_frames(void)
{
	if (pmm.next_range >= pmm.nowned)
		return 0;
	uint32_t n = pmm.owned[pmm.next_range].end - pmm.next_frame;
	for (unsigned i = pmm.next_range + 1; i < pmm.nowned; i++)
		n += pmm.owned[i].end - pmm.owned[i].first;
	return n;
}

/* ===================================================== layer: the bitmap
 *
 * The stack says which frames are free, but cannot cheaply answer what a
 * free must ask: is this frame handed out right now? One bit per frame
 * does, set by take_frame() and cleared by pmm_free() and by nothing
 * else, so a set bit also proves the frame is the PMM's. Bit f is frame
 * f's, from frame 0 to the last owned frame (96 KiB at 3 GiB), so a frame
 * number is its own index. The bit is the free's whole test
 * (handed_out()); why a free is refused is worked out only when one is.
 *
 * Nobody clears the bitmap at start-up: that would cost 96 KiB of writes
 * at 3 GiB, the one boot cost left that grew with RAM. Its words are
 * cleared in address order as frames first leave the reservoir, whose
 * cursor walks up the same way: every word below pmm.bits_cleared has
 * been, and a frame at or above it has never been handed out, so its bit
 * reads 0 whatever the word holds (the reservoir's idea again).
 */

#define BITS_PER_WORD 32

static bool
bit_get(pfn_t f)
{
	return f < pmm.bits_cleared && (pmm.bitmap[f / BITS_PER_WORD] >> (f % BITS_PER_WORD) & 1);
}

/* Clears the words from pmm.bits_cleared up to and including frame f's. */
static void
clear_bits_to(pfn_t f)
{
	while (pmm.bits_cleared <= f) {
		pmm.bitmap[pmm.bits_cleared / BITS_PER_WORD] = 0;
		pmm.bits_cleared += BITS_PER_WORD;
	}
}

static void
bit_set(pfn_t f)
{
	pmm.bitmap[f / BITS_PER_WORD] |= 1u << (f % BITS_PER_WORD);
}

static void
bit_clear(pfn_t f)
{
	pmm.bitmap[f / BITS_PER_WORD] &= ~(1u << (f % BITS_PER_WORD));
}

/* Why pmm_free cannot take pa back, when handed_out(pa) is false. */
static const char *
refusal(paddr_t pa)
{
	/* lab pmm: begin refusal */
	pfn_t f = pmm_frame_number(pa);

	if (pa % PMM_FRAME_SIZE != 0)
		return "not frame-aligned";
	if (pa < PMM_LOW_LIMIT)
		return "below 1 MiB, never handed out";
	if (owned_range_of(f) < 0)
		return "not the PMM's: reserved, the kernel's, or not RAM";
	if (in_reservoir(f))
		return "never allocated";
	return "double free: already free";
	/* lab pmm: end */
}

/* Formats a one-line message for pmm_init()'s warn function, if any. */
static void
warn(const char *fmt, ...)
{
	char message[160];
	va_list ap;

	if (pmm.warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	pmm.warn(message);
}

/* pmm_free's refusal: warns, naming pa, why and the caller, and changes
 * nothing. Out of line and cold, so that a free that succeeds does not
 * pay for the formatting. */
__attribute__((noinline, cold)) static int
refuse_free(paddr_t pa, void *caller)
{
	warn("pmm: refused to free 0x%08x (%s), called from %p", pa, refusal(pa), caller);
	return -EINVAL;
}

bool
pmm_owns(paddr_t pa)
{
	return pa % PMM_FRAME_SIZE == 0 && owned_range_of(pmm_frame_number(pa)) >= 0;
}

bool
pmm_is_allocated(paddr_t pa)
{
	return handed_out(pa);
}

/* =================================================== layer: reservations
 *
 * Lazily backed memory (sbrk in src/mm/brk.c) maps a page only when it is
 * first touched, and must not promise frames it cannot have then. So it
 * reserves them when it grows and takes each with pmm_alloc_reserved(),
 * which cannot fail while a reservation is left. The core pays one
 * comparison: pmm_alloc() hands out only frames nobody was promised.
 */

int
pmm_reserve(uint32_t frames)
{
	if (frames > free_frames() - pmm.reserved)
		return -ENOMEM;
	pmm.reserved += frames;
	return 0;
}

void
pmm_unreserve(uint32_t frames)
{
	pmm.reserved -= frames < pmm.reserved ? frames : pmm.reserved;
}

paddr_t
pmm_alloc_reserved(void)
{
	if (pmm.reserved == 0)
		return PMM_NO_FRAME;
	pmm.reserved--;
	return take_frame();            /* reserved <= free_frames() */
}

uint32_t
pmm_reserved_frames(void)
{
	return pmm.reserved;
}

/* ======================================================== layer: sharing
 *
 * fork() gives the child the parent's frames, not copies, until one of
 * them writes (src/mm/cow.c). A shared frame has several owners, and
 * only the last one's pmm_free() may free it. The count kept is of extra
 * owners, one byte per frame: 0 for the usual frame with one owner, so a
 * frame needs no count written when it is handed out, and pmm_free() of
 * an unshared frame pays two comparisons. One byte per 4 KiB frame costs
 * 1/4096 of RAM (768 KiB at 3 GiB); the bytes are zeroed in chunks of
 * 4096 counts when a frame of the chunk is first shared, so start-up
 * does not pay for them (the reservoir's idea again).
 */

#define SHARE_CHUNK     4096            /* counts zeroed at a time */
#define SHARE_MAX_EXTRA 255             /* a byte's worth */

void
pmm_share_init(uint8_t *counts)
{
	pmm.extra = counts;
	memset(pmm.extra_ready, 0, sizeof(pmm.extra_ready));
}

uint32_t
pmm_share_bytes(void)
{
	return pmm.bitmap_frames;
}

static bool
chunk_ready(pfn_t f)
{
	return pmm.extra_ready[f / SHARE_CHUNK / 32] >> (f / SHARE_CHUNK % 32) & 1;
}

/* Frame f's count of extra owners: 0 in a chunk never zeroed. */
static uint32_t
extra_owners(pfn_t f)
{
	return pmm.extra && chunk_ready(f) ? pmm.extra[f] : 0;
}

/* Makes frame f's count writable: zeroes its chunk the first time. */
static void
ready_chunk(pfn_t f)
{
	pfn_t first = f / SHARE_CHUNK * SHARE_CHUNK;
	uint32_t n = pmm.bitmap_frames - first < SHARE_CHUNK ? pmm.bitmap_frames - first : SHARE_CHUNK;

	if (chunk_ready(f))
		return;
	memset(pmm.extra + first, 0, n);
	pmm.extra_ready[f / SHARE_CHUNK / 32] |= 1u << (f / SHARE_CHUNK % 32);
}

int
pmm_share(paddr_t pa)
{
	pfn_t f = pmm_frame_number(pa);

	if (pmm.extra == NULL || !handed_out(pa))
		return -EINVAL;
	if (extra_owners(f) == SHARE_MAX_EXTRA)
		return -EAGAIN;
	ready_chunk(f);
	pmm.extra[f]++;
	return 0;
}

uint32_t
pmm_owners(paddr_t pa)
{
	return handed_out(pa) ? 1 + extra_owners(pmm_frame_number(pa)) : 0;
}

/* pmm_free's first step: one owner of a shared frame lets go. Returns
 * true if others still own it (then it stays handed out). A count above
 * zero is only ever on a handed-out frame, so no bit need be tested. */
static bool
share_drop(paddr_t pa)
{
	pfn_t f = pmm_frame_number(pa);

	if (pa % PMM_FRAME_SIZE != 0 || f >= pmm.bitmap_frames || extra_owners(f) == 0)
		return false;
	pmm.extra[f]--;
	return true;
}

/* ================================== start-up: the owned ranges, pmm_init() */

int
pmm_ranges_remove(struct pmm_range *r, unsigned *n, unsigned max, pfn_t first, pfn_t end)
{
	for (unsigned i = 0; i < *n && first < end; i++) {
		if (end <= r[i].first || first >= r[i].end)
			continue;                       /* no overlap */
		if (first > r[i].first && end < r[i].end) {
			/* The hole is inside: split r[i] in two. */
			if (*n >= max)
				return -ENOSPC;
			memmove(&r[i + 1], &r[i], (*n - i) * sizeof(*r));
			(*n)++;
			r[i].end = first;
			r[i + 1].first = end;
			return 0;
		}
		if (first <= r[i].first)
			r[i].first = end < r[i].end ? end : r[i].end;
		else
			r[i].end = first;
		if (r[i].first == r[i].end) {           /* emptied: drop it */
			memmove(&r[i], &r[i + 1], (*n - i - 1) * sizeof(*r));
			(*n)--;
			i--;
		}
	}
	return 0;
}

uint32_t
pmm_ranges_frames(const struct pmm_range *r, unsigned n)
{
	uint32_t frames = 0;

	for (unsigned i = 0; i < n; i++)
		frames += r[i].end - r[i].first;
	return frames;
}

uint32_t
pmm_bitmap_words(const struct pmm_range *r, unsigned n)
{
	if (n == 0)
		return 0;
	return (r[n - 1].end + BITS_PER_WORD - 1) / BITS_PER_WORD;
}

static bool
ranges_valid(const struct pmm_range *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (r[i].first >= r[i].end || r[i].first < pmm_frame_number(PMM_LOW_LIMIT) ||
		    r[i].end > PMM_FRAME_LIMIT)
			return false;
		if (i > 0 && r[i].first < r[i - 1].end)
			return false;
	}
	return n <= PMM_RANGES_MAX;
}

int
pmm_init(const struct pmm_range *owned, unsigned n, pfn_t *stack, uint32_t stack_capacity,
	 uint32_t *bitmap, pmm_warn_fn *warn_fn)
{
	pmm.bits_cleared = 0;           /* the bitmap is cleared as it is reached */
	/* lab pmm: begin pmm_init */
	if (!ranges_valid(owned, n) || stack_capacity < pmm_ranges_frames(owned, n))
		return -EINVAL;
	pmm.stack = stack;
	pmm.depth = 0;                  /* nothing pushed: all in the reservoir */
	pmm.capacity = stack_capacity;
	pmm.total = pmm.unused = pmm_ranges_frames(owned, n);
	if (n > 0)                      /* owned may be NULL when empty */
		memcpy(pmm.owned, owned, n * sizeof(*owned));
	pmm.nowned = n;
	pmm.next_range = 0;
	pmm.next_frame = n ? owned[0].first : 0;
	pmm.bitmap = bitmap;
	pmm.bitmap_frames = n ? owned[n - 1].end : 0;
	pmm.reserved = 0;
	pmm.warn = warn_fn;
	pmm.extra = NULL;               /* until pmm_share_init() */
	return 0;
	/* lab pmm: end */
}

uint32_t
pmm_free_frames(void)
{
	return free_frames() - pmm.reserved;
}

uint32_t
pmm_total_frames(void)
{
	return pmm.total;
}

void
pmm_get_stats(struct pmm_stats *st)
{
	st->total = pmm.total;
	st->free = pmm_free_frames();
	st->reserved = pmm.reserved;
	st->handed_out = pmm.total - free_frames();
	st->stacked = pmm.depth;
	st->reservoir = pmm.unused;
}

/* ========================================== pmm_check: the layers agree */

/* Marks every stacked frame's bit, so each is seen once: a bit already
 * set means a duplicate, or an allocated frame on the stack. Returns the
 * index of the bad entry, or depth if all are good. */
static uint32_t
mark_stacked_frames(void)
{
	uint32_t i;

	for (i = 0; i < pmm.depth; i++) {
		pfn_t f = pmm.stack[i];
		int r = owned_range_of(f);
		if (r < 0 || past_cursor(r, f) || bit_get(f))
			break;
		bit_set(f);
	}
	return i;
}

static void
unmark_stacked_frames(uint32_t count)
{
	for (uint32_t i = 0; i < count; i++)
		bit_clear(pmm.stack[i]);
}

/* With the stacked frames marked, bit f must be set exactly when frame f
 * has left the reservoir: owned, and before the cursor. A bit set anywhere
 * else (a hole, below the first range) would let pmm_free() take a frame
 * that is not the PMM's. Returns the first frame whose bit is wrong, or
 * bitmap_frames. */
static pfn_t
first_wrong_bit(void)
{
	unsigned r = 0;

	for (pfn_t f = 0; f < pmm.bitmap_frames; f++) {
		if (f == pmm.owned[r].end)
			r++;            /* sorted and non-empty: f is in r or before it */
		bool left = f >= pmm.owned[r].first && !past_cursor(r, f);
		if (bit_get(f) != left)
			return f;
	}
	return pmm.bitmap_frames;
}

/* What is wrong with frame f's bit, which first_wrong_bit() found. */
static const char *
wrong_bit(pfn_t f)
{
	if (!bit_get(f))
		return "neither allocated nor on the free stack";
	if (owned_range_of(f) < 0)
		return "not the PMM's but marked allocated";
	return "in the reservoir but marked allocated";
}

int
pmm_check(void)
{
	uint32_t good = mark_stacked_frames();
	pfn_t wrong = good == pmm.depth ? first_wrong_bit() : pmm.bitmap_frames;

	unmark_stacked_frames(good);
	if (good != pmm.depth) {
		warn("pmm_check: stack entry %u (frame 0x%08x) is not a free owned frame, or is there twice",
		     good, pmm_frame_address(pmm.stack[good]));
		return -EINVAL;
	}
	if (wrong != pmm.bitmap_frames) {
		warn("pmm_check: frame 0x%08x is %s", pmm_frame_address(wrong), wrong_bit(wrong));
		return -EINVAL;
	}
	for (pfn_t f = 0; f < pmm.bitmap_frames; f++) {
		if (extra_owners(f) && !bit_get(f)) {
			warn("pmm_check: frame 0x%08x is free but counted as shared", pmm_frame_address(f));
			return -EINVAL;
		}
	}
	if (pmm.unused != reservoir_frames() || pmm.depth > pmm.capacity ||
	    pmm.reserved > free_frames()) {
		warn("pmm_check: %u frames counted in the reservoir, but %u there; %u stacked, %u promised",
		     pmm.unused, reservoir_frames(), pmm.depth, pmm.reserved);
		return -EINVAL;
	}
	return 0;
}
