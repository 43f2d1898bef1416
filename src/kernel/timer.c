/*
 * The 8253/8254 programmable interval timer. Channel 0 counts down from
 * a divisor of its 1.193182 MHz input and raises IRQ 0 each time it gets
 * to zero (mode 2, a rate generator), so the divisor sets the rate. The
 * same count, read back, measures how fast the TSC runs.
 */
#include <pic.h>
#include <timer.h>
#include <x86.h>

#define PIT_CHANNEL0        0x40
#define PIT_COMMAND         0x43
#define PIT_INPUT_HZ        1193182
#define PIT_CH0_RATE_LOHI   0x34    /* channel 0, low then high byte, mode 2 */
#define PIT_CH0_LATCH       0x00    /* channel 0: hold the count for reading */
#define CALIBRATION_TICKS   2       /* 20 ms: the TSC rate to within 0.1 % */
#define PIT_DIVISOR         ((PIT_INPUT_HZ + TIMER_HZ / 2) / TIMER_HZ)

_Static_assert(PIT_DIVISOR > 1 && PIT_DIVISOR <= 65536, "TIMER_HZ out of the PIT's range");

static volatile uint32_t ticks;
static uint64_t tsc_per_tick;

void
timer_interrupt(void)
{
	ticks++;
	pic_end_of_interrupt(IRQ_TIMER);        /* before a switch, which may not come back soon */
}

void
timer_init(void)
{
	outb(PIT_COMMAND, PIT_CH0_RATE_LOHI);
	outb(PIT_CHANNEL0, PIT_DIVISOR & 0xFF);
	outb(PIT_CHANNEL0, (PIT_DIVISOR >> 8) & 0xFF);  /* 65536 is written as 0 */
	pic_unmask(IRQ_TIMER);
}

uint32_t
timer_ticks(void)
{
	return ticks;
}

static uint16_t
pit_count(void)
{
	outb(PIT_COMMAND, PIT_CH0_LATCH);
	uint8_t low = inb(PIT_CHANNEL0);
	return low | (uint16_t)inb(PIT_CHANNEL0) << 8;
}

/* Waits, polling, until channel 0 reloads its count: the moment it
 * raises IRQ 0. (The count goes down, then starts again at the top.) */
static void
wait_for_reload(void)
{
	uint16_t last = pit_count(), now;

	while ((now = pit_count()) <= last)
		last = now;
}

uint64_t
timer_tsc_per_tick(void)
{
	if (tsc_per_tick == 0) {
		wait_for_reload();
		uint64_t start = rdtsc();
		for (int i = 0; i < CALIBRATION_TICKS; i++)
			wait_for_reload();
		tsc_per_tick = (rdtsc() - start) / CALIBRATION_TICKS;
	}
	return tsc_per_tick;
}
