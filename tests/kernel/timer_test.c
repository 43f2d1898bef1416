/*
 * Tests of src/kernel/timer.c and src/kernel/pic.c: with interrupts on,
 * the PIT's ticks arrive and are acknowledged (without the end of
 * interrupt a second one would never come, and the run would time out).
 */
#include <ktest.h>
#include <pic.h>
#include <timer.h>
#include <x86.h>

/* Waits with interrupts on until n more ticks came; the kernel runs with
 * them off, so only here (and in user mode) can a tick be taken. */
static uint32_t
wait_ticks(uint32_t n)
{
	uint32_t start = timer_ticks();

	while (timer_ticks() - start < n) {
		sti();
		hlt();
		cli();
	}
	return timer_ticks() - start;
}

static void
ticks_arrive_and_are_acknowledged(struct ktest *t)
{
	KEXPECT_EQ(t, wait_ticks(3), 3);
}

KTEST_SUITE(timer,
	KTEST_CASE(ticks_arrive_and_are_acknowledged));
