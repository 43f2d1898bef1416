/*
 * libFuzzer target for src/host/trace.c, the reader of heaptrace's
 * traces: the input is the text of a trace file, any bytes at all. A
 * trace it accepts must be valid by a model of its own (every 'a' on an
 * id not live, every 'r' and 'f' on a live one, 'r ID 0' ending it, ids
 * below the header's count, the header's count of operations) and must
 * read back the same once written out plainly; a trace it refuses must
 * be refused at a line the text has. The bugs it stands for: an id
 * allocated twice crashed the replay, 'r ID 0' was out of memory, and a
 * garbage header replayed as ops=0 (seeds in tests/fuzz/trace_fuzz_seeds/).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* The lines the text has, counting a last one without a newline. */
static uint32_t
count_lines(const uint8_t *data, size_t size)
{
	uint32_t n = 0;

	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n + (size > 0 && data[size - 1] != '\n');
}

/* Checks t against the model: ids live or not as each operation needs. */
static void
check_valid(const struct trace *t, uint32_t lines)
{
	unsigned char *live = calloc(t->nids + 1, 1);

	CHECK(live != NULL);
	CHECK(t->nops >= 1 && t->nids <= t->nops);
	for (uint32_t i = 0; i < t->nops; i++) {
		const struct trace_op *o = &t->ops[i];
		CHECK(o->kind == 'a' || o->kind == 'r' || o->kind == 'f');
		CHECK(o->id < t->nids);
		CHECK(o->line >= 5 && o->line <= lines);
		CHECK(i == 0 || o->line > t->ops[i - 1].line);
		CHECK(o->kind == 'a' ? !live[o->id] : live[o->id]);
		CHECK(o->kind != 'f' || o->size == 0);
		live[o->id] = !trace_op_frees(o);
	}
	free(live);
}

/* Writes t out plainly and reads it back: the same operations. */
static void
check_round_trip(const struct trace *t)
{
	size_t cap = 64 + (size_t)t->nops * 32, len;
	char *text = malloc(cap);
	struct trace back;
	struct trace_error err;

	CHECK(text != NULL);
	len = (size_t)snprintf(text, cap, "0\n%u\n%u\n1\n", t->nids, t->nops);
	for (uint32_t i = 0; i < t->nops; i++) {
		trace_op_format(&t->ops[i], text + len, cap - len);
		len += strlen(text + len);
		text[len++] = '\n';
	}
	CHECK(trace_parse(text, len, &back, &err) == 0);
	CHECK(back.nids == t->nids && back.nops == t->nops);
	for (uint32_t i = 0; i < t->nops; i++) {
		CHECK(back.ops[i].kind == t->ops[i].kind);
		CHECK(back.ops[i].id == t->ops[i].id);
		CHECK(back.ops[i].size == t->ops[i].size);
		CHECK(back.ops[i].line == 5 + i);
	}
	trace_free(&back);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace t;
	struct trace_error err;
	uint32_t lines = count_lines(data, size);
	int r = trace_parse((const char *)data, size, &t, &err);

	if (r == 0) {
		check_valid(&t, lines);
		check_round_trip(&t);
		trace_free(&t);
		return 0;
	}
	CHECK(r == -EINVAL);
	CHECK(err.line >= 1 && err.line <= lines + 1);
	CHECK(err.why[0] != '\0' && strlen(err.text) < sizeof err.text);
	return 0;
}
