/*
 * Running one case of a host test: CMOCKA_TEST_FILTER=NAME (a cmocka
 * pattern, * and ? allowed) runs only the cases it matches. The lab
 * grader (scripts/lab-grade.sh) runs each case on its own this way, so a
 * crash in one costs no other. Include after cmocka.h; call first in
 * main().
 */
#ifndef CAIRN_TESTS_HOST_TEST_FILTER_H
#define CAIRN_TESTS_HOST_TEST_FILTER_H

#include <stdlib.h>

static inline void
filter_tests_from_environment(void)
{
	const char *pattern = getenv("CMOCKA_TEST_FILTER");

	if (pattern != NULL)
		cmocka_set_test_filter(pattern);
}

#endif /* CAIRN_TESTS_HOST_TEST_FILTER_H */
