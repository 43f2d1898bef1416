/*
 * Jumps to the kernel's TSS selector: a far jump to a TSS descriptor is a
 * task switch, which would load every register from the kernel's saved
 * state. The descriptor's DPL is 0, so from ring 3 the CPU refuses with
 * a general protection fault naming it.
 */
// expect: killed (general protection fault at eip 0x0804* (GDT selector 0x28))
#include <gdt.h>
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "tssjump: ljmp $0x%x, $0\n", SEG_TSS | 3);
	asm volatile("ljmp %0, $0" : : "i"(SEG_TSS | 3));
	printf("switched to the kernel's task!\n");
	return 1;
}
