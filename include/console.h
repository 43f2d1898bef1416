/* The kernel console: everything printed goes to COM1 and the screen. */
#ifndef CAIRN_CONSOLE_H
#define CAIRN_CONSOLE_H

#include <stdarg.h>

/* Sets up both outputs; printing works from then on. */
void console_init(void);
void console_putc(char c);
/* printf to the console (the conversions of include/format.h). */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vkprintf(const char *fmt, va_list ap);

#endif /* CAIRN_CONSOLE_H */
