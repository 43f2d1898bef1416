/*
 * panic(): the kernel found one of its own invariants broken. Say what,
 * where, and what the CPU looked like, then stop: going on would spread
 * the damage.
 */
#include <backtrace.h>
#include <console.h>
#include <lab.h>
#include <panic.h>
#include <symbols.h>
#include <x86.h>

static void
print_registers(void)
{
	uint32_t esp, ebp;

	__asm__ volatile("mov %%esp, %0; mov %%ebp, %1" : "=r"(esp), "=r"(ebp));
	kprintf("    esp 0x%08x  ebp 0x%08x  eflags 0x%08x\n", esp, ebp, read_eflags());
	kprintf("    cr0 0x%08x  cr2 0x%08x  cr3 0x%08x  cr4 0x%08x\n",
		read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

static panic_stop_fn *stop_hook;

void
panic_set_stop_hook(panic_stop_fn *hook)
{
	stop_hook = hook;
}

/* The report stays on the screen for the student to read; a kernel
 * booted to run tests, or to leave the emulator when done, has set a
 * hook that leaves it with a failure status instead of hanging. */
void
panic_stop(void)
{
	if (stop_hook)
		stop_hook();
	halt_forever();
}

/* A lab handout's stub ran (include/lab.h): the kernel cannot go on
 * without the function, so it stops, saying which. */
void
lab_missing(const char *lab, const char *function)
{
	panic("lab %s: %s() is not written yet", lab, function);
}

void
panic_at(const char *file, int line, const char *func, const char *fmt, ...)
{
	static int depth;
	va_list ap;

	cli();
	console_report_fatal();
	if (depth++ > 0) {
		kprintf("\n*** panic while panicking (%s:%d)\n", file, line);
		panic_stop();
	}
	kprintf("\n*** kernel panic: ");
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
	uint32_t caller = (uint32_t)(uintptr_t)__builtin_return_address(0);
	char where[64];
	kprintf("\n    in %s() at %s:%d, called from 0x%08x%s\n", func, file, line, caller,
		symbols_format(caller, SYMBOLS_RETURN_ADDRESS, where, sizeof(where)));
	print_registers();
	/* From this frame: #0 is the function that called panic. */
	backtrace_print((uint32_t)(uintptr_t)__builtin_frame_address(0), 0);
	panic_stop();
}
