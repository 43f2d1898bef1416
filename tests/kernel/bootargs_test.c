/*
 * Tests of src/base/bootargs.c: every option is declared once with a
 * function and a line of help, and a word is checked against the
 * declarations (its option, its form, its value) before any function
 * sees it.
 */
#include <bootargs.h>
#include <ktest.h>
#include <string.h>

extern const struct bootarg_option *const bootargs_start[], *const bootargs_end[];

static void
every_option_is_declared_once_with_help_and_a_function(struct ktest *t)
{
	KEXPECT_GT(t, bootargs_end - bootargs_start, 0);
	for (const struct bootarg_option *const *o = bootargs_start; o < bootargs_end; o++) {
		KEXPECT_PTR_EQ(t, bootargs_find((*o)->key, strlen((*o)->key)), *o);
		KEXPECT_NOT_NULL(t, (*o)->take);
		KEXPECT_GT(t, strlen((*o)->help), 0);
		KEXPECT_NE(t, (*o)->forms, 0);
	}
}

/* Checks one word of a command line; returns bootargs_check's answer. */
static const char *
check(const char *word, struct bootarg *arg)
{
	const char *p = word;
	struct cmdline_word w;
	const struct bootarg_option *o;

	cmdline_next(&p, &w);
	return bootargs_check(&w, &o, arg);
}

static void
words_are_checked_against_their_option(struct ktest *t)
{
	struct bootarg arg;

	KEXPECT_STREQ(t, check("nosuch", &arg), "no such option");
	KEXPECT_STREQ(t, check("poweroff=1", &arg), "it takes no value");
	KEXPECT_STREQ(t, check("mem", &arg), "it needs a value");
	KEXPECT_STREQ(t, check("vm=lazier", &arg), "no such value");
	KEXPECT_STREQ(t, check("vm=", &arg), "no such value");
	KEXPECT_NULL(t, check("poweroff", &arg));
	KEXPECT_NULL(t, arg.value);
	KEXPECT_NULL(t, check("vm=lazy", &arg));
	KEXPECT_EQ(t, arg.len, 4);
	KEXPECT_EQ(t, arg.choice, 1);                   /* eager, lazy */
	KEXPECT_NULL(t, check("mem=64M", &arg));        /* any value: its function judges */
	KEXPECT_EQ(t, arg.choice, -1);
	KEXPECT_NULL(t, check("test", &arg));           /* flag or value */
	KEXPECT_NULL(t, check("test=boot", &arg));
}

KTEST_SUITE(bootargs,
	KTEST_CASE(every_option_is_declared_once_with_help_and_a_function),
	KTEST_CASE(words_are_checked_against_their_option));
