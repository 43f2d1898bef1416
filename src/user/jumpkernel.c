/*
 * Calls into the kernel's text. The instruction fetch is a user access
 * to a supervisor page: a page fault, not a way in (the only door is
 * int $0x80). Without NX or SMEP the CPU reports the fetch as a read.
 */
// expect: killed (page fault: *at 0xc0101000*denied*kernel text*)
#include <layout.h>
#include <stdio.h>

/* The image's first page is its boot code, mapped only low; its text
 * starts one page later (src/kernel.ld). */
#define KERNEL_BOOT_PAGE    0x1000

int
main(void)
{
	void (*kernel)(void) = (void (*)(void))(KERNEL_BASE + KERNEL_LOAD_PHYS + KERNEL_BOOT_PAGE);

	fprintf(stderr, "jumpkernel: calling %p\n", (void *)kernel);
	kernel();
	printf("ran kernel code in user mode!\n");
	return 1;
}
