/*
 * The first program: prints a line with its pid and exits 0. It checks
 * that the kernel loads an ELF, starts it at _start, takes write and
 * getpid system calls, and that stdout is flushed at exit.
 */
// expect: exit=0
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	printf("hello from user space (pid %d)\n", getpid());
	return 0;
}
