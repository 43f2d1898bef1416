/*
 * The command line, word by word, against the options the kernel knows.
 * Each option is declared beside the code that acts on it (BOOTARG in
 * include/bootargs.h); the linker gathers them between bootargs_start and
 * bootargs_end, and this is the only code that reads the line.
 */
#include <bootargs.h>
#include <console.h>

extern const struct bootarg_option *const bootargs_start[], *const bootargs_end[];

const struct bootarg_option *
bootargs_find(const char *key, size_t len)
{
	for (const struct bootarg_option *const *o = bootargs_start; o < bootargs_end; o++)
		if (cmdline_is(key, len, (*o)->key))
			return *o;
	return NULL;
}

/* The index of value[0..len) among values, or -1. */
static int
value_index(const char *const *values, const char *value, size_t len)
{
	for (int i = 0; values[i]; i++)
		if (cmdline_is(value, len, values[i]))
			return i;
	return -1;
}

const char *
bootargs_check(const struct cmdline_word *w, const struct bootarg_option **opt, struct bootarg *arg)
{
	const struct bootarg_option *o = bootargs_find(w->key, w->key_len);

	*opt = o;
	if (o == NULL)
		return "no such option";
	if (w->value && !(o->forms & BOOTARG_VALUE))
		return "it takes no value";
	if (!w->value && !(o->forms & BOOTARG_FLAG))
		return "it needs a value";
	*arg = (struct bootarg){ w->value, w->value_len, -1 };
	if (w->value && o->values && (arg->choice = value_index(o->values, w->value, w->value_len)) < 0)
		return "no such value";
	return NULL;
}

/* Stands for any option whose function refused a value: its reason says
 * what was wanted. */
static const struct bootarg_option refused_value;

/* One format for every refusal, with what would have been accepted. */
static void
refuse(const struct cmdline_word *w, const struct bootarg_option *o, const char *why)
{
	size_t word_len = w->value ? (size_t)(w->value + w->value_len - w->key) : w->key_len;

	kprintf("cmdline: '%.*s' ignored: %s", (int)word_len, w->key, why);
	if (o == NULL) {
		kprintf("; known:");
		for (const struct bootarg_option *const *k = bootargs_start; k < bootargs_end; k++)
			kprintf(" %s", (*k)->key);
	} else if (o->values && w->value) {
		kprintf("; known:");
		for (int i = 0; o->values[i]; i++)
			kprintf(" %s", o->values[i]);
	} else if (o->take != NULL) {
		kprintf(" (%s: %s)", o->key, o->help);
	}
	kprintf("\n");
}

void
bootargs_init(const char *line)
{
	struct cmdline_word w;
	const struct bootarg_option *o;
	struct bootarg arg;

	for (const char *p = line; cmdline_next(&p, &w);) {
		const char *why = bootargs_check(&w, &o, &arg);
		if (why != NULL)
			refuse(&w, o, why);
		else if ((why = o->take(&arg)) != NULL)
			refuse(&w, &refused_value, why);
	}
}
