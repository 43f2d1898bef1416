/*
 * Touching user memory from the kernel (src/mm/uaccess.c). With SMAP on,
 * the kernel faults on any user page unless EFLAGS.AC is set, so every
 * access to user memory goes through these, which check the range first
 * (below USER_LIMIT, no wrap-around, every page mapped for the user and,
 * for writes, writable) and open the window only for the copy.
 */
#ifndef CAIRN_UACCESS_H
#define CAIRN_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Turns on SMEP, SMAP and UMIP when the CPU has them (CPUID leaf 7). */
void uaccess_init(void);
bool uaccess_smep_enabled(void);
bool uaccess_smap_enabled(void);
bool uaccess_umip_enabled(void);

/* Is [addr, addr + len) a user range, every page mapped with PTE_USER
 * (and PTE_WRITABLE if for_write), in the current address space? As the
 * program's own access would, it maps promised heap pages (vm=lazy) and,
 * for a write, copies copy-on-write pages first. */
bool uaccess_range_ok(uintptr_t addr, size_t len, bool for_write);

/* Copies len bytes between the kernel and the current address space's
 * user memory. Returns 0, or -EFAULT (nothing copied) for a bad range;
 * copy_to_user -ENOMEM (nothing copied) when a copy-on-write page of the
 * range could not be copied. */
int copy_from_user(void *dst, const void *user_src, size_t len);
int copy_to_user(void *user_dst, const void *src, size_t len);

#endif /* CAIRN_UACCESS_H */
