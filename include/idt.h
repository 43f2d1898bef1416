/* The interrupt descriptor table: one gate per vector (src/kernel/idt.c). */
#ifndef CAIRN_IDT_H
#define CAIRN_IDT_H

#include <stdint.h>

/* A gate as the CPU reads it (Intel SDM vol. 3, 6.11). */
struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;      /* the code segment, or for a task gate the TSS */
	uint8_t zero;
	uint8_t type;           /* present, privilege, gate type */
	uint16_t offset_high;
} __attribute__((packed));

#define GATE_PRESENT        0x80
#define GATE_RING3          0x60    /* DPL 3: `int` from ring 3 allowed */
#define GATE_DPL_SHIFT      5
#define GATE_TYPE_MASK      0x0F
#define GATE_INTERRUPT32    0x0E    /* interrupts off on entry */
#define GATE_TASK           0x05

#define MSR_SYSENTER_CS     0x174   /* sysenter's ring-0 code segment: 0 closes it */

/* Points all 256 vectors at their stubs as ring-0 interrupt gates, loads
 * the table, and keeps sysenter shut: the IDT is the only way in. */
void idt_init(void);

/* Lets ring 3 raise vector with `int` (the system-call gate). */
void idt_allow_user(unsigned vector);

/* Makes vector a task gate: the CPU switches to the task in the TSS that
 * tss_selector names (the double fault's own task). */
void idt_set_task_gate(unsigned vector, uint16_t tss_selector);

#endif /* CAIRN_IDT_H */
