/*
 * Raises interrupt 0x21 by hand, the way DOS programs called their
 * system. Only vector 0x80 is open to ring 3 (its gate's DPL is 3);
 * any other int is a general protection fault, so a program cannot run
 * an interrupt handler of its choosing.
 */
// expect: killed (general protection fault at eip 0x0804*: int *)
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "int21: int $0x21\n");
	asm volatile("int $0x21");
	printf("ran the handler of vector 0x21!\n");
	return 1;
}
