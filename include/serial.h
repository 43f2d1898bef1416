/* The first serial port, COM1: the console tests and students read. */
#ifndef CAIRN_SERIAL_H
#define CAIRN_SERIAL_H

#define COM1_PORT       0x3F8
#define SERIAL_BAUD     115200

/* Programs COM1 for 115200 baud, 8 data bits, no parity, 1 stop bit. */
void serial_init(void);
/* Sends one byte, waiting while the transmit buffer is full. */
void serial_putc(char c);
/* Waits until every byte sent so far has left the wire: call it before
 * ending the emulator, or the last bytes are lost. */
void serial_drain(void);

#endif /* CAIRN_SERIAL_H */
