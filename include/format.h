/*
 * printf-style formatting, one implementation for the kernel console, the
 * user runtime's stdio and the host tools (src/lib/format.c).
 *
 * Conversions: %d %i %u %x %X %p %s %c %%, with the length modifiers
 * hh h l ll z, the flags '-' '0' '+' ' ' '#', a width (digits or '*') and
 * a precision ('.' digits or '*': minimum digits for numbers, maximum bytes
 * for %s). %p prints 0x and eight hex digits. An unknown conversion is
 * printed as it was written, so a typo shows instead of eating arguments.
 *
 * Limits, where C leaves the result undefined or unrepresentable: a width
 * (digits, or '*' of any int, INT_MIN included: negative means '-') and a
 * number's precision are capped at FORMAT_FIELD_MAX characters, so that
 * "%2147483647d" cannot keep a console busy for minutes; a %s precision is
 * not capped (digits past INT_MAX read as INT_MAX), since it only bounds
 * the bytes read. A result longer than INT_MAX characters counts as
 * INT_MAX.
 */
#ifndef CAIRN_FORMAT_H
#define CAIRN_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#define FORMAT_FIELD_MAX    4096    /* widest field, most zeros for a number */

/* Receives each output character in order; arg is format_v's arg. */
typedef void format_sink(char c, void *arg);

/* Formats fmt with ap, handing each character to sink. Returns the number
 * of characters produced (at most INT_MAX, see above). */
int format_v(format_sink *sink, void *arg, const char *fmt, va_list ap);

/* C semantics: write at most size-1 characters and a NUL (when size > 0);
 * return the length the whole result would have had. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* CAIRN_FORMAT_H */
