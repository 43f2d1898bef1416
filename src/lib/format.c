/*
 * The printf engine: parse one conversion spec at a time into a struct,
 * then emit it. Numbers are converted right to left into a small buffer,
 * then padded; nothing is allocated, so it runs anywhere (early boot,
 * panic, user space, host).
 */
#include <format.h>
#include <stdbool.h>
#include <stdint.h>

struct spec {
	bool left;          /* '-': pad on the right */
	bool zero;          /* '0': pad numbers with zeros */
	bool plus;          /* '+': sign on positive numbers */
	bool space;         /* ' ': space on positive numbers */
	bool alt;           /* '#': 0x prefix on hex */
	int width;          /* minimum field width, 0 if none */
	int precision;      /* -1 if none */
	int length;         /* 'H' hh, 'h', 0 int, 'l', 'L' ll, 'z' */
	char conv;          /* the conversion letter */
};

struct out {
	format_sink *sink;
	void *arg;
	int count;
};

static void
emit(struct out *o, char c)
{
	o->sink(c, o->arg);
	if (o->count < __INT_MAX__)     /* the count is an int: it stops there */
		o->count++;
}

static void
emit_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

/* Reads digits, or '*' from the arguments. Digits past INT_MAX read as
 * INT_MAX rather than overflowing. */
static int
parse_number(const char **fmt, va_list *ap)
{
	int n = 0;

	if (**fmt == '*') {
		(*fmt)++;
		return va_arg(*ap, int);
	}
	while (**fmt >= '0' && **fmt <= '9') {
		int digit = *(*fmt)++ - '0';
		n = n > (__INT_MAX__ - digit) / 10 ? __INT_MAX__ : n * 10 + digit;
	}
	return n;
}

/* Widths and number precisions stop at FORMAT_FIELD_MAX (format.h). */
static int
field_cap(int n)
{
	return n > FORMAT_FIELD_MAX ? FORMAT_FIELD_MAX : n;
}

/* Parses the spec after a '%'; returns false at an unfinished spec. */
static bool
parse_spec(const char **fmt, va_list *ap, struct spec *s)
{
	*s = (struct spec){ .precision = -1 };

	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-': s->left = true; continue;
		case '0': s->zero = true; continue;
		case '+': s->plus = true; continue;
		case ' ': s->space = true; continue;
		case '#': s->alt = true; continue;
		}
		break;
	}
	int width = parse_number(fmt, ap);
	if (width < 0) {                /* a negative '*' width means '-' */
		s->left = true;
		/* Capped before negating: -INT_MIN is no int. */
		width = width < -FORMAT_FIELD_MAX ? FORMAT_FIELD_MAX : -width;
	}
	s->width = field_cap(width);
	if (**fmt == '.') {
		(*fmt)++;
		s->precision = parse_number(fmt, ap);
	}
	if (**fmt == 'h') {
		(*fmt)++;
		s->length = 'h';
		if (**fmt == 'h') {
			(*fmt)++;
			s->length = 'H';
		}
	} else if (**fmt == 'l') {
		(*fmt)++;
		s->length = 'l';
		if (**fmt == 'l') {
			(*fmt)++;
			s->length = 'L';
		}
	} else if (**fmt == 'z') {
		(*fmt)++;
		s->length = 'z';
	}
	s->conv = **fmt;
	if (s->conv == '\0')
		return false;
	(*fmt)++;
	return true;
}

static uint64_t
fetch_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned int);
	case 'h': return (unsigned short)va_arg(*ap, unsigned int);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static int64_t
fetch_signed(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'L': return va_arg(*ap, long long);
	case 'z': return (ptrdiff_t)va_arg(*ap, size_t);  /* size_t's signed twin */
	default: return va_arg(*ap, int);
	}
}

/* Emits a number: [sign or prefix][zeros][digits], padded to the width. */
static void
emit_number(struct out *o, const struct spec *s, uint64_t value, bool negative, unsigned base)
{
	const char *digits = s->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];           /* 2^64 has 20 decimal digits */
	int len = 0;
	const char *prefix = "";
	bool is_signed = s->conv == 'd' || s->conv == 'i';

	if (negative)
		prefix = "-";
	else if (s->plus && is_signed)  /* C: '+' and ' ' ignore %u and %x */
		prefix = "+";
	else if (s->space && is_signed)
		prefix = " ";
	else if ((s->alt && value != 0 && base == 16) || s->conv == 'p')
		prefix = s->conv == 'X' ? "0X" : "0x";

	/* C: precision 0 and value 0 print no digits at all. */
	if (!(value == 0 && s->precision == 0)) {
		do {
			buf[len++] = digits[value % base];
			value /= base;
		} while (value != 0);
	}

	int prefix_len = 0;
	while (prefix[prefix_len])
		prefix_len++;
	int precision = field_cap(s->precision);
	int zeros = precision > len ? precision - len : 0;
	int pad = s->width - prefix_len - zeros - len;
	/* '0' pads between prefix and digits; C ignores it with a precision. */
	if (s->zero && !s->left && s->precision < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}

	if (!s->left)
		emit_repeat(o, ' ', pad);
	for (const char *p = prefix; *p; p++)
		emit(o, *p);
	emit_repeat(o, '0', zeros);
	while (len > 0)
		emit(o, buf[--len]);
	if (s->left)
		emit_repeat(o, ' ', pad);
}

static void
emit_string(struct out *o, const struct spec *s, const char *str)
{
	int limit = s->precision < 0 ? __INT_MAX__ : s->precision;
	int len = 0;

	if (str == NULL)
		str = "(null)";
	/* Test the limit first: with a precision, str need not be terminated. */
	while (len < limit && str[len])
		len++;
	if (!s->left)
		emit_repeat(o, ' ', s->width - len);
	for (int i = 0; i < len; i++)
		emit(o, str[i]);
	if (s->left)
		emit_repeat(o, ' ', s->width - len);
}

/* Emits one conversion; returns false, having emitted nothing, for an
 * unknown one. */
static bool
emit_conversion(struct out *o, struct spec *s, va_list *ap)
{
	switch (s->conv) {
	case 'd':
	case 'i': {
		int64_t v = fetch_signed(s, ap);
		uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		emit_number(o, s, magnitude, v < 0, 10);
		break;
	}
	case 'u':
		emit_number(o, s, fetch_unsigned(s, ap), false, 10);
		break;
	case 'x':
	case 'X':
		emit_number(o, s, fetch_unsigned(s, ap), false, 16);
		break;
	case 'p':
		s->zero = true;
		s->precision = -1;
		s->width = 2 + 2 * (int)sizeof(void *);
		emit_number(o, s, (uintptr_t)va_arg(*ap, void *), false, 16);
		break;
	case 's':
		emit_string(o, s, va_arg(*ap, const char *));
		break;
	case 'c':       /* not through emit_string: a NUL char is printed too */
		if (!s->left)
			emit_repeat(o, ' ', s->width - 1);
		emit(o, (char)va_arg(*ap, int));
		if (s->left)
			emit_repeat(o, ' ', s->width - 1);
		break;
	case '%':
		emit(o, '%');
		break;
	default:
		return false;
	}
	return true;
}

int
format_v(format_sink *sink, void *arg, const char *fmt, va_list ap)
{
	struct out o = { sink, arg, 0 };
	struct spec s;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		const char *start = fmt++;
		if (!parse_spec(&fmt, &args, &s)) {
			/* A lone '%' at the end: print what was there. */
			while (*start)
				emit(&o, *start++);
			break;
		}
		if (!emit_conversion(&o, &s, &args)) {
			/* Unknown: print the whole spec as written. */
			while (start < fmt)
				emit(&o, *start++);
		}
	}
	va_end(args);
	return o.count;
}

struct buffer {
	char *buf;
	size_t size;
	size_t len;
};

static void
buffer_sink(char c, void *arg)
{
	struct buffer *b = arg;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer b = { buf, size, 0 };
	int n = format_v(buffer_sink, &b, fmt, ap);

	if (size > 0)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
