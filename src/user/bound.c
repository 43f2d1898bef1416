/*
 * Runs bound with an index outside its bounds: the CPU raises #BR
 * (vector 5), which ends the program. Its name is an acronym, so the
 * reason keeps its capitals ("BOUND range exceeded", never "bOUND").
 */
// expect: killed (BOUND range exceeded at eip 0x0804*)
#include <stdint.h>
#include <stdio.h>

int
main(void)
{
	static const int32_t bounds[2] = { 0, 9 };
	int32_t index = 10;

	fprintf(stderr, "bound: index %d against [%d, %d]\n", index, bounds[0], bounds[1]);
	asm volatile("boundl %0, %1" : : "r"(index), "m"(bounds));
	printf("the index went through!\n");
	return 1;
}
