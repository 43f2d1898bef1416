/*
 * The physical memory manager: a stack of free frame numbers, a reservoir
 * of frames never handed out, and one bit per frame saying "allocated".
 * See include/pmm.h for the contract and docs/03-physical-memory.md for
 * why a stack.
 */
#include <cairn/errno.h>
#include <format.h>
#include <pmm.h>
#include <string.h>

#define BITS_PER_WORD 32

static struct {
	struct pmm_range owned[PMM_RANGES_MAX];  /* the frames that are ours */
	unsigned nowned;
	unsigned next_range;    /* reservoir: owned[next_range] from next_frame on */
	pfn_t next_frame;
	pfn_t *stack;           /* freed frames, top at stack[depth - 1] */
	uint32_t depth;
	uint32_t capacity;
	uint32_t *bitmap;       /* bit f set: frame f is allocated */
	pfn_t bitmap_frames;    /* frames 0 to bitmap_frames - 1 have a bit */
	uint32_t total;
	uint32_t free;
	uint32_t reserved;      /* free frames promised to pmm_alloc_reserved() */
	pmm_warn_fn *warn;
} pmm;

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

/* ---------------------------------------------------------------- ranges */

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

/* ---------------------------------------------------------------- bits */

/* Frame f's bit is bit f % 32 of word f / 32: a frame number is its own
 * index, with no offset to subtract. */
static bool
bit_get(pfn_t f)
{
	return pmm.bitmap[f / BITS_PER_WORD] >> (f % BITS_PER_WORD) & 1;
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

/* Is frame f of owned range r at or after the reservoir's cursor? */
static bool
past_cursor(unsigned r, pfn_t f)
{
	return r > pmm.next_range || (r == pmm.next_range && f >= pmm.next_frame);
}

/* Still in the reservoir: owned, and at or after the cursor. */
static bool
in_reservoir(pfn_t f)
{
	int r = owned_range_of(f);

	return r >= 0 && past_cursor(r, f);
}

/* ---------------------------------------------------------------- init */

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
	if (!ranges_valid(owned, n) || stack_capacity < pmm_ranges_frames(owned, n))
		return -EINVAL;
	if (n > 0)                      /* owned may be NULL when empty */
		memcpy(pmm.owned, owned, n * sizeof(*owned));
	pmm.nowned = n;
	pmm.next_range = 0;
	pmm.next_frame = n ? owned[0].first : 0;
	pmm.stack = stack;
	pmm.depth = 0;
	pmm.capacity = stack_capacity;
	pmm.bitmap = bitmap;
	pmm.bitmap_frames = n ? owned[n - 1].end : 0;
	memset(bitmap, 0, pmm_bitmap_words(owned, n) * sizeof(uint32_t));
	pmm.total = pmm.free = pmm_ranges_frames(owned, n);
	pmm.reserved = 0;
	pmm.warn = warn_fn;
	return 0;
}

/* ---------------------------------------------------------------- the stack */

/* Pushes free frame f. The stack can hold every owned frame, so it
 * cannot overflow while the books balance. */
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

/* Takes the next never-used frame from the reservoir, or 0 if it is dry. */
static pfn_t
reservoir_take(void)
{
	if (pmm.next_range >= pmm.nowned)
		return 0;
	pfn_t f = pmm.next_frame++;
	if (pmm.next_frame == pmm.owned[pmm.next_range].end) {
		pmm.next_range++;
		if (pmm.next_range < pmm.nowned)
			pmm.next_frame = pmm.owned[pmm.next_range].first;
	}
	return f;
}

/* Takes a free frame off the stack, or else from the reservoir. */
static paddr_t
take_frame(void)
{
	pfn_t f = pmm.depth > 0 ? stack_pop() : reservoir_take();

	if (f == 0)
		return PMM_NO_FRAME;
	bit_set(f);
	pmm.free--;
	return pmm_frame_address(f);
}

paddr_t
pmm_alloc(void)
{
	if (pmm.free <= pmm.reserved)
		return PMM_NO_FRAME;    /* what is left is promised */
	return take_frame();
}

int
pmm_reserve(uint32_t frames)
{
	if (frames > pmm.free - pmm.reserved)
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

/* Why pmm_free cannot take pa back, when handed_out(pa) is false. */
static const char *
refusal(paddr_t pa)
{
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

/* noinline: the caller we report must be pmm_free's caller. */
__attribute__((noinline)) int
pmm_free(paddr_t pa)
{
	pfn_t f = pmm_frame_number(pa);

	if (!handed_out(pa))
		return refuse_free(pa, __builtin_return_address(0));
	bit_clear(f);
	stack_push(f);
	pmm.free++;
	return 0;
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

uint32_t
pmm_free_frames(void)
{
	return pmm.free - pmm.reserved;
}

uint32_t
pmm_reserved_frames(void)
{
	return pmm.reserved;
}

uint32_t
pmm_total_frames(void)
{
	return pmm.total;
}

/* ---------------------------------------------------------------- check */

/* Frames left in the reservoir. */
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
	if (pmm.free != pmm.depth + reservoir_frames() || pmm.depth > pmm.capacity ||
	    pmm.reserved > pmm.free) {
		warn("pmm_check: free count %u, but %u stacked and %u in the reservoir",
		     pmm.free, pmm.depth, reservoir_frames());
		return -EINVAL;
	}
	return 0;
}
