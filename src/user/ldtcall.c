/*
 * Far-calls LDT selector 0x1007, the way in a hostile tester found. A
 * CPU's LDTR comes out of reset pointing at a "table" at linear address
 * 0 with a 64 KiB limit, so entry 0x200 of it would be read from 0x1000:
 * a program that could write a call gate there would run its own code in
 * ring 0. Cairn loads the null LDT at boot (gdt_init), so every LDT
 * selector is a general protection fault naming it.
 */
// expect: killed (general protection fault at eip 0x0804* (LDT selector 0x1000))
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "ldtcall: lcall $0x1007, $0\n");
	asm volatile("lcall $0x1007, $0");
	printf("the far call through the LDT returned!\n");
	return 1;
}
