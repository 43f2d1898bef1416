/*
 * Turns interrupts off with cli. At privilege level 3 with IOPL 0 the
 * CPU refuses with a general protection fault: a program must not be
 * able to stop the clock and keep the machine.
 */
// expect: killed (general protection fault at eip 0x0804*cli)
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "cli: disabling interrupts\n");
	asm volatile("cli");
	printf("interrupts are off!\n");
	return 1;
}
