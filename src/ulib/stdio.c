/*
 * stdout and stderr: a FILE is a file descriptor and a buffer. stdout
 * collects output in its buffer and writes it when full, at fflush and
 * at exit; stderr's buffer only gathers one call's output into as few
 * write()s as possible, and is emptied before the call returns. The
 * formatting is format_v (src/lib/format.c), the kernel's own.
 */
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#define STDOUT_BUFSIZE  1024
#define STDERR_BUFSIZE  128

struct file {
	int fd;
	bool unbuffered;        /* empty the buffer at the end of every call */
	bool failed;            /* a write failed: report EOF */
	size_t len;             /* bytes waiting in buf */
	size_t size;
	char *buf;
};

static char stdout_buf[STDOUT_BUFSIZE];
static char stderr_buf[STDERR_BUFSIZE];
static struct file stdout_file = { STDOUT_FILENO, false, false, 0, STDOUT_BUFSIZE, stdout_buf };
static struct file stderr_file = { STDERR_FILENO, true, false, 0, STDERR_BUFSIZE, stderr_buf };

FILE *const stdout = &stdout_file;
FILE *const stderr = &stderr_file;

/* Writes out the buffer; returns 0, or EOF if the kernel refused. */
static int
file_drain(FILE *f)
{
	size_t done = 0;

	while (done < f->len) {
		ssize_t n = write(f->fd, f->buf + done, f->len - done);
		if (n <= 0) {
			f->failed = true;
			break;
		}
		done += (size_t)n;
	}
	f->len = 0;             /* what failed is dropped, not retried forever */
	return f->failed ? EOF : 0;
}

static void
file_put(FILE *f, char c)
{
	if (f->len == f->size)
		file_drain(f);
	f->buf[f->len++] = c;
}

/* Ends one call's output: an unbuffered stream writes it now. Returns
 * result, or EOF if a write has failed. */
static int
file_end_call(FILE *f, int result)
{
	if (f->unbuffered)
		file_drain(f);
	return f->failed ? EOF : result;
}

int
fflush(FILE *f)
{
	if (f == NULL)
		return (fflush(stdout) | fflush(stderr)) ? EOF : 0;
	return file_drain(f);
}

static void
file_sink(char c, void *arg)
{
	file_put(arg, c);
}

int
vfprintf(FILE *f, const char *fmt, va_list ap)
{
	return file_end_call(f, format_v(file_sink, f, fmt, ap));
}

int
fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int
vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int
printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int
fputs(const char *s, FILE *f)
{
	while (*s)
		file_put(f, *s++);
	return file_end_call(f, 0);
}

int
puts(const char *s)
{
	while (*s)
		file_put(stdout, *s++);
	file_put(stdout, '\n');
	return file_end_call(stdout, 0);
}

int
fputc(int c, FILE *f)
{
	file_put(f, (char)c);
	return file_end_call(f, (unsigned char)c);
}

int
putchar(int c)
{
	return fputc(c, stdout);
}
