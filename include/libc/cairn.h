/*
 * What only Cairn has: the memory report of the kernel, running another
 * program, the scheduler's and the timer's calls, the raw system call,
 * and the allocator's self-check. The call numbers and struct meminfo
 * are the kernel's own (include/cairn/syscall.h).
 */
#ifndef CAIRN_LIBC_CAIRN_H
#define CAIRN_LIBC_CAIRN_H

#include <cairn/syscall.h>
#include <stdint.h>

/* Fills *info with the machine's frames and this process's pages.
 * Returns 0, or -1 with errno EFAULT. */
int meminfo(struct meminfo *info);

/* Replaces this process's program with the boot module called name (the
 * name run= knows it by), keeping the pid, the parent and the children.
 * Returns only if it failed: -1 with errno EFAULT (name is not readable
 * memory up to its NUL), ENAMETOOLONG, ENOENT (no module of that name),
 * ENOEXEC (not a valid ELF program) or ENOMEM, and the process is as it
 * was. What stdout held unwritten is lost, as with _exit. */
int exec(const char *name);

/* Lets every other runnable process have a turn first. Returns 0. */
int yield(void);

/* Waits at least ticks timer ticks (TIMER_HZ, 100, a second) while other
 * processes run. Returns 0. */
int sleep_ticks(unsigned ticks);

/* Timer ticks since boot. Cannot fail. */
unsigned uptime(void);

/* Raises system call number with three arguments and returns what the
 * kernel put in EAX: a result, or a negative errno (errno is not set).
 * For calling what no wrapper offers, such as a number that does not
 * exist. */
int32_t cairn_syscall(uint32_t number, uint32_t a, uint32_t b, uint32_t c);

/* Checks every invariant of malloc's heap (heap_check, include/heap.h).
 * Returns 0; a damaged heap is reported on stderr and aborts. */
int malloc_check(void);

#endif /* CAIRN_LIBC_CAIRN_H */
