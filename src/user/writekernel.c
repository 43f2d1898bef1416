/*
 * Writes over the first byte of the kernel's text: the same refusal as
 * readkernel, for a write. Were it allowed, any program could rewrite
 * the kernel.
 */
// expect: killed (page fault: write at 0xc0101000*denied*kernel text*)
#include <layout.h>
#include <stdio.h>

/* The image's first page is its boot code, mapped only low; its text
 * starts one page later (src/kernel.ld). */
#define KERNEL_BOOT_PAGE    0x1000

int
main(void)
{
	volatile unsigned char *kernel = (unsigned char *)(KERNEL_BASE + KERNEL_LOAD_PHYS + KERNEL_BOOT_PAGE);

	fprintf(stderr, "writekernel: writing to %p\n", (void *)kernel);
	*kernel = 0xCC;
	printf("wrote the kernel!\n");
	return 1;
}
