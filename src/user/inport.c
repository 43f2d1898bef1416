/*
 * Reads an I/O port (the serial port's line status) with in. With IOPL
 * 0 and no I/O permission bitmap, ring 3 may touch no port: a general
 * protection fault.
 */
// expect: killed (general protection fault at eip 0x0804* in)
#include <stdint.h>
#include <stdio.h>

#define COM1_LINE_STATUS    0x3FD

int
main(void)
{
	uint8_t value;

	fprintf(stderr, "inport: reading port 0x%x\n", COM1_LINE_STATUS);
	asm volatile("inb %1, %0" : "=a"(value) : "d"((uint16_t)COM1_LINE_STATUS));
	printf("port 0x%x reads 0x%02x!\n", COM1_LINE_STATUS, value);
	return 1;
}
