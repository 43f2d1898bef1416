/*
 * Divides by zero. The CPU raises a divide error (vector 0); in ring 3
 * that ends the program, not the kernel.
 */
// expect: killed (divide error at eip 0x0804*)
#include <stdio.h>

int
main(void)
{
	volatile int zero = 0;  /* volatile: the division happens at run time */

	fprintf(stderr, "divzero: dividing by zero\n");
	printf("100 / 0 = %d!\n", 100 / zero);  /* not 1 / x: gcc computes that without dividing */
	return 1;
}
