/*
 * Loading a user program (src/kernel/loader.c): an ELF32 executable in a
 * Multiboot module, checked field by field and mapped into an address
 * space. Nothing in the file is trusted.
 */
#ifndef CAIRN_LOADER_H
#define CAIRN_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <vmm.h>

#define LOADER_MAX_SEGMENTS 8

/* One loaded segment: pages first..end-1 of user space. */
struct loaded_segment {
	uint32_t first;
	uint32_t end;
	bool writable;
};

struct program_image {
	uint32_t entry;                 /* where the program starts */
	uint32_t top;                   /* one past the highest segment byte */
	struct loaded_segment segment[LOADER_MAX_SEGMENTS];
	unsigned nsegments;
};

/*
 * Checks the ELF file in physical memory [start, start + size) and maps
 * its loadable segments into as: text read-only, data writable, bss
 * zeroed, every page PTE_USER. Returns 0 and fills *image, or:
 * -ENOEXEC with *why naming the first problem ("not an ELF file",
 * "segment outside user space", ...), or -ENOMEM. On failure whatever was
 * already mapped stays in as: destroying as frees it.
 */
int loader_load(struct address_space *as, uint32_t start, uint32_t size,
		struct program_image *image, const char **why);

#endif /* CAIRN_LOADER_H */
