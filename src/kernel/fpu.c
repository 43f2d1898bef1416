/*
 * The x87 FPU: on for user programs, each with registers of its own. One
 * image of the clean state (include/fpu.h) is what a new program starts
 * from, loaded with frstor, which sets the data registers too; fninit
 * first drops any exception a program left pending, which frstor would
 * otherwise raise. The scheduler saves a process's registers with fnsave
 * when it stops running it (fnsave also reinitializes the FPU, so the
 * next frstor finds nothing pending) and restores them before it runs.
 */
#include <fpu.h>
#include <mmu.h>
#include <x86.h>

static const struct fpu_state clean = {
	.control = FPU_CONTROL_CLEAN,
	.tag = FPU_TAG_ALL_EMPTY,
};

void
fpu_init(void)
{
	/* EM off: x87 instructions run; TS off: Cairn switches no FPU state
	 * lazily; MP goes with a real x87; NE: an unmasked FPU exception is
	 * a #MF in the program that caused it, not an interrupt line. */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	/* SSE and AVX off whatever the loader left: their registers are not
	 * in the clean state, and would pass from one program to the next. */
	write_cr4(read_cr4() & ~(CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE));
	fpu_reset();
}

void
fpu_reset(void)
{
	__asm__ volatile("fninit; frstor %0" : : "m"(clean) : "memory");
}

void
fpu_clean_state(struct fpu_state *s)
{
	*s = clean;
}

void
fpu_save(struct fpu_state *s)
{
	__asm__ volatile("fnsave %0" : "=m"(*s) : : "memory");
}

void
fpu_load(const struct fpu_state *s)
{
	/* frstor waits: an exception pending in what the FPU holds now (a
	 * kernel test's, say) would be raised here, in the kernel. */
	__asm__ volatile("fninit; frstor %0" : : "m"(*s) : "memory");
}

void
fpu_copy_current(struct fpu_state *s)
{
	fpu_save(s);            /* fnsave reinitializes the FPU: put it back */
	fpu_load(s);
}
