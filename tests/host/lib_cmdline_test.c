/* Host tests of src/lib/cmdline.c: words, quoting, the kernel path, sizes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <cmdline.h>
#include <cairn/errno.h>

static void
size_parses_decimal_hex_and_suffixes(void **state)
{
	uint64_t v;

	assert_int_equal(cmdline_parse_size("4096", 4, &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(cmdline_parse_size("0x1000", 6, &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(cmdline_parse_size("64M", 3, &v), 0);
	assert_int_equal(v, 64ull << 20);
	assert_int_equal(cmdline_parse_size("2g", 2, &v), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(cmdline_parse_size("0x10k", 5, &v), 0);
	assert_int_equal(v, 16ull << 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(size_parses_decimal_hex_and_suffixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
