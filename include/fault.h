/*
 * Page faults (src/mm/fault.c): the one that is not an error, and words
 * for the others. The trap dispatch (src/kernel/trap.c) calls both; the
 * report names the access, the reason and what lies at the address, and
 * user-space faults (a later chapter) reuse fault_describe() for the
 * one-line reason a killed process gets.
 */
#ifndef CAIRN_FAULT_H
#define CAIRN_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Resolves the two page faults that are not errors, in the running
 * program's memory (by the program, or by the kernel copying to or from
 * it): the first touch of a heap page it was promised (vm=lazy), which
 * maps the page, and a write to a copy-on-write page, which gets it a
 * copy of its own (src/mm/cow.c). Returns true if so: the access runs
 * again. False for any other fault, and for a COW write when no frame is
 * left for the copy (cow_is_shared_page() still says so then). */
bool fault_handle(uint32_t error, uintptr_t addr);

/* Prints the page fault's lines of an exception report: the access, why
 * it was refused and what lies at addr (and a kmalloc guard page's
 * owner, in kheap=guard). */
void fault_explain(uint32_t error, uintptr_t addr);

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
