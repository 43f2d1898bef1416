/*
 * assert(e): if e is false, prints "assertion failed: e, file:line" on
 * stderr and aborts (exit status 134). Defining NDEBUG before including
 * this header turns every assert off (e is then not evaluated).
 */
#ifndef CAIRN_LIBC_ASSERT_H
#define CAIRN_LIBC_ASSERT_H

__attribute__((noreturn)) void assert_fail(const char *expr, const char *file, int line);

#endif /* CAIRN_LIBC_ASSERT_H */

/* Outside the guard, as C requires: each inclusion re-reads NDEBUG. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : assert_fail(#e, __FILE__, __LINE__))
#endif
