/*
 * The program break (src/mm/brk.c): a user space's heap (uspace.h), grown
 * and shrunk by sbrk and brk. vm=eager maps zeroed frames inside the call; vm=lazy only
 * moves the break and reserves the frames in the PMM, and the page-fault
 * handler maps each page on its first touch. Neither overcommits.
 */
#ifndef CAIRN_BRK_H
#define CAIRN_BRK_H

#include <uspace.h>
#include <stdint.h>

/*
 * Moves us's break to new_break. Growing maps (eager) or reserves (lazy)
 * the new pages, and the new bytes read as zero, also those in the page
 * the old break was in; shrinking unmaps whole pages above the new break
 * and frees their frames at once.
 * Returns 0, or with nothing changed: -EINVAL below the initial break,
 * -ENOMEM past the stack's guard page or when memory cannot back it.
 */
int brk_set(struct user_space *us, uint32_t new_break);

/* sbrk: moves us's break by increment and returns the old break in *old.
 * Same errors as brk_set, and -ENOMEM when increment overflows. */
int brk_grow(struct user_space *us, int32_t increment, uint32_t *old);

/* vm=lazy: if addr is a heap page us was promised and has not touched,
 * maps a zeroed reserved frame there and returns true. */
bool brk_fault_in(struct user_space *us, uint32_t addr);

/* Gives back the promises us did not use (uspace_destroy calls it). */
void brk_release(struct user_space *us);

#endif /* CAIRN_BRK_H */
