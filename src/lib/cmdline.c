/*
 * Command-line words, parsed without copying or allocating: a word is a
 * pair of (pointer, length) slices into the line, so the parser works on
 * the multiboot string in place, in the kernel or in a host tool.
 */
#include <cmdline.h>
#include <cairn/errno.h>

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *
cmdline_skip_path(const char *line)
{
	const char *p = line;
	bool slash = false;

	while (is_space(*p))
		p++;
	const char *word = p;
	for (; *p && !is_space(*p); p++) {
		if (*p == '=')
			return line;
		if (*p == '/')
			slash = true;
	}
	if (!slash)
		return word;
	while (is_space(*p))
		p++;
	return p;
}

/* Scans a value that may be double-quoted; returns the end of the word. */
static const char *
scan_value(const char *p, struct cmdline_word *w)
{
	if (*p == '"') {
		const char *close = ++p;
		while (*close && *close != '"')
			close++;
		w->value = p;
		w->value_len = (size_t)(close - p);
		return *close ? close + 1 : close;
	}
	w->value = p;
	while (*p && !is_space(*p))
		p++;
	w->value_len = (size_t)(p - w->value);
	return p;
}

bool
cmdline_next(const char **cursor, struct cmdline_word *w)
{
	const char *p = *cursor;

	while (is_space(*p))
		p++;
	if (*p == '\0') {
		*cursor = p;
		return false;
	}
	w->key = p;
	while (*p && !is_space(*p) && *p != '=')
		p++;
	w->key_len = (size_t)(p - w->key);
	w->value = NULL;
	w->value_len = 0;
	if (*p == '=')
		p = scan_value(p + 1, w);
	*cursor = p;
	return true;
}

bool
cmdline_key_is(const struct cmdline_word *w, const char *key)
{
	return cmdline_is(w->key, w->key_len, key);
}

static int
digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

static unsigned
suffix_shift(char c)
{
	switch (c) {
	case 'k': case 'K': return 10;
	case 'm': case 'M': return 20;
	case 'g': case 'G': return 30;
	default: return 0;
	}
}

int
cmdline_parse_size(const char *text, size_t len, uint64_t *out)
{
	unsigned base = 10;
	size_t i = 0;
	uint64_t v = 0;

	if (len >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		base = 16;
		i = 2;
	}
	unsigned shift = len > i ? suffix_shift(text[len - 1]) : 0;
	size_t digits_end = shift ? len - 1 : len;
	if (digits_end <= i)
		return -EINVAL;                 /* no digits at all */
	for (; i < digits_end; i++) {
		unsigned d = (unsigned)digit_value(text[i]);
		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int
cmdline_parse_number(const char *text, size_t len, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (len > 0 && suffix_shift(text[len - 1]))
		return -EINVAL;                 /* a count, not a size */
	int error = cmdline_parse_size(text, len, &v);
	if (error)
		return error;
	if (v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

bool
cmdline_next_item(const char **cursor, const char *end, const char **item, size_t *len)
{
	const char *p = *cursor, *q = p;

	if (p > end)
		return false;
	while (q < end && *q != ',')
		q++;
	*item = p;
	*len = (size_t)(q - p);
	*cursor = q + 1;                /* past the comma, or one past end: done */
	return true;
}

bool
cmdline_is(const char *text, size_t len, const char *word)
{
	size_t i = 0;

	for (; i < len; i++)
		if (word[i] != text[i])         /* also stops at word's NUL */
			return false;
	return word[i] == '\0';
}
