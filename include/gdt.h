/*
 * Segments. Cairn uses flat 4 GiB segments (paging does the protecting),
 * so the GDT holds only what the CPU insists on: code and data for ring 0
 * and ring 3, and task-state segments. NASM reads the selectors too
 * (build/gen/gdt.inc).
 */
#ifndef CAIRN_GDT_H
#define CAIRN_GDT_H

/* Selectors: index * 8, plus the requested privilege level in bits 0-1. */
#define SEG_KERNEL_CODE     0x08
#define SEG_KERNEL_DATA     0x10
#define SEG_USER_CODE       0x1B    /* 0x18 | ring 3 */
#define SEG_USER_DATA       0x23    /* 0x20 | ring 3 */
#define SEG_TSS             0x28    /* the TSS used for traps from ring 3 */
#define SEG_DOUBLE_FAULT_TSS 0x30   /* the TSS the double-fault task runs on */
#define GDT_ENTRIES         7

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Loads the GDT and reloads every segment register. */
void gdt_init(void);

/* Fills a system descriptor (a TSS): byte-granular limit, raw access byte. */
void gdt_set_system_entry(int selector, uint32_t base, uint32_t limit, uint8_t access);

#endif /* __ASSEMBLER__ */
#endif /* CAIRN_GDT_H */
