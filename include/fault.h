/*
 * Page faults (src/mm/fault.c): the handler, and words for what happened.
 * The report names the access, the reason and what lies at the address;
 * user-space faults (a later chapter) reuse fault_describe() for the
 * one-line reason a killed process gets.
 */
#ifndef CAIRN_FAULT_H
#define CAIRN_FAULT_H

#include <stddef.h>
#include <stdint.h>

struct trapframe;

/* Installs the page-fault handler and its part of the exception report. */
void fault_init(void);

/* What lies at addr: "the null page", "kernel text", "the guard page
 * under the kernel stack", "the page tables (recursive mapping)",
 * "user space", ... */
const char *fault_region(uintptr_t addr);

/* One line for a page fault with this error code at addr, e.g.
 * "write at 0x00000000: not present (the null page)". Returns buf. */
char *fault_describe(uint32_t error, uintptr_t addr, char *buf, size_t size);

/* The same with the region named by the caller (a process knows its own
 * user-space layout: "program text", "the heap", ...). */
char *fault_describe_region(uint32_t error, uintptr_t addr, const char *region, char *buf, size_t size);

#endif /* CAIRN_FAULT_H */
