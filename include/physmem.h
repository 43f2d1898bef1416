/*
 * Physical memory at boot (src/mm/physmem.c): the firmware's map, made
 * clean, printed, and handed to the frame allocator minus everything the
 * kernel still needs from boot.
 */
#ifndef CAIRN_PHYSMEM_H
#define CAIRN_PHYSMEM_H

#include <memmap.h>
#include <multiboot.h>

#define PHYSMEM_RESERVED_MAX (2 * MODULES_MAX + 16) /* regions listed: each module and its string, and the rest */

/* The smallest machine Cairn runs on: this many frames free once the
 * kernel, the boot data and the PMM's own data are set aside. Enough for
 * the kernel heap's first pages and a small program (its directory,
 * tables, text, data and 64 KiB of stack); every kernel test passes or
 * skips with its reason there. With fewer, boot stops with one line. */
#define PHYSMEM_MIN_FREE_FRAMES 64

/* What the frames of PMM_META_BASE hold, as reports name them. */
#define PHYSMEM_PMM_DATA_NAME "frame allocator's stack, bitmap and owner counts"

/* Reads the map, applies memmap=/mem=, prints the BIOS-e820 and e820
 * lines, reserves the boot data and starts the PMM. Stops with one line
 * below PHYSMEM_MIN_FREE_FRAMES; panics only if the loader gave no
 * memory information at all. */
void physmem_init(void);

/* Adds the loader's memory information to m: its memory map (flags bit
 * 6), else (or when the map yields no entry) mem_lower/mem_upper (bit 0).
 * Returns 0, or -EINVAL if mbi has neither, -EFAULT if the map cannot be
 * read. */
int physmem_read_firmware(struct memmap *m, const struct multiboot_info *mbi);

/* The sanitized map the kernel booted with. */
const struct memmap *physmem_map(void);

/* The regions kept from the PMM (kernel image, boot data, the PMM's own
 * stack and bitmap), the first PHYSMEM_RESERVED_MAX of them: sets
 * *regions, returns how many. */
unsigned physmem_reserved(const struct boot_region **regions);

/* Prints each reserved region, one line each. */
void physmem_print_reserved(void);

#endif /* CAIRN_PHYSMEM_H */
