/*
 * The PC's serial ports (src/base/serial.c), 16550 UARTs driven by
 * polling. COM1 is the console that students and terminals read; COM2
 * carries only the kernel's verdicts (console.h), for the test runner
 * and graders.
 */
#ifndef CAIRN_SERIAL_H
#define CAIRN_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#define COM1_PORT       0x3F8
#define COM2_PORT       0x2F8
#define SERIAL_BAUD     115200

/* Programs the UART at port for 115200 baud, 8 data bits, no parity,
 * 1 stop bit. Returns false, and leaves the port unused, when no UART
 * answers there (QEMU and Bochs have a COM2 only when told to). */
bool serial_init(uint16_t port);

/* Sends one byte on port, waiting while its transmit buffer is full;
 * nothing on a port serial_init did not find. */
void serial_putc(uint16_t port, char c);

/* The next byte received on port, or -1 when none waits (or no UART is
 * there): never blocks, for the monitor's polling. */
int serial_getc(uint16_t port);

/* Waits until every byte sent so far has left every port: call it before
 * ending the emulator, or the last bytes are lost. */
void serial_drain(void);

#endif /* CAIRN_SERIAL_H */
