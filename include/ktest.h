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
#include <stddef.h>
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

/* Does this kernel carry the suites? build/kernel-test.elf does; in
 * build/kernel.elf (src/kernel/notests.c) ktest_run finds none. */
bool ktest_built_in(void);
/* Was the kernel booted with `test` or `test=...`? */
bool ktest_requested(void);

/* Runs what the command line asked for, as ktest_run does. */
int ktest_run_requested(void);

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

/* Each argument is evaluated exactly once (KEXPECT_EQ(t, pmm_free(p), 0)
 * must free once), hence the statement expressions. Copied into
 * variables, a literal 0 loses the "cannot be negative" gcc knew, so the
 * signedness warning is off inside: both values are printed on failure. */
#define KTEST_CMP_(t, a, op, b) ({ \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wsign-compare\"") \
	__auto_type ktest_a_ = (a); \
	__auto_type ktest_b_ = (b); \
	bool ktest_ok_ = ktest_a_ op ktest_b_; \
	_Pragma("GCC diagnostic pop") \
	ktest_check(t, ktest_ok_, __FILE__, __LINE__, #a, #op, #b, \
		    (unsigned long long)ktest_a_, (unsigned long long)ktest_b_); })

#define KEXPECT_EQ(t, a, b) KTEST_CMP_(t, a, ==, b)
#define KEXPECT_NE(t, a, b) KTEST_CMP_(t, a, !=, b)
#define KEXPECT_LT(t, a, b) KTEST_CMP_(t, a, <, b)
#define KEXPECT_LE(t, a, b) KTEST_CMP_(t, a, <=, b)
#define KEXPECT_GT(t, a, b) KTEST_CMP_(t, a, >, b)
#define KEXPECT_GE(t, a, b) KTEST_CMP_(t, a, >=, b)
#define KEXPECT_TRUE(t, c) KTEST_CMP_(t, !!(c), ==, 1)
#define KEXPECT_FALSE(t, c) KTEST_CMP_(t, !!(c), ==, 0)
#define KEXPECT_PTR_EQ(t, a, b) ({ \
	const void *ktest_a_ = (a), *ktest_b_ = (b); \
	ktest_check(t, ktest_a_ == ktest_b_, __FILE__, __LINE__, #a, "==", #b, \
		    (uintptr_t)ktest_a_, (uintptr_t)ktest_b_); })
#define KEXPECT_NULL(t, p) KEXPECT_PTR_EQ(t, p, NULL)
#define KEXPECT_NOT_NULL(t, p) ({ \
	const void *ktest_p_ = (p); \
	ktest_check(t, ktest_p_ != NULL, __FILE__, __LINE__, #p, "!=", "NULL", \
		    (uintptr_t)ktest_p_, 0); })
#define KEXPECT_STREQ(t, a, b) ({ \
	const char *ktest_a_ = (a), *ktest_b_ = (b); \
	ktest_check_str(t, ktest_streq(ktest_a_, ktest_b_), __FILE__, __LINE__, #a, #b, \
			ktest_a_, ktest_b_); })

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
