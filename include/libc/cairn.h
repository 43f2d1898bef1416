/*
 * What only Cairn has: the memory report of the kernel, the raw system
 * call, and the allocator's self-check. The call numbers and struct
 * meminfo are the kernel's own (include/cairn/syscall.h).
 */
#ifndef CAIRN_LIBC_CAIRN_H
#define CAIRN_LIBC_CAIRN_H

#include <cairn/syscall.h>
#include <stdint.h>

/* Fills *info with the machine's frames and this process's pages.
 * Returns 0, or -1 with errno EFAULT. */
int meminfo(struct meminfo *info);

/* Raises system call number with three arguments and returns what the
 * kernel put in EAX: a result, or a negative errno (errno is not set).
 * For calling what no wrapper offers, such as a number that does not
 * exist. */
int32_t cairn_syscall(uint32_t number, uint32_t a, uint32_t b, uint32_t c);

/* Checks every invariant of malloc's heap (heap_check, include/heap.h).
 * Returns 0; a damaged heap is reported on stderr and aborts. */
int malloc_check(void);

#endif /* CAIRN_LIBC_CAIRN_H */
