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

/* A segment descriptor as the CPU reads it (Intel SDM vol. 3, 3.4.5). */
struct gdt_descriptor {
	uint16_t limit_low;
	uint16_t base_low;
	uint8_t base_mid;
	uint8_t access;         /* present, privilege, type */
	uint8_t limit_high_flags;
	uint8_t base_high;
} __attribute__((packed));

/* Access byte bits. */
#define ACCESS_PRESENT   0x80
#define ACCESS_RING3     0x60    /* DPL 3: ring 3 may use it */
#define ACCESS_DPL_SHIFT 5
#define ACCESS_SEGMENT   0x10    /* code or data, not a system segment */
#define ACCESS_CODE      0x0A    /* executable, readable */
#define ACCESS_DATA      0x02    /* writable */
#define ACCESS_TYPE_MASK 0x0F    /* for a system segment: which kind */
#define ACCESS_TSS32     0x09    /* system: an available 32-bit TSS */
#define ACCESS_TSS32_BUSY 0x0B   /* system: the TSS TR holds */

static inline unsigned
gdt_descriptor_dpl(const struct gdt_descriptor *d)
{
	return (d->access >> ACCESS_DPL_SHIFT) & 3;
}

static inline uint32_t
gdt_descriptor_base(const struct gdt_descriptor *d)
{
	return d->base_low | (uint32_t)d->base_mid << 16 | (uint32_t)d->base_high << 24;
}

/* Loads the GDT and reloads every segment register. */
void gdt_init(void);

/* Fills a system descriptor (a TSS): byte-granular limit, raw access byte. */
void gdt_set_system_entry(int selector, uint32_t base, uint32_t limit, uint8_t access);

#endif /* __ASSEMBLER__ */
#endif /* CAIRN_GDT_H */
