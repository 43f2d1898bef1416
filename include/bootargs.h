/*
 * The kernel's command-line options (src/kernel/bootargs.c holds the
 * table of known ones, with their help). Anything else on the line gets a
 * warning that lists the known options, and is ignored.
 */
#ifndef CAIRN_BOOTARGS_H
#define CAIRN_BOOTARGS_H

#include <cmdline.h>
#include <stdbool.h>
#include <stddef.h>

/* Remembers the command line and warns about unknown or misused words. */
void bootargs_init(const char *line);

/* Is the flag `key` on the line (as a bare word)? */
bool bootargs_flag(const char *key);

/* The value of the last key=value for key: returns true and sets *value
 * and *len, or false if key has no value on the line. */
bool bootargs_value(const char *key, const char **value, size_t *len);

/* Calls fn for every key=value of key, in order (for repeatable options
 * such as memmap=). */
void bootargs_each(const char *key, void (*fn)(const char *value, size_t len));

/* Is the word `key` on the line at all, flag or key=value? */
bool bootargs_present(const char *key);

#endif /* CAIRN_BOOTARGS_H */
