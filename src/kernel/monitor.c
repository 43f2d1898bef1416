/*
 * The kernel monitor: `monitor` on the command line ends the boot at a
 * prompt that reads commands from the serial port and the keyboard, so
 * a student can look at the kernel's memory while it is up (JOS's
 * monitor, with Cairn's words). This file is the prompt, the line
 * editor, the table of commands and the commands about processes and the
 * machine; the memory commands are in monitor_mm.c. Formats: monitor.h.
 *
 * A command that faults must not take the kernel down: each runs under a
 * recovery point (trap_set_recovery), and a fault ends only the command.
 */
#include <bootargs.h>
#include <cairn/errno.h>
#include <cmdline.h>
#include <console.h>
#include <fault.h>
#include <format.h>
#include <keyboard.h>
#include <timer.h>
#include <pic.h>
#include <ktest.h>
#include <monitor.h>
#include <power.h>
#include <process.h>
#include <serial.h>
#include <string.h>
#include <trap.h>
#include <x86.h>

#include "monitor_cmds.h"

#define LINE_MAX        80      /* characters in a command line */
#define CTRL_U          0x15    /* kill the line */
#define DELETE          0x7F    /* what most terminals send for Backspace */

static bool requested;

static const char *
monitor_option(const struct bootarg *arg)
{
	requested = true;
	return NULL;
}
BOOTARG(monitor, BOOTARG_FLAG, NULL, "end the boot at the monitor's cairn> prompt (help lists its commands)",
	monitor_option);

bool
monitor_requested(void)
{
	return requested;
}

/* ------------------------------------------------------------ arguments */

static bool
blank(char c)
{
	return c == ' ' || c == '\t';
}

int
monitor_no_args(const char *cmd, const char *args)
{
	if (*args == '\0')
		return true;
	kprintf("%s: takes no argument ('%s' ignored)\n", cmd, args);
	return false;
}

int
monitor_number(const char *cmd, const char *args, uint32_t max, uint32_t *out)
{
	size_t len = 0;

	while (args[len] && !blank(args[len]))
		len++;
	if (len == 0)
		return 0;
	if (args[len] != '\0') {
		kprintf("%s: one argument only ('%s' is too many)\n", cmd, args);
		return -1;
	}
	int error = cmdline_parse_number(args, len, max, out);
	if (error == -ERANGE)
		kprintf("%s: %s is too large (at most %u, 0x%x)\n", cmd, args, max, max);
	else if (error < 0)
		kprintf("%s: '%s' is not a number (decimal, or hex with 0x)\n", cmd, args);
	return error < 0 ? -1 : 1;
}

/* ------------------------------------------------- processes, machine */

static void
monitor_run_program(const char *args)
{
	if (*args == '\0') {
		kprintf("run: which program? (run NAME)\n");
		return;
	}
	process_run_named(args, strlen(args));
}

static const char *const state_names[] = {
	[PROCESS_RUNNABLE] = "runnable", [PROCESS_RUNNING] = "running",
	[PROCESS_SLEEPING] = "sleeping", [PROCESS_WAITING] = "waiting",
	[PROCESS_ZOMBIE] = "zombie",
};

static void
print_process(struct process *p, void *arg)
{
	unsigned *count = arg;

	if ((*count)++ == 0)
		kprintf("  PID  PPID  STATE     NAME\n");
	kprintf("%5d %5d  %-8s  %s\n", p->pid, p->parent ? p->parent->pid : 0,
		state_names[p->state], p->name);
}

static void
monitor_ps(const char *args)
{
	unsigned count = 0;

	if (!monitor_no_args("ps", args))
		return;
	process_for_each(print_process, &count);
	if (count == 0)
		kprintf("ps: no processes\n");
}

static void
monitor_irq(const char *args)
{
	if (!monitor_no_args("irq", args))
		return;
	kprintf("irq: timer %u, keyboard %u, spurious %u\n", timer_ticks(), keyboard_interrupts(),
		pic_spurious_count());
}

static void
monitor_test(const char *args)
{
	if (!ktest_built_in()) {
		kprintf("test: this kernel has no tests: build/kernel-test.elf has them (make ktest)\n");
		return;
	}
	int failed = ktest_run(args, strlen(args));
	kprintf("test: %d case%s failed\n", failed, failed == 1 ? "" : "s");
}

static void
monitor_reboot(const char *args)
{
	kprintf("reboot: resetting the machine\n");
	serial_drain();
	keyboard_reset_cpu();
	/* No keyboard controller: an empty IDT makes the next trap a triple fault. */
	static const struct table_register no_idt = { 0, 0 };
	lidt(&no_idt);
	__asm__ volatile("int3");
	halt_forever();
}

static void
monitor_poweroff(const char *args)
{
	kprintf("poweroff: leaving the emulator\n");
	machine_exit(EXIT_PASS);
}

/* ------------------------------------------------------------- commands */

static void monitor_help(const char *args);

static const struct command {
	const char *name;
	const char *usage;
	const char *help;
	monitor_fn *run;
	bool may_block;         /* runs processes or tests: no recovery point */
} commands[] = {
	{ "help", "", "this list", monitor_help, false },
	{ "e820", "", "the sanitized memory map, as the boot printed it", monitor_e820, false },
	{ "frames", "", "the frame allocator: free, promised, handed out, stack, reservoir", monitor_frames, false },
	{ "alloc", "[N]", "take N frames (default 1, at most 64) from the frame allocator", monitor_alloc, false },
	{ "free", "PFN", "give back a frame that alloc took, by its number", monitor_free, false },
	{ "vm", "ADDR", "walk ADDR through the page directory and table", monitor_vm, false },
	{ "pd", "", "the page directory's present entries, runs merged", monitor_pd, false },
	{ "maps", "", "every mapped range, with its rights and what it is", monitor_maps, false },
	{ "heap", "", "the kernel heap's blocks, totals and fragmentation", monitor_heap, false },
	{ "kmalloc", "N", "allocate N bytes on the kernel heap", monitor_kmalloc, false },
	{ "kfree", "ADDR", "free a block that kmalloc gave", monitor_kfree, false },
	{ "peek", "ADDR", "read the 32-bit word at ADDR (a fault is caught)", monitor_peek, false },
	{ "run", "PROG", "run a user program to its end and print its run: line", monitor_run_program, true },
	{ "ps", "", "the process table: pid, parent, state, name", monitor_ps, false },
	{ "irq", "", "interrupts taken: timer ticks, keys, spurious", monitor_irq, false },
	{ "test", "[SUITE]", "run the kernel tests (all, or SUITE,SUITE.CASE)", monitor_test, true },
	{ "reboot", "", "reset the machine", monitor_reboot, false },
	{ "poweroff", "", "leave the emulator", monitor_poweroff, false },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
monitor_help(const char *args)
{
	char left[24];

	for (unsigned i = 0; i < NCOMMANDS; i++) {
		snprintf(left, sizeof(left), "%s %s", commands[i].name, commands[i].usage);
		kprintf("  %-15s %s\n", left, commands[i].help);
	}
}

/* Says how the command faulted: the report's first words, not a panic. */
static void
report_fault(const char *name, const struct trap_recovery *r)
{
	char words[128];

	if (r->frame.vector == T_PAGE_FAULT)
		kprintf("%s: the command faulted: page fault: %s\n", name,
			fault_describe(r->frame.error, r->cr2, words, sizeof(words)));
	else
		kprintf("%s: the command faulted: %s (%s) at eip 0x%08x\n", name,
			trap_name(r->frame.vector), trap_mnemonic(r->frame.vector), r->frame.eip);
}

/* Runs c with args; a fault inside ends the command, not the kernel.
 * Commands that run processes or tests get no recovery point: a fault
 * there belongs to a process's kernel stack, or to the tests' own. */
static void
execute(const struct command *c, const char *args)
{
	static struct trap_recovery recovery;   /* outlives the longjmp */

	if (c->may_block) {
		c->run(args);
		return;
	}
	recovery.vector = TRAP_ANY_EXCEPTION;
	if (setjmp(recovery.env) == 0) {
		trap_set_recovery(&recovery);
		c->run(args);
		trap_set_recovery(NULL);
	} else {
		report_fault(c->name, &recovery);
	}
}

/* Splits line into the command word and its arguments, and runs it. */
static void
dispatch(char *line)
{
	while (blank(*line))
		line++;
	char *args = line;
	while (*args && !blank(*args))
		args++;
	size_t len = (size_t)(args - line);
	while (blank(*args))
		*args++ = '\0';
	for (char *end = args + strlen(args); end > args && blank(end[-1]); )
		*--end = '\0';
	if (len == 0)
		return;
	for (unsigned i = 0; i < NCOMMANDS; i++)
		if (cmdline_is(line, len, commands[i].name)) {
			execute(&commands[i], args);
			return;
		}
	kprintf("unknown command '%.*s': type help for the list\n", (int)len, line);
}

/* ---------------------------------------------------------- line editor */

/* The next character from the serial port or the keyboard. Between
 * looks the CPU sleeps until an interrupt: a key's (IRQ 1, which queues
 * it), or the timer's, 100 times a second, after which COM1 (polled) is
 * read again. */
static char
read_char(void)
{
	for (;;) {
		int c = serial_getc(COM1_PORT);
		if (c < 0)
			c = keyboard_getc();
		if (c >= 0)
			return (char)c;
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	}
}

static void
rub_out(unsigned n)
{
	while (n-- > 0)
		kprintf("\b \b");
}

/* Reads one line into buf (NUL-terminated), echoing what it keeps. A
 * terminal ends a line with CR, a file or pipe with LF, some with both:
 * an LF straight after a CR ends nothing. */
static void
read_line(char *buf, unsigned size)
{
	static bool after_cr;
	unsigned len = 0;

	for (;;) {
		char c = read_char();
		bool was_cr = after_cr;
		after_cr = c == '\r';
		if (c == '\n' && was_cr)
			continue;
		if (c == '\r' || c == '\n')
			break;
		if (c == '\b' || c == DELETE) {
			if (len > 0) {
				len--;
				rub_out(1);
			}
		} else if (c == CTRL_U) {
			rub_out(len);
			len = 0;
		} else if (c >= ' ' && c < DELETE && len + 1 < size) {
			buf[len++] = c;
			console_putc(c);
		}
	}
	buf[len] = '\0';
	console_putc('\n');
}

void
monitor_run(void)
{
	char line[LINE_MAX];

	kprintf("monitor: type help for the commands\n");
	keyboard_use_interrupts();
	for (;;) {
		kprintf("cairn> ");
		read_line(line, sizeof(line));
		dispatch(line);
	}
}
