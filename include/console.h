/* The kernel console: everything printed goes to COM1 and the screen;
 * verdicts go to COM2 too. */
#ifndef CAIRN_CONSOLE_H
#define CAIRN_CONSOLE_H

#include <stdarg.h>

/* Sets up both outputs; printing works from then on. */
void console_init(void);
void console_putc(char c);
/* printf to the console (the conversions of include/format.h). */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vkprintf(const char *fmt, va_list ap);

/* Prints one whole line (fmt ends in "\n") that machines read: a KTAP
 * line, a program's "run:" line. It starts on a fresh console line, and
 * goes to COM2 as well, which carries nothing else. */
int kverdict(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The machine is about to stop with a report (a panic, a fatal trap):
 * from here on everything printed goes to COM2 as well, so the runner
 * quotes the kernel's own report, not whatever a program printed that
 * looks like one. */
void console_report_fatal(void);

#endif /* CAIRN_CONSOLE_H */
