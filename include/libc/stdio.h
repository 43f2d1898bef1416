/*
 * Console output for user programs (src/ulib/stdio.c); the formatting is
 * the shared printf engine (include/format.h), so %d, %x, %p, %s... read
 * exactly as in the kernel's kprintf, and snprintf is the same function.
 *
 * stdout is buffered: its bytes go out when the 1 KiB buffer fills, at
 * fflush(stdout), at exit() (or main's return) and at abort(). A program
 * the kernel kills loses what was still buffered. stderr is unbuffered:
 * each call's output is written before the call returns.
 */
#ifndef CAIRN_LIBC_STDIO_H
#define CAIRN_LIBC_STDIO_H

#include <format.h>             /* snprintf, vsnprintf */
#include <stdarg.h>
#include <stddef.h>

#define EOF     (-1)

typedef struct file FILE;       /* only stdout and stderr exist */

extern FILE *const stdout;
extern FILE *const stderr;

/* Return the number of characters produced (the buffered ones count as
 * written), or EOF / a negative number if the write failed. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *f, const char *fmt, va_list ap);

/* puts adds a newline; fputs does not. Both return >= 0 or EOF. */
int puts(const char *s);
int fputs(const char *s, FILE *f);

/* Return c as an unsigned char, or EOF. */
int putchar(int c);
int fputc(int c, FILE *f);

/* Writes out what f holds (NULL: every stream). Returns 0 or EOF. */
int fflush(FILE *f);

#endif /* CAIRN_LIBC_STDIO_H */
