/*
 * Tests of the test framework itself (src/kernel/ktest.c, include/ktest.h).
 * The failing paths are checked by the on-request canary suite and by
 * scripts/test-all.sh, which must see them fail.
 */
#include <ktest.h>

static int calls;

static int
count_call(int value)
{
	calls++;
	return value;
}

/* A check once evaluated its arguments twice: KEXPECT_EQ(t, pmm_free(p), 0)
 * freed the frame twice. */
static void
expectations_evaluate_arguments_once(struct ktest *t)
{
	calls = 0;
	KEXPECT_EQ(t, count_call(3), 3);
	KEXPECT_EQ(t, calls, 1);
	calls = 0;
	KEXPECT_TRUE(t, count_call(1));
	KEXPECT_EQ(t, calls, 1);
	calls = 0;
	KEXPECT_NOT_NULL(t, (void *)(uintptr_t)count_call(8));
	KEXPECT_EQ(t, calls, 1);
}

static void
skip_reports_a_reason(struct ktest *t)
{
	ktest_skip(t, "skipping is reported, not counted as a pass or a failure");
}

KTEST_SUITE(ktest,
	KTEST_CASE(expectations_evaluate_arguments_once),
	KTEST_CASE(skip_reports_a_reason));
