/*
 * The x87 state across fork and preemption. The parent sets a
 * rounding mode and loads eight values, then forks three children; the
 * child must find the same registers (fork copies them). Each process
 * then changes its own (another value in st0, its own control word),
 * and all four spin through many timer ticks while the others run,
 * checking after every tick that their registers are still their own.
 */
// expect: exit=0
#include <cairn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 3
#define TICKS    40

struct fpu_image {
	uint32_t control, status, tag;
	uint32_t ip, cs_opcode, operand, operand_segment;
	uint8_t registers[8][10];
} __attribute__((packed));

static void
snapshot(struct fpu_image *s)
{
	asm volatile("fnsave %0; frstor %0" : "=m"(*s) : : "memory");
}

static int
same(const struct fpu_image *a, const struct fpu_image *b)
{
	return (a->control & 0xFFFF) == (b->control & 0xFFFF) && (a->tag & 0xFFFF) == (b->tag & 0xFFFF) &&
	       memcmp(a->registers, b->registers, sizeof(a->registers)) == 0;
}

static int
check_through_ticks(int who)
{
	struct fpu_image mine, now;
	uint16_t cw = (uint16_t)(0x037F | ((who & 3) << 10));   /* a rounding mode of its own */
	uint32_t value = 1000 + who;

	asm volatile("fldcw %0; fstp %%st(0); fildl %1" : : "m"(cw), "m"(value));
	snapshot(&mine);
	for (unsigned t = 0; t < TICKS; t++) {
		unsigned start = uptime();
		while (uptime() == start)
			;
		snapshot(&now);
		if (!same(&mine, &now)) {
			printf("fpufork: FAIL: process %d's x87 registers changed after tick %u\n", who, t);
			return 1;
		}
	}
	return 0;
}

int
main(void)
{
	static const uint32_t values[8] = { 11, 22, 33, 44, 55, 66, 77, 88 };
	uint16_t round_down = 0x077F;
	struct fpu_image before, child_sees;
	int failures = 0;

	asm volatile("fninit; fldcw %0" : : "m"(round_down));
	for (int i = 0; i < 8; i++)
		asm volatile("fildl %0" : : "m"(values[i]));
	snapshot(&before);
	fflush(stdout);
	pid_t pids[CHILDREN];
	for (int i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			snapshot(&child_sees);
			if (!same(&before, &child_sees)) {
				printf("fpufork: FAIL: child %d did not get its parent's x87 registers\n", i);
				_exit(2);
			}
			_exit(check_through_ticks(i + 1));
		}
	}
	failures += check_through_ticks(0);
	for (int i = 0; i < CHILDREN; i++) {
		int status;
		waitpid(pids[i], &status, 0);
		failures += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	printf("fpufork: %s\n", failures ? "FAIL" : "each process kept its own x87 registers through fork and preemption");
	return failures;
}
