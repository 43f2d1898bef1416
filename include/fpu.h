/*
 * The x87 FPU as user programs find it (src/kernel/fpu.c). The kernel
 * itself never uses it (it is built with -mgeneral-regs-only), so a trap
 * saves nothing; the scheduler keeps each process's registers apart, and
 * every program starts from the same clean state, so nothing one program
 * leaves in the FPU reaches another:
 *
 *   control word 0x037F   every exception masked, 64-bit precision,
 *                         round to nearest (what FNINIT sets)
 *   status word  0        no exception flagged or pending, top of stack 0
 *   tag word     0xFFFF   all eight registers empty
 *   registers    zero     which FNINIT alone leaves as they were
 *
 * SSE stays off (CR4.OSFXSR clear): its instructions are invalid
 * opcodes, so there is no XMM state to leak.
 */
#ifndef CAIRN_FPU_H
#define CAIRN_FPU_H

#include <stdint.h>

#define FPU_CONTROL_CLEAN   0x037F
#define FPU_TAG_ALL_EMPTY   0xFFFF

/* The image FNSAVE writes and FRSTOR reads in 32-bit protected mode
 * (Intel SDM vol. 1, 8.1.10): the 16-bit words each fill 32 bits. */
struct fpu_state {
	uint32_t control, status, tag;
	uint32_t ip, cs_opcode, operand, operand_segment;
	uint8_t registers[8][10];       /* ST(0)..ST(7), 80 bits each */
} __attribute__((packed));

/* Turns the x87 on (CR0: EM and TS clear, MP and NE set), SSE and AVX
 * off (CR4: OSFXSR, OSXMMEXCPT and OSXSAVE clear), and resets it. */
void fpu_init(void);

/* Puts the FPU in the clean state above, whatever it held: pending
 * exceptions are dropped, not raised. */
void fpu_reset(void);

/* A process's own registers (src/kernel/sched.c): fpu_clean_state
 * fills s with the clean state above; fpu_save stores the FPU in s and
 * leaves it reinitialized (fnsave, which raises nothing); fpu_load loads
 * s (frstor); fpu_copy_current stores the FPU in s and keeps it as it
 * was (fork's copy). */
void fpu_clean_state(struct fpu_state *s);
void fpu_save(struct fpu_state *s);
void fpu_load(const struct fpu_state *s);
void fpu_copy_current(struct fpu_state *s);

#endif /* CAIRN_FPU_H */
