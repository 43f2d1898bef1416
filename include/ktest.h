/*
 * Kernel tests, reported in KTAP as Linux's KUnit prints it. A suite is a
 * named list of cases; a case is a function that checks things with the
 * KEXPECT_* macros (a failure is reported and the case goes on) or the
 * KASSERT_* macros (a failure ends the case). Suites live in
 * tests/kernel/NAME_test.c, are compiled into every kernel, and run when
 * the command line says `test` (all) or `test=suite,suite.case`.
 *
 *   static void
 *   alloc_returns_aligned_frame(struct ktest *t)
 *   {
 *           KEXPECT_EQ(t, pmm_alloc() & 0xFFF, 0);
 *   }
 *   KTEST_SUITE(pmm, KTEST_CASE(alloc_returns_aligned_frame));
 */
#ifndef CAIRN_KTEST_H
#define CAIRN_KTEST_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

struct ktest {
	const char *name;       /* the running case */
	bool failed;
	bool skipped;
	const char *skip_reason;
	jmp_buf abort;          /* a failed KASSERT_* jumps here */
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	unsigned count;
	bool on_request;        /* left out of plain `test`: must be named */
};

#define KTEST_CASE(fn) { #fn, fn }

#define KTEST_DEFINE_SUITE(ident, request_only, ...) \
	static const struct ktest_case ident##_cases[] = { __VA_ARGS__ }; \
	static const struct ktest_suite ident##_suite = { \
		#ident, ident##_cases, \
		sizeof(ident##_cases) / sizeof(ident##_cases[0]), request_only }; \
	static const struct ktest_suite *const ident##_entry \
		__attribute__((used, section("ktest_suites"))) = &ident##_suite

/* A suite that `test` runs. */
#define KTEST_SUITE(ident, ...) KTEST_DEFINE_SUITE(ident, false, __VA_ARGS__)
/* A suite that runs only when named, such as the harness's own canary. */
#define KTEST_SUITE_ON_REQUEST(ident, ...) KTEST_DEFINE_SUITE(ident, true, __VA_ARGS__)

/* Runs the suites that selection names ("" or NULL: all but on-request
 * ones), prints KTAP, and returns the number of failed cases. */
int ktest_run(const char *selection, unsigned selection_len);

/* True while ktest_run is running cases: panic() then fails the run. */
bool ktest_running(void);

/* Marks the case skipped with a reason, and ends it. */
__attribute__((noreturn)) void ktest_skip(struct ktest *t, const char *reason);

/* The comparison behind the macros: records a failure with both values. */
bool ktest_check(struct ktest *t, bool ok, const char *file, int line,
		 const char *left_text, const char *op, const char *right_text,
		 unsigned long long left, unsigned long long right);
bool ktest_check_str(struct ktest *t, bool ok, const char *file, int line,
		     const char *left_text, const char *right_text,
		     const char *left, const char *right);
__attribute__((noreturn)) void ktest_abort(struct ktest *t);

#define KTEST_CMP_(t, a, op, b) \
	ktest_check(t, (a) op (b), __FILE__, __LINE__, #a, #op, #b, \
		    (unsigned long long)(a), (unsigned long long)(b))

#define KEXPECT_EQ(t, a, b) KTEST_CMP_(t, a, ==, b)
#define KEXPECT_NE(t, a, b) KTEST_CMP_(t, a, !=, b)
#define KEXPECT_LT(t, a, b) KTEST_CMP_(t, a, <, b)
#define KEXPECT_LE(t, a, b) KTEST_CMP_(t, a, <=, b)
#define KEXPECT_GT(t, a, b) KTEST_CMP_(t, a, >, b)
#define KEXPECT_GE(t, a, b) KTEST_CMP_(t, a, >=, b)
#define KEXPECT_TRUE(t, c) KTEST_CMP_(t, !!(c), ==, 1)
#define KEXPECT_FALSE(t, c) KTEST_CMP_(t, !!(c), ==, 0)
#define KEXPECT_PTR_EQ(t, a, b) \
	ktest_check(t, (const void *)(a) == (const void *)(b), __FILE__, __LINE__, #a, "==", #b, \
		    (uintptr_t)(a), (uintptr_t)(b))
#define KEXPECT_NULL(t, p) KEXPECT_PTR_EQ(t, p, NULL)
#define KEXPECT_NOT_NULL(t, p) \
	ktest_check(t, (const void *)(p) != NULL, __FILE__, __LINE__, #p, "!=", "NULL", \
		    (uintptr_t)(p), 0)
#define KEXPECT_STREQ(t, a, b) \
	ktest_check_str(t, ktest_streq(a, b), __FILE__, __LINE__, #a, #b, a, b)

/* The same, but a failure ends the case at once. */
#define KASSERT_OK_(t, check) do { if (!(check)) ktest_abort(t); } while (0)
#define KASSERT_EQ(t, a, b) KASSERT_OK_(t, KEXPECT_EQ(t, a, b))
#define KASSERT_NE(t, a, b) KASSERT_OK_(t, KEXPECT_NE(t, a, b))
#define KASSERT_LT(t, a, b) KASSERT_OK_(t, KEXPECT_LT(t, a, b))
#define KASSERT_LE(t, a, b) KASSERT_OK_(t, KEXPECT_LE(t, a, b))
#define KASSERT_GT(t, a, b) KASSERT_OK_(t, KEXPECT_GT(t, a, b))
#define KASSERT_GE(t, a, b) KASSERT_OK_(t, KEXPECT_GE(t, a, b))
#define KASSERT_TRUE(t, c) KASSERT_OK_(t, KEXPECT_TRUE(t, c))
#define KASSERT_FALSE(t, c) KASSERT_OK_(t, KEXPECT_FALSE(t, c))
#define KASSERT_NOT_NULL(t, p) KASSERT_OK_(t, KEXPECT_NOT_NULL(t, p))

bool ktest_streq(const char *a, const char *b);

struct trapframe;

/* Runs fn(arg) expecting it to raise exception `vector` in the kernel;
 * the fault is caught (not fatal) and its frame and CR2 copied to *frame
 * and *cr2 when not NULL. Returns true if that fault came. */
bool ktest_catch_fault(unsigned vector, void (*fn)(void *), void *arg,
		       struct trapframe *frame, uint32_t *cr2);

#endif /* CAIRN_KTEST_H */
