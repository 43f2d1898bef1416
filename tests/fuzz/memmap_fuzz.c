/*
 * Fuzzing src/mm/memmap.c against a brute-force oracle. The input is
 *   [ctrl byte] [option values, one a line] NUL [Multiboot mmap bytes]
 * (no NUL: all Multiboot bytes). Line i is a mem= value if bit i of ctrl
 * is set, else a memmap= value. The oracle walks the buffer its own way,
 * asks each probe address which entries cover it, and abort()s on any
 * disagreement with the sanitized table.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <memmap.h>
#include <multiboot.h>
#include <cairn/errno.h>

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

#define PROBE_MAX   (4 * MEMMAP_INPUT_MAX + 4 * MEMMAP_RANGE_MAX + 2)

static struct memmap map;
static uint64_t probe[PROBE_MAX];
static int nprobe;

/* The oracle's view of one entry: every byte first..last has type. */
struct span {
	uint64_t first, last;
	uint32_t type;
};
static struct span span[MEMMAP_INPUT_MAX];
static int nspan;

static void
add_probe(uint64_t a)
{
	CHECK(nprobe < PROBE_MAX);
	probe[nprobe++] = a;
}

/* Probes a and its neighbours: types can change only at such edges. */
static void
add_edge_probes(uint64_t first, uint64_t last)
{
	add_probe(first);
	add_probe(last);
	if (first > 0)
		add_probe(first - 1);
	if (last < UINT64_MAX)
		add_probe(last + 1);
}

static void
add_span(uint64_t base, uint64_t length, uint32_t type)
{
	if (length == 0)
		return;
	unsigned __int128 end = (unsigned __int128)base + length;
	uint64_t last = end > ((unsigned __int128)1 << 64) ? UINT64_MAX
		: (uint64_t)(end - 1);
	if (type < 1 || type > 5)
		type = MEMMAP_RESERVED;
	span[nspan++] = (struct span){ base, last, type };
	add_edge_probes(base, last);
}

/* Walks the Multiboot bytes with 128-bit arithmetic, checking what
 * memmap_read_multiboot() did; records each stored entry as a span. */
static void
check_walk(const uint8_t *buf, size_t len, int err, int nread)
{
	size_t off = 0;
	int n = 0;
	int want_err = 0;

	for (;;) {
		if (off == len)
			break;
		if (off + 4 > len) {
			want_err = -EINVAL;
			break;
		}
		uint32_t size;
		memcpy(&size, buf + off, 4);
		if (size < 20 || (unsigned __int128)off + 4 + size > len) {
			want_err = -EINVAL;
			break;
		}
		struct multiboot_mmap_entry e;
		memcpy(&e, buf + off, sizeof e);
		if (n < MEMMAP_FIRMWARE_MAX) {
			CHECK(map.firmware[n].base == e.base);
			CHECK(map.firmware[n].length == e.length);
			CHECK(map.firmware[n].type == e.type);
			add_span(e.base, e.length, e.type);
		}
		n++;
		off += 4 + (size_t)size;
	}
	CHECK(nread == n);
	CHECK(map.nfirmware == (n < MEMMAP_FIRMWARE_MAX ? n : MEMMAP_FIRMWARE_MAX));
	if (want_err == 0 && n > MEMMAP_FIRMWARE_MAX)
		want_err = -ENOSPC;
	CHECK(err == want_err);
}

/* The type the oracle gives byte a: the highest type covering it, with
 * usable bytes at or above the mem= limit removed; 0 for absent. */
static uint32_t
oracle_type(uint64_t a)
{
	uint32_t type = 0;

	for (int i = 0; i < nspan; i++)
		if (span[i].first <= a && a <= span[i].last && span[i].type > type)
			type = span[i].type;
	if (type == MEMMAP_USABLE && map.has_limit && a >= map.limit)
		return 0;
	return type;
}

static uint32_t
table_type(uint64_t a)
{
	for (int i = 0; i < map.nrange; i++)
		if (map.range[i].first <= a && a <= map.range[i].last)
			return map.range[i].type;
	return 0;
}

static void
check_table_shape(void)
{
	char line[MEMMAP_LINE_MAX];

	CHECK(map.nrange >= 0 && map.nrange <= MEMMAP_RANGE_MAX);
	for (int i = 0; i < map.nrange; i++) {
		const struct memmap_range *r = &map.range[i];
		CHECK(r->first <= r->last);
		CHECK(r->type >= MEMMAP_USABLE && r->type <= MEMMAP_UNUSABLE);
		CHECK(memmap_format_range(&map, i, line, sizeof line) < (int)sizeof line);
		add_edge_probes(r->first, r->last);
		if (i == 0)
			continue;
		const struct memmap_range *p = &map.range[i - 1];
		CHECK(r->first > p->last);                      /* sorted, disjoint */
		CHECK(!(r->type == p->type && r->first == p->last + 1)); /* merged */
	}
	for (int i = 0; i < map.nfirmware; i++)
		CHECK(memmap_format_firmware(&map, i, line, sizeof line) < (int)sizeof line);
}

/* Every frame the iterator hands out lies inside one usable range and
 * inside [lo, hi), and the count agrees with the iteration. */
static void
check_frames(uint64_t lo, uint64_t hi)
{
	uint64_t base, frames, total = 0;
	int cursor = 0;

	while (memmap_next_usable(&map, &cursor, lo, hi, &base, &frames)) {
		CHECK(frames > 0 && (base & 0xfff) == 0 && base >= lo);
		uint64_t last = base + (frames << 12) - 1;
		CHECK(last >= base && last < hi);
		CHECK(table_type(base) == MEMMAP_USABLE);
		for (int i = 0; i < map.nrange; i++)
			if (map.range[i].first <= base && base <= map.range[i].last)
				CHECK(last <= map.range[i].last);
		total += frames;
	}
	CHECK(total == memmap_count_frames(&map, lo, hi));
}

/* Applies the option lines, recording each accepted memmap= as a span. */
static void
apply_options(uint8_t ctrl, const char *opts, size_t len)
{
	int line = 0;

	for (size_t start = 0; start <= len; line++) {
		const char *nl = memchr(opts + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - opts) : len;
		const char *v = opts + start;
		size_t vlen = end - start;
		if (line < 8 && (ctrl >> line & 1)) {
			bool had = map.has_limit;
			uint64_t old = map.limit;
			if (memmap_apply_limit(&map, v, vlen) != 0)
				CHECK(map.has_limit == had && map.limit == old);
		} else {
			uint64_t base, size;
			uint32_t type;
			int nedit = map.nedit;
			int perr = memmap_parse_edit(v, vlen, &base, &size, &type);
			int err = memmap_apply_edit(&map, v, vlen);
			if (perr == 0 && err == 0) {
				CHECK(map.nedit == nedit + 1);
				CHECK(type >= MEMMAP_USABLE && type <= MEMMAP_ACPI_DATA);
				CHECK(size > 0);
				add_span(base, size, type);
			} else {
				CHECK(map.nedit == nedit);
				CHECK(perr != 0 ? err == perr : err == -ENOSPC);
			}
		}
		start = end + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct memmap_range before[MEMMAP_RANGE_MAX];

	if (size < 1)
		return 0;
	memmap_init(&map);
	nspan = 0;
	nprobe = 0;

	const uint8_t *rest = data + 1;
	size_t rlen = size - 1;
	const uint8_t *nul = memchr(rest, 0, rlen);
	const uint8_t *mb = rest;
	size_t mblen = rlen;
	int nread;

	if (nul) {
		mb = nul + 1;
		mblen = rlen - (size_t)(mb - rest);
	}
	int err = memmap_read_multiboot(&map, mb, mblen, &nread);
	check_walk(mb, mblen, err, nread);
	if (nul)
		apply_options(data[0], (const char *)rest, (size_t)(nul - rest));

	memmap_sanitize(&map);
	if (map.has_limit) {
		add_probe(map.limit);
		if (map.limit > 0)
			add_probe(map.limit - 1);
	}
	check_table_shape();
	for (int i = 0; i < nprobe; i++)
		CHECK(table_type(probe[i]) == oracle_type(probe[i]));
	check_frames(1ull << 20, 1ull << 32);
	check_frames(0, UINT64_MAX);

	/* Sanitizing again must give the same table. */
	int n = map.nrange;
	memcpy(before, map.range, (size_t)n * sizeof before[0]);
	memmap_sanitize(&map);
	CHECK(map.nrange == n);
	for (int i = 0; i < n; i++)
		CHECK(before[i].first == map.range[i].first &&
			before[i].last == map.range[i].last &&
			before[i].type == map.range[i].type);
	return 0;
}
