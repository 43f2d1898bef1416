/*
 * Reads a memory map written as text (e820read.h), a line at a time with
 * getc: fgets cannot tell a NUL byte from the end of its buffer, and its
 * buffer has to hold the newline too, which made a line of exactly
 * E820_LINE_MAX characters fit or not depending on what followed it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cmdline.h>
#include <memmap.h>

#include "e820read.h"

/* What read_line() found. */
enum line_status {
	LINE_OK,                /* a line, maybe the last without a newline */
	LINE_END,               /* nothing left */
	LINE_TOO_LONG,          /* more than E820_LINE_MAX characters */
	LINE_NUL,               /* a NUL byte, at *column */
};

/* Reads the next line of f into line[E820_LINE_MAX + 1], without its
 * newline, NUL-terminated; on LINE_NUL, *column is the byte's (from 1). */
static enum line_status
read_line(FILE *f, char *line, int *column)
{
	int len = 0, c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (c == '\0') {
			*column = len + 1;
			return LINE_NUL;
		}
		if (len == E820_LINE_MAX)
			return LINE_TOO_LONG;
		line[len++] = (char)c;
	}
	line[len] = '\0';
	return c == EOF && len == 0 ? LINE_END : LINE_OK;
}

/* Parses the whitespace-separated number at *p into *out, advancing *p.
 * Returns false if there is no word or it is not a number. */
static bool
next_number(char **p, uint64_t *out)
{
	char *s = *p + strspn(*p, " \t\r");
	size_t len = strcspn(s, " \t\r");

	*p = s + len;
	return len > 0 && cmdline_parse_size(s, len, out) == 0;
}

/* Reads one map line into *e. Returns 1 for an entry, 0 for a line with
 * none (blank or comment), or -1 with *why set for a malformed line. */
static int
parse_line(char *line, struct memmap_raw *e, const char **why)
{
	uint64_t type;
	char *hash = strchr(line, '#');

	if (hash)
		*hash = '\0';
	char *p = line + strspn(line, " \t\r");
	if (*p == '\0')
		return 0;
	if (!next_number(&p, &e->base)) {
		*why = "bad BASE (expected BASE LENGTH TYPE)";
		return -1;
	}
	if (!next_number(&p, &e->length)) {
		*why = "bad LENGTH (expected BASE LENGTH TYPE)";
		return -1;
	}
	if (!next_number(&p, &type) || type > UINT32_MAX) {
		*why = "bad TYPE (expected BASE LENGTH TYPE)";
		return -1;
	}
	if (p[strspn(p, " \t\r")] != '\0') {
		*why = "extra words after TYPE";
		return -1;
	}
	e->type = (uint32_t)type;
	return 1;
}

int
e820_read_map(FILE *f, struct memmap *m, struct e820_error *err)
{
	char line[E820_LINE_MAX + 1];
	enum line_status status;
	int column;

	err->line = 0;
	while ((status = read_line(f, line, &column)) != LINE_END) {
		struct memmap_raw e;
		const char *why = "";

		err->line++;
		if (status == LINE_NUL) {
			snprintf(err->why, sizeof err->why,
				"NUL byte at column %d (a map is text)", column);
			return -EINVAL;
		}
		if (status == LINE_TOO_LONG) {
			snprintf(err->why, sizeof err->why,
				"line too long (more than %d characters)", E820_LINE_MAX);
			return -EINVAL;
		}
		int r = parse_line(line, &e, &why);
		if (r < 0) {
			snprintf(err->why, sizeof err->why, "%s", why);
			return -EINVAL;
		}
		if (r > 0)
			memmap_add_firmware(m, e.base, e.length, e.type);
	}
	return ferror(f) ? -EIO : 0;
}
