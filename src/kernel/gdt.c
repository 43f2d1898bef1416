/*
 * The global descriptor table. Every code and data segment is flat (base
 * 0, limit 4 GiB): Cairn protects memory with paging, and segments only
 * carry the privilege level. The TSS slots are filled in later by the
 * code that owns the task-state segments. There is no LDT: LDTR holds
 * the null selector, so every LDT selector faults.
 */
#include <gdt.h>
#include <stdint.h>
#include <x86.h>

#define FLAGS_4K_32BIT   0xC0    /* limit counts pages; 32-bit segment */

static struct gdt_descriptor gdt[GDT_ENTRIES];

static struct gdt_descriptor
flat_segment(uint8_t access)
{
	return (struct gdt_descriptor){
		.limit_low = 0xFFFF,
		.access = access,
		.limit_high_flags = FLAGS_4K_32BIT | 0x0F,
	};
}

void
gdt_set_system_entry(int selector, uint32_t base, uint32_t limit, uint8_t access)
{
	gdt[selector >> 3] = (struct gdt_descriptor){
		.limit_low = limit & 0xFFFF,
		.base_low = base & 0xFFFF,
		.base_mid = (base >> 16) & 0xFF,
		.access = access,
		.limit_high_flags = (limit >> 16) & 0x0F,
		.base_high = base >> 24,
	};
}

void
gdt_init(void)
{
	gdt[SEG_KERNEL_CODE >> 3] = flat_segment(ACCESS_PRESENT | ACCESS_SEGMENT | ACCESS_CODE);
	gdt[SEG_KERNEL_DATA >> 3] = flat_segment(ACCESS_PRESENT | ACCESS_SEGMENT | ACCESS_DATA);
	gdt[SEG_USER_CODE >> 3] = flat_segment(ACCESS_PRESENT | ACCESS_RING3 | ACCESS_SEGMENT | ACCESS_CODE);
	gdt[SEG_USER_DATA >> 3] = flat_segment(ACCESS_PRESENT | ACCESS_RING3 | ACCESS_SEGMENT | ACCESS_DATA);

	struct table_register pointer = { sizeof(gdt) - 1, (uint32_t)(uintptr_t)gdt };
	lgdt(&pointer);
	__asm__ volatile(
		"ljmp %0, $1f\n"                /* reload CS with a far jump */
		"1:\n\t"
		"mov %1, %%ax\n\t"
		"mov %%ax, %%ds\n\t"
		"mov %%ax, %%es\n\t"
		"mov %%ax, %%fs\n\t"
		"mov %%ax, %%gs\n\t"
		"mov %%ax, %%ss\n\t"
		: : "i"(SEG_KERNEL_CODE), "i"(SEG_KERNEL_DATA) : "eax", "memory");
	/* LDTR comes out of reset as base 0, limit 0xFFFF, and the boot
	 * loader may leave it so: a program could then write a call gate at
	 * a low address and far-call into ring 0 through it. The null
	 * selector makes every LDT reference a #GP. */
	lldt(0);
}
