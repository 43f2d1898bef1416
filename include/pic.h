/*
 * The PC's two 8259A interrupt controllers (src/kernel/pic.c): sixteen
 * lines, IRQ 0-7 on the master and 8-15 on the slave, which hangs off
 * the master's line 2. Cairn moves them to vectors T_IRQ0..T_IRQ0+15
 * (the BIOS leaves them on top of CPU exceptions) and opens only the
 * lines it drives: the timer's.
 */
#ifndef CAIRN_PIC_H
#define CAIRN_PIC_H

#include <stdbool.h>

#define IRQ_TIMER           0       /* the PIT, channel 0 */
#define IRQ_KEYBOARD        1       /* the PS/2 controller: a byte at port 0x60 */
#define IRQ_CASCADE         2       /* the slave PIC */
#define IRQ_SPURIOUS_MASTER 7       /* where each PIC reports a spurious one */
#define IRQ_SPURIOUS_SLAVE  15
#define IRQ_LINES           16

/* Moves both PICs to T_IRQ0 with every line masked. */
void pic_init(void);

/* For an interrupt on IRQ 7 or 15: was it spurious (its in-service bit
 * clear)? Then it is dealt with (the master acknowledged for the slave's
 * line 15), and the caller does nothing else. */
bool pic_spurious(unsigned irq);

/* Lets line irq through (and the cascade line, for the slave's). */
void pic_unmask(unsigned irq);

/* Says the interrupt on line irq was handled, so the line may raise the
 * next one. Every handled interrupt needs it, before anything that may
 * not return (ending a process). */
void pic_end_of_interrupt(unsigned irq);

/* Spurious interrupts ignored since boot. */
unsigned pic_spurious_count(void);

#endif /* CAIRN_PIC_H */
