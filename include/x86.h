/*
 * Tiny wrappers around the instructions C cannot express. Everything that
 * touches the hardware directly goes through here, so the code around it
 * stays plain C (and the memory-management code compiles on the host).
 */
#ifndef CAIRN_X86_H
#define CAIRN_X86_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt"); }
static inline void pause(void) { __asm__ volatile("pause"); }

/* Stop this CPU for good: interrupts off, then halt in a loop (an NMI
 * would wake a lone hlt). */
static inline __attribute__((noreturn)) void
halt_forever(void)
{
	cli();
	for (;;)
		hlt();
}

/* The control registers: CR0 (paging, write protection), CR2 (the address
 * of the last page fault), CR3 (the page directory), CR4 (SMEP, SMAP). */
static inline uint32_t read_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr2(void) { uint32_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr3(void) { uint32_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint32_t read_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(uint32_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

static inline uint32_t
read_eflags(void)
{
	uint32_t v;
	__asm__ volatile("pushfl; popl %0" : "=r"(v));
	return v;
}

/* The descriptor-table registers: GDTR and IDTR hold a table's address
 * and limit (its size in bytes - 1); LDTR and TR hold a GDT selector. */
struct table_register {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

static inline void lgdt(const struct table_register *r) { __asm__ volatile("lgdt %0" : : "m"(*r)); }
static inline void lidt(const struct table_register *r) { __asm__ volatile("lidt %0" : : "m"(*r)); }
static inline void lldt(uint16_t selector) { __asm__ volatile("lldt %w0" : : "r"(selector)); }
static inline void ltr(uint16_t selector) { __asm__ volatile("ltr %w0" : : "r"(selector)); }
static inline void sgdt(struct table_register *r) { __asm__ volatile("sgdt %0" : "=m"(*r)); }
static inline void sidt(struct table_register *r) { __asm__ volatile("sidt %0" : "=m"(*r)); }
static inline uint16_t sldt(void) { uint16_t s; __asm__ volatile("sldt %w0" : "=r"(s)); return s; }
static inline uint16_t str(void) { uint16_t s; __asm__ volatile("str %w0" : "=r"(s)); return s; }

/* Model-specific registers. */
static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void invlpg(const void *va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

static inline void
cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif /* CAIRN_X86_H */
