/*
 * libFuzzer target for src/lib/format.c, renamed cairn_snprintf as in the
 * host tests (tests/host/cairn_names.h). The first byte picks the shape:
 *
 *  even: the rest is a format string, cut before its ninth '%', given
 *    24 copies of a string pointer as arguments (a conversion takes at
 *    most three: '*' width, '*' precision, value). Whatever it says, the
 *    formatter must stay in its buffer and end it with a NUL.
 *  odd: one conversion decoded from the bytes (flags, a width and a
 *    precision as digits or '*' with any int, INT_MIN and digits past
 *    INT_MAX included, a length, the value, the buffer size), formatted
 *    by cairn_snprintf and by glibc's snprintf given the width and
 *    precision capped as include/format.h says: the same bytes and the
 *    same length. Only what C defines is asked (no '#' on %d, no flags
 *    but '-' on %s and %c, ...).
 *
 * The bugs it stands for: '%*d' with INT_MIN, widths past INT_MAX
 * (seeds in tests/fuzz/format_fuzz_seeds/).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cairn_names.h"
#include <format.h>
#include "plain_names.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* ------------------------------------------------ a raw format string */

static void
fuzz_raw(const uint8_t *data, size_t size)
{
	static const char arg[] = "cairn";
	const char *a = arg;
	char *fmt = malloc(size + 1);
	int percents = 0;
	size_t len = 0;

	CHECK(fmt != NULL);
	size_t bufsize = size > 0 ? data[0] : 0;
	for (size_t i = 1; i < size && (data[i] != '%' || ++percents <= 8); i++)
		fmt[len++] = (char)data[i];
	fmt[len] = '\0';
	char *buf = malloc(bufsize ? bufsize : 1);         /* ASan: exact size */
	CHECK(buf != NULL);
	int n = cairn_snprintf(buf, bufsize, fmt, a, a, a, a, a, a, a, a, a, a, a, a,
		a, a, a, a, a, a, a, a, a, a, a, a);
	CHECK(n >= 0);
	CHECK(bufsize == 0 || memchr(buf, '\0', bufsize) != NULL);
	free(buf);
	free(fmt);
}

/* ------------------------------------------- one conversion, vs glibc */

/* The argument a conversion takes. */
enum type { T_INT, T_UINT, T_LONG, T_ULONG, T_LLONG, T_ULLONG, T_SIZE, T_STR, T_PTR, T_NONE };

/* One call: the format and the '*' arguments before the value. */
struct call {
	char fmt[80];
	int star[2];
	int nstar;
};

static uint64_t
take(const uint8_t **p, const uint8_t *end, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes && *p < end; i++)
		v |= (uint64_t)*(*p)++ << (8 * i);
	return v;
}

/* Appends a width or precision: ours as decoded (digits, or '*' with an
 * int); glibc's always as '*' with the value format.h says ours uses. */
static void
add_field(struct call *ours, struct call *ref, bool star, uint64_t v,
	bool is_width, bool capped, bool *left)
{
	long long value;                /* what ours must take it as */

	if (star) {
		strcat(ours->fmt, "*");
		ours->star[ours->nstar++] = (int)(uint32_t)v;
		value = (int)(uint32_t)v;
	} else {
		if (is_width && v == 0)         /* "0" would be the '0' flag */
			return;
		snprintf(ours->fmt + strlen(ours->fmt), 24, "%llu", (unsigned long long)v);
		value = v > INT_MAX ? INT_MAX : (long long)v;
	}
	if (is_width && value < 0) {
		*left = true;
		value = -value;
	}
	if (value < 0)                  /* a negative precision: none */
		value = -1;
	if (capped && value > FORMAT_FIELD_MAX)
		value = FORMAT_FIELD_MAX;
	strcat(ref->fmt, "*");
	ref->star[ref->nstar++] = (int)value;
}

/* Formats with fn, the '*' arguments of c, then value. */
#define CALL(fn, buf, size, c, value) \
	((c)->nstar == 0 ? fn(buf, size, (c)->fmt, value) : \
	 (c)->nstar == 1 ? fn(buf, size, (c)->fmt, (c)->star[0], value) : \
	 fn(buf, size, (c)->fmt, (c)->star[0], (c)->star[1], value))

#define BOTH(value) do { \
	n_ours = CALL(cairn_snprintf, ours_buf, bufsize, &ours, value); \
	n_ref = CALL(snprintf, ref_buf, bufsize, &ref, value); \
} while (0)

static void
fuzz_one(const uint8_t *data, size_t size)
{
	static const char convs[] = "diuxXcsp%";
	static const char *const lengths[] = { "", "hh", "h", "l", "ll", "z" };
	const uint8_t *p = data, *end = data + size;
	uint8_t flags = (uint8_t)take(&p, end, 1), shape = (uint8_t)take(&p, end, 1);
	char conv = convs[(shape >> 4) % 9];
	int length = (shape >> 1 & 7) % 6;
	uint64_t width = take(&p, end, 8), precision = take(&p, end, 8);
	uint64_t value = take(&p, end, 8);
	size_t bufsize = (size_t)take(&p, end, 2) % 8400;
	bool numeric = strchr("diuxX", conv) != NULL, left = false;

	/* Flags are the low five bits ("-0+ #"), then a width (bit 5), as
	 * '*' (bit 6), and a precision (bit 7), as '*' (shape bit 0). Only
	 * what C defines, and glibc means the same by, is asked. */
	uint8_t chars = flags & 0x1f;
	if (!numeric)
		length = 0;
	if (strchr("diu", conv))
		chars &= 0x0f;                  /* no '#' */
	else if (conv == '%')
		chars = 0;                      /* C: exactly "%%" */
	else if (!numeric)
		chars &= 0x01;                  /* '-' only */
	struct call ours = { "%" }, ref = { "%" };
	for (int i = 0; i < 5; i++)
		if (chars >> i & 1) {
			strncat(ours.fmt, &"-0+ #"[i], 1);
			strncat(ref.fmt, &"-0+ #"[i], 1);
		}
	size_t ref_flags_end = strlen(ref.fmt);
	if (conv != '%' && conv != 'p' && (flags & 0x20))
		add_field(&ours, &ref, flags & 0x40, width, true, true, &left);
	if (conv != '%' && conv != 'c' && conv != 'p' && (flags & 0x80)) {
		strcat(ours.fmt, ".");
		strcat(ref.fmt, ".");
		add_field(&ours, &ref, shape & 1, precision, false, conv != 's', &left);
	}
	if (left) {                     /* a negative width: '-' for glibc */
		memmove(ref.fmt + ref_flags_end + 1, ref.fmt + ref_flags_end,
			strlen(ref.fmt + ref_flags_end) + 1);
		ref.fmt[ref_flags_end] = '-';
	}
	strcat(ours.fmt, lengths[length]);
	strcat(ref.fmt, lengths[length]);
	strncat(ours.fmt, &conv, 1);
	strncat(ref.fmt, &conv, 1);

	/* The rest is the string for %s: unterminated when a precision
	 * bounds the read (ASan sees a read past it). */
	size_t slen = (size_t)(end - p);
	int bound = conv == 's' && (flags & 0x80) ? ref.star[ref.nstar - 1] : -1;
	bool terminated = bound < 0 || (size_t)bound > slen;
	char *str = malloc(slen + terminated > 0 ? slen + terminated : 1);
	CHECK(str != NULL);
	memcpy(str, p, slen);
	if (terminated)
		str[slen] = '\0';
	char *ours_buf = malloc(bufsize ? bufsize : 1), *ref_buf = malloc(bufsize ? bufsize : 1);
	CHECK(ours_buf != NULL && ref_buf != NULL);
	int n_ours, n_ref;
	enum type type = conv == 's' ? T_STR : conv == 'p' ? T_PTR : conv == '%' ? T_NONE
		: conv == 'c' ? T_INT
		: length == 3 ? (strchr("di", conv) ? T_LONG : T_ULONG)
		: length == 4 ? (strchr("di", conv) ? T_LLONG : T_ULLONG)
		: length == 5 ? T_SIZE
		: strchr("di", conv) ? T_INT : T_UINT;
	switch (type) {
	case T_INT: BOTH((int)value); break;
	case T_UINT: BOTH((unsigned int)value); break;
	case T_LONG: BOTH((long)value); break;
	case T_ULONG: BOTH((unsigned long)value); break;
	case T_LLONG: BOTH((long long)value); break;
	case T_ULLONG: BOTH((unsigned long long)value); break;
	case T_SIZE: BOTH((size_t)value); break;
	case T_STR: BOTH(str); break;
	case T_PTR: BOTH((void *)(uintptr_t)value); break;
	case T_NONE: BOTH(0); break;
	}
	CHECK(n_ours >= 0);
	CHECK(bufsize == 0 || memchr(ours_buf, '\0', bufsize) != NULL ||
		conv == 'c');           /* %c of 0 writes a NUL of its own */
	if (conv != 'p') {              /* %p: ours always has 0x and every digit */
		CHECK(n_ours == n_ref);
		size_t cmp = bufsize == 0 ? 0 : (size_t)n_ref < bufsize ? (size_t)n_ref + 1 : bufsize;
		CHECK(memcmp(ours_buf, ref_buf, cmp) == 0);
	}
	free(ours_buf);
	free(ref_buf);
	free(str);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_one(data + 1, size - 1);
	else
		fuzz_raw(data + 1, size - 1);
	return 0;
}
