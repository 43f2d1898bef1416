/*
 * The kernel's runner: run= starts the programs it names one after
 * another, each a child of the kernel, and waits until the program and
 * everything it forked have ended (orphans are the runner's to reap).
 * Then it says how the program ended, and whether everything it and its
 * descendants held came back: the frames, and the kernel heap's bytes.
 *
 * beside=NAME starts one more program before the first and keeps it
 * running through them all, so each runs while other processes are
 * alive; after the last, the runner kills it and its descendants.
 *
 * Every program ends: a family is killed when its CPU time passes
 * cpulimit= (src/kernel/sched.c), or its life walllimit= seconds (here).
 */
#include <bootargs.h>
#include <cairn/syscall.h>
#include <cmdline.h>
#include <console.h>
#include <format.h>
#include <heap.h>
#include <kheap.h>
#include <multiboot.h>
#include <process.h>
#include <sched.h>
#include <string.h>
#include <timer.h>

/* What the machine had free at one moment. */
struct snapshot {
	uint32_t free_frames;
	size_t heap_size;               /* the kernel heap's pages, in bytes */
	size_t heap_used;               /* its bytes in use */
};

static void
take_snapshot(struct snapshot *s)
{
	struct heap_stats st;

	kheap_stats(&st);
	*s = (struct snapshot){ pmm_free_frames(), st.heap_size, st.used_bytes };
}

/* What has not come back since `before`: frames (those the kernel heap
 * grew by are the heap's, not a leak) and heap bytes still in use. */
static void
count_leaks(const struct snapshot *before, struct run_result *r)
{
	struct snapshot now;

	take_snapshot(&now);
	int32_t heap_growth = (int32_t)((now.heap_size - before->heap_size) / PAGE_SIZE);
	r->leaked_frames = (int32_t)(before->free_frames - now.free_frames) - heap_growth;
	r->leaked_heap_bytes = (int32_t)(now.heap_used - before->heap_used);
}

/* ------------------------------------------------------------ families */

/* A program run by the runner, and all it forks: one family. */
struct family {
	int pid;                        /* the program's: every member's p->family */
	struct run_result *result;      /* filled in when the program is reaped */
	uint32_t started;               /* the tick it started at (walllimit=) */
	bool overdue;                   /* past walllimit=: every member condemned */
	bool alive;                     /* a member is still in the table */
	bool busy;                      /* a member is runnable or running */
};

#define WALL_LIMIT_DEFAULT  120     /* seconds a family may live */
#define WALL_LIMIT_MAX      86400
static uint32_t wall_limit = WALL_LIMIT_DEFAULT;

static struct {
	struct family family;
	struct run_result result;
	struct snapshot before;
	bool running;
} beside;

/* How p, a family's first process, ended. r->name stays the program the
 * runner started (p may have exec'd another since). */
static void
record(const struct process *p, struct run_result *r)
{
	r->killed = p->killed;
	r->exit_code = (p->status >> 8) & 0xFF;
	strlcpy(r->reason, p->reason, sizeof(r->reason));
}

struct members {
	const struct process *root;
	unsigned others;
};

static void
count_member(struct process *p, void *arg)
{
	struct members *m = arg;

	if (p != m->root && p->family == m->root->pid)
		m->others++;
}

/* A family's first process keeps the family's CPU time (cpulimit=), so
 * it is reaped only after every other member. */
static bool
keeps_family_time(struct process *p)
{
	struct members m = { p, 0 };

	if (p->family != p->pid)
		return false;
	process_for_each(count_member, &m);
	return m.others > 0;
}

/* Reaps p if it has ended with nobody left to wait for it, and notes
 * whether it is a live member of the family in arg. */
static void
look_at(struct process *p, void *arg)
{
	struct family *f = arg;

	if (p->state == PROCESS_ZOMBIE && p->parent == NULL && !keeps_family_time(p)) {
		if (p->pid == f->pid)
			record(p, f->result);
		else if (p->pid == beside.family.pid)
			record(p, &beside.result);  /* it ended early */
		process_reap(p);
		return;
	}
	if (p->family == f->pid) {
		f->alive = true;
		f->busy |= p->state == PROCESS_RUNNABLE || p->state == PROCESS_RUNNING;
	}
}

static void
survey(struct family *f)
{
	f->alive = f->busy = false;
	process_for_each(look_at, f);
}

static void
condemn_overdue(struct process *p, void *arg)
{
	const struct family *f = arg;
	char reason[PROCESS_REASON_MAX];

	snprintf(reason, sizeof(reason), "wall-clock limit: alive %u s after its program started (walllimit=%u)",
		 wall_limit, wall_limit);
	if (p->family == f->pid)
		process_condemn(p, reason, WAIT_SIGNAL_KILL);
}

/* CPU time (cpulimit=) does not end a family that sleeps or waits for
 * ever; wall-clock time does. The scheduler's idle halt wakes at every
 * tick, so this is checked at least that often. */
static void
check_wall_clock(struct family *f)
{
	if (!wall_limit || f->overdue || timer_ticks() - f->started < wall_limit * TIMER_HZ)
		return;
	f->overdue = true;
	process_for_each(condemn_overdue, f);
}

static bool
family_ended(void *arg)
{
	struct family *f = arg;

	survey(f);
	if (f->alive && f != &beside.family)    /* beside= lives through them all */
		check_wall_clock(f);
	return !f->alive;
}

static bool
family_settled(void *arg)
{
	struct family *f = arg;

	survey(f);
	return !f->busy;
}

/* Starts module m as a family of its own; NULL with r->reason if it
 * could not start. */
static struct process *
start_family(const struct boot_module *m, struct family *f, struct run_result *r)
{
	memset(r, 0, sizeof(*r));
	strlcpy(r->name, m->name, sizeof(r->name));
	struct process *p = process_start(m, r->reason);
	if (p == NULL) {
		r->killed = true;
		return NULL;
	}
	*f = (struct family){ .pid = p->pid, .result = r, .started = timer_ticks() };
	return p;
}

void
process_run(const struct boot_module *m, struct run_result *r)
{
	struct snapshot before;
	struct family f;

	take_snapshot(&before);
	if (start_family(m, &f, r))
		sched_run_until(family_ended, &f);
	count_leaks(&before, r);
}

static void
report(const struct run_result *r)
{
	char heap[40] = "";

	if (r->leaked_heap_bytes)
		snprintf(heap, sizeof(heap), " heap_leaked=%d", r->leaked_heap_bytes);
	if (r->killed)
		kverdict("run: %s killed (%s)%s leaked=%d\n", r->name, r->reason, heap, r->leaked_frames);
	else
		kverdict("run: %s exit=%d%s leaked=%d\n", r->name, r->exit_code, heap, r->leaked_frames);
}

/* ------------------------------------------------------------ beside= */

/* (beside's own state is above, with the families.) */
static void
start_beside(const struct boot_module *m)
{
	take_snapshot(&beside.before);
	if (start_family(m, &beside.family, &beside.result) == NULL) {
		count_leaks(&beside.before, &beside.result);
		report(&beside.result);
		return;
	}
	beside.running = true;
	sched_run_until(family_settled, &beside.family);  /* set up, and asleep */
}

static void
condemn_member(struct process *p, void *arg)
{
	if (p->family == beside.family.pid)
		process_condemn(p, "killed by the runner after the last program", WAIT_SIGNAL_KILL);
}

static void
stop_beside(void)
{
	if (!beside.running)
		return;
	/* A member woken by another's end (its parent, say) has its say
	 * before the end comes for all of them. */
	sched_run_until(family_settled, &beside.family);
	process_for_each(condemn_member, NULL);
	sched_run_until(family_ended, &beside.family);
	count_leaks(&beside.before, &beside.result);
	report(&beside.result);
}

/* ------------------------------------------------------------ run= */

static void
run_module(const struct boot_module *m)
{
	struct run_result r;

	process_run(m, &r);
	report(&r);
}

/* The module named name[0..len) that run= may run: 0, or -1 after saying
 * there is none. */
static int
module_named(const char *name, size_t len, struct boot_module *m, const char *option)
{
	for (unsigned i = 0; i < multiboot_module_count(); i++)
		if (multiboot_module(i, m) == 0 && !m->refused && cmdline_is(name, len, m->name))
			return 0;
	kprintf("%s: no program named '%.*s'; loaded:", option, (int)len, name);
	for (unsigned i = 0; i < multiboot_module_count(); i++)
		if (multiboot_module(i, m) == 0 && !m->refused)
			kprintf(" %s", m->name);
	kprintf("\n");
	return -1;
}

int
process_run_named(const char *name, size_t len)
{
	struct boot_module m;

	if (module_named(name, len, &m, "run") < 0)
		return -1;
	run_module(&m);
	return 0;
}

/* run=NAME,... or run=all, and beside=NAME: kept until process_run_requested(). */
static const char *run_list, *beside_name;
static size_t run_list_len, beside_len;

static const char *
run_option(const struct bootarg *arg)
{
	run_list = arg->value;
	run_list_len = arg->len;
	return NULL;
}
BOOTARG(run, BOOTARG_VALUE, NULL, "run user programs: run=hello,sbrktest or run=all", run_option);

static const char *
beside_option(const struct bootarg *arg)
{
	beside_name = arg->value;
	beside_len = arg->len;
	return NULL;
}
BOOTARG(beside, BOOTARG_VALUE, NULL,
	"keep a program running beside every program run= runs, killed after the last: beside=companion",
	beside_option);

/* walllimit=SECONDS */
static const char *
walllimit_option(const struct bootarg *arg)
{
	if (cmdline_parse_number(arg->value, arg->len, WALL_LIMIT_MAX, &wall_limit) < 0)
		return "want whole seconds up to 86400, 0 for no limit";
	return NULL;
}
BOOTARG(walllimit, BOOTARG_VALUE, NULL,
	"seconds a program run= started, and everything it forks, may live before they are killed: "
	"walllimit=120 (the default), 0 for no limit",
	walllimit_option);

static void
run_all(void)
{
	const char *cursor = run_list, *name;
	size_t len;
	struct boot_module m;

	if (cmdline_is(run_list, run_list_len, "all")) {
		for (unsigned i = 0; i < multiboot_module_count(); i++)
			if (multiboot_module(i, &m) == 0 && !m.refused &&
			    !(beside_name && cmdline_is(beside_name, beside_len, m.name)))
				run_module(&m);
		return;
	}
	while (cmdline_next_item(&cursor, run_list + run_list_len, &name, &len))
		if (len > 0 && module_named(name, len, &m, "run") == 0)
			run_module(&m);
}

void
process_run_requested(void)
{
	struct snapshot first;
	struct run_result whole;
	struct boot_module m;

	if (run_list == NULL)
		return;
	multiboot_check_modules();
	timer_tsc_per_tick();           /* measured now, not during a program */
	take_snapshot(&first);
	if (beside_name && module_named(beside_name, beside_len, &m, "beside") == 0)
		start_beside(&m);
	run_all();
	stop_beside();
	count_leaks(&first, &whole);
	if (whole.leaked_heap_bytes)
		kverdict("run: done heap_leaked=%d leaked=%d\n", whole.leaked_heap_bytes, whole.leaked_frames);
	else
		kverdict("run: done leaked=%d\n", whole.leaked_frames);
}
