/*
 * panic(): for broken kernel invariants only, never for bad input from a
 * user program or a boot parameter. Prints the message, where it was
 * called from, and the registers, then stops (and, under the test runner,
 * leaves the emulator with a failure status).
 */
#ifndef CAIRN_PANIC_H
#define CAIRN_PANIC_H

#define panic(...) panic_at(__FILE__, __LINE__, __func__, __VA_ARGS__)

__attribute__((noreturn, format(printf, 4, 5)))
void panic_at(const char *file, int line, const char *func, const char *fmt, ...);

/* Stops the machine after a fatal report: runs the stop hook, if any,
 * then halts. */
__attribute__((noreturn)) void panic_stop(void);

/* What panic_stop() calls first: code that must not let the machine hang
 * (the test runner, poweroff) sets one that leaves the emulator. The
 * last one set wins. */
typedef void panic_stop_fn(void);
void panic_set_stop_hook(panic_stop_fn *hook);

/* Checks a kernel invariant; on failure panics naming the expression. */
#define ASSERT(cond) \
	do { \
		if (!(cond)) \
			panic("assertion failed: %s", #cond); \
	} while (0)

#endif /* CAIRN_PANIC_H */
