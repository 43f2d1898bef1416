/*
 * Task-state segments (src/kernel/tss.c). Cairn switches tasks in
 * software, but the CPU still wants a TSS: it takes the kernel stack from
 * it on a trap from ring 3, and a double fault runs as a task of its own
 * on a stack of its own, so even a kernel stack overflow gets a report.
 */
#ifndef CAIRN_TSS_H
#define CAIRN_TSS_H

#include <stdint.h>

/* A 32-bit task-state segment (Intel SDM vol. 3, 7.2.1). An iomap_base
 * past the segment's limit means no I/O permission bitmap: with IOPL 0,
 * ring 3 may touch no port at all. */
struct tss {
	uint32_t link;
	uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs;
	uint32_t ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));

/* Loads the kernel's TSS and makes vector 8 (double fault) a task gate
 * to the double-fault task. */
void tss_init(void);

/* Sets the stack the CPU switches to on a trap from ring 3. */
void tss_set_kernel_stack(uint32_t esp0);

#endif /* CAIRN_TSS_H */
