/*
 * Asks for system calls that do not exist: 0, one past the last, 99, and
 * numbers that are negative as an int (a table index must be checked as
 * unsigned). Each must return -ENOSYS, and the program goes on.
 */
// expect: exit=0
#include <cairn.h>
#include <errno.h>
#include <stdio.h>

int
main(void)
{
	const uint32_t numbers[] = { 0, SYS_COUNT, 99, 0x80000000u, 0xFFFFFFFFu };
	int bad = 0;

	for (unsigned i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		int32_t r = cairn_syscall(numbers[i], 1, 2, 3);
		printf("syscall %#x -> %d\n", numbers[i], r);
		if (r != -ENOSYS) {
			printf("FAIL: system call %#x returned %d, not -ENOSYS (%d)\n",
				numbers[i], r, -ENOSYS);
			bad++;
		}
	}
	return bad ? 1 : 0;
}
