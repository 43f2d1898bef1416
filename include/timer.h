/*
 * The timer (src/kernel/timer.c): the PIT's channel 0 on IRQ 0, TIMER_HZ
 * ticks a second. Cairn's kernel runs with interrupts off, so a tick is
 * taken only while a user program runs (or the kernel waits for one),
 * and it is charged to that program: process_tick() ends one that has
 * used up its CPU time.
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

#endif /* CAIRN_TIMER_H */
