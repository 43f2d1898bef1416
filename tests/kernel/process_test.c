/*
 * Tests of processes (src/kernel/process.c) and the scheduler
 * (src/kernel/sched.c) with hand-made programs: a program that cannot
 * start ends killed with the reason in words, whichever step ran out of
 * memory; spinning processes share the CPU under the timer; a process
 * that exits is a zombie holding only its kernel stack until reaped; a
 * sleeper wakes after its ticks, or at once when killed; the table has
 * room for PROCESS_MAX. Every frame comes back. (Real programs are
 * run=all's: see scripts/test-all.sh.)
 */
#include <cairn/syscall.h>
#include <heap.h>
#include <kheap.h>
#include <ktest.h>
#include <pmm.h>
#include <process.h>
#include <sched.h>
#include <string.h>
#include <timer.h>

#include "tiny_elf.h"

/* Runs the tiny program with all but `left` free frames set aside;
 * expects it refused with `reason` and nothing leaked. */
static void
expect_start_refused(struct ktest *t, uint32_t left, const char *reason)
{
	struct run_result r;
	struct tiny_elf f;
	struct boot_module m = { .name = "tiny" };

	tiny_elf_make(&f);
	m.start = tiny_elf_in_frame(&f);
	KASSERT_NE(t, m.start, PMM_NO_FRAME);
	m.end = m.start + sizeof(f);
	/* The entry comes from the kernel heap, which may have to grow by a
	 * page the first time: let it, so the frames counted below are the
	 * start's alone whichever test runs first. */
	kfree(kmalloc(sizeof(struct process)));
	uint32_t free_before = pmm_free_frames();
	KASSERT_EQ(t, pmm_reserve(free_before - left), 0);
	process_run(&m, &r);
	pmm_unreserve(free_before - left);
	KEXPECT_EQ(t, r.leaked_frames, 0);
	KEXPECT_EQ(t, r.leaked_heap_bytes, 0);
	KEXPECT_TRUE(t, r.killed);
	KEXPECT_STREQ(t, r.reason, reason);
	pmm_free(m.start);
}

/* The tiny program needs a kernel stack (KSTACK_PAGES frames; its entry
 * comes from the kernel heap, which has room), a directory, one page
 * table (text and bss share it), a text page, two bss pages, then a
 * table and 16 pages of stack. */
static void
no_frame_for_the_kernel_stack(struct ktest *t)
{
	expect_start_refused(t, KSTACK_PAGES - 1, "out of memory for its kernel stack");
}

static void
no_frame_for_the_directory(struct ktest *t)
{
	expect_start_refused(t, KSTACK_PAGES, "out of memory for its page directory");
}

static void
no_frame_for_the_program(struct ktest *t)
{
	expect_start_refused(t, KSTACK_PAGES + 3, "out of memory while loading its program");
}

static void
no_frame_for_the_stack(struct ktest *t)
{
	expect_start_refused(t, KSTACK_PAGES + 5, "out of memory for its stack");
}

/* ------------------------------------------------ running processes */

/* Machine code for the tiny program (at most 16 bytes). */
static const uint8_t spin[] = { 0xEB, 0xFE };                   /* jmp . */
static const uint8_t exit_42[] = {
	0xB8, SYS_exit, 0, 0, 0,        /* mov eax, SYS_exit */
	0x6A, 42, 0x5B,                 /* push 42; pop ebx */
	0xCD, 0x80,                     /* int 0x80 */
};
static const uint8_t sleep_5_then_exit_5[] = {
	0xB8, SYS_sleep, 0, 0, 0,       /* mov eax, SYS_sleep */
	0x6A, 5, 0x5B,                  /* push 5; pop ebx: 5 ticks */
	0xCD, 0x80,                     /* int 0x80: returns 0 in eax */
	0x40,                           /* inc eax: SYS_exit, status still 5 */
	0xCD, 0x80,
};
static const uint8_t sleep_long[] = {
	0xB8, SYS_sleep, 0, 0, 0,       /* mov eax, SYS_sleep */
	0xBB, 0xE8, 0x03, 0, 0,         /* mov ebx, 1000: ten seconds */
	0xCD, 0x80,
	0xEB, 0xFE,                     /* jmp . */
};

/* Each tiny process needs its kernel stack, a directory, two tables and
 * 19 pages: about 30 frames. */
#define TINY_PROCESS_FRAMES (KSTACK_PAGES + 26)

/* Skips the test on a machine too small for n tiny processes. */
static void
need_room_for(struct ktest *t, unsigned n)
{
	if (pmm_free_frames() < (n + 1) * TINY_PROCESS_FRAMES)
		ktest_skip(t, "too little memory for the processes this test runs");
}

/* Free frames plus the kernel heap's pages: what a leak-free test must
 * leave as it found (the heap may keep a page it grew by). */
static uint32_t
frames_and_heap(void)
{
	struct heap_stats st;

	kheap_stats(&st);
	return pmm_free_frames() + st.heap_size / PAGE_SIZE;
}

/* The module of a tiny program running code[0..n); frees with
 * pmm_free(m->start). */
static bool
tiny_module(struct ktest *t, const uint8_t *code, size_t n, struct boot_module *m)
{
	struct tiny_elf f;

	tiny_elf_make(&f);
	memcpy(f.code, code, n);
	memset(m, 0, sizeof(*m));
	strlcpy(m->name, "tiny", sizeof(m->name));
	m->start = tiny_elf_in_frame(&f);
	KASSERT_NE(t, m->start, PMM_NO_FRAME);
	m->end = m->start + sizeof(f);
	return true;
}

static struct process *
start(struct ktest *t, const struct boot_module *m)
{
	char why[PROCESS_REASON_MAX];
	struct process *p = process_start(m, why);

	KASSERT_NOT_NULL(t, p);
	return p;
}

static bool
all_zombies(void *arg)
{
	struct process **p = arg;

	for (; *p; p++)
		if ((*p)->state != PROCESS_ZOMBIE)
			return false;
	return true;
}

static uint32_t until_tick;

static bool
tick_reached(void *arg)
{
	return (int32_t)(timer_ticks() - until_tick) >= 0;
}

static bool
is_sleeping(void *arg)
{
	return ((struct process *)arg)->state == PROCESS_SLEEPING;
}

static void
two_spinning_processes_both_get_the_cpu(struct ktest *t)
{
	struct boot_module m;
	uint32_t before = frames_and_heap();

	need_room_for(t, 2);

	tiny_module(t, spin, sizeof(spin), &m);
	struct process *p[3] = { start(t, &m), start(t, &m), NULL };
	until_tick = timer_ticks() + 10;
	sched_run_until(tick_reached, NULL);
	KEXPECT_GT(t, p[0]->cpu_cycles, 0);
	KEXPECT_GT(t, p[1]->cpu_cycles, 0);
	/* Round robin: the two took turns, one tick each, so neither had two
	 * turns in a row. Counted in turns, not TSC cycles: under an emulator
	 * on a busy host (v86 in a browser) a tick's cycles vary many times. */
	KEXPECT_GE(t, p[0]->turns, 3);
	KEXPECT_LE(t, p[0]->turns, p[1]->turns + 1);
	KEXPECT_LE(t, p[1]->turns, p[0]->turns + 1);
	process_condemn(p[0], "test over", WAIT_SIGNAL_KILL);
	process_condemn(p[1], "test over", WAIT_SIGNAL_KILL);
	sched_run_until(all_zombies, p);
	KEXPECT_EQ(t, process_reap(p[0]), WAIT_SIGNALED(WAIT_SIGNAL_KILL));
	KEXPECT_EQ(t, process_reap(p[1]), WAIT_SIGNALED(WAIT_SIGNAL_KILL));
	pmm_free(m.start);
	KEXPECT_EQ(t, frames_and_heap(), before);
}

static void
an_exited_process_holds_only_its_kernel_stack_until_reaped(struct ktest *t)
{
	struct boot_module m;
	uint32_t before = frames_and_heap();

	need_room_for(t, 1);

	tiny_module(t, exit_42, sizeof(exit_42), &m);
	struct process *p[2] = { start(t, &m), NULL };
	sched_run_until(all_zombies, p);
	KEXPECT_EQ(t, before - frames_and_heap(), 1 + KSTACK_PAGES);   /* the module, the stack */
	KEXPECT_EQ(t, p[0]->mem.as.directory, 0);
	KEXPECT_EQ(t, process_reap(p[0]), WAIT_EXITED(42));
	pmm_free(m.start);
	KEXPECT_EQ(t, frames_and_heap(), before);
}

static void
a_sleeper_wakes_after_its_ticks(struct ktest *t)
{
	struct boot_module m;

	need_room_for(t, 1);

	tiny_module(t, sleep_5_then_exit_5, sizeof(sleep_5_then_exit_5), &m);
	uint32_t start_tick = timer_ticks();
	struct process *p[2] = { start(t, &m), NULL };
	sched_run_until(all_zombies, p);
	KEXPECT_GE(t, timer_ticks() - start_tick, 5);
	KEXPECT_EQ(t, process_reap(p[0]), WAIT_EXITED(5));
	pmm_free(m.start);
}

static void
a_kill_wakes_a_sleeper_at_once(struct ktest *t)
{
	struct boot_module m;
	uint32_t before = frames_and_heap();

	need_room_for(t, 1);

	tiny_module(t, sleep_long, sizeof(sleep_long), &m);
	struct process *p[2] = { start(t, &m), NULL };
	sched_run_until(is_sleeping, p[0]);
	uint32_t slept_at = timer_ticks();
	process_condemn(p[0], "killed by the test", WAIT_SIGNAL_KILL);
	sched_run_until(all_zombies, p);
	KEXPECT_LT(t, timer_ticks() - slept_at, 100);  /* not the 1000 it asked for */
	KEXPECT_STREQ(t, p[0]->reason, "killed by the test");
	KEXPECT_EQ(t, process_reap(p[0]), WAIT_SIGNALED(WAIT_SIGNAL_KILL));
	pmm_free(m.start);
	KEXPECT_EQ(t, frames_and_heap(), before);
}

static void
the_table_holds_process_max_then_says_it_is_full(struct ktest *t)
{
	static struct process *p[PROCESS_MAX + 1];
	struct boot_module m;
	char why[PROCESS_REASON_MAX];
	unsigned n = 0;

	need_room_for(t, PROCESS_MAX + 8);
	uint32_t before = frames_and_heap();
	tiny_module(t, exit_42, sizeof(exit_42), &m);
	while (n <= PROCESS_MAX && (p[n] = process_start(&m, why)) != NULL)
		n++;
	KEXPECT_EQ(t, n, PROCESS_MAX);
	KEXPECT_STREQ(t, why, "the process table is full");
	p[n] = NULL;
	sched_run_until(all_zombies, p);
	for (unsigned i = 0; i < n; i++)
		KEXPECT_EQ(t, process_reap(p[i]), WAIT_EXITED(42));
	pmm_free(m.start);
	KEXPECT_EQ(t, frames_and_heap(), before);
}

KTEST_SUITE(process,
	KTEST_CASE(no_frame_for_the_kernel_stack),
	KTEST_CASE(no_frame_for_the_directory),
	KTEST_CASE(no_frame_for_the_program),
	KTEST_CASE(no_frame_for_the_stack),
	KTEST_CASE(two_spinning_processes_both_get_the_cpu),
	KTEST_CASE(an_exited_process_holds_only_its_kernel_stack_until_reaped),
	KTEST_CASE(a_sleeper_wakes_after_its_ticks),
	KTEST_CASE(a_kill_wakes_a_sleeper_at_once),
	KTEST_CASE(the_table_holds_process_max_then_says_it_is_full));
