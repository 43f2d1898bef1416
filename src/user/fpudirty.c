/*
 * Leaves the FPU as untidy as a program can: values on its stack, MMX
 * data in its registers, another rounding mode, and a division by zero
 * unmasked and pending. The next program must find none of it: fpustate
 * runs after this one in run=all and checks (src/kernel/fpu.c wipes the
 * FPU before every program).
 */
// expect: exit=0
#include <stdint.h>
#include <stdio.h>

int
main(void)
{
	uint64_t secret = 0x5EC2E75EC2E75EC2ull;
	uint16_t round_up_zero_divide_unmasked = 0x0B7B;

	asm volatile("movq %0, %%mm3; emms" : : "m"(secret));
	asm volatile("fldcw %0; fld1; fldpi; fld1; fldz; fdivrp" : : "m"(round_up_zero_divide_unmasked));
	printf("fpudirty: left 3 values, MMX data and a pending division by zero\n");
	return 0;               /* exit() uses no FPU instruction: it stays pending */
}
