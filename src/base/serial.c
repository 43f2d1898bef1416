/*
 * The serial ports, 16550 UARTs driven by polling: interrupts would add
 * nothing for ports that mostly talk (the monitor, the one listener,
 * polls too). Registers are offsets from the port's base.
 */
#include <serial.h>
#include <x86.h>

enum {
	REG_DATA = 0,           /* transmit holding (or divisor low with DLAB) */
	REG_IER = 1,            /* interrupt enable (or divisor high with DLAB) */
	REG_FCR = 2,            /* FIFO control */
	REG_LCR = 3,            /* line control */
	REG_MCR = 4,            /* modem control */
	REG_LSR = 5,            /* line status */
	REG_SCRATCH = 7,        /* a byte of storage: there only if a UART is */
};

#define LCR_8N1         0x03    /* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB        0x80    /* registers 0-1 become the divisor */
#define FCR_ENABLE_CLEAR 0x07   /* enable and clear both FIFOs */
#define MCR_DTR_RTS     0x03
#define LSR_DATA_READY  0x01    /* a received byte waits in REG_DATA */
#define LSR_THR_EMPTY   0x20    /* room for another byte */
#define LSR_IDLE        0x40    /* holding register and shift register empty */
#define UART_CLOCK      115200  /* the divisor divides this */

static const uint16_t ports[] = { COM1_PORT, COM2_PORT };
static bool ready[2];

static int
port_index(uint16_t port)
{
	return port == COM2_PORT;
}

/* An absent port reads back 0xFF (or nothing stored) whatever is written. */
static bool
uart_answers(uint16_t port)
{
	outb(port + REG_SCRATCH, 0x5A);
	if (inb(port + REG_SCRATCH) != 0x5A)
		return false;
	outb(port + REG_SCRATCH, 0xA5);
	return inb(port + REG_SCRATCH) == 0xA5;
}

bool
serial_init(uint16_t port)
{
	uint16_t divisor = UART_CLOCK / SERIAL_BAUD;

	if (!uart_answers(port))
		return false;
	outb(port + REG_IER, 0);                        /* polling only */
	outb(port + REG_LCR, LCR_DLAB);
	outb(port + REG_DATA, divisor & 0xFF);
	outb(port + REG_IER, divisor >> 8);
	outb(port + REG_LCR, LCR_8N1);
	outb(port + REG_FCR, FCR_ENABLE_CLEAR);
	outb(port + REG_MCR, MCR_DTR_RTS);
	ready[port_index(port)] = true;
	return true;
}

void
serial_putc(uint16_t port, char c)
{
	if (!ready[port_index(port)])
		return;
	while (!(inb(port + REG_LSR) & LSR_THR_EMPTY))
		pause();
	outb(port + REG_DATA, (uint8_t)c);
}

int
serial_getc(uint16_t port)
{
	if (!ready[port_index(port)] || !(inb(port + REG_LSR) & LSR_DATA_READY))
		return -1;
	return inb(port + REG_DATA);
}

void
serial_drain(void)
{
	for (int i = 0; i < 2; i++)
		while (ready[i] && !(inb(ports[i] + REG_LSR) & LSR_IDLE))
			pause();
}
