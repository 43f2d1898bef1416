/*
 * EFLAGS.TF set, then `mov ss` and `int 0x80`: the
 * single-step trap held back by the mov ss must not arrive in ring 0
 * (where trap_fatal would stop the machine). The same with a fork, so
 * the child's first iret carries TF from the parent's frame. A correct
 * kernel ends this program with SIGTRAP in ring 3 at worst.
 */
// expect: killed (debug*)
#include <stdio.h>

int
main(void)
{
	printf("movss: TF, mov ss, int 0x80 (fork)\n");
	fflush(stdout);
	asm volatile(
		"pushfl; orl $0x100, (%%esp); popfl\n\t"
		"mov %%ss, %%bx\n\t"
		"mov %%bx, %%ss\n\t"
		"int $0x80\n\t"
		"nop\n\t" : : "a"(7) : "ebx", "memory", "cc");
	printf("movss: FAIL: no trap\n");
	return 0;
}
