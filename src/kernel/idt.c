/*
 * The IDT. Every vector gets an interrupt gate (interrupts off on entry)
 * to its stub in trapentry.asm; all are ring 0, so a user program's `int`
 * to any of them is a general-protection fault, except the vectors opened
 * with idt_allow_user().
 */
#include <gdt.h>
#include <idt.h>
#include <stdint.h>
#include <trap.h>
#include <x86.h>

extern const uint32_t trap_stubs[T_VECTORS];    /* trapentry.asm */

static struct idt_gate idt[T_VECTORS];

static void
set_gate(unsigned vector, uint8_t type)
{
	uint32_t handler = trap_stubs[vector];

	idt[vector] = (struct idt_gate){
		.offset_low = handler & 0xFFFF,
		.selector = SEG_KERNEL_CODE,
		.type = type,
		.offset_high = handler >> 16,
	};
}

#define CPUID1_EDX_MSR      (1u << 5)
#define CPUID1_EDX_SEP      (1u << 11)  /* sysenter and sysexit */

/* sysenter is a way into ring 0 that bypasses the IDT: with its code
 * segment MSR at 0 (the reset value, which a loader may have changed) it
 * faults (#GP) like any other door Cairn did not open. */
static void
close_sysenter(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if ((d & CPUID1_EDX_MSR) && (d & CPUID1_EDX_SEP))
		wrmsr(MSR_SYSENTER_CS, 0);
}

void
idt_init(void)
{
	for (unsigned v = 0; v < T_VECTORS; v++)
		set_gate(v, GATE_PRESENT | GATE_INTERRUPT32);

	struct table_register pointer = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };
	lidt(&pointer);
	close_sysenter();
}

void
idt_allow_user(unsigned vector)
{
	set_gate(vector, GATE_PRESENT | GATE_RING3 | GATE_INTERRUPT32);
}

void
idt_set_task_gate(unsigned vector, uint16_t tss_selector)
{
	idt[vector] = (struct idt_gate){
		.selector = tss_selector,
		.type = GATE_PRESENT | GATE_TASK,
	};
}
