/*
 * Checks that it found the FPU as every program must (include/fpu.h):
 * control word 0x037F, status 0, every register empty and zeroed. Run
 * after fpudirty (run=all goes in name order), it shows that nothing of
 * one program's FPU state reaches the next.
 */
// expect: exit=0
#include <stdint.h>
#include <stdio.h>

struct fpu_image {              /* what fnsave writes */
	uint32_t control, status, tag;
	uint32_t ip, cs_opcode, operand, operand_segment;
	uint8_t registers[8][10];
} __attribute__((packed));

int
main(void)
{
	struct fpu_image s;
	int dirty_registers = 0;

	asm volatile("fnsave %0" : "=m"(s));    /* first: before anything else runs */
	for (int r = 0; r < 8; r++)
		for (int b = 0; b < 10; b++)
			dirty_registers += s.registers[r][b] != 0;
	printf("fpustate: control 0x%04x status 0x%04x tag 0x%04x, %d nonzero register bytes\n",
	       s.control & 0xFFFF, s.status & 0xFFFF, s.tag & 0xFFFF, dirty_registers);
	if ((s.control & 0xFFFF) != 0x037F || (s.status & 0xFFFF) != 0 || (s.tag & 0xFFFF) != 0xFFFF ||
	    dirty_registers) {
		printf("fpustate: not the clean state (control 0x037f, status 0, tag 0xffff, zeros)\n");
		return 1;
	}
	return 0;
}
