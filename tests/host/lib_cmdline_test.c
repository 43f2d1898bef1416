/* Host tests of src/lib/cmdline.c: words, quoting, the kernel path, sizes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "test_filter.h"

#include <cmdline.h>
#include <cairn/errno.h>

/* Reads the next word of *cursor and checks its key and value; value is
 * NULL for a flag. */
#define assert_next_word(cursor, want_key, want_value) do {             \
	struct cmdline_word w_;                                         \
	assert_true(cmdline_next((cursor), &w_));                       \
	assert_int_equal(w_.key_len, strlen(want_key));                 \
	assert_memory_equal(w_.key, (want_key), w_.key_len);            \
	check_value(&w_, (want_value));                                 \
} while (0)

static void
check_value(const struct cmdline_word *w, const char *want)
{
	if (want == NULL) {
		assert_null(w->value);
		assert_int_equal(w->value_len, 0);
		return;
	}
	assert_non_null(w->value);
	assert_int_equal(w->value_len, strlen(want));
	assert_memory_equal(w->value, want, w->value_len);
}

static void
assert_no_more_words(const char **cursor)
{
	struct cmdline_word w;

	assert_false(cmdline_next(cursor, &w));
	assert_int_equal(**cursor, '\0');
	assert_false(cmdline_next(cursor, &w));    /* and stays at the end */
}

/* Parses text as a whole string of known length. */
static int
parse_size(const char *text, uint64_t *out)
{
	return cmdline_parse_size(text, strlen(text), out);
}

static void
assert_size(const char *text, uint64_t want)
{
	uint64_t v = 0xdeadbeef;

	if (parse_size(text, &v) != 0)
		fail_msg("\"%s\" did not parse", text);
	if (v != want)
		fail_msg("\"%s\" parsed as %llu, want %llu", text,
		         (unsigned long long)v, (unsigned long long)want);
}

static void
assert_size_fails(const char *text, int want_error)
{
	uint64_t v = 0xdeadbeef;
	int r = parse_size(text, &v);

	if (r != want_error)
		fail_msg("\"%s\" returned %d, want %d", text, r, want_error);
	assert_int_equal(v, 0xdeadbeef);        /* *out untouched on failure */
}

static void
next_reads_flags_and_key_values_in_order(void **state)
{
	const char *cursor = "test poweroff mem=64M run=a/b";

	assert_next_word(&cursor, "test", NULL);
	assert_next_word(&cursor, "poweroff", NULL);
	assert_next_word(&cursor, "mem", "64M");
	assert_next_word(&cursor, "run", "a/b");
	assert_no_more_words(&cursor);
}

static void
next_gives_empty_value_for_key_with_equals(void **state)
{
	const char *cursor = "key= other";

	assert_next_word(&cursor, "key", "");
	assert_next_word(&cursor, "other", NULL);
	assert_no_more_words(&cursor);
	cursor = "last=";
	assert_next_word(&cursor, "last", "");
	assert_no_more_words(&cursor);
}

static void
next_splits_value_at_first_equals_only(void **state)
{
	const char *cursor = "a=b=c =x";

	assert_next_word(&cursor, "a", "b=c");
	assert_next_word(&cursor, "", "x");
	assert_no_more_words(&cursor);
}

static void
next_keeps_spaces_inside_quoted_value(void **state)
{
	const char *cursor = "msg=\"hello  world\" x=\"\" y";

	assert_next_word(&cursor, "msg", "hello  world");
	assert_next_word(&cursor, "x", "");
	assert_next_word(&cursor, "y", NULL);
	assert_no_more_words(&cursor);
}

static void
next_takes_unterminated_quote_to_end_of_line(void **state)
{
	const char *cursor = "a=1 msg=\"no end here";

	assert_next_word(&cursor, "a", "1");
	assert_next_word(&cursor, "msg", "no end here");
	assert_no_more_words(&cursor);
}

static void
next_skips_runs_of_spaces_tabs_and_newlines(void **state)
{
	const char *cursor = " \t  one\t\ttwo=2   \r\n three \n";

	assert_next_word(&cursor, "one", NULL);
	assert_next_word(&cursor, "two", "2");
	assert_next_word(&cursor, "three", NULL);
	assert_no_more_words(&cursor);
}

static void
next_finds_no_word_in_empty_or_blank_line(void **state)
{
	const char *cursor = "";

	assert_no_more_words(&cursor);
	cursor = "  \t \n";
	assert_no_more_words(&cursor);
}

static void
next_does_not_read_past_line_end(void **state)
{
	char *line = malloc(6);                 /* ASan: exact size */

	assert_non_null(line);
	memcpy(line, "a=\"bc", 6);
	const char *cursor = line;
	assert_next_word(&cursor, "a", "bc");
	assert_no_more_words(&cursor);
	free(line);
}

static const char *
first_word_after_skip(const char *line, struct cmdline_word *w)
{
	const char *cursor = cmdline_skip_path(line);

	return cmdline_next(&cursor, w) ? cursor : NULL;
}

static void
skip_path_skips_qemu_kernel_path(void **state)
{
	struct cmdline_word w;

	assert_non_null(first_word_after_skip("build/kernel.elf test poweroff", &w));
	assert_true(cmdline_key_is(&w, "test"));
	assert_non_null(first_word_after_skip("  build/kernel.elf\tmem=8M", &w));
	assert_true(cmdline_key_is(&w, "mem"));
}

static void
skip_path_keeps_grub_line_without_path(void **state)
{
	const char *line = "test poweroff";

	assert_ptr_equal(cmdline_skip_path(line), line);
	assert_int_equal(*cmdline_skip_path(""), '\0');
}

static void
skip_path_of_lone_path_leaves_nothing(void **state)
{
	struct cmdline_word w;

	assert_null(first_word_after_skip("/boot/kernel.elf", &w));
	assert_null(first_word_after_skip("/boot/kernel.elf   ", &w));
}

static void
skip_path_keeps_first_word_with_equals(void **state)
{
	struct cmdline_word w;

	assert_non_null(first_word_after_skip("memmap=0x100000/4K test", &w));
	assert_true(cmdline_key_is(&w, "memmap"));
	assert_non_null(first_word_after_skip("run=a/b poweroff", &w));
	assert_true(cmdline_key_is(&w, "run"));
	check_value(&w, "a/b");
	assert_non_null(first_word_after_skip("a/b=c", &w));
	assert_true(cmdline_key_is(&w, "a/b"));
}

static void
skip_path_keeps_first_word_after_leading_spaces(void **state)
{
	struct cmdline_word w;

	assert_non_null(first_word_after_skip("   test poweroff", &w));
	assert_true(cmdline_key_is(&w, "test"));
	assert_non_null(first_word_after_skip("   mem=8M", &w));
	assert_true(cmdline_key_is(&w, "mem"));
}

static void
key_is_matches_whole_key_only(void **state)
{
	const char *cursor = "memmap=1 mem=2 m";
	struct cmdline_word w;

	assert_true(cmdline_next(&cursor, &w));
	assert_true(cmdline_key_is(&w, "memmap"));
	assert_false(cmdline_key_is(&w, "mem"));
	assert_false(cmdline_key_is(&w, "memmapx"));
	assert_false(cmdline_key_is(&w, ""));
	assert_true(cmdline_next(&cursor, &w));
	assert_true(cmdline_key_is(&w, "mem"));
	assert_false(cmdline_key_is(&w, "memmap"));
	assert_false(cmdline_key_is(&w, "Mem"));
	assert_true(cmdline_next(&cursor, &w));
	assert_true(cmdline_key_is(&w, "m"));
	assert_false(cmdline_key_is(&w, "mem"));
}

static void
key_is_of_empty_key_matches_empty_string(void **state)
{
	const char *cursor = "=x";
	struct cmdline_word w;

	assert_true(cmdline_next(&cursor, &w));
	assert_true(cmdline_key_is(&w, ""));
	assert_false(cmdline_key_is(&w, "x"));
}

static void
size_parses_decimal_hex_and_suffixes(void **state)
{
	assert_size("0", 0);
	assert_size("4096", 4096);
	assert_size("007", 7);
	assert_size("0x1000", 0x1000);
	assert_size("0X1000", 0x1000);
	assert_size("0xDeadBeef", 0xdeadbeef);
	assert_size("0x0", 0);
	assert_size("64M", 64ull << 20);
	assert_size("2g", 2ull << 30);
	assert_size("0x10k", 16ull << 10);
}

static void
size_accepts_each_suffix_in_either_case(void **state)
{
	assert_size("3k", 3ull << 10);
	assert_size("3K", 3ull << 10);
	assert_size("3m", 3ull << 20);
	assert_size("3M", 3ull << 20);
	assert_size("3g", 3ull << 30);
	assert_size("3G", 3ull << 30);
	assert_size("0K", 0);
}

static void
size_reads_only_len_bytes(void **state)
{
	char *text = malloc(3);                 /* ASan: no terminator */
	uint64_t v;

	assert_non_null(text);
	memcpy(text, "64M", 3);
	assert_int_equal(cmdline_parse_size(text, 3, &v), 0);
	assert_int_equal(v, 64ull << 20);
	assert_int_equal(cmdline_parse_size(text, 2, &v), 0);
	assert_int_equal(v, 64);
	free(text);
	assert_int_equal(cmdline_parse_size("64M extra", 3, &v), 0);
	assert_int_equal(v, 64ull << 20);
}

static void
size_rejects_missing_digits(void **state)
{
	assert_size_fails("", -EINVAL);
	assert_size_fails("K", -EINVAL);
	assert_size_fails("g", -EINVAL);
	assert_size_fails("0x", -EINVAL);
	assert_size_fails("0X", -EINVAL);
	assert_size_fails("0xK", -EINVAL);
}

static void
size_rejects_non_digits(void **state)
{
	assert_size_fails("abc", -EINVAL);
	assert_size_fails("12a", -EINVAL);      /* hex digit without 0x */
	assert_size_fails("0x12g3", -EINVAL);
	assert_size_fails("0xfz", -EINVAL);
	assert_size_fails("-1", -EINVAL);
	assert_size_fails("+1", -EINVAL);
	assert_size_fails(" 1", -EINVAL);
	assert_size_fails("1 ", -EINVAL);
	assert_size_fails("1KK", -EINVAL);
	assert_size_fails("1K0", -EINVAL);
	assert_size_fails("1T", -EINVAL);
	assert_size_fails("1.5M", -EINVAL);
	assert_size_fails("x10", -EINVAL);
}

static void
size_accepts_largest_values_that_fit(void **state)
{
	assert_size("18446744073709551615", UINT64_MAX);
	assert_size("0xffffffffffffffff", UINT64_MAX);
	assert_size("0x0000000000000000ffffffffffffffff", UINT64_MAX);
	assert_size("18014398509481983K", UINT64_MAX >> 10 << 10);
	assert_size("17592186044415M", UINT64_MAX >> 20 << 20);
	assert_size("17179869183G", UINT64_MAX >> 30 << 30);
	assert_size("0x3ffffffffG", UINT64_MAX >> 30 << 30);
}

static void
size_rejects_digits_that_overflow(void **state)
{
	assert_size_fails("18446744073709551616", -ERANGE);
	assert_size_fails("18446744073709551620", -ERANGE);
	assert_size_fails("99999999999999999999", -ERANGE);
	assert_size_fails("0x10000000000000000", -ERANGE);
	assert_size_fails("184467440737095516150", -ERANGE);
}

static void
size_rejects_suffix_that_overflows(void **state)
{
	assert_size_fails("18014398509481984K", -ERANGE);
	assert_size_fails("17592186044416M", -ERANGE);
	assert_size_fails("17179869184G", -ERANGE);
	assert_size_fails("0x400000000G", -ERANGE);
	assert_size_fails("18446744073709551615K", -ERANGE);
}

static void
number_reads_decimal_and_hex_up_to_max(void **state)
{
	uint32_t v = 7;

	assert_int_equal(cmdline_parse_number("0", 1, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cmdline_parse_number("10", 2, 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(cmdline_parse_number("0x1f", 4, 100, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(cmdline_parse_number("4294967295", 10, UINT32_MAX, &v), 0);
	assert_int_equal(v, UINT32_MAX);
}

static void
number_refuses_suffixes_junk_and_too_large(void **state)
{
	uint32_t v = 7;

	assert_int_equal(cmdline_parse_number("11", 2, 10, &v), -ERANGE);
	assert_int_equal(cmdline_parse_number("4294967296", 10, UINT32_MAX, &v), -ERANGE);
	assert_int_equal(cmdline_parse_number("99999999999999999999999", 23, UINT32_MAX, &v), -ERANGE);
	assert_int_equal(cmdline_parse_number("2K", 2, 1000000, &v), -EINVAL);
	assert_int_equal(cmdline_parse_number("2s", 2, 10, &v), -EINVAL);
	assert_int_equal(cmdline_parse_number("", 0, 10, &v), -EINVAL);
	assert_int_equal(cmdline_parse_number("-1", 2, 10, &v), -EINVAL);
	assert_int_equal(v, 7);                 /* untouched on failure */
}

/* Collects the items of list into out (joined by '|'); returns how many. */
static int
items_of(const char *list, char *out, size_t size)
{
	const char *cursor = list, *end = list + strlen(list), *item;
	size_t len;
	int n = 0;

	out[0] = '\0';
	while (cmdline_next_item(&cursor, end, &item, &len)) {
		snprintf(out + strlen(out), size - strlen(out), "%s%.*s", n ? "|" : "", (int)len, item);
		n++;
	}
	return n;
}

static void
items_split_at_commas_and_keep_empty_ones(void **state)
{
	char out[64];

	assert_int_equal(items_of("a,bc,d", out, sizeof out), 3);
	assert_string_equal(out, "a|bc|d");
	assert_int_equal(items_of("one", out, sizeof out), 1);
	assert_string_equal(out, "one");
	assert_int_equal(items_of(",,", out, sizeof out), 3);
	assert_string_equal(out, "||");
	assert_int_equal(items_of("a,", out, sizeof out), 2);
	assert_string_equal(out, "a|");
	assert_int_equal(items_of("", out, sizeof out), 1);     /* one empty item */
	assert_string_equal(out, "");
}

static void
is_matches_exactly_and_reads_only_len_bytes(void **state)
{
	assert_true(cmdline_is("all", 3, "all"));
	assert_false(cmdline_is("all", 3, "al"));
	assert_false(cmdline_is("al", 2, "all"));
	assert_true(cmdline_is("allx", 3, "all"));       /* only len bytes count */
	assert_true(cmdline_is("", 0, ""));
	assert_false(cmdline_is("", 0, "a"));
}

static void
items_read_only_up_to_end(void **state)
{
	const char *line = "run=x,y poweroff";
	const char *cursor = line + 4, *end = line + 7, *item;
	size_t len;

	assert_true(cmdline_next_item(&cursor, end, &item, &len));
	assert_int_equal(len, 1);
	assert_memory_equal(item, "x", 1);
	assert_true(cmdline_next_item(&cursor, end, &item, &len));
	assert_int_equal(len, 1);
	assert_memory_equal(item, "y", 1);
	assert_false(cmdline_next_item(&cursor, end, &item, &len));
}

int
main(void)
{
	filter_tests_from_environment();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(next_reads_flags_and_key_values_in_order),
		cmocka_unit_test(next_gives_empty_value_for_key_with_equals),
		cmocka_unit_test(next_splits_value_at_first_equals_only),
		cmocka_unit_test(next_keeps_spaces_inside_quoted_value),
		cmocka_unit_test(next_takes_unterminated_quote_to_end_of_line),
		cmocka_unit_test(next_skips_runs_of_spaces_tabs_and_newlines),
		cmocka_unit_test(next_finds_no_word_in_empty_or_blank_line),
		cmocka_unit_test(next_does_not_read_past_line_end),
		cmocka_unit_test(skip_path_skips_qemu_kernel_path),
		cmocka_unit_test(skip_path_keeps_grub_line_without_path),
		cmocka_unit_test(skip_path_of_lone_path_leaves_nothing),
		cmocka_unit_test(skip_path_keeps_first_word_with_equals),
		cmocka_unit_test(skip_path_keeps_first_word_after_leading_spaces),
		cmocka_unit_test(key_is_matches_whole_key_only),
		cmocka_unit_test(key_is_of_empty_key_matches_empty_string),
		cmocka_unit_test(size_parses_decimal_hex_and_suffixes),
		cmocka_unit_test(size_accepts_each_suffix_in_either_case),
		cmocka_unit_test(size_reads_only_len_bytes),
		cmocka_unit_test(size_rejects_missing_digits),
		cmocka_unit_test(size_rejects_non_digits),
		cmocka_unit_test(size_accepts_largest_values_that_fit),
		cmocka_unit_test(size_rejects_digits_that_overflow),
		cmocka_unit_test(size_rejects_suffix_that_overflows),
		cmocka_unit_test(number_reads_decimal_and_hex_up_to_max),
		cmocka_unit_test(items_split_at_commas_and_keep_empty_ones),
		cmocka_unit_test(items_read_only_up_to_end),
		cmocka_unit_test(is_matches_exactly_and_reads_only_len_bytes),
		cmocka_unit_test(number_refuses_suffixes_junk_and_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
