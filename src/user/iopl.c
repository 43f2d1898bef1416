/*
 * Tries to raise its I/O privilege level to 3 with popf, which would let
 * it use every I/O port and cli. In ring 3 the CPU ignores popf's IOPL
 * bits without a word: the flags read back with IOPL 0, and the port
 * stays shut (a general protection fault on the out).
 */
// expect: killed (general protection fault at eip 0x0804*privileged instruction out)
#include <stdint.h>
#include <stdio.h>

#define EFLAGS_IOPL3    0x3000
#define COM1_DATA       0x3F8

static uint32_t
flags(void)
{
	uint32_t f;

	asm volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

int
main(void)
{
	asm volatile("pushfl; orl %0, (%%esp); popfl" : : "i"(EFLAGS_IOPL3) : "cc");
	uint32_t iopl = (flags() >> 12) & 3;
	printf("iopl: IOPL after popf is %u\n", iopl);
	if (iopl != 0)
		return 1;
	fflush(stdout);
	asm volatile("outb %%al, %%dx" : : "a"('!'), "d"(COM1_DATA));
	printf("wrote to the serial port!\n");
	return 1;
}
