/*
 * The PS/2 keyboard (src/base/keyboard.c). Scancode set 1 (what the 8042
 * controller hands over by default) is turned into ASCII for a US
 * layout; keys with no ASCII are dropped. Polled until
 * keyboard_use_interrupts() opens IRQ 1 (the monitor does, once the PIC
 * is set up): from then on each key's interrupt puts its character in a
 * small queue, and a halted CPU wakes at the keypress, not at the next
 * timer tick.
 */
#ifndef CAIRN_KEYBOARD_H
#define CAIRN_KEYBOARD_H

#define KEYBOARD_DATA_PORT      0x60    /* scancodes, and commands to the keyboard */
#define KEYBOARD_STATUS_PORT    0x64    /* the 8042's status; commands to it */

/* The next typed character (Ctrl-letter as 1..26, Enter as '\n',
 * Backspace as '\b'), or -1 when none is waiting: from the queue once
 * interrupts are in use, else read from the controller. Never blocks. */
int keyboard_getc(void);

/* Opens IRQ 1: keys are taken by keyboard_interrupt() from now on. */
void keyboard_use_interrupts(void);

/* IRQ 1 (src/kernel/trap.c): queues the character of the waiting byte,
 * if it makes one, and acknowledges the interrupt. */
void keyboard_interrupt(void);

/* IRQ 1s taken since keyboard_use_interrupts(). */
unsigned keyboard_interrupts(void);

/* Asks the 8042 controller to pulse the CPU's reset line. Returns if it
 * did not (no controller): the caller must try something else. */
void keyboard_reset_cpu(void);

#endif /* CAIRN_KEYBOARD_H */
