/*
 * Temporary windows onto physical memory (src/mm/kmap.c). Cairn does not
 * map all of RAM into the kernel: to touch a frame it has no address for
 * (a new page table, boot data, a user page) it maps it into one of
 * KMAP_SLOTS window pages for a moment.
 */
#ifndef CAIRN_KMAP_H
#define CAIRN_KMAP_H

#include <pmm.h>
#include <stddef.h>
#include <stdint.h>

/* Maps the frame at pa (page-aligned) into a free window and returns its
 * address. Every kmap needs its kunmap; running out of windows is a
 * kernel bug and panics. */
void *kmap(paddr_t pa);

/* Closes the window at va (as kmap returned it). */
void kunmap(void *va);

/* Fills the frame at pa (page-aligned) with zeros. */
void phys_zero(paddr_t pa);

/* Copies len bytes at physical address pa (below 4 GiB, any alignment)
 * into dst. Returns 0, or -EFAULT when the range reaches past 4 GiB. */
int phys_read(void *dst, uint64_t pa, size_t len);

/* Copies the C string at physical pa into buf (size > 0), cut to size-1
 * bytes. Returns its full length, or -EFAULT. */
long phys_read_string(char *buf, size_t size, uint64_t pa);

#endif /* CAIRN_KMAP_H */
