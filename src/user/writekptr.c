/*
 * Hands write() a kernel address, asking the kernel to print its own
 * memory. The kernel must check the buffer is user memory and return
 * EFAULT, neither printing it nor faulting itself.
 */
// expect: exit=0
#include <errno.h>
#include <layout.h>
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	const void *kernel = (const void *)(KERNEL_BASE + KERNEL_LOAD_PHYS);

	ssize_t n = write(STDOUT_FILENO, kernel, 16);
	if (n != -1 || errno != EFAULT) {
		printf("FAIL: write(1, %p, 16) returned %d (errno %d), not -1 with EFAULT\n",
			kernel, n, errno);
		return 1;
	}
	printf("write(1, %p, 16): EFAULT, as it should\n", kernel);
	return 0;
}
