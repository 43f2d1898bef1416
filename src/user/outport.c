/*
 * Writes a byte straight to the serial port with out, bypassing the
 * kernel: refused with a general protection fault, like every port
 * access from ring 3. Had it worked, an 'X' would show in the output.
 */
// expect: killed (general protection fault at eip 0x0804* out)
#include <stdint.h>
#include <stdio.h>

#define COM1_DATA   0x3F8

int
main(void)
{
	fprintf(stderr, "outport: writing 'X' to port 0x%x\n", COM1_DATA);
	asm volatile("outb %0, %1" : : "a"((uint8_t)'X'), "d"((uint16_t)COM1_DATA));
	printf("wrote to the serial port myself!\n");
	return 1;
}
