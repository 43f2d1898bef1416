/*
 * libFuzzer target for src/host/e820read.c, the host tool e820's reader
 * of a memory map written as text: the input is the file, any bytes at
 * all. A model walks the lines itself: the first with a NUL byte within
 * its first E820_LINE_MAX + 1 bytes, or longer than E820_LINE_MAX, must
 * be the line refused, with the right reason (and column); a map accepted
 * must have had none, and one entry for every line with words outside
 * its comment. The bugs it stands for: a NUL byte reported as a long
 * line, and a last line of exactly E820_LINE_MAX characters refused
 * (seeds in tests/fuzz/e820_fuzz_seeds/).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memmap.h>

#include "e820read.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static struct memmap map;

/* What the model makes of one line (without its newline). */
enum shape { CLEAN_BLANK, CLEAN_WORDS, HAS_NUL, TOO_LONG };

static enum shape
line_shape(const uint8_t *s, size_t len, int *column)
{
	for (size_t i = 0; i < len && i <= E820_LINE_MAX; i++)
		if (s[i] == '\0') {
			*column = (int)i + 1;
			return HAS_NUL;
		}
	if (len > E820_LINE_MAX)
		return TOO_LONG;
	for (size_t i = 0; i < len && s[i] != '#'; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return CLEAN_WORDS;
	return CLEAN_BLANK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct e820_error err;

	if (size == 0)                  /* fmemopen wants a buffer */
		return 0;
	FILE *f = fmemopen((void *)data, size, "r");
	CHECK(f != NULL);
	memmap_init(&map);
	int r = e820_read_map(f, &map, &err);
	fclose(f);
	CHECK(r == 0 || r == -EINVAL);

	int line = 0, words = 0, column = 0;
	for (size_t start = 0; start < size; ) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		size_t end = nl ? (size_t)(nl - data) : size;
		enum shape shape = line_shape(data + start, end - start, &column);
		line++;
		if (r != 0 && line == err.line) {
			char want[sizeof err.why];
			if (shape == HAS_NUL)
				snprintf(want, sizeof want, "NUL byte at column %d ", column);
			else if (shape == TOO_LONG)
				snprintf(want, sizeof want, "line too long ");
			else
				CHECK(shape == CLEAN_WORDS);    /* a syntax error, then */
			if (shape == HAS_NUL || shape == TOO_LONG)
				CHECK(strncmp(err.why, want, strlen(want)) == 0);
			else
				CHECK(strstr(err.why, "NUL") == NULL && strstr(err.why, "too long") == NULL);
			return 0;
		}
		CHECK(shape == CLEAN_BLANK || shape == CLEAN_WORDS);
		words += shape == CLEAN_WORDS;
		start = end + 1;
	}
	CHECK(r == 0);                  /* refused at a line there was not */
	CHECK(words == map.nfirmware + map.dropped);
	return 0;
}
