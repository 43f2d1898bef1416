/*
 * Where every trap lands. trap_dispatch() is one switch on the vector, so
 * every way into the kernel is in one place: a page fault that is a first
 * touch of a promised heap page or a write to a copy-on-write page, a
 * system call, the timer (which preempts ring 3). Anything else
 * is fatal: a user program's fault ends the program, a test that expects
 * the fault recovers, anything else gets the decoded report and the
 * machine stops.
 */
#include <backtrace.h>
#include <console.h>
#include <fault.h>
#include <keyboard.h>
#include <format.h>
#include <mmu.h>
#include <panic.h>
#include <pic.h>
#include <process.h>
#include <sched.h>
#include <symbols.h>
#include <syscall.h>
#include <timer.h>
#include <trap.h>
#include <x86.h>

static struct trap_recovery *recovery;

static const struct {
	const char *name;
	const char *mnemonic;
} exceptions[T_EXCEPTIONS] = {
	[0] = { "Divide error", "#DE" },
	[1] = { "Debug", "#DB" },
	[2] = { "Non-maskable interrupt", "NMI" },
	[3] = { "Breakpoint", "#BP" },
	[4] = { "Overflow", "#OF" },
	[5] = { "BOUND range exceeded", "#BR" },
	[6] = { "Invalid opcode", "#UD" },
	[7] = { "Device not available", "#NM" },
	[8] = { "Double fault", "#DF" },
	[9] = { "Coprocessor segment overrun", "" },
	[10] = { "Invalid TSS", "#TS" },
	[11] = { "Segment not present", "#NP" },
	[12] = { "Stack-segment fault", "#SS" },
	[13] = { "General protection fault", "#GP" },
	[14] = { "Page fault", "#PF" },
	[15] = { "Reserved", "" },
	[16] = { "x87 floating-point error", "#MF" },
	[17] = { "Alignment check", "#AC" },
	[18] = { "Machine check", "#MC" },
	[19] = { "SIMD floating-point error", "#XM" },
	[20] = { "Virtualization exception", "#VE" },
	[21] = { "Control protection", "#CP" },
	[28] = { "Hypervisor injection", "#HV" },
	[29] = { "VMM communication", "#VC" },
	[30] = { "Security exception", "#SX" },
};

const char *
trap_name(unsigned vector)
{
	if (vector < T_EXCEPTIONS)
		return exceptions[vector].name ? exceptions[vector].name : "Reserved";
	if (vector == T_SYSCALL)
		return "System call";
	return NULL;
}

const char *
trap_mnemonic(unsigned vector)
{
	if (vector < T_EXCEPTIONS && exceptions[vector].mnemonic)
		return exceptions[vector].mnemonic;
	return "";
}

void
trap_set_recovery(struct trap_recovery *r)
{
	recovery = r;
}

uint32_t
trap_stack_pointer(const struct trapframe *tf)
{
	if (trap_from_user(tf))
		return tf->user_esp;
	/* A ring-0 trap pushes no esp/ss: the old stack ends where they would be. */
	return (uint32_t)(uintptr_t)&tf->user_esp;
}

static bool
is_selector_error(unsigned vector)
{
	return vector == T_TSS || vector == T_NO_SEGMENT || vector == T_STACK || vector == T_GPF;
}

static char *
describe_page_fault(uint32_t e, char *buf, size_t size)
{
	snprintf(buf, size, "%s, %s, %s mode%s",
		 e & PF_PRESENT ? "protection violation" : "not-present page",
		 e & PF_FETCH ? "instruction fetch" : e & PF_WRITE ? "write" : "read",
		 e & PF_USER ? "user" : "kernel",
		 e & PF_RESERVED ? ", reserved bit set in a page entry" : "");
	return buf;
}

/* A selector error code names the descriptor that caused the fault. */
static char *
describe_selector_error(uint32_t e, char *buf, size_t size)
{
	const char *table = e & SELERR_IDT ? "IDT vector" : e & SELERR_LDT ? "LDT selector" : "GDT selector";
	uint32_t index = e & SELERR_IDT ? e >> 3 : e & ~7u;

	if (e == 0)
		snprintf(buf, size, "no selector involved");
	else
		snprintf(buf, size, "%s 0x%x%s", table, index, e & SELERR_EXTERNAL ? ", external event" : "");
	return buf;
}

char *
trap_describe_error(const struct trapframe *tf, char *buf, size_t size)
{
	if (tf->vector == T_PAGE_FAULT)
		return describe_page_fault(tf->error, buf, size);
	if (is_selector_error(tf->vector))
		return describe_selector_error(tf->error, buf, size);
	snprintf(buf, size, tf->error ? "0x%x" : "none", tf->error);
	return buf;
}

/* The arithmetic and control flags, by name. */
static void
print_eflags(uint32_t f)
{
	static const struct { uint32_t bit; const char *name; } flags[] = {
		{ 0x001, "CF" }, { 0x004, "PF" }, { 0x010, "AF" }, { 0x040, "ZF" },
		{ 0x080, "SF" }, { 0x100, "TF" }, { 0x200, "IF" }, { 0x400, "DF" },
		{ 0x800, "OF" }, { 0x40000, "AC" },
	};

	kprintf("eflags 0x%08x [", f);
	const char *sep = "";
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (f & flags[i].bit) {
			kprintf("%s%s", sep, flags[i].name);
			sep = " ";
		}
	}
	kprintf("] IOPL %u\n", (f >> 12) & 3);
}

/* eip, and for kernel code the function it is in: "<kmain+0x3a>". */
static void
print_eip(const struct trapframe *tf)
{
	char where[64];

	kprintf("    eip 0x%08x%s", tf->eip,
		trap_from_user(tf) ? "" : symbols_format(tf->eip, 0, where, sizeof(where)));
}

void
trap_print_report(const struct trapframe *tf)
{
	char error[96];
	const char *name = trap_name(tf->vector);

	kprintf("\n*** CPU exception %u: %s (%s) in %s mode\n", tf->vector,
		name ? name : "Unexpected interrupt", trap_mnemonic(tf->vector),
		trap_from_user(tf) ? "user" : "kernel");
	kprintf("    error code 0x%08x: %s\n", tf->error, trap_describe_error(tf, error, sizeof(error)));
	if (tf->vector == T_PAGE_FAULT) {
		kprintf("    cr2 0x%08x (the address that faulted)\n", read_cr2());
		fault_explain(tf->error, read_cr2());
	}
	print_eip(tf);
	kprintf("  cs 0x%04x  ", tf->cs & 0xFFFF);
	print_eflags(tf->eflags);
	kprintf("    eax 0x%08x  ebx 0x%08x  ecx 0x%08x  edx 0x%08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
	kprintf("    esi 0x%08x  edi 0x%08x  ebp 0x%08x  esp 0x%08x\n", tf->esi, tf->edi, tf->ebp,
		trap_stack_pointer(tf));
	kprintf("    ds 0x%04x  es 0x%04x  fs 0x%04x  gs 0x%04x\n", tf->ds & 0xFFFF, tf->es & 0xFFFF,
		tf->fs & 0xFFFF, tf->gs & 0xFFFF);
	if (!trap_from_user(tf))
		backtrace_print(tf->ebp, tf->eip);
}

void
trap_fatal(struct trapframe *tf)
{
	if (trap_from_user(tf) && process_current())
		process_fault(tf);      /* the process dies, not the kernel */
	if (recovery && !trap_from_user(tf) && (recovery->vector == tf->vector ||
	    (recovery->vector == TRAP_ANY_EXCEPTION && tf->vector < T_EXCEPTIONS))) {
		struct trap_recovery *r = recovery;
		recovery = NULL;
		r->frame = *tf;
		r->cr2 = read_cr2();
		r->eflags_inside = read_eflags();
		longjmp(r->env, 1);
	}
	console_report_fatal();
	trap_print_report(tf);
	kprintf("System halted.\n");
	panic_stop();
}

/* The traps that are no error: true if tf's was one and is dealt with. */
static bool
handled(struct trapframe *tf)
{
	switch (tf->vector) {
	case T_PAGE_FAULT:
		/* a promised heap page mapped, or a copy-on-write page copied */
		return fault_handle(tf->error, read_cr2());
	case T_SYSCALL:
		if (!trap_from_user(tf) || !process_current())
			return false;   /* int 0x80 from the kernel is a bug */
		syscall(tf);
		return true;
	case T_IRQ0 + IRQ_TIMER:
		timer_interrupt();
		if (trap_from_user(tf) && process_current())
			sched_preempt();        /* its quantum, one tick, is over */
		return true;
	case T_IRQ0 + IRQ_KEYBOARD:
		keyboard_interrupt();
		return true;
	case T_IRQ0 + IRQ_SPURIOUS_MASTER:
	case T_IRQ0 + IRQ_SPURIOUS_SLAVE:
		return pic_spurious(tf->vector - T_IRQ0);
	default:
		return false;
	}
}

void
trap_dispatch(struct trapframe *tf)
{
	if (!handled(tf))
		trap_fatal(tf);
	if (trap_from_user(tf))
		process_return_to_user();       /* a killed process ends here */
}
