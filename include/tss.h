/*
 * Task-state segments (src/kernel/tss.c). Cairn switches tasks in
 * software, but the CPU still wants a TSS: it takes the kernel stack from
 * it on a trap from ring 3, and a double fault runs as a task of its own
 * on a stack of its own, so even a kernel stack overflow gets a report.
 */
#ifndef CAIRN_TSS_H
#define CAIRN_TSS_H

#include <stdint.h>

/* Loads the kernel's TSS and makes vector 8 (double fault) a task gate
 * to the double-fault task. */
void tss_init(void);

/* Sets the stack the CPU switches to on a trap from ring 3. */
void tss_set_kernel_stack(uint32_t esp0);

#endif /* CAIRN_TSS_H */
