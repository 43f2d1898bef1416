/*
 * Host tests of src/lib/string.c. Cairn's functions are called by their
 * host names (cairn_memcpy, ...) beside glibc's, which serve as the
 * reference where the C standard pins the result down. Buffers that must
 * not be read past are malloc'd to their exact size, so ASan catches an
 * overread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "test_filter.h"

/* Declare Cairn's functions under their cairn_ names, then give the plain
 * names back to glibc. */
#include "cairn_names.h"
#include <libc/string.h>
#include "plain_names.h"

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

/* A copy of s in a heap block of exactly n bytes, with no terminator
 * unless s supplies one within n. */
static char *
exact_copy(const char *s, size_t n)
{
	char *p = malloc(n);

	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

static void
memcpy_copies_n_bytes_and_returns_dst(void **state)
{
	unsigned char src[64], dst[66];

	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (size_t n = 0; n <= sizeof src; n++) {
		memset(dst, 0xee, sizeof dst);
		assert_ptr_equal(cairn_memcpy(dst + 1, src, n), dst + 1);
		assert_memory_equal(dst + 1, src, n);
		assert_int_equal(dst[0], 0xee);
		assert_int_equal(dst[n + 1], 0xee);
	}
}

/* Every (src, dst, n) inside a small buffer, overlapping both ways,
 * checked against glibc's memmove. */
static void
memmove_matches_glibc_for_every_overlap(void **state)
{
	enum { SIZE = 24 };
	unsigned char ours[SIZE], theirs[SIZE];

	for (size_t src = 0; src < SIZE; src++)
		for (size_t dst = 0; dst < SIZE; dst++)
			for (size_t n = 0; n <= SIZE - (src > dst ? src : dst); n++) {
				for (size_t i = 0; i < SIZE; i++)
					ours[i] = theirs[i] = (unsigned char)('a' + i);
				assert_ptr_equal(cairn_memmove(ours + dst, ours + src, n), ours + dst);
				memmove(theirs + dst, theirs + src, n);
				assert_memory_equal(ours, theirs, SIZE);
			}
}

static void
memmove_forward_overlap_keeps_source_bytes(void **state)
{
	char buf[] = "abcdefgh";

	cairn_memmove(buf + 2, buf, 5);         /* dst above src: copy backwards */
	assert_string_equal(buf, "ababcdeh");
}

static void
memmove_backward_overlap_keeps_source_bytes(void **state)
{
	char buf[] = "abcdefgh";

	cairn_memmove(buf, buf + 2, 5);         /* dst below src: copy forwards */
	assert_string_equal(buf, "cdefgfgh");
}

static void
memset_truncates_value_to_unsigned_char(void **state)
{
	unsigned char buf[8];

	memset(buf, 0, sizeof buf);
	assert_ptr_equal(cairn_memset(buf + 1, 0x1ab, 6), buf + 1);
	assert_int_equal(buf[0], 0);
	for (int i = 1; i < 7; i++)
		assert_int_equal(buf[i], 0xab);
	assert_int_equal(buf[7], 0);

	cairn_memset(buf, -1, sizeof buf);
	for (size_t i = 0; i < sizeof buf; i++)
		assert_int_equal(buf[i], 0xff);
}

static void
memset_of_zero_bytes_writes_nothing(void **state)
{
	unsigned char buf[4] = { 1, 2, 3, 4 };

	assert_ptr_equal(cairn_memset(buf, 0, 0), buf);
	assert_int_equal(buf[0], 1);
	assert_int_equal(buf[3], 4);
}

static void
memcmp_orders_bytes_as_unsigned(void **state)
{
	unsigned char a[1], b[1];

	for (int x = 0; x < 256; x++)
		for (int y = 0; y < 256; y++) {
			a[0] = (unsigned char)x;
			b[0] = (unsigned char)y;
			assert_int_equal(sign(cairn_memcmp(a, b, 1)), sign(x - y));
		}
	assert_true(cairn_memcmp("\x80", "\x7f", 1) > 0);
	assert_true(cairn_memcmp("\x01", "\xff", 1) < 0);
}

static void
memcmp_stops_at_first_difference_and_n(void **state)
{
	assert_int_equal(cairn_memcmp("abc", "abd", 0), 0);
	assert_int_equal(cairn_memcmp("abc", "abd", 2), 0);
	assert_true(cairn_memcmp("abc", "abd", 3) < 0);
	assert_true(cairn_memcmp("bz", "ca", 2) < 0);  /* first byte decides */
	/* Compares past NUL bytes: memory, not strings. */
	assert_true(cairn_memcmp("a\0b", "a\0c", 3) < 0);
}

static void
memchr_finds_first_byte_within_n(void **state)
{
	char *p = exact_copy("abcabc", 6);

	assert_ptr_equal(cairn_memchr(p, 'c', 6), p + 2);
	assert_null(cairn_memchr(p, 'c', 2));
	assert_null(cairn_memchr(p, 'z', 6));       /* ASan: no read past 6 */
	assert_null(cairn_memchr(p, 'a', 0));
	free(p);
}

static void
memchr_truncates_value_and_finds_high_bytes(void **state)
{
	const char s[] = "x\x80y\0z";

	assert_ptr_equal(cairn_memchr(s, 0x80, 5), s + 1);
	assert_ptr_equal(cairn_memchr(s, -128, 5), s + 1);
	assert_ptr_equal(cairn_memchr(s, 0x100 + 'y', 5), s + 2);
	assert_ptr_equal(cairn_memchr(s, 0, 5), s + 3);
	assert_ptr_equal(cairn_memchr(s, 'z', 5), s + 4); /* looks past NUL */
}

static void
strlen_counts_bytes_before_nul(void **state)
{
	assert_int_equal(cairn_strlen(""), 0);
	assert_int_equal(cairn_strlen("a"), 1);
	assert_int_equal(cairn_strlen("hello\0world"), 5);
	assert_int_equal(cairn_strlen("\x80\xff"), 2);
}

static void
strnlen_never_reads_past_max(void **state)
{
	char *p = exact_copy("abc", 3);          /* no terminator */

	assert_int_equal(cairn_strnlen(p, 3), 3);
	assert_int_equal(cairn_strnlen(p, 2), 2);
	assert_int_equal(cairn_strnlen(p, 0), 0);
	free(p);
	assert_int_equal(cairn_strnlen("ab", 10), 2);
	assert_int_equal(cairn_strnlen("", 10), 0);
	assert_int_equal(cairn_strnlen("ab", SIZE_MAX), 2);
}

static void
strcmp_orders_as_unsigned_and_shorter_first(void **state)
{
	char a[2] = { 0 }, b[2] = { 0 };

	for (int x = 1; x < 256; x++)
		for (int y = 1; y < 256; y++) {
			a[0] = (char)x;
			b[0] = (char)y;
			assert_int_equal(sign(cairn_strcmp(a, b)), sign(strcmp(a, b)));
		}
	assert_int_equal(cairn_strcmp("", ""), 0);
	assert_int_equal(cairn_strcmp("abc", "abc"), 0);
	assert_true(cairn_strcmp("ab", "abc") < 0);
	assert_true(cairn_strcmp("abc", "ab") > 0);
	assert_true(cairn_strcmp("", "a") < 0);
	assert_true(cairn_strcmp("\x80", "a") > 0);
}

static void
strncmp_stops_at_n(void **state)
{
	char *a = exact_copy("abcX", 4), *b = exact_copy("abcY", 4);

	assert_int_equal(cairn_strncmp(a, b, 0), 0);
	assert_int_equal(cairn_strncmp(a, b, 3), 0);
	assert_true(cairn_strncmp(a, b, 4) < 0);   /* ASan: no read past 4 */
	free(a);
	free(b);
}

static void
strncmp_stops_at_nul(void **state)
{
	assert_int_equal(cairn_strncmp("ab\0x", "ab\0y", 4), 0);
	assert_int_equal(cairn_strncmp("ab", "ab", 100), 0);
	assert_true(cairn_strncmp("ab", "abc", 100) < 0);
	assert_true(cairn_strncmp("abc", "ab", 100) > 0);
}

static void
strncmp_orders_high_bytes_as_unsigned(void **state)
{
	assert_true(cairn_strncmp("a\x80", "a\x7f", 2) > 0);
	assert_true(cairn_strncmp("\x01", "\xff", 1) < 0);
	assert_int_equal(sign(cairn_strncmp("\xe9t\xe9", "\xe9t", 3)),
	                 sign(strncmp("\xe9t\xe9", "\xe9t", 3)));
}

static void
strchr_finds_first_occurrence_or_null(void **state)
{
	const char *s = "hello";

	assert_ptr_equal(cairn_strchr(s, 'l'), s + 2);
	assert_ptr_equal(cairn_strchr(s, 'h'), s);
	assert_null(cairn_strchr(s, 'z'));
	assert_null(cairn_strchr("", 'a'));
}

static void
strchr_of_nul_returns_the_terminator(void **state)
{
	const char *s = "hello";

	assert_ptr_equal(cairn_strchr(s, '\0'), s + 5);
	assert_ptr_equal(cairn_strchr(s + 5, '\0'), s + 5);    /* the empty string */
}

static void
strchr_converts_value_to_char(void **state)
{
	const char *s = "a\xe9z";

	assert_ptr_equal(cairn_strchr(s, 0xe9), s + 1);
	assert_ptr_equal(cairn_strchr(s, 0x100 + 'z'), strchr(s, 0x100 + 'z'));
	assert_ptr_equal(cairn_strchr(s, 0xe9), strchr(s, 0xe9));
}

static void
strstr_finds_first_occurrence_or_null(void **state)
{
	const char *s = "abcabcd";

	assert_ptr_equal(cairn_strstr(s, "abc"), s);
	assert_ptr_equal(cairn_strstr(s, "bcd"), s + 4);
	assert_ptr_equal(cairn_strstr(s, "d"), s + 6);
	assert_null(cairn_strstr(s, "abd"));
	assert_null(cairn_strstr(s, "abcabcde"));       /* longer than s */
	assert_ptr_equal(cairn_strstr(s, ""), s);       /* C: "" is everywhere */
	const char *empty = "";
	assert_ptr_equal(cairn_strstr(empty, ""), empty);
}

static void
strrchr_finds_last_occurrence_or_null(void **state)
{
	const char *s = "hello";

	assert_ptr_equal(cairn_strrchr(s, 'l'), s + 3);
	assert_ptr_equal(cairn_strrchr(s, 'h'), s);
	assert_ptr_equal(cairn_strrchr(s, 'o'), s + 4);
	assert_null(cairn_strrchr(s, 'z'));
	assert_ptr_equal(cairn_strrchr(s, '\0'), s + 5);
	assert_ptr_equal(cairn_strrchr("a\xe9\xe9", 0xe9), strrchr("a\xe9\xe9", 0xe9));
}

static void
strcpy_copies_terminator_and_returns_dst(void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof buf);
	assert_ptr_equal(cairn_strcpy(buf, "abc"), buf);
	assert_memory_equal(buf, "abc\0xxxx", 8);
	assert_ptr_equal(cairn_strcpy(buf, ""), buf);
	assert_memory_equal(buf, "\0bc\0xxxx", 8);
}

static void
strncpy_pads_short_source_with_nuls(void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof buf);
	assert_ptr_equal(cairn_strncpy(buf, "ab", 6), buf);
	assert_memory_equal(buf, "ab\0\0\0\0xx", 8);
}

static void
strncpy_leaves_full_buffer_unterminated(void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof buf);
	cairn_strncpy(buf, "abcdef", 4);
	assert_memory_equal(buf, "abcdxxxx", 8);
	memset(buf, 'x', sizeof buf);
	cairn_strncpy(buf, "abcd", 4);          /* exactly n: still no NUL */
	assert_memory_equal(buf, "abcdxxxx", 8);
	memset(buf, 'x', sizeof buf);
	cairn_strncpy(buf, "abcd", 0);
	assert_memory_equal(buf, "xxxxxxxx", 8);
}

static void
strncpy_does_not_read_past_source_nul(void **state)
{
	char *src = exact_copy("ab", 3);
	char buf[16];

	cairn_strncpy(buf, src, sizeof buf);    /* ASan: no read past 3 */
	assert_string_equal(buf, "ab");
	assert_int_equal(buf[15], 0);
	free(src);
}

static void
strcat_appends_and_returns_dst(void **state)
{
	char buf[16] = "foo";

	assert_ptr_equal(cairn_strcat(buf, "bar"), buf);
	assert_string_equal(buf, "foobar");
	cairn_strcat(buf, "");
	assert_string_equal(buf, "foobar");
	buf[0] = '\0';
	cairn_strcat(buf, "x");
	assert_string_equal(buf, "x");
}

static void
strlcpy_fits_and_returns_source_length(void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof buf);
	assert_int_equal(cairn_strlcpy(buf, "abc", sizeof buf), 3);
	assert_memory_equal(buf, "abc\0xxxx", 8);
	assert_int_equal(cairn_strlcpy(buf, "1234567", sizeof buf), 7);
	assert_string_equal(buf, "1234567");
}

static void
strlcpy_truncates_and_terminates(void **state)
{
	char buf[8];

	memset(buf, 'x', sizeof buf);
	assert_int_equal(cairn_strlcpy(buf, "abcdefghij", 4), 10);
	assert_memory_equal(buf, "abc\0xxxx", 8);
	assert_int_equal(cairn_strlcpy(buf, "12345678", sizeof buf), 8);
	assert_string_equal(buf, "1234567");
	memset(buf, 'x', sizeof buf);
	assert_int_equal(cairn_strlcpy(buf, "abc", 1), 3);
	assert_memory_equal(buf, "\0xxxxxxx", 8);
}

static void
strlcpy_with_size_zero_writes_nothing(void **state)
{
	char buf[4] = { 'x', 'x', 'x', 'x' };

	assert_int_equal(cairn_strlcpy(buf, "abc", 0), 3);
	assert_memory_equal(buf, "xxxx", 4);
	assert_int_equal(cairn_strlcpy(buf, "", 0), 0);
}

int
main(void)
{
	filter_tests_from_environment();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcpy_copies_n_bytes_and_returns_dst),
		cmocka_unit_test(memmove_matches_glibc_for_every_overlap),
		cmocka_unit_test(memmove_forward_overlap_keeps_source_bytes),
		cmocka_unit_test(memmove_backward_overlap_keeps_source_bytes),
		cmocka_unit_test(memset_truncates_value_to_unsigned_char),
		cmocka_unit_test(memset_of_zero_bytes_writes_nothing),
		cmocka_unit_test(memcmp_orders_bytes_as_unsigned),
		cmocka_unit_test(memcmp_stops_at_first_difference_and_n),
		cmocka_unit_test(memchr_finds_first_byte_within_n),
		cmocka_unit_test(memchr_truncates_value_and_finds_high_bytes),
		cmocka_unit_test(strlen_counts_bytes_before_nul),
		cmocka_unit_test(strnlen_never_reads_past_max),
		cmocka_unit_test(strcmp_orders_as_unsigned_and_shorter_first),
		cmocka_unit_test(strncmp_stops_at_n),
		cmocka_unit_test(strncmp_stops_at_nul),
		cmocka_unit_test(strncmp_orders_high_bytes_as_unsigned),
		cmocka_unit_test(strchr_finds_first_occurrence_or_null),
		cmocka_unit_test(strchr_of_nul_returns_the_terminator),
		cmocka_unit_test(strchr_converts_value_to_char),
		cmocka_unit_test(strrchr_finds_last_occurrence_or_null),
		cmocka_unit_test(strstr_finds_first_occurrence_or_null),
		cmocka_unit_test(strcpy_copies_terminator_and_returns_dst),
		cmocka_unit_test(strncpy_pads_short_source_with_nuls),
		cmocka_unit_test(strncpy_leaves_full_buffer_unterminated),
		cmocka_unit_test(strncpy_does_not_read_past_source_nul),
		cmocka_unit_test(strcat_appends_and_returns_dst),
		cmocka_unit_test(strlcpy_fits_and_returns_source_length),
		cmocka_unit_test(strlcpy_truncates_and_terminates),
		cmocka_unit_test(strlcpy_with_size_zero_writes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
