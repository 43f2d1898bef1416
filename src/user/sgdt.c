/*
 * Reads where the kernel's GDT is with sgdt, an instruction ring 3 may
 * run unless the CPU has UMIP: then Cairn turns UMIP on (uaccess_init)
 * and sgdt is a general protection fault. On a CPU without UMIP the
 * address is all it learns (Cairn's kernel is not hidden from anyone:
 * the kernel's pages are what protect it), and it says so and exits 0.
 */
// expect: killed (general protection fault at eip 0x0804*: privileged instruction sgdt)
// expect: exit=0
#include <stdint.h>
#include <stdio.h>

static int
cpu_has_umip(void)
{
	uint32_t a, b, c, d;

	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	if (a < 7)
		return 0;
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	return (c >> 2) & 1;
}

int
main(void)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr;
	int umip = cpu_has_umip();

	fprintf(stderr, "sgdt: this CPU %s UMIP\n", umip ? "has" : "has no");
	asm volatile("sgdt %0" : "=m"(gdtr));
	printf("sgdt: the GDT is at 0x%08x, limit 0x%x\n", gdtr.base, gdtr.limit);
	return umip;            /* with UMIP, reaching here is a failure */
}
