/*
 * Reading a malloc-lab trace (trace.h): the header's four numbers, a
 * count of the lines that follow against the header's, then each
 * operation, checked against the ids live so far. A bad trace is refused
 * at its first bad line, before anything replays it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "trace.h"

/* Walks the text a line at a time. */
struct cursor {
	const char *p, *end;
	uint32_t line;          /* the last line taken, from 1 */
};

/* What checking knows of each id. */
enum { ID_UNUSED, ID_LIVE, ID_FREED };

static const char *const header_field[] = {
	"heap size", "number of ids", "number of operations", "weight",
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static const char *
skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

/* Takes the next line that is not blank into [*s, *s + *len), without
 * its newline. Returns false at the end of the text. */
static bool
next_line(struct cursor *c, const char **s, size_t *len)
{
	while (c->p < c->end) {
		const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
		const char *e = nl ? nl : c->end;
		*s = c->p;
		*len = (size_t)(e - c->p);
		c->p = nl ? nl + 1 : c->end;
		c->line++;
		if (skip_blanks(*s, e) != e)
			return true;
	}
	return false;
}

/* Reads the decimal number at *p (after blanks) that ends at a blank or
 * at end into *out, advancing *p. Returns false for no number, another
 * character, or one of 2^32 or more. */
static bool
next_u32(const char **p, const char *end, uint32_t *out)
{
	const char *s = skip_blanks(*p, end), *d = s;
	uint64_t v = 0;

	while (d < end && *d >= '0' && *d <= '9' && v <= UINT32_MAX)
		v = v * 10 + (uint64_t)(*d++ - '0');
	if (d == s || v > UINT32_MAX || (d < end && !is_blank(*d)))
		return false;
	*p = d;
	*out = (uint32_t)v;
	return true;
}

/* Copies the line [s, s + len) into text for a message: blanks trimmed,
 * unprintable bytes as '?', cut with "..." if it does not fit. */
static void
quote(char *text, size_t size, const char *s, size_t len)
{
	const char *end = s + len;
	size_t n = 0;

	s = skip_blanks(s, end);
	while (end > s && is_blank(end[-1]))
		end--;
	for (; s < end && n + 4 < size; s++)
		text[n++] = *s >= ' ' && *s < 0x7f ? *s : '?';
	if (s < end)
		n += (size_t)snprintf(text + n, size - n, "...");
	text[n] = '\0';
}

/* Fills *err for line (with its text, if s is not NULL); returns -EINVAL. */
static int __attribute__((format(printf, 5, 6)))
refuse(struct trace_error *err, uint32_t line, const char *s, size_t len,
	const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->text[0] = '\0';
	if (s != NULL)
		quote(err->text, sizeof err->text, s, len);
	va_start(ap, fmt);
	vsnprintf(err->why, sizeof err->why, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Reads the four header numbers into h, and the line of each into at. */
static int
parse_header(struct cursor *c, uint32_t h[4], uint32_t at[4], struct trace_error *err)
{
	const char *s;
	size_t len;

	for (int i = 0; i < 4; i++) {
		if (!next_line(c, &s, &len))
			return i == 0
				? refuse(err, c->line + 1, NULL, 0, "empty trace: no header "
					"(heap size, ids, operations, weight, one a line)")
				: refuse(err, c->line + 1, NULL, 0, "header ends early: no %s",
					header_field[i]);
		const char *p = s;
		if (!next_u32(&p, s + len, &h[i]) || skip_blanks(p, s + len) != s + len)
			return refuse(err, c->line, s, len,
				"header: bad %s (expected one number below 2^32)", header_field[i]);
		at[i] = c->line;
	}
	return 0;
}

/* Reads the operation on the line [s, s + len) into *o. Returns false if
 * it is none. */
static bool
parse_op(const char *s, size_t len, struct trace_op *o)
{
	const char *p = skip_blanks(s, s + len), *end = s + len;

	o->kind = *p++;
	o->size = 0;
	if (o->kind != 'a' && o->kind != 'f' && o->kind != 'r')
		return false;
	if (p < end && !is_blank(*p))
		return false;
	if (!next_u32(&p, end, &o->id))
		return false;
	if (o->kind != 'f' && !next_u32(&p, end, &o->size))
		return false;
	return skip_blanks(p, end) == end;
}

/* Checks o against the ids' states and moves its id on; returns 0 or
 * refuses the line [s, s + len). */
static int
check_op(const struct trace_op *o, const struct trace *t, unsigned char *state,
	const char *s, size_t len, struct trace_error *err)
{
	if (o->id >= t->nids)
		return refuse(err, o->line, s, len,
			"id %u is out of range: the header's number of ids is %u",
			o->id, t->nids);
	if (o->kind == 'a' && state[o->id] == ID_LIVE)
		return refuse(err, o->line, s, len, "id %u is already allocated", o->id);
	if (o->kind != 'a' && state[o->id] == ID_UNUSED)
		return refuse(err, o->line, s, len, "id %u was never allocated", o->id);
	if (o->kind != 'a' && state[o->id] == ID_FREED)
		return refuse(err, o->line, s, len, "id %u is already freed", o->id);
	state[o->id] = trace_op_frees(o) ? ID_FREED : ID_LIVE;
	return 0;
}

/* Reads and checks the t->nops operations after the header. */
static int
parse_ops(struct cursor *c, struct trace *t, unsigned char *state, struct trace_error *err)
{
	const char *s;
	size_t len;

	for (uint32_t i = 0; next_line(c, &s, &len); i++) {
		struct trace_op *o = &t->ops[i];
		if (!parse_op(s, len, o))
			return refuse(err, c->line, s, len, "not an operation (expected "
				"'a ID SIZE', 'r ID SIZE' or 'f ID', numbers below 2^32)");
		o->line = c->line;
		int r = check_op(o, t, state, s, len, err);
		if (r != 0)
			return r;
	}
	return 0;
}

static void *
map_zeroed(size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int
trace_parse(const char *text, size_t len, struct trace *t, struct trace_error *err)
{
	struct cursor c = { text, text + len, 0 };
	uint32_t h[4], at[4];
	const char *s;
	size_t n;

	*t = (struct trace){ 0 };
	int r = parse_header(&c, h, at, err);
	if (r != 0)
		return r;
	t->nids = h[1];
	t->nops = h[2];
	if (t->nops == 0)
		return refuse(err, at[2], NULL, 0, "header says 0 operations: nothing to replay");
	if (t->nids > t->nops)
		return refuse(err, at[1], NULL, 0,
			"header says %u ids for %u operations: more ids than operations",
			t->nids, t->nops);
	/* Counted first: the count bounds what is allocated below. */
	struct cursor count = c;
	uint32_t lines = 0;
	while (next_line(&count, &s, &n))
		lines++;
	if (lines != t->nops)
		return refuse(err, at[2], NULL, 0,
			"header says %u operations, the trace has %u", t->nops, lines);

	unsigned char *state = map_zeroed(t->nids);
	t->ops = map_zeroed(t->nops * sizeof *t->ops);
	r = state == NULL || t->ops == NULL ? -ENOMEM : parse_ops(&c, t, state, err);
	if (state != NULL)
		munmap(state, t->nids ? t->nids : 1);
	if (r != 0)
		trace_free(t);
	return r;
}

void
trace_free(struct trace *t)
{
	if (t->ops != NULL)
		munmap(t->ops, t->nops * sizeof *t->ops);
	t->ops = NULL;
}

void
trace_op_format(const struct trace_op *o, char *buf, size_t size)
{
	if (o->kind == 'f')
		snprintf(buf, size, "f %u", o->id);
	else
		snprintf(buf, size, "%c %u %u", o->kind, o->id, o->size);
}
