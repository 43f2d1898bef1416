/*
 * Sanitizing the e820 memory map. Every entry, firmware or edit, becomes
 * two boundary points: where it starts covering and where it stops. A
 * sweep over the sorted points keeps a count of the entries of each type
 * covering the current address; between two points the highest type with
 * a nonzero count owns every byte. That is O(n log n) with a good sort;
 * n is at most MEMMAP_RANGE_MAX, so an insertion sort is plenty.
 */
#include <memmap.h>
#include <multiboot.h>
#include <mmu.h>
#include <cmdline.h>
#include <format.h>
#include <string.h>
#include <cairn/errno.h>

/* Bytes of a Multiboot mmap entry after its size field. */
#define MB_ENTRY_BODY \
	(sizeof(struct multiboot_mmap_entry) - sizeof(uint32_t))

void
memmap_init(struct memmap *m)
{
	m->nfirmware = 0;
	m->nedit = 0;
	m->dropped = 0;
	m->has_limit = false;
	m->limit = 0;
	m->nrange = 0;
}

static int
add_raw(struct memmap_raw *table, int *n, int max, int *dropped,
	uint64_t base, uint64_t length, uint32_t type)
{
	if (*n >= max) {
		(*dropped)++;
		return -ENOSPC;
	}
	table[*n] = (struct memmap_raw){ base, length, type };
	(*n)++;
	return 0;
}

int
memmap_add_firmware(struct memmap *m, uint64_t base, uint64_t length,
	uint32_t type)
{
	return add_raw(m->firmware, &m->nfirmware, MEMMAP_FIRMWARE_MAX,
		&m->dropped, base, length, type);
}

int
memmap_add_edit(struct memmap *m, uint64_t base, uint64_t length,
	uint32_t type)
{
	return add_raw(m->edit, &m->nedit, MEMMAP_EDIT_MAX,
		&m->dropped, base, length, type);
}

int
memmap_read_multiboot(struct memmap *m, const void *buf, size_t len,
	int *nread)
{
	const uint8_t *p = buf;
	size_t off = 0;
	bool full = false;
	int err = 0;

	*nread = 0;
	while (off < len) {
		struct multiboot_mmap_entry e;
		uint32_t size;

		if (len - off < sizeof size) {
			err = -EINVAL;          /* a stray tail */
			break;
		}
		memcpy(&size, p + off, sizeof size);    /* buf: any alignment */
		if (size < MB_ENTRY_BODY || size > len - off - sizeof size) {
			err = -EINVAL;          /* too short, or overruns */
			break;
		}
		memcpy(&e, p + off, sizeof e);
		if (memmap_add_firmware(m, e.base, e.length, e.type) < 0)
			full = true;
		(*nread)++;
		off += sizeof size + size;
	}
	if (err)
		return err;
	return full ? -ENOSPC : 0;
}

/* The type a memmap= separator adds (Linux's letters), or 0 for none. */
static uint32_t
edit_type(char sep)
{
	switch (sep) {
	case '@': return MEMMAP_USABLE;
	case '$': return MEMMAP_RESERVED;
	case '#': return MEMMAP_ACPI_DATA;
	default: return 0;
	}
}

int
memmap_parse_edit(const char *value, size_t len, uint64_t *base,
	uint64_t *size, uint32_t *type)
{
	/* lab memmap: begin memmap_parse_edit */
	size_t sep = 0;
	uint64_t s, b;
	int err;

	while (sep < len && edit_type(value[sep]) == 0)
		sep++;
	if (sep == len)
		return -EINVAL;                 /* no separator */
	err = cmdline_parse_size(value, sep, &s);
	if (err == 0)
		err = cmdline_parse_size(value + sep + 1, len - sep - 1, &b);
	if (err)
		return err;
	if (s == 0)
		return -EINVAL;
	*size = s;
	*base = b;
	*type = edit_type(value[sep]);
	return 0;
	/* lab memmap: end */
}

int
memmap_apply_edit(struct memmap *m, const char *value, size_t len)
{
	uint64_t base, size;
	uint32_t type;
	int err = memmap_parse_edit(value, len, &base, &size, &type);

	if (err)
		return err;
	return memmap_add_edit(m, base, size, type);
}

void
memmap_set_limit(struct memmap *m, uint64_t limit)
{
	m->has_limit = true;
	m->limit = limit;
}

int
memmap_apply_limit(struct memmap *m, const char *value, size_t len)
{
	uint64_t limit;
	int err = cmdline_parse_size(value, len, &limit);

	if (err)
		return err;
	memmap_set_limit(m, limit);
	return 0;
}

/* The last byte of base..base+length-1, clipped at 2^64 - 1.
 * length must not be 0. */
static uint64_t
raw_last(uint64_t base, uint64_t length)
{
	if (length - 1 > UINT64_MAX - base)
		return UINT64_MAX;
	return base + length - 1;
}

/* Firmware may report types the spec had not defined yet: be careful
 * with them. */
static uint32_t
known_type(uint32_t type)
{
	if (type < MEMMAP_USABLE || type > MEMMAP_UNUSABLE)
		return MEMMAP_RESERVED;
	return type;
}

/* Appends the start and stop points of n raw entries to m->point. An
 * entry reaching 2^64 - 1 never stops, so it has no stop point. */
static int
add_points(struct memmap *m, int np, const struct memmap_raw *raw, int n)
{
	for (int i = 0; i < n; i++) {
		if (raw[i].length == 0)
			continue;
		uint32_t type = known_type(raw[i].type);
		uint64_t last = raw_last(raw[i].base, raw[i].length);
		m->point[np++] = (struct memmap_point){ raw[i].base, type, 1 };
		if (last != UINT64_MAX)
			m->point[np++] =
				(struct memmap_point){ last + 1, type, -1 };
	}
	return np;
}

static void
sort_points(struct memmap_point *pt, int n)
{
	for (int i = 1; i < n; i++) {
		struct memmap_point key = pt[i];
		int j = i;
		for (; j > 0 && pt[j - 1].addr > key.addr; j--)
			pt[j] = pt[j - 1];
		pt[j] = key;
	}
}

/* The type that owns a byte covered count[t] times by type t, or 0. */
static uint32_t
top_type(const int count[])
{
	for (uint32_t t = MEMMAP_UNUSABLE; t >= MEMMAP_USABLE; t--)
		if (count[t] > 0)
			return t;
	return 0;
}

/* Appends first..last of type to m->range, merging with the range before
 * when it touches and has the same type, and applying mem=. Calls come in
 * address order. */
static void
emit_range(struct memmap *m, uint64_t first, uint64_t last, uint32_t type)
{
	/* lab memmap: begin emit_range */
	if (type == MEMMAP_USABLE && m->has_limit && last >= m->limit) {
		if (first >= m->limit)
			return;
		last = m->limit - 1;
	}
	if (m->nrange > 0) {
		struct memmap_range *prev = &m->range[m->nrange - 1];
		if (prev->type == type && prev->last + 1 == first) {
			prev->last = last;
			return;
		}
	}
	m->range[m->nrange++] = (struct memmap_range){ first, last, type };
	/* lab memmap: end */
}

void
memmap_sanitize(struct memmap *m)
{
	/* lab memmap: begin memmap_sanitize */
	int count[MEMMAP_UNUSABLE + 1] = { 0 };
	int n = 0;

	n = add_points(m, n, m->firmware, m->nfirmware);
	n = add_points(m, n, m->edit, m->nedit);
	sort_points(m->point, n);
	m->nrange = 0;
	for (int i = 0; i < n;) {
		uint64_t at = m->point[i].addr;
		for (; i < n && m->point[i].addr == at; i++)
			count[m->point[i].type] += m->point[i].delta;
		uint32_t type = top_type(count);
		if (type == 0)
			continue;               /* a hole: no entry covers it */
		/* With no point left, only never-stopping entries cover. */
		uint64_t last = i < n ? m->point[i].addr - 1 : UINT64_MAX;
		emit_range(m, at, last, type);
	}
	/* lab memmap: end */
}

const char *
memmap_type_name(uint32_t type)
{
	static const char *const names[] = {
		[MEMMAP_USABLE] = "usable",
		[MEMMAP_RESERVED] = "reserved",
		[MEMMAP_ACPI_DATA] = "ACPI data",
		[MEMMAP_ACPI_NVS] = "ACPI NVS",
		[MEMMAP_UNUSABLE] = "unusable",
	};

	if (type < MEMMAP_USABLE || type > MEMMAP_UNUSABLE)
		return NULL;
	return names[type];
}

static int
format_line(char *buf, size_t size, const char *prefix, uint64_t first,
	uint64_t last, uint32_t type)
{
	const char *name = memmap_type_name(type);

	if (name)
		return snprintf(buf, size, "%s[mem 0x%016llx-0x%016llx] %s",
			prefix, (unsigned long long)first,
			(unsigned long long)last, name);
	return snprintf(buf, size, "%s[mem 0x%016llx-0x%016llx] type %u",
		prefix, (unsigned long long)first, (unsigned long long)last,
		(unsigned)type);
}

int
memmap_format_firmware(const struct memmap *m, int i, char *buf,
	size_t size)
{
	const struct memmap_raw *r = &m->firmware[i];

	if (r->length == 0) {
		if (size > 0)
			buf[0] = '\0';
		return 0;
	}
	return format_line(buf, size, "BIOS-e820: ", r->base,
		raw_last(r->base, r->length), r->type);
}

int
memmap_format_range(const struct memmap *m, int i, char *buf, size_t size)
{
	const struct memmap_range *r = &m->range[i];

	return format_line(buf, size, "e820: ", r->first, r->last, r->type);
}

/* Frame numbers: 52 bits at most, so no sum below can overflow. */
static uint64_t
frame_up(uint64_t addr)
{
	return (addr >> PAGE_SHIFT) + ((addr & (PAGE_SIZE - 1)) != 0);
}

/* The frame just past the last whole frame ending at or before last. */
static uint64_t
frame_end(uint64_t last)
{
	uint64_t in_page = last & (PAGE_SIZE - 1);

	return (last >> PAGE_SHIFT) + (in_page == PAGE_SIZE - 1);
}

bool
memmap_next_usable(const struct memmap *m, int *cursor, uint64_t lo,
	uint64_t hi, uint64_t *base, uint64_t *frames)
{
	while (*cursor < m->nrange) {
		const struct memmap_range *r = &m->range[(*cursor)++];
		if (r->type != MEMMAP_USABLE || hi == 0)
			continue;
		if (r->last < lo || r->first > hi - 1)
			continue;
		uint64_t start = frame_up(r->first > lo ? r->first : lo);
		uint64_t end = frame_end(r->last < hi - 1 ? r->last : hi - 1);
		if (end <= start)
			continue;               /* no whole frame inside */
		*base = start << PAGE_SHIFT;
		*frames = end - start;
		return true;
	}
	return false;
}

uint64_t
memmap_count_frames(const struct memmap *m, uint64_t lo, uint64_t hi)
{
	uint64_t total = 0, base, frames;
	int cursor = 0;

	while (memmap_next_usable(m, &cursor, lo, hi, &base, &frames))
		total += frames;
	return total;
}
