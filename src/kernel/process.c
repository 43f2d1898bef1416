/*
 * Running user programs, one at a time. process_run() builds a fresh
 * address space, loads the program, maps its stack and enters ring 3 by
 * returning from a made-up trap; the program comes back only through the
 * exit system call or a fault, both of which longjmp to process_run(),
 * which tears everything down and counts the frames that did not return.
 */
#include <bootargs.h>
#include <brk.h>
#include <cairn/errno.h>
#include <cmdline.h>
#include <console.h>
#include <fault.h>
#include <format.h>
#include <fpu.h>
#include <gdt.h>
#include <layout.h>
#include <multiboot.h>
#include <paging.h>
#include <panic.h>
#include <process.h>
#include <string.h>
#include <timer.h>
#include <trap.h>
#include <tss.h>
#include <uaccess.h>
#include <x86.h>

#define KERNEL_STACK_SIZE   16384
#define EFLAGS_USER         0x202       /* IF set, and bit 1, which is always 1 */
#define CPU_LIMIT_DEFAULT   30          /* seconds of CPU a program may use */
#define CPU_LIMIT_MAX       86400

/* Traps from ring 3 land on this stack (the TSS's esp0); the page under
 * it is unmapped, so an overflow faults (and the double-fault task says
 * so) instead of running into the data below. */
static struct {
	uint8_t guard[PAGE_SIZE];
	uint8_t stack[KERNEL_STACK_SIZE];
} trap_stack __attribute__((aligned(PAGE_SIZE)));
#define kernel_stack trap_stack.stack
static struct process the_process;
static struct process *current;
static int next_pid = 1;
static uint32_t cpu_limit = CPU_LIMIT_DEFAULT;  /* seconds; 0: none */

struct process *
process_current(void)
{
	return current;
}

/* ------------------------------------------------------------ regions */

const char *
process_region(uint32_t a)
{
	struct process *p = current;

	if (a < PAGE_SIZE)
		return "the null page";
	if (a >= USER_LIMIT)
		return fault_region(a);
	if (a >= USER_STACK_GUARD && a < USER_STACK_BOTTOM)
		return "the guard page under the stack";
	if (a >= USER_STACK_BOTTOM)
		return "the stack";
	if (p && a >= p->mem.heap_start && a < page_round_up(p->mem.brk))
		return "the heap";
	for (unsigned i = 0; p && i < p->image.nsegments; i++)
		if (a >= p->image.segment[i].first && a < p->image.segment[i].end)
			return p->image.segment[i].writable ? "program data" : "program text";
	return "unmapped user space";
}

/* ------------------------------------------------------------ the end */

void
process_exit(int status)
{
	current->exit_status = status;
	longjmp(current->finished, 1);
}

void
process_kill(const char *reason)
{
	current->killed = true;
	strlcpy(current->reason, reason, sizeof(current->reason));
	longjmp(current->finished, 1);
}

/* One program runs at a time, and the kernel works only for it while it
 * does, so its CPU time is the time since it started: in ring 3 and in
 * the kernel alike, counted by the TSC (a tick counted only in ring 3
 * would let a program spend its time in long system calls). */
static uint32_t
seconds_used(const struct process *p)
{
	return (uint32_t)((rdtsc() - p->started) / (timer_tsc_per_tick() * TIMER_HZ));
}

bool
process_out_of_time(void)
{
	return current && cpu_limit && seconds_used(current) >= cpu_limit;
}

void
process_check_time(void)
{
	char reason[PROCESS_REASON_MAX];

	if (!process_out_of_time())
		return;
	snprintf(reason, sizeof(reason), "time limit: %u s of CPU used (cpulimit=%u)", seconds_used(current),
		 cpu_limit);
	process_kill(reason);
}

/* The privileged instruction at eip, by name, or NULL: the one-byte
 * opcodes, and the 0F 00 / 0F 01 groups that UMIP closes (the ModRM
 * byte's reg field says which). */
static const char *
privileged_instruction(uint32_t eip)
{
	static const char *const group0f00[8] = { "sldt", "str" };
	static const char *const group0f01[8] = { "sgdt", "sidt", [4] = "smsw" };
	uint8_t op[3];

	if (copy_from_user(op, (const void *)(uintptr_t)eip, 1) < 0)
		return NULL;
	switch (op[0]) {
	case 0xFA: return "cli";
	case 0xFB: return "sti";
	case 0xF4: return "hlt";
	case 0xE4: case 0xE5: case 0xEC: case 0xED: return "in";
	case 0xE6: case 0xE7: case 0xEE: case 0xEF: return "out";
	case 0xCC: case 0xCD: case 0xCE: return "int";  /* int3, int n, into */
	case 0x0F: break;
	default: return NULL;
	}
	if (copy_from_user(op, (const void *)(uintptr_t)eip, 3) < 0)
		return NULL;
	unsigned reg = (op[2] >> 3) & 7;
	if (op[1] == 0x00)
		return group0f00[reg];
	if (op[1] == 0x01)
		return group0f01[reg];
	return NULL;
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* "Divide error at ..." reads "divide error ..." mid-line; an acronym
 * ("BOUND range exceeded", "SIMD floating-point error") stays as it is. */
static void
lowercase_first(char *s)
{
	if (is_upper(s[0]) && !is_upper(s[1]))
		s[0] = (char)(s[0] - 'A' + 'a');
}

static void
describe_gpf(const struct trapframe *tf, char *reason, size_t size)
{
	const char *insn = privileged_instruction(tf->eip);
	char words[64];

	trap_describe_error(tf, words, sizeof(words));
	if (insn && strcmp(insn, "int") == 0)
		snprintf(reason, size, "general protection fault at eip 0x%08x: int to a kernel-only vector (%s)",
			 tf->eip, words);
	else if (insn)
		snprintf(reason, size, "general protection fault at eip 0x%08x: privileged instruction %s",
			 tf->eip, insn);
	else
		snprintf(reason, size, "general protection fault at eip 0x%08x (%s)", tf->eip, words);
}

void
process_fault(struct trapframe *tf)
{
	char reason[PROCESS_REASON_MAX], words[112];

	if (tf->vector == T_PAGE_FAULT) {
		uint32_t cr2 = read_cr2();
		snprintf(reason, sizeof(reason), "page fault: %s",
			 fault_describe_region(tf->error, cr2, process_region(cr2), words, sizeof(words)));
	} else if (tf->vector == T_GPF) {
		describe_gpf(tf, reason, sizeof(reason));
	} else {
		const char *name = trap_name(tf->vector);
		snprintf(reason, sizeof(reason), "%s at eip 0x%08x", name ? name : "unexpected interrupt", tf->eip);
		lowercase_first(reason);
	}
	process_kill(reason);
}

/* ------------------------------------------------------------ the start */

/* Maps the stack, zeroed, below USER_LIMIT; the page under it stays
 * unmapped as a guard. */
static int
map_stack(struct process *p)
{
	return vmm_map_fresh(&p->mem.as, USER_STACK_BOTTOM, USER_LIMIT, PTE_USER | PTE_WRITABLE);
}

/* Enters ring 3 at entry with the stack at USER_LIMIT: builds the frame a
 * trap from ring 3 would have left and returns from it (trap_return in
 * src/kernel/trapentry.asm). */
static void __attribute__((noreturn))
enter_user(uint32_t entry)
{
	extern char trap_return[];
	struct trapframe *tf = (struct trapframe *)(kernel_stack + KERNEL_STACK_SIZE) - 1;

	memset(tf, 0, sizeof(*tf));
	tf->ds = tf->es = tf->fs = tf->gs = SEG_USER_DATA;
	tf->cs = SEG_USER_CODE;
	tf->eip = entry;
	tf->eflags = EFLAGS_USER;
	tf->user_esp = USER_LIMIT;
	tf->user_ss = SEG_USER_DATA;
	tss_set_kernel_stack((uint32_t)(uintptr_t)(kernel_stack + KERNEL_STACK_SIZE));
	__asm__ volatile("mov %0, %%esp; jmp *%1" : : "r"(tf), "r"(trap_return) : "memory");
	__builtin_unreachable();
}

/* Builds p's address space from the module and starts it. Returns only
 * if that fails: with why it failed, in words. */
static const char *
start(struct process *p, const struct boot_module *m)
{
	const char *why;

	if (uspace_create(&p->mem) < 0)
		return "out of memory for its page directory";
	int error = loader_load(&p->mem.as, m->start, m->end - m->start, &p->image, &why);
	if (error == -ENOEXEC) {
		snprintf(p->reason, sizeof(p->reason), "bad ELF: %s", why);
		return p->reason;
	}
	if (error)
		return "out of memory while loading its program";
	if (map_stack(p) < 0)
		return "out of memory for its stack";
	uspace_start_heap(&p->mem, p->image.top);
	fpu_reset();                    /* nothing of the last program's */
	uspace_switch(&p->mem);
	current = p;
	p->started = rdtsc();           /* its CPU time starts */
	enter_user(p->image.entry);
}

int32_t
process_run(const struct boot_module *m, struct process *p)
{
	uint32_t free_before = pmm_free_frames();

	memset(p, 0, sizeof(*p));
	p->pid = next_pid++;
	strlcpy(p->name, m->name, sizeof(p->name));
	if (setjmp(p->finished) == 0) {
		const char *why = start(p, m);
		if (why != p->reason)
			strlcpy(p->reason, why, sizeof(p->reason));
		p->killed = true;
	}
	/* Here after exit, a kill, or a failed start: back to the kernel's
	 * address space, and everything of p goes back to the PMM. */
	current = NULL;
	uspace_switch(NULL);
	uspace_destroy(&p->mem);
	return (int32_t)(free_before - pmm_free_frames());
}

static void
report(const struct process *p, int32_t leaked)
{
	if (p->killed)
		kverdict("run: %s killed (%s) leaked=%d\n", p->name, p->reason, leaked);
	else
		kverdict("run: %s exit=%d leaked=%d\n", p->name, p->exit_status, leaked);
}

static void
run_module(const struct boot_module *m)
{
	int32_t leaked = process_run(m, &the_process);

	report(&the_process, leaked);
}

/* Runs the module named name[0..len), or says there is none. */
static void
run_named(const char *name, size_t len)
{
	struct boot_module m;

	for (unsigned i = 0; i < multiboot_module_count(); i++) {
		if (multiboot_module(i, &m) == 0 && !m.refused && cmdline_is(name, len, m.name)) {
			run_module(&m);
			return;
		}
	}
	kprintf("run: no program named '%.*s'; loaded:", (int)len, name);
	for (unsigned i = 0; i < multiboot_module_count(); i++)
		if (multiboot_module(i, &m) == 0 && !m.refused)
			kprintf(" %s", m.name);
	kprintf("\n");
}

/* cpulimit=SECONDS */
static const char *
cpulimit_option(const struct bootarg *arg)
{
	if (cmdline_parse_number(arg->value, arg->len, CPU_LIMIT_MAX, &cpu_limit) < 0)
		return "want whole seconds up to 86400, 0 for no limit";
	return NULL;
}
BOOTARG(cpulimit, BOOTARG_VALUE, NULL,
	"seconds of CPU time a user program may use before it is killed: cpulimit=30 (the default), 0 for no limit",
	cpulimit_option);

/* run=NAME,... or run=all: kept until process_run_requested(). */
static const char *run_list;
static size_t run_list_len;

static const char *
run_option(const struct bootarg *arg)
{
	run_list = arg->value;
	run_list_len = arg->len;
	return NULL;
}
BOOTARG(run, BOOTARG_VALUE, NULL, "run user programs: run=hello,sbrktest or run=all", run_option);

void
process_run_requested(void)
{
	const char *cursor = run_list, *name;
	size_t len;
	struct boot_module m;

	if (run_list == NULL)
		return;
	paging_unmap_kernel((uintptr_t)trap_stack.guard);
	multiboot_check_modules();
	timer_tsc_per_tick();           /* measured now, not during a program */
	if (cmdline_is(run_list, run_list_len, "all")) {
		for (unsigned i = 0; i < multiboot_module_count(); i++)
			if (multiboot_module(i, &m) == 0 && !m.refused)
				run_module(&m);
	} else {
		while (cmdline_next_item(&cursor, run_list + run_list_len, &name, &len))
			if (len > 0)
				run_named(name, len);
	}
	kverdict("run: done\n");
}
