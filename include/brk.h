/*
 * The program break (src/mm/brk.c): a process's heap, grown and shrunk by
 * sbrk and brk. vm=eager maps zeroed frames inside the call; vm=lazy only
 * moves the break and reserves the frames in the PMM, and the page-fault
 * handler maps each page on its first touch. Neither overcommits.
 */
#ifndef CAIRN_BRK_H
#define CAIRN_BRK_H

#include <process.h>
#include <stdint.h>

/*
 * Moves p's break to new_break. Growing maps (eager) or reserves (lazy)
 * the new pages, and the new bytes read as zero, also those in the page
 * the old break was in; shrinking unmaps whole pages above the new break
 * and frees their frames at once.
 * Returns 0, or with nothing changed: -EINVAL below the initial break,
 * -ENOMEM past the stack's guard page or when memory cannot back it.
 */
int brk_set(struct process *p, uint32_t new_break);

/* sbrk: moves the break by increment and returns the old break in *old.
 * Same errors as brk_set, and -ENOMEM when increment overflows. */
int brk_grow(struct process *p, int32_t increment, uint32_t *old);

/* vm=lazy: if addr is a heap page p was promised and has not touched,
 * maps a zeroed reserved frame there and returns true. */
bool brk_fault_in(struct process *p, uint32_t addr);

/* Gives back the promises a finished process did not use. */
void brk_release(struct process *p);

#endif /* CAIRN_BRK_H */
