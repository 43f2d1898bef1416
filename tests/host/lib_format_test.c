/*
 * Host tests of src/lib/format.c. Cairn's snprintf is called as
 * cairn_snprintf beside glibc's, which is the reference wherever the C
 * standard defines the result. Known differences: %p (always 0x and
 * 2*sizeof(void *) hex digits), %s of NULL ("(null)"), unknown conversions
 * (printed as written), widths and number precisions past FORMAT_FIELD_MAX
 * (capped there).
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "test_filter.h"

/* Declare Cairn's functions under their cairn_ names, then give the plain
 * names back to glibc. */
#include "cairn_names.h"
#include <format.h>
#include "plain_names.h"

static char out[256];

/* Formats into out through cairn_vsnprintf. It carries no format
 * attribute, so tests may pass formats the compiler would reject. */
static int
format(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = cairn_vsnprintf(out, sizeof out, fmt, ap);
	va_end(ap);
	return n;
}

/* Checks both the text and the returned length. */
#define assert_format(expected, ...) do {                               \
	int n_ = format(__VA_ARGS__);                                   \
	assert_string_equal(out, (expected));                           \
	assert_int_equal(n_, strlen(expected));                         \
} while (0)

/* Formats the same way with Cairn's and glibc's snprintf and compares
 * every byte up to and including the NUL (a %c of 0 writes a NUL). */
#define assert_like_glibc(fmt, ...) do {                                \
	char ours_[128], theirs_[128];                                  \
	memset(ours_, 'X', sizeof ours_);                               \
	memset(theirs_, 'X', sizeof theirs_);                           \
	int n_ours_ = cairn_snprintf(ours_, sizeof ours_, (fmt), __VA_ARGS__); \
	int n_theirs_ = snprintf(theirs_, sizeof theirs_, (fmt), __VA_ARGS__); \
	if (n_ours_ != n_theirs_ ||                                     \
	    memcmp(ours_, theirs_, (size_t)n_theirs_ + 1) != 0)         \
		fail_msg("format \"%s\": ours \"%s\" (%d), glibc \"%s\" (%d)", \
		         (fmt), ours_, n_ours_, theirs_, n_theirs_);    \
} while (0)

static void
text_without_conversions_is_copied(void **state)
{
	assert_format("", "");
	assert_format("hello, world\n", "hello, world\n");
	assert_format("100%", "100%%");
	assert_format("%%", "%%%%");
}

static void
decimal_prints_sign_and_limits(void **state)
{
	assert_format("0", "%d", 0);
	assert_format("-1", "%i", -1);
	assert_format("2147483647", "%d", INT_MAX);
	assert_format("-2147483648", "%d", INT_MIN);
	assert_format("4294967295", "%u", UINT_MAX);
	assert_format("a=1 b=-2 c=3", "a=%d b=%i c=%u", 1, -2, 3u);
}

static void
hex_prints_lower_and_upper_case(void **state)
{
	assert_format("deadbeef", "%x", 0xdeadbeefu);
	assert_format("DEADBEEF", "%X", 0xdeadbeefu);
	assert_format("0", "%x", 0u);
	assert_format("0xff", "%#x", 0xffu);
	assert_format("0XFF", "%#X", 0xffu);
	assert_format("0", "%#x", 0u);          /* C: no prefix on zero */
}

static void
length_ll_prints_64_bit_limits(void **state)
{
	assert_format("-9223372036854775808", "%lld", (long long)INT64_MIN);
	assert_format("9223372036854775807", "%lli", (long long)INT64_MAX);
	assert_format("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	assert_format("ffffffffffffffff", "%llx", (unsigned long long)UINT64_MAX);
	assert_format("8000000000000000", "%llX", (unsigned long long)INT64_MIN);
}

static void
length_hh_and_h_truncate_the_argument(void **state)
{
	assert_format("44", "%hhd", 300);
	assert_format("-1", "%hhd", 255);
	assert_format("127", "%hhd", -129);
	assert_format("255", "%hhu", -1);
	assert_format("ff", "%hhx", 0x1ff);
	assert_format("4464", "%hd", 70000);
	assert_format("-32768", "%hd", 32768);
	assert_format("65535", "%hu", -1);
	assert_format("ffff", "%hx", 0xfffff);
}

static void
length_l_and_z_match_their_types(void **state)
{
	char expected[32];

	sprintf(expected, "%ld", LONG_MIN);
	assert_format(expected, "%ld", LONG_MIN);
	sprintf(expected, "%lu", ULONG_MAX);
	assert_format(expected, "%lu", ULONG_MAX);
	sprintf(expected, "%zu", SIZE_MAX);
	assert_format(expected, "%zu", SIZE_MAX);
	sprintf(expected, "%zx", SIZE_MAX);
	assert_format(expected, "%zx", SIZE_MAX);
	assert_format("-1", "%zd", (size_t)-1);
	assert_format("42", "%zd", (size_t)42);
}

static void
width_pads_on_the_left_with_spaces(void **state)
{
	assert_format("   42", "%5d", 42);
	assert_format("  -42", "%5d", -42);
	assert_format("123456", "%3d", 123456);  /* never truncates */
	assert_format("   ab", "%5s", "ab");
	assert_format("    x", "%5c", 'x');
}

static void
zero_flag_pads_after_the_sign_and_prefix(void **state)
{
	assert_format("00042", "%05d", 42);
	assert_format("-0042", "%05d", -42);
	assert_format("+0042", "%+05d", 42);
	assert_format("0x002a", "%#06x", 0x2a);
	assert_format("0000002a", "%08x", 0x2a);
}

static void
minus_flag_pads_on_the_right_and_beats_zero(void **state)
{
	assert_format("42   |", "%-5d|", 42);
	assert_format("42   |", "%-05d|", 42);
	assert_format("ab   |", "%-5s|", "ab");
	assert_format("x  |", "%-3c|", 'x');
}

static void
plus_and_space_flags_mark_positive_numbers(void **state)
{
	assert_format("+5", "%+d", 5);
	assert_format("-5", "%+d", -5);
	assert_format("+0", "%+d", 0);
	assert_format(" 5", "% d", 5);
	assert_format("-5", "% d", -5);
	assert_format("+5", "%+ d", 5);         /* '+' wins over ' ' */
}

static void
plus_and_space_flags_ignore_unsigned_conversions(void **state)
{
	assert_format("5", "%+u", 5u);
	assert_format("5", "% u", 5u);
	assert_format("ff", "%+x", 0xffu);
	assert_format("FF", "% X", 0xffu);
}

static void
precision_sets_minimum_digits(void **state)
{
	assert_format("007", "%.3d", 7);
	assert_format("-007", "%.3d", -7);
	assert_format("   007", "%6.3d", 7);
	assert_format("   007", "%06.3d", 7);   /* C: precision disables '0' */
	assert_format("12345", "%.3d", 12345);
	assert_format("0x00ff", "%#.4x", 0xff);
	assert_format("0000000000000000000000000000000000000001", "%.40d", 1);
}

static void
precision_zero_prints_no_digits_for_zero(void **state)
{
	assert_format("", "%.0d", 0);
	assert_format("", "%.d", 0);
	assert_format("   ", "%3.0d", 0);
	assert_format("+", "%+.0d", 0);
	assert_format("", "%#.0x", 0);
	assert_format("1", "%.0d", 1);
}

static void
precision_limits_string_bytes(void **state)
{
	assert_format("he", "%.2s", "hello");
	assert_format("   he", "%5.2s", "hello");
	assert_format("he   |", "%-5.2s|", "hello");
	assert_format("", "%.0s", "hello");
	assert_format("hello", "%.10s", "hello");
}

static void
precision_does_not_read_string_past_limit(void **state)
{
	const char unterminated[3] = { 'a', 'b', 'c' };

	assert_format("abc", "%.3s", unterminated);  /* ASan: no read of [3] */
}

static void
star_takes_width_and_precision_from_arguments(void **state)
{
	assert_format("   42", "%*d", 5, 42);
	assert_format("007", "%.*d", 3, 7);
	assert_format("     007", "%*.*d", 8, 3, 7);
	assert_format("he", "%.*s", 2, "hello");
	assert_format("[  ab]", "[%*s]", 4, "ab");
}

static void
star_negative_width_means_left_align(void **state)
{
	assert_format("42   |", "%*d|", -5, 42);
	assert_format("ab  |", "%*s|", -4, "ab");
}

static void
star_negative_precision_means_none(void **state)
{
	assert_format("hello", "%.*s", -1, "hello");
	assert_format("00042", "%0*.*d", 5, -1, 42);
	assert_format("0", "%.*d", -3, 0);
}

/* Widths and number precisions beyond FORMAT_FIELD_MAX are capped there
 * (format.h): snprintf still writes what fits and returns the capped
 * length, and nothing overflows an int on the way (UBSan). */
static void
expect_spaces(size_t from)
{
	for (size_t i = from; i < sizeof out - 1; i++)
		if (out[i] != ' ')
			fail_msg("out[%zu] is '%c', not a space", i, out[i]);
	assert_int_equal(strlen(out), sizeof out - 1);
}

static void
star_width_of_int_min_is_capped_and_left_aligned(void **state)
{
	assert_int_equal(format("%*d|", INT_MIN, 42), FORMAT_FIELD_MAX + 1);
	assert_memory_equal(out, "42 ", 3);
	expect_spaces(2);
	assert_int_equal(format("%*s|", INT_MIN, "ab"), FORMAT_FIELD_MAX + 1);
	assert_memory_equal(out, "ab ", 3);
	assert_int_equal(format("%*c|", INT_MIN + 1, 'x'), FORMAT_FIELD_MAX + 1);
	assert_memory_equal(out, "x ", 2);
}

static void
huge_width_is_capped_at_format_field_max(void **state)
{
	assert_int_equal(format("%4096d", 7), 4096);    /* at the cap: as asked */
	assert_int_equal(format("%4097d", 7), FORMAT_FIELD_MAX);
	assert_int_equal(format("%2147483647d", 7), FORMAT_FIELD_MAX);
	expect_spaces(0);
	assert_int_equal(format("%*d", INT_MAX, 7), FORMAT_FIELD_MAX);
	expect_spaces(0);
	assert_int_equal(format("%-2147483648d|", 7), FORMAT_FIELD_MAX + 1);
	assert_memory_equal(out, "7 ", 2);
	/* Digits past int: the width stays capped, the digits are eaten. */
	assert_int_equal(format("%99999999999999999999d|", 7), FORMAT_FIELD_MAX + 1);
	expect_spaces(0);
	assert_int_equal(format("%2147483647s", "x"), FORMAT_FIELD_MAX);
	assert_int_equal(format("%*c", INT_MAX, 'x'), FORMAT_FIELD_MAX);
	assert_int_equal(format("%0*x", INT_MAX, 1u), FORMAT_FIELD_MAX);
	assert_int_equal(out[0], '0');
}

static void
huge_precision_is_capped_for_numbers(void **state)
{
	assert_int_equal(format("%.*d", INT_MAX, 7), FORMAT_FIELD_MAX);
	assert_int_equal(out[0], '0');
	assert_int_equal(format("%.2147483648d", -7), FORMAT_FIELD_MAX + 1);
	assert_memory_equal(out, "-000", 4);
	/* A prefix, capped zeros and the digit: the padding arithmetic went
	 * below INT_MIN here. */
	assert_int_equal(format("%#.2147483647x", 1u), 2 + FORMAT_FIELD_MAX);
	assert_memory_equal(out, "0x000", 5);
	assert_int_equal(format("%#*.*x", INT_MIN, INT_MAX, 1u), 2 + FORMAT_FIELD_MAX);
}

static void
huge_precision_bounds_strings_without_a_cap(void **state)
{
	assert_format("abc", "%.2147483647s", "abc");
	assert_format("abc", "%.2147483648s", "abc");
	assert_format("abc", "%.99999999999999999999s", "abc");
	assert_format("abc", "%.*s", INT_MAX, "abc");
	assert_format("abc", "%.*s", INT_MIN, "abc");  /* negative: no precision */
	assert_format("   abc", "%*.*s", 6, INT_MAX, "abc");
}

static void
string_and_char_conversions_print_their_argument(void **state)
{
	assert_format("hello", "%s", "hello");
	assert_format("", "%s", "");
	assert_format("a-b", "%c-%c", 'a', 'b');
	assert_format("\xe9", "%c", 0xe9);
}

static void
string_of_null_prints_null_in_parens(void **state)
{
	assert_format("(null)", "%s", (char *)NULL);
	assert_format("  (null)", "%8s", (char *)NULL);
	assert_format("(n", "%.2s", (char *)NULL);
}

static void
char_of_nul_writes_one_nul_byte(void **state)
{
	char buf[8];

	memset(buf, 'X', sizeof buf);
	assert_int_equal(cairn_snprintf(buf, sizeof buf, "a%cb", 0), 3);
	assert_memory_equal(buf, "a\0b\0XXXX", 8);
	assert_int_equal(cairn_snprintf(buf, sizeof buf, "%3c", 0), 3);
	assert_memory_equal(buf, "  \0\0", 4);
}

static void
pointer_prints_0x_and_all_hex_digits(void **state)
{
	int digits = 2 * (int)sizeof(void *);
	char expected[32];
	int x;

	sprintf(expected, "0x%0*llx", digits, 0ull);
	assert_format(expected, "%p", NULL);
	sprintf(expected, "0x%0*llx", digits, 0x1234ull);
	assert_format(expected, "%p", (void *)0x1234);
	sprintf(expected, "0x%0*llx", digits, (unsigned long long)(uintptr_t)&x);
	assert_format(expected, "%p", (void *)&x);
	sprintf(expected, "0x%0*llx", digits, (unsigned long long)UINTPTR_MAX);
	assert_format(expected, "%p", (void *)UINTPTR_MAX);
	assert_int_equal(strlen(out), 2 + digits);
}

static void
unknown_conversion_prints_as_written(void **state)
{
	assert_format("%q", "%q");
	assert_format("a%qb", "a%qb");
	assert_format("%5q", "%5q");
	assert_format("%-08.3lq", "%-08.3lq");
}

static void
unknown_conversion_consumes_no_argument(void **state)
{
	assert_format("%q 7", "%q %d", 7);
	assert_format("%lq 7 %y x", "%lq %d %y %s", 7, "x");
}

static void
trailing_lone_percent_prints_as_written(void **state)
{
	assert_format("abc%", "abc%");
	assert_format("%", "%");
	assert_format("1%", "%d%", 1);
	assert_format("%-5", "%-5");
	assert_format("%ll", "%ll");
	assert_format("%.", "%.");
}

static void
vsnprintf_truncates_and_returns_full_length(void **state)
{
	char buf[8];

	memset(buf, 'X', sizeof buf);
	assert_int_equal(cairn_snprintf(buf, 4, "%d", 123456), 6);
	assert_memory_equal(buf, "123\0XXXX", 8);
	assert_int_equal(cairn_snprintf(buf, 4, "abc"), 3);   /* exact fit */
	assert_string_equal(buf, "abc");
	assert_int_equal(cairn_snprintf(buf, 3, "abc"), 3);   /* one short */
	assert_string_equal(buf, "ab");
	memset(buf, 'X', sizeof buf);
	assert_int_equal(cairn_snprintf(buf, 1, "abc"), 3);
	assert_memory_equal(buf, "\0XXXXXXX", 8);
}

static void
vsnprintf_with_size_zero_writes_nothing(void **state)
{
	char buf[4] = { 'X', 'X', 'X', 'X' };

	assert_int_equal(cairn_snprintf(NULL, 0, "%s=%d", "mem", 64), 6);
	assert_int_equal(cairn_snprintf(buf, 0, "abc"), 3);
	assert_memory_equal(buf, "XXXX", 4);
	assert_int_equal(cairn_snprintf(NULL, 0, "%s", ""), 0);
}

static void
vsnprintf_writes_only_within_size(void **state)
{
	char *buf = malloc(5);                  /* ASan: exact size */

	assert_non_null(buf);
	assert_int_equal(cairn_snprintf(buf, 5, "%20s", "x"), 20);
	assert_string_equal(buf, "    ");
	free(buf);
}

/* A sink that counts and collects characters, as a console would. */
struct collect {
	char text[64];
	int count;
};

static void
collect_sink(char c, void *arg)
{
	struct collect *col = arg;

	if (col->count < (int)sizeof col->text)
		col->text[col->count] = c;
	col->count++;
}

static int
collect(struct collect *col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = format_v(collect_sink, col, fmt, ap);
	va_end(ap);
	return n;
}

static void
format_v_hands_each_char_to_the_sink(void **state)
{
	struct collect col = { .count = 0 };

	assert_int_equal(collect(&col, "%s:%5d|%c", "pid", -12, 0), 11);
	assert_int_equal(col.count, 11);
	assert_memory_equal(col.text, "pid:  -12|\0", 11);
}

static void
format_v_of_empty_format_calls_no_sink(void **state)
{
	struct collect col = { .count = 0 };

	assert_int_equal(collect(&col, ""), 0);
	assert_int_equal(col.count, 0);
}

static const char *const int_formats[] = {
	"%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%+5d", "% 05d",
	"%.3d", "%8.3d", "%-8.3d|", "%08.3d", "%.0d", "%+.0d", "%3.0d",
	"%-+6d|", "%012d", "%.12d", "%hd", "%hhd", "%hi", "%hhi",
	"[%d] and [%i]",
};
static const int int_values[] = {
	0, 1, -1, 7, -7, 42, -42, 255, 256, -129, 32767, -32768, 65535,
	123456, INT_MAX, INT_MIN, INT_MAX - 1, INT_MIN + 1,
};

static const char *const unsigned_formats[] = {
	"%u", "%x", "%X", "%#x", "%#X", "%8x", "%-8x|", "%08x", "%#08x",
	"%#8x", "%-#8x|", "%.4x", "%#.4x", "%#10.4x", "%.0x", "%#.0x",
	"%+u", "% u", "%+x", "% X", "%hu", "%hhu", "%hx", "%hhX", "%#hhx",
	"%010u", "%.10u",
};
static const unsigned int unsigned_values[] = {
	0, 1, 7, 15, 16, 255, 256, 0xabcdef, 0x7fffffff, 0x80000000,
	0xdeadbeef, UINT_MAX,
};

static const char *const ll_formats[] = {
	"%lld", "%lli", "%+lld", "% lld", "%25lld", "%-25lld|", "%025lld",
	"%.22lld", "%ld", "%li",
};
static const char *const ull_formats[] = {
	"%llu", "%llx", "%llX", "%#llx", "%020llx", "%#24llX", "%.20llu",
	"%lu", "%lx", "%zu", "%zx",
};
static const long long ll_values[] = {
	0, 1, -1, 1000000007, -1000000007, 4294967296, INT64_MAX, INT64_MIN,
	INT64_MIN + 1,
};

static const char *const string_formats[] = {
	"%s", "%10s", "%-10s|", "%.2s", "%10.2s", "%-10.2s|", "%.0s",
	"%.10s", "%1s", "<%s>",
};
static const char *const string_values[] = {
	"", "a", "hello", "hello world!", "tab\there", "\xe9t\xe9",
};

static const char *const char_formats[] = { "%c", "%3c", "%-3c|", "[%c]" };
static const int char_values[] = { 'a', 'Z', ' ', '%', 0, 0xe9 };

static void
integers_match_glibc(void **state)
{
	for (size_t f = 0; f < sizeof int_formats / sizeof *int_formats; f++)
		for (size_t v = 0; v < sizeof int_values / sizeof *int_values; v++) {
			if (strstr(int_formats[f], "and"))
				assert_like_glibc(int_formats[f], int_values[v], -int_values[v] / 2);
			else
				assert_like_glibc(int_formats[f], int_values[v]);
		}
	for (size_t f = 0; f < sizeof unsigned_formats / sizeof *unsigned_formats; f++)
		for (size_t v = 0; v < sizeof unsigned_values / sizeof *unsigned_values; v++)
			assert_like_glibc(unsigned_formats[f], unsigned_values[v]);
}

static void
long_and_long_long_match_glibc(void **state)
{
	for (size_t f = 0; f < sizeof ll_formats / sizeof *ll_formats; f++)
		for (size_t v = 0; v < sizeof ll_values / sizeof *ll_values; v++) {
			if (strstr(ll_formats[f], "ll"))
				assert_like_glibc(ll_formats[f], ll_values[v]);
			else
				assert_like_glibc(ll_formats[f], (long)ll_values[v]);
		}
	for (size_t f = 0; f < sizeof ull_formats / sizeof *ull_formats; f++)
		for (size_t v = 0; v < sizeof ll_values / sizeof *ll_values; v++) {
			unsigned long long u = (unsigned long long)ll_values[v];
			if (strstr(ull_formats[f], "ll"))
				assert_like_glibc(ull_formats[f], u);
			else if (strchr(ull_formats[f], 'z'))
				assert_like_glibc(ull_formats[f], (size_t)u);
			else
				assert_like_glibc(ull_formats[f], (unsigned long)u);
		}
}

static void
strings_and_chars_match_glibc(void **state)
{
	for (size_t f = 0; f < sizeof string_formats / sizeof *string_formats; f++)
		for (size_t v = 0; v < sizeof string_values / sizeof *string_values; v++)
			assert_like_glibc(string_formats[f], string_values[v]);
	for (size_t f = 0; f < sizeof char_formats / sizeof *char_formats; f++)
		for (size_t v = 0; v < sizeof char_values / sizeof *char_values; v++)
			assert_like_glibc(char_formats[f], char_values[v]);
}

static void
star_arguments_match_glibc(void **state)
{
	/* In tables, not literals: gcc warns that '0' is ignored with a
	 * precision or '-', which is the rule under test. */
	static const char *const signed_formats[] = {
		"%*.*d|", "%0*.*d|", "%-0*.*d|", "%+0*.*d|",
	};
	static const char *const hex_formats[] = {
		"%0*.*x|", "%-#0*.*x|", "%#0*.*X|",
	};
	static const int sizes[] = { -12, -5, -1, 0, 1, 3, 5, 12 };

	for (size_t w = 0; w < sizeof sizes / sizeof *sizes; w++)
		for (size_t p = 0; p < sizeof sizes / sizeof *sizes; p++) {
			for (size_t f = 0; f < 4; f++) {
				assert_like_glibc(signed_formats[f], sizes[w], sizes[p], -42);
				assert_like_glibc(signed_formats[f], sizes[w], sizes[p], 0);
			}
			for (size_t f = 0; f < 3; f++) {
				assert_like_glibc(hex_formats[f], sizes[w], sizes[p], 0xbeefu);
				assert_like_glibc(hex_formats[f], sizes[w], sizes[p], 0u);
			}
			assert_like_glibc("%*.*s|", sizes[w], sizes[p], "cairn");
		}
}

int
main(void)
{
	filter_tests_from_environment();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_without_conversions_is_copied),
		cmocka_unit_test(decimal_prints_sign_and_limits),
		cmocka_unit_test(hex_prints_lower_and_upper_case),
		cmocka_unit_test(length_ll_prints_64_bit_limits),
		cmocka_unit_test(length_hh_and_h_truncate_the_argument),
		cmocka_unit_test(length_l_and_z_match_their_types),
		cmocka_unit_test(width_pads_on_the_left_with_spaces),
		cmocka_unit_test(zero_flag_pads_after_the_sign_and_prefix),
		cmocka_unit_test(minus_flag_pads_on_the_right_and_beats_zero),
		cmocka_unit_test(plus_and_space_flags_mark_positive_numbers),
		cmocka_unit_test(plus_and_space_flags_ignore_unsigned_conversions),
		cmocka_unit_test(precision_sets_minimum_digits),
		cmocka_unit_test(precision_zero_prints_no_digits_for_zero),
		cmocka_unit_test(precision_limits_string_bytes),
		cmocka_unit_test(precision_does_not_read_string_past_limit),
		cmocka_unit_test(star_takes_width_and_precision_from_arguments),
		cmocka_unit_test(star_negative_width_means_left_align),
		cmocka_unit_test(star_negative_precision_means_none),
		cmocka_unit_test(star_width_of_int_min_is_capped_and_left_aligned),
		cmocka_unit_test(huge_width_is_capped_at_format_field_max),
		cmocka_unit_test(huge_precision_is_capped_for_numbers),
		cmocka_unit_test(huge_precision_bounds_strings_without_a_cap),
		cmocka_unit_test(string_and_char_conversions_print_their_argument),
		cmocka_unit_test(string_of_null_prints_null_in_parens),
		cmocka_unit_test(char_of_nul_writes_one_nul_byte),
		cmocka_unit_test(pointer_prints_0x_and_all_hex_digits),
		cmocka_unit_test(unknown_conversion_prints_as_written),
		cmocka_unit_test(unknown_conversion_consumes_no_argument),
		cmocka_unit_test(trailing_lone_percent_prints_as_written),
		cmocka_unit_test(vsnprintf_truncates_and_returns_full_length),
		cmocka_unit_test(vsnprintf_with_size_zero_writes_nothing),
		cmocka_unit_test(vsnprintf_writes_only_within_size),
		cmocka_unit_test(format_v_hands_each_char_to_the_sink),
		cmocka_unit_test(format_v_of_empty_format_calls_no_sink),
		cmocka_unit_test(integers_match_glibc),
		cmocka_unit_test(long_and_long_long_match_glibc),
		cmocka_unit_test(strings_and_chars_match_glibc),
		cmocka_unit_test(star_arguments_match_glibc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
