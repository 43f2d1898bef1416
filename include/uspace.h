/*
 * A program's memory, as mm/ keeps it (src/mm/uspace.c; the heap's
 * growing and shrinking in src/mm/brk.c): its address space, and the
 * bounds and promises of its heap. The process code above it
 * (src/kernel/process.c) holds one for each program and changes it only
 * through these functions, as xv6's growproc sits on uvmalloc.
 */
#ifndef CAIRN_USPACE_H
#define CAIRN_USPACE_H

#include <stdbool.h>
#include <stdint.h>
#include <vmm.h>

struct user_space {
	struct address_space as;        /* the page directory: what CR3 holds */
	uint32_t heap_start;            /* the initial break, page-aligned */
	uint32_t brk;                   /* the current break */
	bool lazy;                      /* vm=lazy: heap pages mapped on first touch */
	uint32_t promised;              /* lazy: heap pages reserved, not yet mapped */
};

/* Makes us an empty user space (a fresh directory sharing the kernel
 * half) whose heap grows as vm= chose (vm=eager, the default, or
 * vm=lazy). Returns 0, or -ENOMEM. */
int uspace_create(struct user_space *us);

/* fork: makes child a copy of parent that shares its frames until one
 * of them writes (src/mm/cow.c): the same heap bounds, and for vm=lazy
 * the same promises, reserved again for the child so neither
 * overcommits. Returns 0, or -ENOMEM with nothing held by child. */
int uspace_fork(struct user_space *child, struct user_space *parent);

/* Starts the heap, empty, on the page after top (the program's end). */
void uspace_start_heap(struct user_space *us, uint32_t top);

/* Makes us the running program's memory: its directory goes into CR3,
 * and page faults and user copies act on it. NULL: the kernel's own
 * address space, and no program's. */
void uspace_switch(struct user_space *us);

/* The user space uspace_switch() made current, or NULL. */
struct user_space *uspace_current(void);

/* Gives back everything us holds: the promises of its heap, every user
 * page and page table, its directory. It must not be current. */
void uspace_destroy(struct user_space *us);

#endif /* CAIRN_USPACE_H */
