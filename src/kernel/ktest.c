/*
 * The test runner inside the kernel. It walks the suites the linker
 * gathered in the ktest_suites section, runs the selected ones, and
 * prints KTAP version 1 exactly as KUnit does, so the same tools read it:
 *
 *   KTAP version 1
 *   1..2
 *       KTAP version 1
 *       # Subtest: pmm
 *       1..3
 *       ok 1 alloc_returns_aligned_frame
 *       ...
 *   # pmm: pass:3 fail:0 skip:0 total:3
 *   ok 1 pmm
 *   ...
 *   # Totals: pass:9 fail:0 skip:0 total:9
 *
 * All of it is printed as verdicts (kverdict): on the console, and on
 * COM2, which the test runner reads.
 */
#include <bootargs.h>
#include <cmdline.h>
#include <console.h>
#include <format.h>
#include <kheap.h>
#include <ktest.h>
#include <panic.h>
#include <power.h>
#include <string.h>
#include <trap.h>

extern const struct ktest_suite *const ktest_suites_start[], *const ktest_suites_end[];

struct tally {
	unsigned pass, fail, skip;
};

static bool running;
static bool requested;                  /* test or test=... on the command line */
static const char *selection;           /* test=: the suites and cases to run */
static unsigned selection_len;

/* A kernel booted for tests must never hang: one that stops (a panic, a
 * fatal trap) leaves the emulator with a failure, saying when. */
static void
stopped(void)
{
	kprintf("ktest: the kernel stopped %s\n", running ? "in the middle of a test" : "before its tests");
	machine_exit(EXIT_FAIL);
}

static const char *
test_option(const struct bootarg *arg)
{
	requested = true;
	selection = arg->value;
	selection_len = arg->value ? (unsigned)arg->len : 0;
	panic_set_stop_hook(stopped);
	kheap_check_every_operation();  /* every heap invariant, after every call */
	return NULL;
}
BOOTARG(test, BOOTARG_FLAG | BOOTARG_VALUE, NULL, "run the kernel tests: all, or test=suite,suite.case",
	test_option);

bool
ktest_built_in(void)
{
	return true;
}

bool
ktest_requested(void)
{
	return requested;
}

int
ktest_run_requested(void)
{
	return ktest_run(selection, selection_len);
}

bool
ktest_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
report_failure_header(struct ktest *t, const char *file, int line)
{
	t->failed = true;
	kverdict("    # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
}

bool
ktest_check(struct ktest *t, bool ok, const char *file, int line,
	    const char *left_text, const char *op, const char *right_text,
	    unsigned long long left, unsigned long long right)
{
	if (ok)
		return true;
	report_failure_header(t, file, line);
	kverdict("    # Expected %s %s %s, but\n", left_text, op, right_text);
	kverdict("    #     %s == %lld (0x%llx)\n", left_text, (long long)left, left);
	kverdict("    #     %s == %lld (0x%llx)\n", right_text, (long long)right, right);
	return false;
}

bool
ktest_check_str(struct ktest *t, bool ok, const char *file, int line,
		const char *left_text, const char *right_text,
		const char *left, const char *right)
{
	if (ok)
		return true;
	report_failure_header(t, file, line);
	kverdict("    # Expected %s == %s, but\n", left_text, right_text);
	kverdict("    #     %s == \"%s\"\n", left_text, left);
	kverdict("    #     %s == \"%s\"\n", right_text, right);
	return false;
}

void
ktest_abort(struct ktest *t)
{
	longjmp(t->abort, 1);
}

void
ktest_skip(struct ktest *t, const char *reason)
{
	t->skipped = true;
	t->skip_reason = reason;
	longjmp(t->abort, 1);
}

bool
ktest_catch_fault(unsigned vector, void (*fn)(void *), void *arg,
		  struct trapframe *frame, uint32_t *cr2)
{
	static struct trap_recovery recovery;   /* outlives the longjmp */

	recovery.vector = vector;
	if (setjmp(recovery.env) == 0) {
		trap_set_recovery(&recovery);
		fn(arg);
		trap_set_recovery(NULL);
		return false;
	}
	if (frame)
		*frame = recovery.frame;
	if (cr2)
		*cr2 = recovery.cr2;
	return true;
}

/* Is `name` one of the comma-separated words of list[0..len)? A word
 * "suite" selects the whole suite, "suite.case" one case. */
static bool
list_has(const char *list, unsigned len, const char *name)
{
	const char *cursor = list, *item;
	size_t item_len;

	while (cmdline_next_item(&cursor, list + len, &item, &item_len))
		if (cmdline_is(item, item_len, name))
			return true;
	return false;
}

static bool
case_selected(const struct ktest_suite *s, const struct ktest_case *c, const char *sel, unsigned len)
{
	char full[96];

	if (len == 0 || list_has(sel, len, s->name))
		return true;
	snprintf(full, sizeof(full), "%s.%s", s->name, c->name);
	return list_has(sel, len, full);
}

/* A suite runs if any of its cases is selected (plain `test` leaves out
 * the on-request ones). */
static bool
suite_selected(const struct ktest_suite *s, const char *sel, unsigned len)
{
	if (len == 0)
		return !s->on_request;
	for (unsigned i = 0; i < s->count; i++)
		if (case_selected(s, &s->cases[i], sel, len))
			return true;
	return false;
}

static void
run_case(const struct ktest_case *c, unsigned number, struct tally *tally)
{
	static struct ktest t;  /* static: survives a longjmp out of the case */

	t = (struct ktest){ .name = c->name };
	if (setjmp(t.abort) == 0)
		c->run(&t);
	if (t.skipped && !t.failed) {
		kverdict("    ok %u %s # SKIP %s\n", number, c->name, t.skip_reason);
		tally->skip++;
	} else if (t.failed) {
		kverdict("    not ok %u %s\n", number, c->name);
		tally->fail++;
	} else {
		kverdict("    ok %u %s\n", number, c->name);
		tally->pass++;
	}
}

static struct tally
run_suite(const struct ktest_suite *s, unsigned number, const char *sel, unsigned len)
{
	struct tally tally = { 0 };
	unsigned planned = 0;

	for (unsigned i = 0; i < s->count; i++)
		planned += case_selected(s, &s->cases[i], sel, len);
	kverdict("    KTAP version 1\n    # Subtest: %s\n    1..%u\n", s->name, planned);
	unsigned n = 0;
	for (unsigned i = 0; i < s->count; i++)
		if (case_selected(s, &s->cases[i], sel, len))
			run_case(&s->cases[i], ++n, &tally);
	kverdict("# %s: pass:%u fail:%u skip:%u total:%u\n", s->name, tally.pass, tally.fail,
		tally.skip, planned);
	kverdict("%s %u %s\n", tally.fail ? "not ok" : "ok", number, s->name);
	return tally;
}

/* A name in the selection that matches no suite or case is a failure:
 * a typo must not pass as "nothing failed". Counts such names; prints a
 * "not ok" line for each, numbered from `number`, when print is set. */
static unsigned
unknown_names(const char *sel, unsigned len, bool print, unsigned number)
{
	const char *cursor = sel, *item;
	size_t item_len;
	unsigned unknown = 0;

	while (len > 0 && cmdline_next_item(&cursor, sel + len, &item, &item_len)) {
		bool found = false;
		for (const struct ktest_suite *const *s = ktest_suites_start; s < ktest_suites_end && !found; s++)
			found = suite_selected(*s, item, (unsigned)item_len);
		if (!found && item_len > 0) {
			if (print)
				kverdict("not ok %u %.*s # no such suite or case\n", number + unknown,
					 (int)item_len, item);
			unknown++;
		}
	}
	return unknown;
}

/* A selection of commas alone ("test=,,,") names nothing: not "all",
 * and not a pass either, since nothing ran. */
static bool
names_nothing(const char *sel, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		if (sel[i] != ',')
			return false;
	return len > 0;
}

int
ktest_run(const char *sel, unsigned len)
{
	struct tally total = { 0 };
	unsigned number = 0;

	if (sel == NULL)
		len = 0;
	bool empty = names_nothing(sel, len);
	unsigned planned = unknown_names(sel, len, false, 0) + empty;
	for (const struct ktest_suite *const *s = ktest_suites_start; s < ktest_suites_end; s++)
		planned += suite_selected(*s, sel, len);

	running = true;
	kverdict("KTAP version 1\n1..%u\n", planned);
	for (const struct ktest_suite *const *s = ktest_suites_start; s < ktest_suites_end; s++) {
		if (!suite_selected(*s, sel, len))
			continue;
		struct tally t = run_suite(*s, ++number, sel, len);
		total.pass += t.pass;
		total.fail += t.fail;
		total.skip += t.skip;
	}
	total.fail += unknown_names(sel, len, true, number + 1);
	if (empty) {
		kverdict("not ok %u test=%.*s # no such suite or case: the selection names none\n", number + 1,
			 (int)len, sel);
		total.fail++;
	}
	running = false;
	kverdict("# Totals: pass:%u fail:%u skip:%u total:%u\n", total.pass, total.fail, total.skip,
		total.pass + total.fail + total.skip);
	return (int)total.fail;
}
