/*
 * Splitting a boot command line into words (src/lib/cmdline.c). A word is
 * a flag ("poweroff") or a key=value pair ("mem=64M"); a value may be
 * double-quoted to hold spaces. The kernel's table of known options is in
 * src/base/bootargs.c; the host tools use the same parser.
 */
#ifndef CAIRN_CMDLINE_H
#define CAIRN_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cmdline_word {
	const char *key;
	size_t key_len;
	const char *value;      /* NULL for a flag; "" for "key=" */
	size_t value_len;
};

/* QEMU's -kernel puts the kernel's path before the arguments, GRUB does
 * not: returns line past a first word that holds a '/' and no '='. */
const char *cmdline_skip_path(const char *line);

/* Reads the next word at *cursor into *w and advances *cursor past it.
 * Returns false when no word is left. */
bool cmdline_next(const char **cursor, struct cmdline_word *w);

/* True when the word's key is exactly key. */
bool cmdline_key_is(const struct cmdline_word *w, const char *key);

/* Parses a size: decimal, or 0x hex, with an optional K, M or G suffix
 * (either case, powers of 1024). Returns 0 and sets *out, or -EINVAL for
 * a malformed text and -ERANGE when it does not fit in 64 bits. */
int cmdline_parse_size(const char *text, size_t len, uint64_t *out);

/* Is text[0..len) exactly the C string word? */
bool cmdline_is(const char *text, size_t len, const char *word);

/* Reads the next item of the comma-separated list [*cursor, end) into
 * *item and *len, and moves *cursor past it. Empty items come out too
 * (len 0: "a,,b" has three), so callers choose what they mean. Returns
 * false once the list is used up. */
bool cmdline_next_item(const char **cursor, const char *end, const char **item, size_t *len);

/* Parses a count: decimal, or 0x hex, no suffix. Returns 0 and sets *out,
 * -EINVAL for a malformed text, -ERANGE above max. */
int cmdline_parse_number(const char *text, size_t len, uint32_t max, uint32_t *out);

#endif /* CAIRN_CMDLINE_H */
