/*
 * Unmasks the x87's zero-divide exception and divides by zero. With
 * CR0.NE set (src/kernel/fpu.c) the next FPU instruction raises #MF in
 * this program, which ends it; on the PC's old wiring it would have been
 * an interrupt line the kernel never hears.
 */
// expect: killed (x87 floating-point error at eip 0x0804*)
#include <stdint.h>
#include <stdio.h>

int
main(void)
{
	uint16_t zero_divide_unmasked = 0x037B;

	fprintf(stderr, "fpuerror: 1 / 0 with the zero-divide exception unmasked\n");
	asm volatile("fldcw %0; fld1; fldz; fdivrp; fwait" : : "m"(zero_divide_unmasked));
	printf("the division by zero went unnoticed!\n");
	return 1;
}
