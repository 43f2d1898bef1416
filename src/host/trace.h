/*
 * Allocation traces in the CMU malloc-lab format, read and checked
 * (src/host/trace.c) for heaptrace and tests/fuzz/trace_fuzz.c:
 *
 *   20000        suggested heap size (not used)
 *   2            ids: every operation's id is below this
 *   3            operations: exactly this many follow, one a line
 *   1            weight (not used)
 *   a 0 2040     allocate 2040 bytes as id 0
 *   r 0 100      resize id 0's block to 100 bytes; to 0 bytes: free it
 *   f 0          free id 0's block
 *
 * Only a valid trace is accepted, so a replay never has to doubt one: an
 * id is allocated only when it is not live, resized or freed only when
 * it is, and is below the header's count. Blank lines are skipped.
 */
#ifndef CAIRN_TRACE_H
#define CAIRN_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace_op {
	char kind;              /* 'a', 'f', 'r' */
	uint32_t id;
	uint32_t size;          /* 0 for 'f' */
	uint32_t line;          /* in the file, from 1 */
};

struct trace {
	uint32_t nids;
	uint32_t nops;          /* at least 1 */
	struct trace_op *ops;
};

/* Why a trace was refused: the line (from 1), the line as written (for
 * the header or an operation; else empty), and what is wrong. */
struct trace_error {
	uint32_t line;
	char text[48];
	char why[112];
};

/* Parses and checks the len bytes at text (NULs are bytes like others).
 * Returns 0 with *t filled (release it with trace_free()); -EINVAL for a
 * trace that is empty, has a bad or inconsistent header, a line that is
 * no operation, or an operation its ids do not allow, with *err saying
 * where and why; -ENOMEM if mmap fails. Allocates with mmap only, never
 * malloc (heaptrace's parent must leave libc's heap untouched). */
int trace_parse(const char *text, size_t len, struct trace *t, struct trace_error *err);

/* Releases what trace_parse() allocated for t. */
void trace_free(struct trace *t);

/* Whether o ends its id's block: a free, or a resize to 0 bytes. C leaves
 * realloc(p, 0) to the implementation (C17 7.22.3.5; C23 makes it
 * undefined): glibc and the heap core free p and return NULL, others
 * return a fresh minimal block. The trace means the free, and replays
 * call free(), so every allocator does the same thing. */
static inline bool
trace_op_frees(const struct trace_op *o)
{
	return o->kind == 'f' || (o->kind == 'r' && o->size == 0);
}

/* Writes o as a trace line ("a 3 40", "f 3") into buf. */
void trace_op_format(const struct trace_op *o, char *buf, size_t size);

#endif /* CAIRN_TRACE_H */
