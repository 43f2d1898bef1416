/*
 * bootmap: draws the physical memory map a Cairn kernel printed at boot.
 * It reads the serial log, keeps the sanitized "e820:" lines (the ones
 * memmap_format_range() in src/mm/memmap.c prints, not the raw
 * "BIOS-e820:" ones) and writes an SVG of them on standard output: each
 * range and each hole between ranges as a band, labelled with its type,
 * its size and the address where it starts.
 *
 * Drawn to scale, 640 KiB of low memory beside 4 GiB would be a hair, so
 * the bands use a logarithmic scale of their sizes, and the picture says
 * so; a thin strip beside them shows the same map linearly.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memmap.h>

#include "svg.h"

#define EXIT_TROUBLE    2               /* bad input or usage, as e820's */
#define LOG_LINE_MAX    1024            /* longer log lines are cut, never e820 ones */
#define KIB             1024ull
#define GIB4            (1ull << 32)

/* The scale: a band is BAND_MIN pixels for 1 KiB or less, and
 * BAND_PER_DOUBLING more for each doubling of its size above that. */
#define BAND_MIN        22
#define BAND_PER_DOUBLING 8

/* Where things go on the page. */
#define WIDTH           660
#define TOP             112             /* the first band's top edge */
#define BOTTOM_MARGIN   48
#define STRIP_X         40              /* the linear strip */
#define STRIP_W         22
#define COLUMN_X        250             /* the bands */
#define COLUMN_W        150

static struct memmap map;       /* its range[] holds what the log says */

/* A band of the picture: a range of the map or a hole between two. */
struct band {
	uint64_t first, last;
	int type;               /* MEMMAP_*, or 0 for a hole */
};

static struct band bands[2 * MEMMAP_RANGE_MAX + 1];
static int nbands;

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: bootmap LOG > MAP.svg\n"
		"Draws the physical memory map of a Cairn boot as SVG, from the\n"
		"sanitized 'e820: [mem FIRST-LAST] TYPE' lines of its serial log\n"
		"(LOG, or '-' for standard input). Each range and each hole between\n"
		"ranges is a band whose height grows with the logarithm of its size.\n"
		"A log without e820: lines, or with one the kernel could not have\n"
		"printed, is refused with the line named (exit status 2).\n");
}

/* The type an e820 line names, read back through the kernel's own
 * memmap_type_name() (the sanitized map has only these), or 0. */
static uint32_t
type_from_name(const char *name)
{
	for (uint32_t t = MEMMAP_USABLE; t <= MEMMAP_UNUSABLE; t++)
		if (strcmp(name, memmap_type_name(t)) == 0)
			return t;
	return 0;
}

/* Reads one "e820: " line into range i of the map. Returns 0, or -1 with
 * *why set. The kernel's printer formats the range again, and the line
 * must be what it prints, to the character. */
static int
parse_e820_line(const char *line, int i, const char **why)
{
	unsigned long long first, last;
	char again[MEMMAP_LINE_MAX];
	int name_at = 0;

	if (sscanf(line, "e820: [mem 0x%llx-0x%llx] %n", &first, &last, &name_at) != 2 || !name_at) {
		*why = "not 'e820: [mem FIRST-LAST] TYPE'";
		return -1;
	}
	if (first > last) {
		*why = "its range ends before it starts";
		return -1;
	}
	map.range[i] = (struct memmap_range){ first, last, type_from_name(line + name_at) };
	if (map.range[i].type == 0) {
		*why = "unknown type";
		return -1;
	}
	memmap_format_range(&map, i, again, sizeof again);
	if (strcmp(again, line) != 0) {
		*why = "not as the kernel prints it";
		return -1;
	}
	if (i > 0 && first <= map.range[i - 1].last) {
		*why = "it starts inside or below the range before it (two boots in one log?)";
		return -1;
	}
	return 0;
}

/* Reads the log's e820: lines into map.range; exits naming the first bad
 * line, or if there is none. */
static void
read_log(FILE *f, const char *name)
{
	char line[LOG_LINE_MAX];
	int lineno = 0;

	map.nrange = 0;
	while (fgets(line, sizeof line, f)) {
		const char *why;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "e820:", 5) != 0)
			continue;
		if (map.nrange == MEMMAP_RANGE_MAX) {
			fprintf(stderr, "bootmap: %s line %d: more than %d e820: lines\n",
				name, lineno, MEMMAP_RANGE_MAX);
			exit(EXIT_TROUBLE);
		}
		if (parse_e820_line(line, map.nrange, &why) < 0) {
			fprintf(stderr, "bootmap: %s line %d: %s: '%s'\n", name, lineno, why, line);
			exit(EXIT_TROUBLE);
		}
		map.nrange++;
	}
	if (ferror(f)) {
		fprintf(stderr, "bootmap: %s: %s\n", name, strerror(errno));
		exit(EXIT_TROUBLE);
	}
	if (map.nrange == 0) {
		fprintf(stderr, "bootmap: %s: no 'e820:' lines (is it a Cairn boot log?)\n", name);
		exit(EXIT_TROUBLE);
	}
}

static void
add_band(uint64_t first, uint64_t last, int type)
{
	bands[nbands++] = (struct band){ first, last, type };
}

/* The ranges with the holes between them, from 0 up to 4 GiB or the
 * map's end, whichever is higher. */
static void
make_bands(void)
{
	uint64_t next = 0;

	for (int i = 0; i < map.nrange; i++) {
		if (map.range[i].first > next)
			add_band(next, map.range[i].first - 1, 0);
		add_band(map.range[i].first, map.range[i].last, (int)map.range[i].type);
		next = map.range[i].last + 1;
	}
	if (next != 0 && next < GIB4)   /* next == 0: the map ends at 2^64 */
		add_band(next, GIB4 - 1, 0);
}

static uint64_t
band_size(const struct band *b)
{
	return b->last - b->first + 1;      /* 0 only for all 2^64 bytes */
}

static int
band_height(const struct band *b)
{
	double kib = band_size(b) == 0 ? 0x1p54 : (double)band_size(b) / KIB;

	return BAND_MIN + (int)lround(BAND_PER_DOUBLING * (kib > 1 ? log2(kib) : 0));
}

/* Writes a size in the largest unit it has at least one of, with one
 * decimal when it is not a whole number of them. */
static void
format_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	int u = 0;

	while (u < 6 && bytes >= (1ull << (10 * (u + 1))))
		u++;
	uint64_t unit = 1ull << (10 * u);
	if (bytes % unit == 0)
		snprintf(buf, size, "%" PRIu64 " %s", bytes / unit, units[u]);
	else
		snprintf(buf, size, "%.1f %s", (double)bytes / (double)unit, units[u]);
}

static const char *
band_class(int type)
{
	switch (type) {
	case 0: return "hole";
	case MEMMAP_USABLE: return "free";
	case MEMMAP_ACPI_DATA: case MEMMAP_ACPI_NVS: return "acpi";
	default: return "used";
	}
}

static void
draw_band(struct svg *s, const struct band *b, int bottom, int height)
{
	char size[32];
	int top = bottom - height;

	svg_group_begin(s, "%s [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]",
		b->type ? memmap_type_name((uint32_t)b->type) : "hole", b->first, b->last);
	svg_rect(s, COLUMN_X, top, COLUMN_W, height, band_class(b->type));
	svg_text(s, COLUMN_X - 8, bottom + 4, "mono small end", "0x%08" PRIx64, b->first);
	format_size(band_size(b), size, sizeof size);
	if (b->type == 0)
		svg_text(s, COLUMN_X + COLUMN_W + 12, bottom - height / 2 + 5, "note",
			"not in the map: %s", size);
	else
		svg_text(s, COLUMN_X + COLUMN_W + 12, bottom - height / 2 + 5, "",
			"%s: %s", memmap_type_name((uint32_t)b->type), size);
	svg_group_end(s);
}

/* The linear strip: the whole span at one scale, so the reader sees what
 * the logarithmic bands beside it undo. */
static void
draw_strip(struct svg *s, int bottom, int height, uint64_t end)
{
	double px_per_byte = (double)height / (double)end;

	svg_group_begin(s, "the same map, linear");
	svg_rect(s, STRIP_X, bottom - height, STRIP_W, height, "hole");
	for (int i = 0; i < nbands; i++) {
		if (bands[i].type == 0)
			continue;
		double lo = (double)bands[i].first * px_per_byte;
		double hi = ((double)bands[i].last + 1) * px_per_byte;
		int h = (int)lround(hi - lo);
		svg_rect(s, STRIP_X, bottom - (int)lround(hi), STRIP_W, h > 0 ? h : 1,
			band_class(bands[i].type));
	}
	svg_group_end(s);
	svg_text(s, STRIP_X + STRIP_W / 2, bottom + 18, "small mid note", "linear");
}

static void
draw(FILE *out, const char *name)
{
	struct svg s;
	int total = 0;
	uint64_t end = bands[nbands - 1].last + 1;      /* 0 means 2^64: not drawn linearly */
	char size[32];

	for (int i = 0; i < nbands; i++)
		total += band_height(&bands[i]);
	svg_begin(&s, out, WIDTH, TOP + total + BOTTOM_MARGIN, "The physical memory map at boot");
	svg_text(&s, 20, 30, "big", "The physical memory map at boot: the e820: lines of %s", name);
	svg_text(&s, 20, 54, "note",
		"Not drawn to scale: a band is %d px for 1 KiB or less and %d px taller for each",
		BAND_MIN, BAND_PER_DOUBLING);
	svg_text(&s, 20, 72, "note",
		"doubling of its size (a logarithmic scale). The strip on the left is linear.");
	svg_text(&s, COLUMN_X - 8, TOP - 10, "small end note", "starts at");
	int bottom = TOP + total;
	for (int i = 0; i < nbands; i++) {
		int h = band_height(&bands[i]);
		draw_band(&s, &bands[i], bottom, h);
		bottom -= h;
	}
	if (end != 0)
		svg_text(&s, COLUMN_X - 8, TOP + 4, "mono small end", "0x%08" PRIx64, end);
	if (end != 0 && end <= (1ull << 53)) {
		draw_strip(&s, TOP + total, total, end);
		format_size(end, size, sizeof size);
		svg_text(&s, STRIP_X + STRIP_W / 2, TOP - 10, "small mid note", "%s", size);
	}
	svg_text(&s, 20, TOP + total + 38, "small note",
		"green: usable RAM; orange: reserved; violet: ACPI; dashed: no entry covers it");
	if (svg_end(&s) < 0) {
		fprintf(stderr, "bootmap: cannot write the picture\n");
		exit(EXIT_TROUBLE);
	}
}

int
main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc != 2) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	const char *path = argv[1];
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "bootmap: %s: %s\n", path, strerror(errno));
		return EXIT_TROUBLE;
	}
	read_log(f, strcmp(path, "-") ? name : "standard input");
	make_bands();
	draw(stdout, strcmp(path, "-") ? name : "standard input");
	return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
}
