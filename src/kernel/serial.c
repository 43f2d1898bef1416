/*
 * COM1, a 16550 UART, driven by polling: interrupts would add nothing for
 * a console that only talks. Registers are offsets from COM1_PORT.
 */
#include <serial.h>
#include <stdbool.h>
#include <x86.h>

enum {
	REG_DATA = 0,           /* transmit holding (or divisor low with DLAB) */
	REG_IER = 1,            /* interrupt enable (or divisor high with DLAB) */
	REG_FCR = 2,            /* FIFO control */
	REG_LCR = 3,            /* line control */
	REG_MCR = 4,            /* modem control */
	REG_LSR = 5,            /* line status */
};

#define LCR_8N1         0x03    /* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB        0x80    /* registers 0-1 become the divisor */
#define FCR_ENABLE_CLEAR 0x07   /* enable and clear both FIFOs */
#define MCR_DTR_RTS     0x03
#define LSR_THR_EMPTY   0x20    /* room for another byte */
#define LSR_IDLE        0x40    /* holding register and shift register empty */
#define UART_CLOCK      115200  /* the divisor divides this */

static bool ready;

void
serial_init(void)
{
	uint16_t divisor = UART_CLOCK / SERIAL_BAUD;

	outb(COM1_PORT + REG_IER, 0);                   /* polling only */
	outb(COM1_PORT + REG_LCR, LCR_DLAB);
	outb(COM1_PORT + REG_DATA, divisor & 0xFF);
	outb(COM1_PORT + REG_IER, divisor >> 8);
	outb(COM1_PORT + REG_LCR, LCR_8N1);
	outb(COM1_PORT + REG_FCR, FCR_ENABLE_CLEAR);
	outb(COM1_PORT + REG_MCR, MCR_DTR_RTS);
	ready = true;
}

void
serial_putc(char c)
{
	if (!ready)
		return;
	while (!(inb(COM1_PORT + REG_LSR) & LSR_THR_EMPTY))
		pause();
	outb(COM1_PORT + REG_DATA, (uint8_t)c);
}

void
serial_drain(void)
{
	if (!ready)
		return;
	while (!(inb(COM1_PORT + REG_LSR) & LSR_IDLE))
		pause();
}
