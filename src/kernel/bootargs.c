/*
 * Which command-line options the kernel knows, and how each is used. The
 * line itself stays in multiboot.c's copy; the questions below re-read it
 * with the shared word parser, which costs nothing at this size and keeps
 * no second copy in sync.
 */
#include <bootargs.h>
#include <console.h>

enum option_form {
	FLAG = 1,               /* a bare word: poweroff */
	VALUE = 2,              /* key=value: mem=64M */
};

struct option {
	const char *key;
	unsigned forms;         /* the forms allowed, FLAG | VALUE */
	const char *help;
};

static const struct option options[] = {
	{ "poweroff", FLAG, "leave the emulator once the kernel is up" },
	{ "test", FLAG | VALUE, "run the kernel tests: all, or test=suite,suite.case" },
	{ "mem", VALUE, "ignore usable RAM at and above this size: mem=64M" },
	{ "memmap", VALUE, "edit the memory map: SIZE@ADDR usable, SIZE$ADDR reserved, SIZE#ADDR ACPI data" },
	{ "kheap", VALUE, "kheap=guard: every kmalloc on its own pages, an unmapped page after it" },
	{ "run", VALUE, "run user programs: run=hello,sbrktest or run=all" },
	{ "cpulimit", VALUE, "seconds of CPU time a user program may use before it is killed: cpulimit=60 (the default), 0 for no limit" },
	{ "vm", VALUE, "how sbrk backs memory: vm=eager (at once, the default) or vm=lazy (on first touch)" },
	{ "crash", VALUE, "provoke a fault to see its report: divide, breakpoint, gpf, pagefault, panic, stackoverflow, doublefree, triplefault" },
};

#define OPTION_COUNT (sizeof(options) / sizeof(options[0]))

static const char *line = "";

static const struct option *
find_option(const struct cmdline_word *w)
{
	for (size_t i = 0; i < OPTION_COUNT; i++)
		if (cmdline_key_is(w, options[i].key))
			return &options[i];
	return NULL;
}

static void
warn_unknown(const struct cmdline_word *w)
{
	kprintf("cmdline: unknown option '%.*s' ignored; known:", (int)w->key_len, w->key);
	for (size_t i = 0; i < OPTION_COUNT; i++)
		kprintf(" %s", options[i].key);
	kprintf("\n");
}

static void
check_word(const struct cmdline_word *w)
{
	const struct option *o = find_option(w);

	if (o == NULL)
		warn_unknown(w);
	else if (w->value && !(o->forms & VALUE))
		kprintf("cmdline: '%s' takes no value; '%.*s' ignored\n", o->key,
			(int)w->value_len, w->value);
	else if (!w->value && !(o->forms & FLAG))
		kprintf("cmdline: '%s' needs a value (%s); ignored\n", o->key, o->help);
}

void
bootargs_init(const char *cmdline)
{
	struct cmdline_word w;

	line = cmdline;
	for (const char *p = line; cmdline_next(&p, &w);)
		check_word(&w);
}

bool
bootargs_present(const char *key)
{
	struct cmdline_word w;

	for (const char *p = line; cmdline_next(&p, &w);)
		if (cmdline_key_is(&w, key))
			return true;
	return false;
}

bool
bootargs_flag(const char *key)
{
	struct cmdline_word w;

	for (const char *p = line; cmdline_next(&p, &w);)
		if (cmdline_key_is(&w, key) && w.value == NULL)
			return true;
	return false;
}

bool
bootargs_value(const char *key, const char **value, size_t *len)
{
	struct cmdline_word w;
	bool found = false;

	for (const char *p = line; cmdline_next(&p, &w);) {
		if (cmdline_key_is(&w, key) && w.value) {
			*value = w.value;
			*len = w.value_len;
			found = true;
		}
	}
	return found;
}

void
bootargs_each(const char *key, void (*fn)(const char *value, size_t len))
{
	struct cmdline_word w;

	for (const char *p = line; cmdline_next(&p, &w);)
		if (cmdline_key_is(&w, key) && w.value)
			fn(w.value, w.value_len);
}
