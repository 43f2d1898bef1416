/*
 * The kernel's command-line options (src/base/bootargs.c). Each option is
 * declared where it acts, with BOOTARG(), as Linux's early_param: its
 * name, whether it is a flag or takes a value, the values it knows when
 * it has a fixed set, a line of help, and the function that takes it. The
 * linker gathers the declarations into one table, which bootargs_init()
 * reads the command line against, once, early in kmain: each word goes
 * to its option's function (a value first checked against the known
 * ones), and anything else is refused in one line,
 *
 *   cmdline: 'WORD' ignored: WHY
 *
 * leaving the option as it was. Functions only note what they are told;
 * the code that owns the option acts on it when its time comes.
 */
#ifndef CAIRN_BOOTARGS_H
#define CAIRN_BOOTARGS_H

#include <cmdline.h>
#include <stdbool.h>
#include <stddef.h>

#define BOOTARG_FLAG    1       /* a bare word: poweroff */
#define BOOTARG_VALUE   2       /* key=value: mem=64M */

/* One word of an option, as its function gets it. */
struct bootarg {
	const char *value;      /* NULL for a bare flag */
	size_t len;
	int choice;             /* the value's index in the option's values[], or -1 */
};

/* Takes one word of its option (a repeatable option, memmap=, gets each
 * in turn). Returns NULL, or why the value is refused: "want a size such
 * as 64M". */
typedef const char *bootarg_fn(const struct bootarg *arg);

struct bootarg_option {
	const char *key;
	unsigned forms;                 /* BOOTARG_FLAG | BOOTARG_VALUE */
	const char *const *values;      /* the known values, NULL-terminated; NULL: any */
	const char *help;
	bootarg_fn *take;
};

/* Declares option `name` (a C identifier: vm, cpulimit) in the file that
 * acts on it. */
#define BOOTARG(name, forms, values, help, fn) \
	static const struct bootarg_option bootarg_##name = { #name, forms, values, help, fn }; \
	static const struct bootarg_option *const bootarg_##name##_entry \
		__attribute__((used, section("bootargs"))) = &bootarg_##name

/* Reads the command line and hands each word to its option. */
void bootargs_init(const char *line);

/* Whether word w may go to an option: sets *opt and *arg and returns
 * NULL, or returns why not ("no such option", "takes no value", ...). */
const char *bootargs_check(const struct cmdline_word *w, const struct bootarg_option **opt,
			   struct bootarg *arg);

/* The declared option called key, or NULL. */
const struct bootarg_option *bootargs_find(const char *key, size_t len);

#endif /* CAIRN_BOOTARGS_H */
