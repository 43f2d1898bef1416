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

#define DEFINE_READ_CR(n) \
	static inline uint32_t read_cr##n(void) { uint32_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; }
#define DEFINE_WRITE_CR(n) \
	static inline void write_cr##n(uint32_t v) { __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
DEFINE_WRITE_CR(0)
DEFINE_WRITE_CR(3)
DEFINE_WRITE_CR(4)
#undef DEFINE_READ_CR
#undef DEFINE_WRITE_CR

static inline uint32_t
read_eflags(void)
{
	uint32_t v;
	__asm__ volatile("pushfl; popl %0" : "=r"(v));
	return v;
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
