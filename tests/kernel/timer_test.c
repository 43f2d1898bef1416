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

/* CPU time is counted with the TSC at the rate measured against the PIT.
 * (Ticks that arrive as interrupts are no clock: an emulator that fell
 * behind delivers them in a burst. The rate comes from the PIT's count,
 * read back, and user-time-limit checks the limit end to end.) A TSC runs
 * between 1 MHz (Bochs counts one per instruction, 4 million a second)
 * and 100 GHz. */
static void
the_tsc_rate_is_measured_and_sane(struct ktest *t)
{
	uint64_t per_tick = timer_tsc_per_tick();

	KEXPECT_GE(t, per_tick, 1000000ull / TIMER_HZ);
	KEXPECT_LE(t, per_tick, 100000000000ull / TIMER_HZ);
	KEXPECT_EQ(t, timer_tsc_per_tick(), per_tick);  /* measured once */
}

KTEST_SUITE(timer,
	KTEST_CASE(ticks_arrive_and_are_acknowledged),
	KTEST_CASE(the_tsc_rate_is_measured_and_sane));
