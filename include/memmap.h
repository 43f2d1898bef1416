/*
 * The physical memory map (src/mm/memmap.c): the firmware's e820 list as
 * the boot loader hands it over, plus the memmap= and mem= edits of the
 * command line, made into a sorted table of disjoint ranges. Firmware
 * lists overlap, repeat and leave holes; everything after this trusts
 * only the table. The same source runs in the kernel and in the host
 * tool build/host/e820, and prints nothing itself: callers format lines
 * with memmap_format_*() and print them.
 *
 * Ranges store an inclusive last byte, so a range may end at 2^64 - 1.
 */
#ifndef CAIRN_MEMMAP_H
#define CAIRN_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* e820 types, numbered as the firmware numbers them. Where ranges
 * overlap the higher number wins, so the order is also the priority:
 * usable < reserved < ACPI data < ACPI NVS < unusable. Any other type
 * the firmware reports is treated as reserved. */
#define MEMMAP_USABLE       1   /* RAM for the kernel to use */
#define MEMMAP_RESERVED     2   /* ROM, MMIO, firmware's own */
#define MEMMAP_ACPI_DATA    3   /* ACPI tables, reclaimable once read */
#define MEMMAP_ACPI_NVS     4   /* ACPI state kept across sleep */
#define MEMMAP_UNUSABLE     5   /* RAM with errors */

/* Capacities, all static: at boot there is no heap. The firmware share
 * is what the kernel accepts from the boot loader; the edit share is for
 * memmap= options. n inputs have at most 2n boundaries, so at most 2n - 1
 * output ranges. */
#define MEMMAP_FIRMWARE_MAX 128
#define MEMMAP_EDIT_MAX     32
#define MEMMAP_INPUT_MAX    (MEMMAP_FIRMWARE_MAX + MEMMAP_EDIT_MAX)
#define MEMMAP_RANGE_MAX    (2 * MEMMAP_INPUT_MAX)

/* Room for one formatted line with its NUL; the longest is
 * "BIOS-e820: [mem 0x...-0x...] type 4294967295", 70 characters. */
#define MEMMAP_LINE_MAX     80

/* One entry as the firmware or an edit gave it: a base and a length. */
struct memmap_raw {
	uint64_t base;
	uint64_t length;
	uint32_t type;
};

/* One range of the sanitized table: bytes first..last, both included. */
struct memmap_range {
	uint64_t first;
	uint64_t last;
	uint32_t type;          /* one of MEMMAP_USABLE..MEMMAP_UNUSABLE */
};

/* memmap_sanitize()'s scratch: where one entry starts or stops covering. */
struct memmap_point {
	uint64_t addr;
	uint32_t type;
	int delta;              /* +1: an entry starts; -1: one ended before */
};

/* The whole map. Fill it with memmap_init() then memmap_add_*(), set
 * mem= with memmap_set_limit(), then call memmap_sanitize(); read the
 * result from range[0..nrange). */
struct memmap {
	struct memmap_raw firmware[MEMMAP_FIRMWARE_MAX];  /* firmware's order */
	int nfirmware;
	struct memmap_raw edit[MEMMAP_EDIT_MAX];          /* memmap= in order */
	int nedit;
	int dropped;            /* entries refused for lack of room */
	bool has_limit;         /* mem= given */
	uint64_t limit;         /* mem=: no usable byte at or above this */
	struct memmap_range range[MEMMAP_RANGE_MAX];      /* the result */
	int nrange;
	struct memmap_point point[MEMMAP_RANGE_MAX];      /* scratch */
};

/* Empties m: no entries, no limit (mem= not given). */
void memmap_init(struct memmap *m);

/* Appends one firmware entry, kept as given (printing shows it raw).
 * Returns 0, or -ENOSPC when MEMMAP_FIRMWARE_MAX entries are already in:
 * the entry is then counted in m->dropped and otherwise ignored. */
int memmap_add_firmware(struct memmap *m, uint64_t base, uint64_t length,
	uint32_t type);

/* Appends one command-line edit; same contract as memmap_add_firmware()
 * with MEMMAP_EDIT_MAX. Edits count as entries like the firmware's. */
int memmap_add_edit(struct memmap *m, uint64_t base, uint64_t length,
	uint32_t type);

/* Walks a Multiboot v1 memory map: len bytes at buf, each entry a 32-bit
 * size (not counting itself) then base, length and type; the next entry
 * starts size + 4 bytes further. Adds every entry with
 * memmap_add_firmware() and stores in *nread how many entries it read.
 * Trusts nothing: returns -EINVAL, having added the entries before it,
 * at an entry whose size is below 20 or that runs past buf + len (a tail
 * shorter than a size field included). Otherwise returns -ENOSPC if any
 * entry was dropped for room, else 0. buf needs no alignment. */
int memmap_read_multiboot(struct memmap *m, const void *buf, size_t len,
	int *nread);

/* Parses a memmap= value: "SIZE@ADDR" usable, "SIZE$ADDR" reserved,
 * "SIZE#ADDR" ACPI data; numbers as cmdline_parse_size() reads them.
 * Sets *base, *size and *type and returns 0; returns -EINVAL for a
 * missing separator, a malformed number or a zero SIZE (an edit that
 * changes nothing is a typo), -ERANGE for a number beyond 64 bits. */
int memmap_parse_edit(const char *value, size_t len, uint64_t *base,
	uint64_t *size, uint32_t *type);

/* Parses one memmap= value and adds it with memmap_add_edit(). Returns 0,
 * or the error of either (the map is then unchanged). */
int memmap_apply_edit(struct memmap *m, const char *value, size_t len);

/* Applies mem=SIZE: memmap_sanitize() then removes every usable byte at
 * or above limit (other types stay). The last call wins. */
void memmap_set_limit(struct memmap *m, uint64_t limit);

/* Parses one mem= value and sets the limit. Returns 0, or the error of
 * cmdline_parse_size() with the map unchanged. */
int memmap_apply_limit(struct memmap *m, const char *value, size_t len);

/* Builds m->range from every firmware entry and edit: each byte takes the
 * highest-priority type of the entries covering it, unknown types count
 * as reserved, zero-length entries are dropped, an entry running past
 * 2^64 is clipped at 2^64 - 1, touching ranges of one type merge, and the
 * limit applies last. The result is sorted and disjoint. May be called
 * again after more entries are added. */
void memmap_sanitize(struct memmap *m);

/* The name Linux prints for type ("usable", "ACPI NVS", ...), or NULL for
 * a type outside MEMMAP_USABLE..MEMMAP_UNUSABLE. */
const char *memmap_type_name(uint32_t type);

/* Formats firmware entry i (0 <= i < m->nfirmware) as Linux prints it,
 *   "BIOS-e820: [mem 0x%016llx-0x%016llx] TYPE"
 * with the last byte inclusive (clipped at 2^64 - 1), and "type N" for a
 * type without a name. No newline. A zero-length entry has no last byte
 * to print: it is not formatted, buf gets "" and the result is 0, so a
 * caller prints nothing for it. Otherwise returns what snprintf returns. */
int memmap_format_firmware(const struct memmap *m, int i, char *buf,
	size_t size);

/* Formats range i (0 <= i < m->nrange) of the sanitized table,
 *   "e820: [mem 0x%016llx-0x%016llx] TYPE"
 * No newline. Returns what snprintf returns. */
int memmap_format_range(const struct memmap *m, int i, char *buf,
	size_t size);

/* Iterates the whole page frames of the usable ranges inside [lo, hi)
 * (hi excluded, so the frame ending at 2^64 - 1 never counts):
 * start with *cursor = 0; each call stores the first frame's address in
 * *base and the number of frames in *frames, and returns true, or returns
 * false when no usable range with a whole frame is left. Only after
 * memmap_sanitize(). */
bool memmap_next_usable(const struct memmap *m, int *cursor, uint64_t lo,
	uint64_t hi, uint64_t *base, uint64_t *frames);

/* Counts the whole page frames of the usable ranges inside [lo, hi). */
uint64_t memmap_count_frames(const struct memmap *m, uint64_t lo,
	uint64_t hi);

#endif /* CAIRN_MEMMAP_H */
