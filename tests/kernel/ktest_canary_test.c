/*
 * The harness's own canary: a case that must fail. It runs only when
 * named (test=ktest_canary), and scripts/test-all.sh boots it to prove a
 * failing case is reported as failing, with its diagnostics.
 */
#include <ktest.h>

static void
this_case_must_fail(struct ktest *t)
{
	int answer = 41;

	KEXPECT_EQ(t, answer, 42);
}

static void
this_case_passes(struct ktest *t)
{
	KEXPECT_EQ(t, 6 * 7, 42);
}

KTEST_SUITE_ON_REQUEST(ktest_canary,
	KTEST_CASE(this_case_must_fail),
	KTEST_CASE(this_case_passes));
