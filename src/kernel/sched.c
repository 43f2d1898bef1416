/*
 * The scheduler: round robin over the process table, one timer tick
 * (1/TIMER_HZ s) at most per turn. It runs on the boot stack, called by
 * the kernel's runner (src/kernel/runner.c), as xv6's scheduler() runs on
 * each CPU's own stack: a process gives the CPU back by switching to it
 * (sched_leave), never straight to another process, so every switch
 * passes through one place that sets what the next one needs: its page
 * directory in CR3, its kernel stack in the TSS, its FPU registers.
 *
 * The kernel itself runs with interrupts off (every IDT gate is an
 * interrupt gate), so it is never preempted: only ring 3 is, and the
 * scheduler's idle halt, where the timer wakes sleepers.
 */
#include <bootargs.h>
#include <cairn/syscall.h>
#include <cmdline.h>
#include <format.h>
#include <fpu.h>
#include <process.h>
#include <sched.h>
#include <timer.h>
#include <tss.h>
#include <x86.h>

#define CPU_LIMIT_DEFAULT   30          /* seconds of CPU a program may use */
#define CPU_LIMIT_MAX       86400

extern struct process *current_process;
static struct context *scheduler_context;       /* the runner, in sched_run_until */
static unsigned last_slot;                      /* where round robin goes on from */
static uint32_t cpu_limit = CPU_LIMIT_DEFAULT;  /* seconds; 0: none */

/* Can p run now? A sleeper can once its tick has come. */
static bool
ready(struct process *p)
{
	if (p->state == PROCESS_SLEEPING && (int32_t)(timer_ticks() - p->wake_tick) >= 0)
		p->state = PROCESS_RUNNABLE;
	return p->state == PROCESS_RUNNABLE;
}

struct pick {
	struct process *found;
	unsigned after;
};

static void
consider(struct process *p, void *arg)
{
	struct pick *k = arg;

	/* The first ready one after the last slot run, else the first ready
	 * one at all: round robin. */
	if (!ready(p))
		return;
	if (k->found == NULL || (k->found->slot <= k->after && p->slot > k->after))
		k->found = p;
}

static struct process *
pick_next(void)
{
	struct pick k = { NULL, last_slot };

	process_for_each(consider, &k);
	return k.found;
}

/* Gives p the CPU until it leaves again. */
static void
run(struct process *p)
{
	current_process = p;
	last_slot = p->slot;
	p->state = PROCESS_RUNNING;
	p->turns++;
	tss_set_kernel_stack(process_kernel_stack_top(p));
	uspace_switch(&p->mem);                 /* CR3: the TLB forgets the last one's */
	fpu_load(&p->fpu);
	p->ran_since = rdtsc();
	swtch(&scheduler_context, p->context);
	/* p has left: yielded, preempted, asleep, waiting, or a zombie. */
	uint64_t spent = rdtsc() - p->ran_since;
	p->cpu_cycles += spent;
	family_root(p)->family_cycles += spent;
	fpu_save(&p->fpu);
	current_process = NULL;
}

/* Nobody can run: wait for an interrupt (the timer wakes sleepers). The
 * sti's one-instruction delay means no interrupt slips in before hlt. */
static void
idle(void)
{
	uspace_switch(NULL);
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

void
sched_run_until(bool (*done)(void *arg), void *arg)
{
	while (!done(arg)) {
		struct process *p = pick_next();
		if (p)
			run(p);
		else
			idle();
	}
}

void
sched_leave(void)
{
	swtch(&current_process->context, scheduler_context);
}

void
sched_yield(void)
{
	current_process->state = PROCESS_RUNNABLE;
	sched_leave();
}

void
sched_sleep(uint32_t ticks)
{
	if (current_process->killed)
		return;                 /* to die on the way out, not in a day */
	current_process->wake_tick = timer_ticks() + (ticks ? ticks : 1);
	current_process->state = PROCESS_SLEEPING;
	sched_leave();
}

void
sched_preempt(void)
{
	process_check_time();
	sched_yield();
}

/* ------------------------------------------------------------ CPU time
 *
 * cpulimit= bounds a family: a program the runner started and everything
 * it forks, together. Per process alone, a program could run for ever by
 * forking a fresh child before each one's time runs out. The family's
 * first process keeps the sum (the runner reaps it last).
 */

struct process *
family_root(struct process *p)
{
	struct process *root = process_find(p->family);

	return root ? root : p;
}

static uint64_t
cycles_to_seconds(uint64_t cycles)
{
	return cycles / (timer_tsc_per_tick() * TIMER_HZ);
}

/* The CPU seconds of the current process's family, this turn included. */
static uint32_t
family_seconds(void)
{
	uint64_t cycles = family_root(current_process)->family_cycles + (rdtsc() - current_process->ran_since);

	return (uint32_t)cycles_to_seconds(cycles);
}

bool
process_out_of_time(void)
{
	return current_process && cpu_limit && family_seconds() >= cpu_limit;
}

void
process_check_time(void)
{
	char reason[PROCESS_REASON_MAX];

	if (!process_out_of_time())
		return;
	snprintf(reason, sizeof(reason), "time limit: %u s of CPU used (cpulimit=%u)", family_seconds(), cpu_limit);
	process_kill(reason, WAIT_SIGNAL_XCPU);
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
	"seconds of CPU a program and everything it forks may use together before they are killed: cpulimit=30 (the default), 0 for no limit",
	cpulimit_option);
