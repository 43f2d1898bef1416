/*
 * The PS/2 keyboard, by interrupt or polled. Each key sends a "make" code when pressed
 * and the same code with bit 7 set ("break") when released; Shift and
 * Ctrl are remembered between codes, everything else is a table lookup.
 * 0xE0 starts a two-byte code (arrows, the right Ctrl): its second byte
 * is read as the key it extends, or dropped when it has no character.
 */
#include <keyboard.h>
#include <pic.h>
#include <stdbool.h>
#include <stdint.h>
#include <x86.h>

#define STATUS_OUTPUT_FULL  0x01    /* a byte waits at the data port */
#define STATUS_INPUT_FULL   0x02    /* the controller has not read our last byte */
#define STATUS_FROM_MOUSE   0x20    /* the waiting byte is the mouse's */
#define CONTROLLER_RESET    0xFE    /* pulse the reset line */
#define SCAN_RELEASE        0x80    /* a break code: the key went up */
#define SCAN_EXTENDED       0xE0
#define SCAN_LEFT_SHIFT     0x2A
#define SCAN_RIGHT_SHIFT    0x36
#define SCAN_CTRL           0x1D

/* Set 1 make codes 0x00-0x39, unshifted and shifted; 0: no character. */
static const char plain[] =
	"\0\033" "1234567890-=\b"
	"\tqwertyuiop[]\n"
	"\0" "asdfghjkl;'`"
	"\0\\zxcvbnm,./\0*\0 ";
static const char shifted[] =
	"\0\033" "!@#$%^&*()_+\b"
	"\tQWERTYUIOP{}\n"
	"\0" "ASDFGHJKL:\"~"
	"\0|ZXCVBNM<>?\0*\0 ";

_Static_assert(sizeof(plain) == 0x3A + 1 && sizeof(shifted) == sizeof(plain),
	       "one character per make code up to the space bar (0x39)");

static bool shift, ctrl;

/* The character of make code `code`, or -1. */
static int
translate(uint8_t code)
{
	if (code >= sizeof(plain) - 1)
		return -1;
	char c = shift ? shifted[code] : plain[code];
	if (c == 0)
		return -1;
	if (ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return (c & 0x1F);      /* Ctrl-U is 0x15, as on a terminal */
	return c;
}

#define QUEUE_SIZE 64                   /* characters typed, not yet read */

static char queue[QUEUE_SIZE];
static unsigned head, tail;             /* read at head, written at tail */
static bool by_interrupt;
static unsigned interrupts;             /* IRQ 1s taken */

/* The character of the byte waiting at the controller, or -1. */
static int
poll(void)
{
	uint8_t status = inb(KEYBOARD_STATUS_PORT);

	if (!(status & STATUS_OUTPUT_FULL))
		return -1;
	uint8_t code = inb(KEYBOARD_DATA_PORT);
	if ((status & STATUS_FROM_MOUSE) || code == SCAN_EXTENDED)
		return -1;
	bool released = code & SCAN_RELEASE;
	code &= ~SCAN_RELEASE;
	if (code == SCAN_LEFT_SHIFT || code == SCAN_RIGHT_SHIFT)
		shift = !released;
	else if (code == SCAN_CTRL)
		ctrl = !released;
	else if (!released)
		return translate(code);
	return -1;
}

int
keyboard_getc(void)
{
	if (!by_interrupt)
		return poll();
	if (head == tail)
		return -1;
	return queue[head++ % QUEUE_SIZE];
}

void
keyboard_use_interrupts(void)
{
	while (inb(KEYBOARD_STATUS_PORT) & STATUS_OUTPUT_FULL)
		poll();                 /* drop what came before: IRQ 1 comes for a new byte */
	by_interrupt = true;
	pic_unmask(IRQ_KEYBOARD);
}

void
keyboard_interrupt(void)
{
	int c = poll();

	interrupts++;
	if (c >= 0 && tail - head < QUEUE_SIZE)  /* a full queue drops the key */
		queue[tail++ % QUEUE_SIZE] = (char)c;
	pic_end_of_interrupt(IRQ_KEYBOARD);
}

void
keyboard_reset_cpu(void)
{
	for (int tries = 0; tries < 100000 && (inb(KEYBOARD_STATUS_PORT) & STATUS_INPUT_FULL); tries++)
		pause();
	outb(KEYBOARD_STATUS_PORT, CONTROLLER_RESET);
	for (int tries = 0; tries < 100000; tries++)
		pause();                /* the reset takes a moment */
}

unsigned
keyboard_interrupts(void)
{
	return interrupts;
}
