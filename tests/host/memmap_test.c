/*
 * Host tests of src/mm/memmap.c: overlaps of every shape, capacity,
 * command-line edits, the Multiboot walk, the printed lines and frame
 * counting. Each test builds a map, sanitizes it and compares the table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "test_filter.h"

#include <memmap.h>
#include <multiboot.h>
#include <cairn/errno.h>

#define KIB     (1ull << 10)
#define MIB     (1ull << 20)
#define GIB     (1ull << 30)
#define TOP     UINT64_MAX

static struct memmap map;

/* One firmware entry for a table literal. */
struct fw {
	uint64_t base, length;
	uint32_t type;
};

static void
load(const struct fw *fw, int n)
{
	memmap_init(&map);
	for (int i = 0; i < n; i++)
		assert_int_equal(memmap_add_firmware(&map, fw[i].base,
			fw[i].length, fw[i].type), 0);
}

static void
check_ranges(const struct memmap_range *want, int n)
{
	memmap_sanitize(&map);
	assert_int_equal(map.nrange, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(map.range[i].first, want[i].first);
		assert_int_equal(map.range[i].last, want[i].last);
		assert_int_equal(map.range[i].type, want[i].type);
	}
}

#define LOAD(...) do { \
	const struct fw in_[] = { __VA_ARGS__ }; \
	load(in_, (int)(sizeof in_ / sizeof in_[0])); \
} while (0)
#define EXPECT(...) do { \
	const struct memmap_range want_[] = { __VA_ARGS__ }; \
	check_ranges(want_, (int)(sizeof want_ / sizeof want_[0])); \
} while (0)

/* ------------------------------------------------------------ overlaps */

static void
empty_map_gives_empty_table(void **state)
{
	memmap_init(&map);
	memmap_sanitize(&map);
	assert_int_equal(map.nrange, 0);
	assert_int_equal(memmap_count_frames(&map, 0, TOP), 0);
}

static void
unsorted_input_comes_out_sorted(void **state)
{
	LOAD({ 0x100000, 0x100000, 1 }, { 0xf0000, 0x10000, 2 },
		{ 0x0, 0x9fc00, 1 });
	EXPECT({ 0x0, 0x9fbff, 1 }, { 0xf0000, 0xfffff, 2 },
		{ 0x100000, 0x1fffff, 1 });
}

static void
partial_overlap_reserved_wins_shared_bytes(void **state)
{
	LOAD({ 0x0, 0x2000, 1 }, { 0x1000, 0x2000, 2 });
	EXPECT({ 0x0, 0xfff, 1 }, { 0x1000, 0x2fff, 2 });
}

static void
partial_overlap_from_the_left_also_loses(void **state)
{
	LOAD({ 0x1000, 0x2000, 2 }, { 0x0, 0x2000, 1 });
	EXPECT({ 0x0, 0xfff, 1 }, { 0x1000, 0x2fff, 2 });
}

static void
nested_reserved_splits_usable(void **state)
{
	LOAD({ 0x0, 0x10000, 1 }, { 0x4000, 0x1000, 2 });
	EXPECT({ 0x0, 0x3fff, 1 }, { 0x4000, 0x4fff, 2 },
		{ 0x5000, 0xffff, 1 });
}

static void
nested_usable_inside_reserved_vanishes(void **state)
{
	LOAD({ 0x0, 0x10000, 2 }, { 0x4000, 0x1000, 1 });
	EXPECT({ 0x0, 0xffff, 2 });
}

static void
identical_entries_take_highest_type(void **state)
{
	LOAD({ 0x1000, 0x1000, 1 }, { 0x1000, 0x1000, 4 },
		{ 0x1000, 0x1000, 3 });
	EXPECT({ 0x1000, 0x1fff, 4 });
}

static void
duplicates_collapse_to_one_range(void **state)
{
	LOAD({ 0x0, 0x9fc00, 1 }, { 0x0, 0x9fc00, 1 }, { 0x0, 0x9fc00, 1 });
	EXPECT({ 0x0, 0x9fbff, 1 });
}

static void
chain_of_overlaps_resolves_each_byte(void **state)
{
	/* usable 0-5, reserved 2-7, ACPI data 4-9, usable 8-11 (in KiB). */
	LOAD({ 0x0, 0x1800, 1 }, { 0x800, 0x1800, 2 }, { 0x1000, 0x1800, 3 },
		{ 0x2000, 0x1000, 1 });
	EXPECT({ 0x0, 0x7ff, 1 }, { 0x800, 0xfff, 2 }, { 0x1000, 0x27ff, 3 },
		{ 0x2800, 0x2fff, 1 });
}

static void
priority_is_unusable_nvs_data_reserved_usable(void **state)
{
	/* Each type starts 0x100 later over the same end: the later, the
	 * higher, so each shows only where it started. */
	LOAD({ 0x400, 0x100, 5 }, { 0x300, 0x200, 4 }, { 0x200, 0x300, 3 },
		{ 0x100, 0x400, 2 }, { 0x0, 0x500, 1 });
	EXPECT({ 0x0, 0xff, 1 }, { 0x100, 0x1ff, 2 }, { 0x200, 0x2ff, 3 },
		{ 0x300, 0x3ff, 4 }, { 0x400, 0x4ff, 5 });
}

static void
higher_type_inside_lower_splits_it(void **state)
{
	LOAD({ 0x0, 0x3000, 4 }, { 0x1000, 0x1000, 5 });
	EXPECT({ 0x0, 0xfff, 4 }, { 0x1000, 0x1fff, 5 }, { 0x2000, 0x2fff, 4 });
}

static void
touching_ranges_of_one_type_merge(void **state)
{
	LOAD({ 0x0, 0x1000, 1 }, { 0x1000, 0x1000, 1 }, { 0x2000, 0x1000, 1 });
	EXPECT({ 0x0, 0x2fff, 1 });
}

static void
touching_ranges_of_two_types_stay_apart(void **state)
{
	LOAD({ 0x0, 0x1000, 1 }, { 0x1000, 0x1000, 2 });
	EXPECT({ 0x0, 0xfff, 1 }, { 0x1000, 0x1fff, 2 });
}

static void
merge_happens_after_a_higher_type_ends(void **state)
{
	/* reserved over usable, then usable resumes: three ranges, and the
	 * two usable pieces are not glued across the reserved one. */
	LOAD({ 0x0, 0x3000, 1 }, { 0x1000, 0x1000, 2 }, { 0x2000, 0x2000, 1 });
	EXPECT({ 0x0, 0xfff, 1 }, { 0x1000, 0x1fff, 2 }, { 0x2000, 0x3fff, 1 });
}

static void
hole_between_entries_stays_absent(void **state)
{
	LOAD({ 0x0, 0x1000, 1 }, { 0x3000, 0x1000, 1 });
	EXPECT({ 0x0, 0xfff, 1 }, { 0x3000, 0x3fff, 1 });
}

static void
zero_length_entries_are_dropped(void **state)
{
	LOAD({ 0x0, 0x1000, 1 }, { 0x800, 0, 5 }, { 0x5000, 0, 2 });
	EXPECT({ 0x0, 0xfff, 1 });
}

static void
unaligned_bases_and_lengths_are_kept_exactly(void **state)
{
	LOAD({ 0x123, 0x4567, 1 }, { 0x1001, 0x3, 2 });
	EXPECT({ 0x123, 0x1000, 1 }, { 0x1001, 0x1003, 2 },
		{ 0x1004, 0x4689, 1 });
}

static void
ranges_above_and_across_4g_are_kept(void **state)
{
	LOAD({ 0xc0000000, 0x80000000, 1 }, { 0x100000000ull, 4 * GIB, 1 },
		{ 0xfec00000, 0x1000, 2 });
	EXPECT({ 0xc0000000, 0xfebfffff, 1 }, { 0xfec00000, 0xfec00fff, 2 },
		{ 0xfec01000, 0x1ffffffffull, 1 });
}

static void
length_past_2_64_is_clipped(void **state)
{
	LOAD({ 0xfffffffffffff000ull, 0x10000, 2 }, { 0x0, TOP, 1 });
	EXPECT({ 0x0, 0xffffffffffffefffull, 1 },
		{ 0xfffffffffffff000ull, TOP, 2 });
}

static void
entry_ending_at_2_64_is_whole(void **state)
{
	LOAD({ 0xfffffffffffff000ull, 0x1000, 1 });
	EXPECT({ 0xfffffffffffff000ull, TOP, 1 });
	/* hi is exclusive, so the very last frame is beyond any limit. */
	assert_int_equal(memmap_count_frames(&map, 0, TOP), 0);
}

static void
all_reserved_map_has_no_frames(void **state)
{
	LOAD({ 0x0, 0x100000, 2 }, { 0x100000, 0x1000000, 2 });
	EXPECT({ 0x0, 0x10fffff, 2 });
	assert_int_equal(memmap_count_frames(&map, 0, TOP), 0);
}

static void
unknown_types_count_as_reserved(void **state)
{
	LOAD({ 0x0, 0x1000, 0 }, { 0x1000, 0x1000, 2 }, { 0x2000, 0x1000, 7 },
		{ 0x3000, 0x1000, 0xffffffff }, { 0x800, 0x4000, 1 });
	EXPECT({ 0x0, 0x3fff, 2 }, { 0x4000, 0x47ff, 1 });
}

/* ------------------------------------------------------------ capacity */

static void
capacity_holds_128_and_counts_the_rest(void **state)
{
	memmap_init(&map);
	for (int i = 0; i < MEMMAP_FIRMWARE_MAX; i++)
		assert_int_equal(memmap_add_firmware(&map, (uint64_t)i * 0x2000,
			0x1000, 1 + i % 5), 0);
	assert_int_equal(memmap_add_firmware(&map, 0x1000000, 0x1000, 1),
		-ENOSPC);
	assert_int_equal(memmap_add_firmware(&map, 0x2000000, 0x1000, 1),
		-ENOSPC);
	assert_int_equal(map.nfirmware, MEMMAP_FIRMWARE_MAX);
	assert_int_equal(map.dropped, 2);
	memmap_sanitize(&map);
	assert_int_equal(map.nrange, MEMMAP_FIRMWARE_MAX);
	assert_int_equal(map.range[127].first, 127 * 0x2000);
}

static void
full_firmware_and_edit_tables_sanitize(void **state)
{
	/* 160 disjoint entries with holes between, types cycling: one range
	 * each, and the 161st edit is refused. */
	memmap_init(&map);
	for (int i = 0; i < MEMMAP_INPUT_MAX; i++) {
		uint64_t base = (uint64_t)(MEMMAP_INPUT_MAX - 1 - i) * 0x2000;
		uint32_t type = 1 + i % 5;
		if (i < MEMMAP_FIRMWARE_MAX)
			assert_int_equal(memmap_add_firmware(&map, base, 0x1000,
				type), 0);
		else
			assert_int_equal(memmap_add_edit(&map, base, 0x1000,
				type), 0);
	}
	assert_int_equal(memmap_add_edit(&map, 0, 1, 1), -ENOSPC);
	assert_int_equal(map.dropped, 1);
	memmap_sanitize(&map);
	assert_int_equal(map.nrange, MEMMAP_INPUT_MAX);
	for (int i = 0; i < map.nrange; i++) {
		assert_int_equal(map.range[i].first, (uint64_t)i * 0x2000);
		assert_int_equal(map.range[i].last, (uint64_t)i * 0x2000 + 0xfff);
	}
}

/* ------------------------------------------------------------- edits */

static void
memmap_at_adds_usable_before_sanitizing(void **state)
{
	LOAD({ 0x0, 0x10000, 2 });
	assert_int_equal(memmap_apply_edit(&map, "4K@0x20000", 10), 0);
	EXPECT({ 0x0, 0xffff, 2 }, { 0x20000, 0x20fff, 1 });
}

static void
memmap_dollar_reserves_inside_usable(void **state)
{
	LOAD({ 0x100000, 0x7ee0000, 1 });
	assert_int_equal(memmap_apply_edit(&map, "1M$16M", 6), 0);
	EXPECT({ 0x100000, 0xffffff, 1 }, { 0x1000000, 0x10fffff, 2 },
		{ 0x1100000, 0x7fdffff, 1 });
}

static void
memmap_hash_adds_acpi_data(void **state)
{
	uint64_t base, size;
	uint32_t type;

	assert_int_equal(memmap_parse_edit("0x1000#0x7000", 13, &base, &size,
		&type), 0);
	assert_int_equal(base, 0x7000);
	assert_int_equal(size, 0x1000);
	assert_int_equal(type, MEMMAP_ACPI_DATA);
}

static void
memmap_usable_edit_loses_to_firmware_reserved(void **state)
{
	LOAD({ 0xf0000, 0x10000, 2 });
	assert_int_equal(memmap_apply_edit(&map, "1M@0", 4), 0);
	EXPECT({ 0x0, 0xeffff, 1 }, { 0xf0000, 0xfffff, 2 });
}

static void
malformed_memmap_values_are_rejected(void **state)
{
	static const char *const bad[] = {
		"", "64M", "@1M", "1M@", "1M!2M", "0@1M", "1Q@2M", "1M@2M@3M",
		"0x@1M", "1M@-1", "M@1M",
	};
	uint64_t base = 7, size = 7;
	uint32_t type = 7;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(memmap_parse_edit(bad[i], strlen(bad[i]),
			&base, &size, &type), -EINVAL);
	assert_int_equal(memmap_parse_edit("0x10000000000000000@0", 21, &base,
		&size, &type), -ERANGE);
	assert_int_equal(base, 7);      /* untouched on failure */
	assert_int_equal(size, 7);
	assert_int_equal(type, 7);

	memmap_init(&map);
	assert_int_equal(memmap_apply_edit(&map, "1M", 2), -EINVAL);
	assert_int_equal(map.nedit, 0);
}

static void
edit_length_is_respected_not_the_nul(void **state)
{
	uint64_t base, size;
	uint32_t type;

	/* A value inside a longer command line is a slice, not a string. */
	assert_int_equal(memmap_parse_edit("4K@8K quiet", 5, &base, &size,
		&type), 0);
	assert_int_equal(base, 8 * KIB);
	assert_int_equal(size, 4 * KIB);
	assert_int_equal(type, MEMMAP_USABLE);
}

static void
mem_limit_trims_usable_and_keeps_the_rest(void **state)
{
	LOAD({ 0x0, 0x9fc00, 1 }, { 0xf0000, 0x10000, 2 },
		{ 0x100000, 0x7ee0000, 1 }, { 0xfffc0000, 0x40000, 2 });
	assert_int_equal(memmap_apply_limit(&map, "64M", 3), 0);
	EXPECT({ 0x0, 0x9fbff, 1 }, { 0xf0000, 0xfffff, 2 },
		{ 0x100000, 0x3ffffff, 1 }, { 0xfffc0000, 0xffffffff, 2 });
}

static void
mem_limit_zero_removes_all_usable(void **state)
{
	LOAD({ 0x0, 0x9fc00, 1 }, { 0xf0000, 0x10000, 2 },
		{ 0x100000, 0x1000000, 1 });
	memmap_set_limit(&map, 0);
	EXPECT({ 0xf0000, 0xfffff, 2 });
}

static void
mem_limit_applies_after_memmap_edits(void **state)
{
	LOAD({ 0x0, 0x1000000, 1 });
	assert_int_equal(memmap_apply_edit(&map, "1M@32M", 6), 0);
	assert_int_equal(memmap_apply_limit(&map, "8M", 2), 0);
	EXPECT({ 0x0, 0x7fffff, 1 });
}

static void
mem_limit_above_everything_changes_nothing(void **state)
{
	LOAD({ 0x0, 0x1000, 1 }, { 0xfffffffffffff000ull, 0x1000, 1 });
	memmap_set_limit(&map, TOP);
	EXPECT({ 0x0, 0xfff, 1 }, { 0xfffffffffffff000ull, 0xfffffffffffffffeull, 1 });
}

static void
malformed_mem_value_leaves_map_alone(void **state)
{
	LOAD({ 0x0, 0x1000, 1 });
	assert_int_equal(memmap_apply_limit(&map, "lots", 4), -EINVAL);
	assert_int_equal(memmap_apply_limit(&map, "", 0), -EINVAL);
	assert_false(map.has_limit);
	EXPECT({ 0x0, 0xfff, 1 });
}

/* --------------------------------------------------------- multiboot */

/* Writes a Multiboot mmap entry with the given size field at p. */
static size_t
put_entry(uint8_t *p, uint32_t size, uint64_t base, uint64_t length,
	uint32_t type)
{
	struct multiboot_mmap_entry e = { size, base, length, type };

	memcpy(p, &e, sizeof e);
	return size + 4;
}

static void
multiboot_walk_reads_every_entry(void **state)
{
	uint8_t buf[128] = { 0 };
	size_t len = 0;
	int n;

	len += put_entry(buf + len, 20, 0x0, 0x9fc00, 1);
	len += put_entry(buf + len, 24, 0x9fc00, 0x400, 2);    /* padded */
	len += put_entry(buf + len, 20, 0x100000, 0x7ee0000, 1);
	memmap_init(&map);
	assert_int_equal(memmap_read_multiboot(&map, buf, len, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(map.nfirmware, 3);
	assert_int_equal(map.firmware[1].base, 0x9fc00);
	assert_int_equal(map.firmware[2].length, 0x7ee0000);
	EXPECT({ 0x0, 0x9fbff, 1 }, { 0x9fc00, 0x9ffff, 2 },
		{ 0x100000, 0x7fdffff, 1 });
}

static void
multiboot_walk_needs_no_alignment(void **state)
{
	uint8_t buf[64];
	int n;

	put_entry(buf + 1, 20, 0x1000, 0x2000, 1);
	memmap_init(&map);
	assert_int_equal(memmap_read_multiboot(&map, buf + 1, 24, &n), 0);
	assert_int_equal(n, 1);
	EXPECT({ 0x1000, 0x2fff, 1 });
}

static void
multiboot_size_field_too_small_stops_walk(void **state)
{
	uint8_t buf[128] = { 0 };
	size_t len = 0;
	int n;

	len += put_entry(buf + len, 20, 0x0, 0x1000, 1);
	len += put_entry(buf + len, 19, 0x1000, 0x1000, 1);
	len += put_entry(buf + len, 20, 0x2000, 0x1000, 1);
	memmap_init(&map);
	assert_int_equal(memmap_read_multiboot(&map, buf, len, &n), -EINVAL);
	assert_int_equal(n, 1);
	assert_int_equal(map.nfirmware, 1);
}

static void
multiboot_size_zero_does_not_loop(void **state)
{
	uint8_t buf[8] = { 0 };
	int n;

	memmap_init(&map);
	assert_int_equal(memmap_read_multiboot(&map, buf, sizeof buf, &n),
		-EINVAL);
	assert_int_equal(n, 0);
}

static void
multiboot_entry_past_the_end_stops_walk(void **state)
{
	uint8_t buf[128] = { 0 };
	size_t len = 0;
	int n;

	len += put_entry(buf + len, 20, 0x0, 0x1000, 1);
	len += put_entry(buf + len, 20, 0x1000, 0x1000, 1);
	memmap_init(&map);
	assert_int_equal(memmap_read_multiboot(&map, buf, len - 1, &n), -EINVAL);
	assert_int_equal(n, 1);
	/* A size field claiming 4 GiB must not wrap the bounds check. */
	put_entry(buf, 0xffffffff, 0x0, 0x1000, 1);
	memmap_init(&map);
	assert_int_equal(memmap_read_multiboot(&map, buf, len, &n), -EINVAL);
	assert_int_equal(n, 0);
}

static void
multiboot_stray_tail_is_an_error(void **state)
{
	uint8_t buf[128] = { 0 };
	size_t len = put_entry(buf, 20, 0x0, 0x1000, 1);
	int n;

	memmap_init(&map);
	assert_int_equal(memmap_read_multiboot(&map, buf, len + 3, &n), -EINVAL);
	assert_int_equal(n, 1);
	memmap_init(&map);
	assert_int_equal(memmap_read_multiboot(&map, buf, 0, &n), 0);
	assert_int_equal(n, 0);
}

static void
multiboot_over_capacity_reads_all_and_reports(void **state)
{
	static uint8_t buf[(MEMMAP_FIRMWARE_MAX + 5) * 24];
	size_t len = 0;
	int n;

	for (int i = 0; i < MEMMAP_FIRMWARE_MAX + 5; i++)
		len += put_entry(buf + len, 20, (uint64_t)i * 0x1000, 0x1000, 1);
	memmap_init(&map);
	assert_int_equal(memmap_read_multiboot(&map, buf, len, &n), -ENOSPC);
	assert_int_equal(n, MEMMAP_FIRMWARE_MAX + 5);
	assert_int_equal(map.dropped, 5);
	EXPECT({ 0x0, (uint64_t)MEMMAP_FIRMWARE_MAX * 0x1000 - 1, 1 });
}

/* ---------------------------------------------------------- printing */

static void
type_names_are_linux_names(void **state)
{
	assert_string_equal(memmap_type_name(1), "usable");
	assert_string_equal(memmap_type_name(2), "reserved");
	assert_string_equal(memmap_type_name(3), "ACPI data");
	assert_string_equal(memmap_type_name(4), "ACPI NVS");
	assert_string_equal(memmap_type_name(5), "unusable");
	assert_null(memmap_type_name(0));
	assert_null(memmap_type_name(6));
}

static void
firmware_lines_print_raw_entries_as_linux(void **state)
{
	char line[MEMMAP_LINE_MAX];

	LOAD({ 0x9fc00, 0x400, 2 }, { 0x0, 0x9fc00, 1 }, { 0x1000, 0x10, 7 },
		{ 0x5000, 0, 1 }, { 0xfffffffffffff000ull, 0x10000, 4 },
		{ 0x0, 1, 0xffffffff });
	memmap_format_firmware(&map, 0, line, sizeof line);
	assert_string_equal(line,
		"BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved");
	memmap_format_firmware(&map, 1, line, sizeof line);
	assert_string_equal(line,
		"BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable");
	memmap_format_firmware(&map, 2, line, sizeof line);
	assert_string_equal(line,
		"BIOS-e820: [mem 0x0000000000001000-0x000000000000100f] type 7");
	assert_int_equal(memmap_format_firmware(&map, 3, line, sizeof line), 0);
	assert_string_equal(line, "");
	memmap_format_firmware(&map, 4, line, sizeof line);
	assert_string_equal(line,
		"BIOS-e820: [mem 0xfffffffffffff000-0xffffffffffffffff] ACPI NVS");
	assert_int_equal(memmap_format_firmware(&map, 5, line, sizeof line),
		70);
}

static void
final_lines_print_sanitized_ranges(void **state)
{
	char line[MEMMAP_LINE_MAX];

	LOAD({ 0x0, 0x9fc00, 1 }, { 0x7fe0000, 0x20000, 3 },
		{ 0x7ff0000, 0x10000, 4 }, { 0x8000000, 0x1000, 5 });
	memmap_sanitize(&map);
	memmap_format_range(&map, 0, line, sizeof line);
	assert_string_equal(line,
		"e820: [mem 0x0000000000000000-0x000000000009fbff] usable");
	memmap_format_range(&map, 1, line, sizeof line);
	assert_string_equal(line,
		"e820: [mem 0x0000000007fe0000-0x0000000007feffff] ACPI data");
	memmap_format_range(&map, 2, line, sizeof line);
	assert_string_equal(line,
		"e820: [mem 0x0000000007ff0000-0x0000000007ffffff] ACPI NVS");
	memmap_format_range(&map, 3, line, sizeof line);
	assert_string_equal(line,
		"e820: [mem 0x0000000008000000-0x0000000008000fff] unusable");
}

static void
short_buffer_truncates_and_reports_full_length(void **state)
{
	char line[16];

	LOAD({ 0x0, 0x1000, 1 });
	memmap_sanitize(&map);
	assert_int_equal(memmap_format_range(&map, 0, line, sizeof line), 56);
	assert_string_equal(line, "e820: [mem 0x00");
}

/* ------------------------------------------------------------ frames */

static void
frames_count_whole_frames_only(void **state)
{
	LOAD({ 0x1001, 0x2fff, 1 }, { 0x10000, 0xfff, 1 });
	memmap_sanitize(&map);
	/* 0x1001-0x3fff holds 0x2000 and 0x3000; 0x10000-0x10ffe none. */
	assert_int_equal(memmap_count_frames(&map, 0, TOP), 2);
}

static void
frames_are_clipped_to_the_limits(void **state)
{
	LOAD({ 0x0, 0x9fc00, 1 }, { 0x100000, 0x7ee0000, 1 },
		{ 0x100000000ull, 0x100000000ull, 1 });
	memmap_sanitize(&map);
	assert_int_equal(memmap_count_frames(&map, MIB, 4 * GIB), 0x7ee0);
	assert_int_equal(memmap_count_frames(&map, 0, 4 * GIB), 0x7ee0 + 0x9f);
	assert_int_equal(memmap_count_frames(&map, 0x100800, 0x102800), 1);
	assert_int_equal(memmap_count_frames(&map, 0, 0), 0);
	assert_int_equal(memmap_count_frames(&map, 4 * GIB, TOP), 0x100000);
}

static void
frames_skip_non_usable_ranges(void **state)
{
	LOAD({ 0x0, 0x10000, 2 }, { 0x10000, 0x10000, 3 },
		{ 0x20000, 0x10000, 4 }, { 0x30000, 0x10000, 5 },
		{ 0x40000, 0x2000, 1 });
	memmap_sanitize(&map);
	assert_int_equal(memmap_count_frames(&map, 0, TOP), 2);
}

static void
next_usable_walks_ranges_in_order(void **state)
{
	uint64_t base, frames;
	int cursor = 0;

	LOAD({ 0x0, 0x9fc00, 1 }, { 0xf0000, 0x10000, 2 },
		{ 0x100000, 0x7ee0000, 1 }, { 0x8000800, 0x800, 1 });
	memmap_sanitize(&map);
	assert_true(memmap_next_usable(&map, &cursor, 0x1000, TOP, &base,
		&frames));
	assert_int_equal(base, 0x1000);
	assert_int_equal(frames, 0x9e);
	assert_true(memmap_next_usable(&map, &cursor, 0x1000, TOP, &base,
		&frames));
	assert_int_equal(base, 0x100000);
	assert_int_equal(frames, 0x7ee0);
	assert_false(memmap_next_usable(&map, &cursor, 0x1000, TOP, &base,
		&frames));
}

/* --------------------------------------------------------- real maps */

static void
qemu_128m_map_sanitizes_to_itself(void **state)
{
	LOAD({ 0x0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0xf0000, 0x10000, 2 },
		{ 0x100000, 0x7ee0000, 1 }, { 0x7fe0000, 0x20000, 2 },
		{ 0xfffc0000, 0x40000, 2 });
	EXPECT({ 0x0, 0x9fbff, 1 }, { 0x9fc00, 0x9ffff, 2 },
		{ 0xf0000, 0xfffff, 2 }, { 0x100000, 0x7fdffff, 1 },
		{ 0x7fe0000, 0x7ffffff, 2 }, { 0xfffc0000, 0xffffffff, 2 });
	assert_int_equal(memmap_count_frames(&map, MIB, 4 * GIB), 32480);
}

int
main(void)
{
	filter_tests_from_environment();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_map_gives_empty_table),
		cmocka_unit_test(unsorted_input_comes_out_sorted),
		cmocka_unit_test(partial_overlap_reserved_wins_shared_bytes),
		cmocka_unit_test(partial_overlap_from_the_left_also_loses),
		cmocka_unit_test(nested_reserved_splits_usable),
		cmocka_unit_test(nested_usable_inside_reserved_vanishes),
		cmocka_unit_test(identical_entries_take_highest_type),
		cmocka_unit_test(duplicates_collapse_to_one_range),
		cmocka_unit_test(chain_of_overlaps_resolves_each_byte),
		cmocka_unit_test(priority_is_unusable_nvs_data_reserved_usable),
		cmocka_unit_test(higher_type_inside_lower_splits_it),
		cmocka_unit_test(touching_ranges_of_one_type_merge),
		cmocka_unit_test(touching_ranges_of_two_types_stay_apart),
		cmocka_unit_test(merge_happens_after_a_higher_type_ends),
		cmocka_unit_test(hole_between_entries_stays_absent),
		cmocka_unit_test(zero_length_entries_are_dropped),
		cmocka_unit_test(unaligned_bases_and_lengths_are_kept_exactly),
		cmocka_unit_test(ranges_above_and_across_4g_are_kept),
		cmocka_unit_test(length_past_2_64_is_clipped),
		cmocka_unit_test(entry_ending_at_2_64_is_whole),
		cmocka_unit_test(all_reserved_map_has_no_frames),
		cmocka_unit_test(unknown_types_count_as_reserved),
		cmocka_unit_test(capacity_holds_128_and_counts_the_rest),
		cmocka_unit_test(full_firmware_and_edit_tables_sanitize),
		cmocka_unit_test(memmap_at_adds_usable_before_sanitizing),
		cmocka_unit_test(memmap_dollar_reserves_inside_usable),
		cmocka_unit_test(memmap_hash_adds_acpi_data),
		cmocka_unit_test(memmap_usable_edit_loses_to_firmware_reserved),
		cmocka_unit_test(malformed_memmap_values_are_rejected),
		cmocka_unit_test(edit_length_is_respected_not_the_nul),
		cmocka_unit_test(mem_limit_trims_usable_and_keeps_the_rest),
		cmocka_unit_test(mem_limit_zero_removes_all_usable),
		cmocka_unit_test(mem_limit_applies_after_memmap_edits),
		cmocka_unit_test(mem_limit_above_everything_changes_nothing),
		cmocka_unit_test(malformed_mem_value_leaves_map_alone),
		cmocka_unit_test(multiboot_walk_reads_every_entry),
		cmocka_unit_test(multiboot_walk_needs_no_alignment),
		cmocka_unit_test(multiboot_size_field_too_small_stops_walk),
		cmocka_unit_test(multiboot_size_zero_does_not_loop),
		cmocka_unit_test(multiboot_entry_past_the_end_stops_walk),
		cmocka_unit_test(multiboot_stray_tail_is_an_error),
		cmocka_unit_test(multiboot_over_capacity_reads_all_and_reports),
		cmocka_unit_test(type_names_are_linux_names),
		cmocka_unit_test(firmware_lines_print_raw_entries_as_linux),
		cmocka_unit_test(final_lines_print_sanitized_ranges),
		cmocka_unit_test(short_buffer_truncates_and_reports_full_length),
		cmocka_unit_test(frames_count_whole_frames_only),
		cmocka_unit_test(frames_are_clipped_to_the_limits),
		cmocka_unit_test(frames_skip_non_usable_ranges),
		cmocka_unit_test(next_usable_walks_ranges_in_order),
		cmocka_unit_test(qemu_128m_map_sanitizes_to_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
