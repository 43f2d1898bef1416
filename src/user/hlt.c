/*
 * Halts the CPU with hlt, a privileged instruction: a general protection
 * fault in ring 3, where it would otherwise stop the whole machine.
 */
// expect: killed (general protection fault at eip 0x0804*hlt)
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "hlt: halting the CPU\n");
	asm volatile("hlt");
	printf("came back from hlt!\n");
	return 1;
}
