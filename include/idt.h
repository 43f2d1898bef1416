/* The interrupt descriptor table: one gate per vector (src/kernel/idt.c). */
#ifndef CAIRN_IDT_H
#define CAIRN_IDT_H

#include <stdint.h>

/* Points all 256 vectors at their stubs as ring-0 interrupt gates, masks
 * the legacy PIC (Cairn polls), and loads the table. */
void idt_init(void);

/* Lets ring 3 raise vector with `int` (the system-call gate). */
void idt_allow_user(unsigned vector);

/* Makes vector a task gate: the CPU switches to the task in the TSS that
 * tss_selector names (the double fault's own task). */
void idt_set_task_gate(unsigned vector, uint16_t tss_selector);

#endif /* CAIRN_IDT_H */
