/*
 * The timer (src/kernel/timer.c): the PIT's channel 0 on IRQ 0, TIMER_HZ
 * ticks a second. Cairn's kernel runs with interrupts off, so a tick is
 * taken only while a user program runs (or the kernel waits for one):
 * process_tick() then ends the program if it has used up its CPU time,
 * which the TSC measures, in user mode and in the kernel alike.
 */
#ifndef CAIRN_TIMER_H
#define CAIRN_TIMER_H

#include <stdint.h>

#define TIMER_HZ        100

/* Starts the PIT and opens its line. */
void timer_init(void);

struct trapframe;

/* IRQ 0 (trap.c): counts the tick, acknowledges it, and charges it to the
 * user program it interrupted. */
void timer_interrupt(struct trapframe *tf);

/* Ticks taken since timer_init. */
uint32_t timer_ticks(void);

/* TSC cycles in one tick, measured against the PIT the first time it is
 * asked (it takes two ticks, 20 ms, with interrupts off). */
uint64_t timer_tsc_per_tick(void);

#endif /* CAIRN_TIMER_H */
