/*
 * The timer (src/kernel/timer.c): the PIT's channel 0 on IRQ 0, TIMER_HZ
 * ticks a second. Cairn's kernel runs with interrupts off, so a tick is
 * taken only while a user program runs (or the scheduler idles): the
 * trap dispatch then preempts the program (sched_preempt), which also
 * ends it if it has used up its CPU time, which the TSC measures.
 */
#ifndef CAIRN_TIMER_H
#define CAIRN_TIMER_H

#include <cairn/syscall.h>       /* TIMER_HZ: programs count ticks too */
#include <stdint.h>

/* Starts the PIT and opens its line. */
void timer_init(void);

/* IRQ 0 (trap.c): counts the tick and acknowledges it. */
void timer_interrupt(void);

/* Ticks taken since timer_init. */
uint32_t timer_ticks(void);

/* TSC cycles in one tick, measured against the PIT the first time it is
 * asked (it takes two ticks, 20 ms, with interrupts off). */
uint64_t timer_tsc_per_tick(void);

#endif /* CAIRN_TIMER_H */
