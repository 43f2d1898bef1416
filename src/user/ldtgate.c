/*
 * The whole LDT attack: a call gate written at linear 0x1000, then a far
 * call to LDT selector 0x1007 (entry 0x200 of an LDT based at 0, see
 * ldtcall.c), which would run ring0() in ring 0 on a kernel that left
 * LDTR as the CPU's reset made it. This program never starts: its gate
 * page lies in the low 64 KiB, where the loader maps nothing for a
 * program (USER_MIN_ADDRESS in include/layout.h); the Makefile links its
 * .lowpage section at 0x1000.
 */
// expect: killed (bad ELF: segment in the low 64 KiB, which programs may not use)
#include <gdt.h>
#include <stdint.h>
#include <stdio.h>

/* Global, so the compiler keeps the stores into it. */
uint8_t gate_page[4096] __attribute__((section(".lowpage"), aligned(4096)));
volatile uint32_t stolen_cr3;

/* Reached through the gate, it would run in ring 0: read CR3, which
 * ring 3 may not, and go back out with a far return. */
__attribute__((naked)) static void
ring0(void)
{
	asm("mov %cr3, %eax; mov %eax, stolen_cr3; lret");
}

int
main(void)
{
	uint32_t target = (uint32_t)(uintptr_t)ring0;
	uint8_t gate[8] = {
		target & 0xFF, (target >> 8) & 0xFF,            /* offset 15..0 */
		SEG_KERNEL_CODE, 0,                             /* the ring-0 code segment */
		0,                                              /* no parameters */
		0xEC,                                           /* present, DPL 3, 32-bit call gate */
		(target >> 16) & 0xFF, target >> 24,            /* offset 31..16 */
	};

	for (unsigned i = 0; i < sizeof gate; i++)
		gate_page[i] = gate[i];
	asm volatile("lcall $0x1007, $0" ::: "memory");
	printf("ran in ring 0: cr3 is 0x%08x!\n", stolen_cr3);
	return 1;
}
