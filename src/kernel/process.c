/*
 * Processes: the table, and each process's life from start (a program
 * loaded by the runner, or fork) through exec to its end (exit, a fault,
 * kill) and its reaping by its parent. The scheduler that shares the CPU
 * among them is src/kernel/sched.c; run= is src/kernel/runner.c.
 *
 * Every process has a kernel stack of its own, in its slot of the
 * KSTACK_BASE region (include/layout.h) with an unmapped guard page under
 * it. A trap from ring 3 lands on it (the TSS's esp0), and when the
 * process is not running, swtch has left its context there.
 */
#include <cairn/errno.h>
#include <cairn/syscall.h>
#include <console.h>
#include <cow.h>
#include <fault.h>
#include <format.h>
#include <fpu.h>
#include <gdt.h>
#include <kheap.h>
#include <kmap.h>
#include <layout.h>
#include <multiboot.h>
#include <paging.h>
#include <process.h>
#include <sched.h>
#include <string.h>
#include <trap.h>
#include <uaccess.h>
#include <x86.h>

#define EFLAGS_USER     0x202           /* IF set, and bit 1, which is always 1 */

static struct process *table[PROCESS_MAX];
static int next_pid = 1;
struct process *current_process;        /* sched.c sets it */

struct process *
process_current(void)
{
	return current_process;
}

struct process *
process_find(int pid)
{
	for (unsigned i = 0; i < PROCESS_MAX; i++)
		if (table[i] && table[i]->pid == pid)
			return table[i];
	return NULL;
}

void
process_for_each(void (*fn)(struct process *p, void *arg), void *arg)
{
	for (unsigned i = 0; i < PROCESS_MAX; i++)
		if (table[i])
			fn(table[i], arg);
}

/* ------------------------------------------------------------ kernel stacks */

static uintptr_t
kstack_bottom(unsigned slot)
{
	return KSTACK_BASE + slot * KSTACK_SLOT_SIZE + PAGE_SIZE;      /* above the guard */
}

static uintptr_t
kstack_top(unsigned slot)
{
	return kstack_bottom(slot) + KSTACK_PAGES * PAGE_SIZE;
}

uintptr_t
process_kernel_stack_top(const struct process *p)
{
	return kstack_top(p->slot);
}

static void
kstack_free(unsigned slot)
{
	for (uintptr_t va = kstack_bottom(slot); va < kstack_top(slot); va += PAGE_SIZE)
		if (paging_kernel_present(va))
			pmm_free(paging_unmap_kernel(va));
}

/* Maps slot's stack pages; its guard page stays unmapped. 0 or -ENOMEM. */
static int
kstack_alloc(unsigned slot)
{
	for (uintptr_t va = kstack_bottom(slot); va < kstack_top(slot); va += PAGE_SIZE) {
		paddr_t pa = pmm_alloc();
		if (pa == PMM_NO_FRAME) {
			kstack_free(slot);
			return -ENOMEM;
		}
		paging_map_kernel(va, pa, PTE_WRITABLE);
	}
	return 0;
}

/* ------------------------------------------------------------ the table */

/* A new entry: a slot, a kernel stack and a pid, not yet runnable. NULL
 * with *error -EAGAIN (the table is full) or -ENOMEM, and *why in words. */
static struct process *
process_alloc(const char *name, int *error, const char **why)
{
	unsigned slot = 0;
	struct process *p;

	while (slot < PROCESS_MAX && table[slot])
		slot++;
	*error = -ENOMEM;
	if (slot == PROCESS_MAX) {
		*error = -EAGAIN;
		*why = "the process table is full";
	} else if ((p = kcalloc(1, sizeof(*p))) == NULL) {
		*why = "out of memory for its process entry";
	} else if (kstack_alloc(slot) < 0) {
		kfree(p);
		*why = "out of memory for its kernel stack";
	} else {
		p->slot = slot;
		p->pid = next_pid++;
		strlcpy(p->name, name, sizeof(p->name));
		p->family = p->pid;
		fpu_clean_state(&p->fpu);
		table[slot] = p;
		return p;
	}
	return NULL;
}

/* Gives back the entry and the kernel stack: the last of a process. */
static void
process_free(struct process *p)
{
	table[p->slot] = NULL;
	kstack_free(p->slot);
	kfree(p);
}

/* The trap frame at the top of p's kernel stack: where a trap from ring 3
 * saves the registers, and where a new process's first ones are. */
static struct trapframe *
user_frame(const struct process *p)
{
	return (struct trapframe *)kstack_top(p->slot) - 1;
}

/* Where a new process first runs, in the kernel, on its own stack: the
 * way every later return to ring 3 goes, through the killed check (a
 * kill may have come before its first turn), then on to trap_return. */
static void
first_run(void)
{
	process_return_to_user();
}

/* Makes p start in ring 3 from its trap frame the first time the
 * scheduler switches to it. Its stack, as swtch will find it:
 *
 *   top -> | trap frame   |  what trap_return pops before its iret
 *          | trap_return  |  first_run's return address
 *          | context      |  swtch pops edi, esi, ebx, ebp, and
 *          |   eip        |  "returns" into first_run
 */
static void
make_runnable(struct process *p)
{
	extern char trap_return[];
	uint32_t *return_address = (uint32_t *)user_frame(p) - 1;
	struct context *c = (struct context *)return_address - 1;

	*return_address = (uint32_t)(uintptr_t)trap_return;
	memset(c, 0, sizeof(*c));
	c->eip = (uint32_t)(uintptr_t)first_run;
	p->context = c;
	p->state = PROCESS_RUNNABLE;
}

/* A trap frame that enters the program at entry with an empty stack. */
static void
start_frame(struct trapframe *tf, uint32_t entry)
{
	memset(tf, 0, sizeof(*tf));
	tf->ds = tf->es = tf->fs = tf->gs = SEG_USER_DATA;
	tf->cs = SEG_USER_CODE;
	tf->eip = entry;
	tf->eflags = EFLAGS_USER;
	tf->user_esp = USER_LIMIT;
	tf->user_ss = SEG_USER_DATA;
}

/* ------------------------------------------------------------ loading */

/* Builds a user space in us holding the program in module m: loaded, its
 * stack mapped, its heap empty. Returns 0, or an errno with why in words
 * (and us given back). */
static int
load_program(struct user_space *us, struct program_image *image, const struct boot_module *m,
	     char *why, size_t size)
{
	const char *what;
	int error;

	if (uspace_create(us) < 0) {
		strlcpy(why, "out of memory for its page directory", size);
		return -ENOMEM;
	}
	error = loader_load(&us->as, m->start, m->end - m->start, image, &what);
	if (error == -ENOEXEC)
		snprintf(why, size, "bad ELF: %s", what);
	else if (error)
		strlcpy(why, "out of memory while loading its program", size);
	else if ((error = vmm_map_fresh(&us->as, USER_STACK_BOTTOM, USER_LIMIT, PTE_USER | PTE_WRITABLE)) < 0)
		strlcpy(why, "out of memory for its stack", size);
	if (error) {
		uspace_destroy(us);
		return error;
	}
	uspace_start_heap(us, image->top);
	return 0;
}

/* The module named name that run= may run, or -ENOENT. */
static int
find_module(const char *name, struct boot_module *m)
{
	for (unsigned i = 0; i < multiboot_module_count(); i++)
		if (multiboot_module(i, m) == 0 && !m->refused && strcmp(m->name, name) == 0)
			return 0;
	return -ENOENT;
}

struct process *
process_start(const struct boot_module *m, char *why)
{
	const char *what;
	int error;
	struct process *p = process_alloc(m->name, &error, &what);

	if (p == NULL) {
		strlcpy(why, what, PROCESS_REASON_MAX);
		return NULL;
	}
	if (load_program(&p->mem, &p->image, m, why, PROCESS_REASON_MAX) < 0) {
		process_free(p);
		return NULL;
	}
	start_frame(user_frame(p), p->image.entry);
	make_runnable(p);
	return p;
}

/* ------------------------------------------------------------ fork and exec */

int
process_fork(struct trapframe *tf)
{
	struct process *parent = current_process, *child;
	const char *why;
	int error;

	if ((child = process_alloc(parent->name, &error, &why)) == NULL)
		return error;
	if (uspace_fork(&child->mem, &parent->mem) < 0) {
		process_free(child);
		return -ENOMEM;
	}
	child->image = parent->image;
	child->parent = parent;
	child->family = parent->family;
	fpu_copy_current(&child->fpu);          /* the x87 registers, as they are now */
	*user_frame(child) = *tf;
	user_frame(child)->eax = 0;             /* fork returns 0 in the child */
	make_runnable(child);
	return child->pid;
}

int
process_exec(struct trapframe *tf, const char *name)
{
	struct process *p = current_process;
	struct boot_module m;
	struct user_space fresh, old;
	struct program_image image;
	char why[PROCESS_REASON_MAX];
	int error;

	if (find_module(name, &m) < 0)
		return -ENOENT;
	if ((error = load_program(&fresh, &image, &m, why, sizeof(why))) < 0)
		return error;
	old = p->mem;
	p->mem = fresh;
	p->image = image;
	uspace_switch(&p->mem);                 /* CR3: the new program's */
	uspace_destroy(&old);
	strlcpy(p->name, m.name, sizeof(p->name));
	start_frame(tf, image.entry);
	fpu_reset();                            /* nothing of the old program's */
	return 0;
}

/* ------------------------------------------------------------ the end */

/* p's children become the runner's: it reaps them when they end. */
static void
give_children_to_runner(struct process *p)
{
	for (unsigned i = 0; i < PROCESS_MAX; i++)
		if (table[i] && table[i]->parent == p)
			table[i]->parent = NULL;
}

/* Ends the current process with wait status `status`: its memory goes
 * back now; it stays a zombie until it is reaped. */
static __attribute__((noreturn)) void
finish(int status)
{
	struct process *p = current_process;

	uspace_switch(NULL);                    /* off its directory before freeing it */
	uspace_destroy(&p->mem);
	give_children_to_runner(p);
	p->status = status;
	p->state = PROCESS_ZOMBIE;
	if (p->parent && p->parent->state == PROCESS_WAITING)
		p->parent->state = PROCESS_RUNNABLE;
	sched_leave();                          /* never comes back */
	for (;;)
		;
}

void
process_exit(int status)
{
	finish(WAIT_EXITED(status));
}

void
process_kill(const char *reason, int signal)
{
	struct process *p = current_process;

	p->killed = true;
	p->kill_signal = signal;
	if (reason != p->reason)
		strlcpy(p->reason, reason, sizeof(p->reason));
	/* The runner's line says why a program it started died; a child's
	 * parent sees only a signal number, so the console says why. */
	if (p->parent)
		kprintf("process %d (%s) killed: %s\n", p->pid, p->name, p->reason);
	finish(WAIT_SIGNALED(signal));
}

void
process_return_to_user(void)
{
	struct process *p = current_process;

	if (p && p->killed)
		process_kill(p->reason, p->kill_signal);
}

/* Is p the caller itself or one of its descendants? */
static bool
is_family_of_current(const struct process *p)
{
	for (; p; p = p->parent)
		if (p == current_process)
			return true;
	return false;
}

int
process_kill_pid(int pid, int signal)
{
	struct process *p = process_find(pid);

	if (signal != 0 && signal != WAIT_SIGNAL_KILL)
		return -EINVAL;
	if (p == NULL || p->state == PROCESS_ZOMBIE)
		return -ESRCH;
	if (!is_family_of_current(p))
		return -EPERM;
	if (signal == 0)
		return 0;
	char reason[PROCESS_REASON_MAX];
	snprintf(reason, sizeof(reason), "killed by process %d (SIGKILL)", current_process->pid);
	process_condemn(p, reason, signal);
	return 0;
}

void
process_condemn(struct process *p, const char *reason, int signal)
{
	if (p->killed || p->state == PROCESS_ZOMBIE)
		return;                         /* the first reason stands */
	p->killed = true;
	p->kill_signal = signal;
	strlcpy(p->reason, reason, sizeof(p->reason));
	if (p->state == PROCESS_SLEEPING || p->state == PROCESS_WAITING)
		p->state = PROCESS_RUNNABLE;    /* to die: at its return to ring 3 */
}

int
process_reap(struct process *p)
{
	int status = p->status;

	process_free(p);
	return status;
}

/* A zombie child of the current process that pid selects (-1: any), and
 * whether any child matches at all. */
static struct process *
ended_child(int pid, bool *any)
{
	*any = false;
	for (unsigned i = 0; i < PROCESS_MAX; i++) {
		struct process *q = table[i];
		if (q == NULL || q->parent != current_process || (pid != -1 && q->pid != pid))
			continue;
		*any = true;
		if (q->state == PROCESS_ZOMBIE)
			return q;
	}
	return NULL;
}

int
process_wait(int pid, uint32_t status_user_address, int options)
{
	struct process *child;
	bool any;

	if ((pid <= 0 && pid != -1) || (options & ~WNOHANG))
		return -EINVAL;
	while ((child = ended_child(pid, &any)) == NULL) {
		if (!any)
			return -ECHILD;
		if ((options & WNOHANG) || current_process->killed)
			return 0;
		current_process->state = PROCESS_WAITING;
		sched_leave();                  /* a child's end makes it RUNNABLE */
	}
	if (status_user_address) {
		int error = copy_to_user((void *)(uintptr_t)status_user_address, &child->status,
					 sizeof(child->status));
		if (error)
			return error;           /* the child stays, to be waited for again */
	}
	int found = child->pid;
	process_reap(child);
	return found;
}

/* ------------------------------------------------------------ why it died */

const char *
process_region(uint32_t a)
{
	struct process *p = current_process;

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

static void
describe_page_fault(const struct trapframe *tf, char *reason, size_t size)
{
	uint32_t cr2 = read_cr2();
	char words[112];

	if ((tf->error & PF_WRITE) && cow_is_shared_page(&current_process->mem.as, cr2))
		snprintf(reason, size, "out of memory: no frame for a copy-on-write copy of 0x%08x (%s)",
			 page_round_down(cr2), process_region(cr2));
	else
		snprintf(reason, size, "page fault: %s",
			 fault_describe_region(tf->error, cr2, process_region(cr2), words, sizeof(words)));
}

/* The signal Linux would send for the exception: what waitpid reports. */
static int
signal_for(const struct trapframe *tf)
{
	switch (tf->vector) {
	case T_DIVIDE: case T_FPU_ERROR: case T_SIMD:
		return WAIT_SIGNAL_FPE;
	case T_INVALID_OP:
		return WAIT_SIGNAL_ILL;
	case T_DEBUG: case T_BREAKPOINT:
		return WAIT_SIGNAL_TRAP;
	case T_ALIGNMENT:
		return WAIT_SIGNAL_BUS;
	case T_PAGE_FAULT:
		if ((tf->error & PF_WRITE) && cow_is_shared_page(&current_process->mem.as, read_cr2()))
			return WAIT_SIGNAL_KILL;        /* out of memory, as Linux's OOM killer */
		return WAIT_SIGNAL_SEGV;
	default:
		return WAIT_SIGNAL_SEGV;
	}
}

void
process_fault(struct trapframe *tf)
{
	char reason[PROCESS_REASON_MAX];

	if (tf->vector == T_PAGE_FAULT) {
		describe_page_fault(tf, reason, sizeof(reason));
	} else if (tf->vector == T_GPF) {
		describe_gpf(tf, reason, sizeof(reason));
	} else {
		const char *name = trap_name(tf->vector);
		snprintf(reason, sizeof(reason), "%s at eip 0x%08x", name ? name : "unexpected interrupt", tf->eip);
		lowercase_first(reason);
	}
	process_kill(reason, signal_for(tf));
}
