/*
 * The PS/2 keyboard (src/base/keyboard.c), polled: the monitor asks for
 * a character when it waits for one, so no interrupt line is opened.
 * Scancode set 1 (what the 8042 controller hands over by default) is
 * turned into ASCII for a US layout; keys with no ASCII are dropped.
 */
#ifndef CAIRN_KEYBOARD_H
#define CAIRN_KEYBOARD_H

#define KEYBOARD_DATA_PORT      0x60    /* scancodes, and commands to the keyboard */
#define KEYBOARD_STATUS_PORT    0x64    /* the 8042's status; commands to it */

/* The next typed character (Ctrl-letter as 1..26, Enter as '\n',
 * Backspace as '\b'), or -1 when no key is waiting. Never blocks. */
int keyboard_getc(void);

/* Asks the 8042 controller to pulse the CPU's reset line. Returns if it
 * did not (no controller): the caller must try something else. */
void keyboard_reset_cpu(void);

#endif /* CAIRN_KEYBOARD_H */
