/*
 * Loads the kernel's data segment into DS. Segments are flat, so this
 * would give no new memory, but a ring-3 program may only load segments
 * of DPL 3: the CPU refuses with a general protection fault naming the
 * selector.
 */
// expect: killed (general protection fault at eip 0x0804* (GDT selector 0x10))
#include <gdt.h>
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "kernelseg: mov $0x%x, %%ds\n", SEG_KERNEL_DATA);
	asm volatile("mov %0, %%ds" : : "r"(SEG_KERNEL_DATA) : "memory");
	printf("loaded the kernel's data segment!\n");
	return 1;
}
