/*
 * The IDT. Every vector gets an interrupt gate (interrupts off on entry)
 * to its stub in trapentry.asm; all are ring 0, so a user program's `int`
 * to any of them is a general-protection fault, except the vectors opened
 * with idt_allow_user(). The legacy PIC is moved off the exception vectors
 * and silenced: Cairn drives its devices by polling.
 */
#include <gdt.h>
#include <idt.h>
#include <stdint.h>
#include <trap.h>
#include <x86.h>

/* 8259A PIC ports and initialisation words. */
#define PIC1_COMMAND    0x20
#define PIC1_DATA       0x21
#define PIC2_COMMAND    0xA0
#define PIC2_DATA       0xA1
#define ICW1_INIT_ICW4  0x11
#define ICW4_8086       0x01
#define PIC_MASK_ALL    0xFF

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

/* The BIOS leaves the PIC on vectors 8-15, on top of CPU exceptions:
 * move it to T_IRQ0 and mask every line. */
static void
pic_remap_and_mask(void)
{
	outb(PIC1_COMMAND, ICW1_INIT_ICW4);
	outb(PIC2_COMMAND, ICW1_INIT_ICW4);
	outb(PIC1_DATA, T_IRQ0);
	outb(PIC2_DATA, T_IRQ0 + 8);
	outb(PIC1_DATA, 4);             /* slave on line 2 */
	outb(PIC2_DATA, 2);             /* slave identity */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, PIC_MASK_ALL);
	outb(PIC2_DATA, PIC_MASK_ALL);
}

void
idt_init(void)
{
	for (unsigned v = 0; v < T_VECTORS; v++)
		set_gate(v, GATE_PRESENT | GATE_INTERRUPT32);
	pic_remap_and_mask();

	struct table_register pointer = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };
	lidt(&pointer);
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
