/*
 * The console mirrors every character to the serial port (what tests and
 * terminals read) and the VGA screen (what a student watching QEMU's
 * window sees). Serial terminals want "\r\n" for a new line.
 */
#include <console.h>
#include <format.h>
#include <serial.h>
#include <vga.h>

void
console_init(void)
{
	serial_init();
	vga_init();
}

void
console_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	serial_putc(c);
	vga_putc(c);
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
