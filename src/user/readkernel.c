/*
 * Reads the first byte of the kernel's text. The kernel's pages are
 * mapped in every address space but without the user bit: the MMU
 * refuses, and the kernel kills the program.
 */
// expect: killed (page fault: read at 0xc0101000*denied*kernel text*)
#include <layout.h>
#include <stdio.h>

/* The image's first page is its boot code, mapped only low; its text
 * starts one page later (src/kernel.ld). */
#define KERNEL_BOOT_PAGE    0x1000

int
main(void)
{
	volatile unsigned char *kernel = (unsigned char *)(KERNEL_BASE + KERNEL_LOAD_PHYS + KERNEL_BOOT_PAGE);

	fprintf(stderr, "readkernel: reading %p\n", (void *)kernel);     /* stderr: out before the fault */
	printf("read 0x%02x: the kernel is readable!\n", *kernel);
	return 1;
}
