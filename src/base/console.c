/*
 * The console mirrors every character to COM1 (what tests and terminals
 * read) and the VGA screen (what a student watching QEMU's window sees).
 * Serial terminals want "\r\n" for a new line.
 *
 * Verdicts, the lines a test runner or grader concludes from, also go to
 * COM2, where nothing else is ever written: whatever a user program
 * prints (half a line, a fake "run:" line) lands on COM1 only.
 */
#include <console.h>
#include <format.h>
#include <serial.h>
#include <stdbool.h>
#include <vga.h>

static bool at_line_start = true;
static bool all_to_com2;        /* a fatal report: everything is a verdict now */

void
console_init(void)
{
	serial_init(COM1_PORT);
	serial_init(COM2_PORT);         /* absent unless the emulator was given one */
	vga_init();
}

void
console_putc(char c)
{
	if (c == '\n')
		serial_putc(COM1_PORT, '\r');
	serial_putc(COM1_PORT, c);
	if (all_to_com2)
		serial_putc(COM2_PORT, c);
	vga_putc(c);
	at_line_start = c == '\n';
}

void
console_report_fatal(void)
{
	if (!at_line_start)
		console_putc('\n');
	all_to_com2 = true;
}

static void
console_sink(char c, void *unused)
{
	console_putc(c);
}

int
vkprintf(const char *fmt, va_list ap)
{
	return format_v(console_sink, NULL, fmt, ap);
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vkprintf(fmt, ap);
	va_end(ap);
	return n;
}

static void
verdict_sink(char c, void *unused)
{
	console_putc(c);
	serial_putc(COM2_PORT, c);
}

int
kverdict(const char *fmt, ...)
{
	va_list ap;

	if (!at_line_start)
		console_putc('\n');     /* after a program's unfinished line */
	va_start(ap, fmt);
	int n = format_v(verdict_sink, NULL, fmt, ap);
	va_end(ap);
	return n;
}
