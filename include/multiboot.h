/*
 * Multiboot v1: the header the kernel carries and the information
 * structure the boot loader hands over (Multiboot Specification 0.6.96,
 * section 3). Only what Cairn reads is spelled out; a field is valid only
 * when its bit in `flags` is set, and src/base/multiboot.c checks each.
 */
#ifndef CAIRN_MULTIBOOT_H
#define CAIRN_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC      0x1BADB002  /* in the kernel's header */
#define MULTIBOOT_BOOTLOADER_MAGIC  0x2BADB002  /* in EAX at entry */

/* Header flags: what the kernel asks of the loader. */
#define MULTIBOOT_PAGE_ALIGN        0x00000001  /* modules on 4 KiB boundaries */
#define MULTIBOOT_MEMORY_INFO       0x00000002  /* mem_* and mmap_* please */

/* Info flags: which fields the loader filled in. */
#define MULTIBOOT_INFO_MEMORY       0x00000001  /* bit 0: mem_lower, mem_upper */
#define MULTIBOOT_INFO_CMDLINE      0x00000004  /* bit 2: cmdline */
#define MULTIBOOT_INFO_MODS         0x00000008  /* bit 3: mods_count, mods_addr */
#define MULTIBOOT_INFO_ELF_SHDR     0x00000020  /* bit 5: ELF section headers */
#define MULTIBOOT_INFO_MEM_MAP      0x00000040  /* bit 6: mmap_length, mmap_addr */
#define MULTIBOOT_INFO_LOADER_NAME  0x00000200  /* bit 9: boot_loader_name */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;             /* KiB below 1 MiB */
	uint32_t mem_upper;             /* KiB from 1 MiB to the first hole */
	uint32_t boot_device;
	uint32_t cmdline;               /* physical address of a C string */
	uint32_t mods_count;
	uint32_t mods_addr;             /* physical address of multiboot_module[] */
	uint32_t elf_num;               /* section header count */
	uint32_t elf_size;              /* size of one section header */
	uint32_t elf_addr;              /* physical address of the headers */
	uint32_t elf_shndx;             /* index of the section-name table */
	uint32_t mmap_length;           /* bytes of memory map */
	uint32_t mmap_addr;             /* physical address of the first entry */
	uint32_t drives_length;
	uint32_t drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;      /* physical address of a C string */
} __attribute__((packed));

/* One memory-map entry. `size` does not count itself: step by size + 4. */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t base;
	uint64_t length;
	uint32_t type;
} __attribute__((packed));

struct multiboot_module {
	uint32_t start;                 /* physical, first byte */
	uint32_t end;                   /* physical, one past the last byte */
	uint32_t string;                /* physical address of a C string */
	uint32_t reserved;
} __attribute__((packed));

#include <stdbool.h>

#define MULTIBOOT_CMDLINE_MAX   1024    /* longer command lines are cut */

/* Is magic what a Multiboot loader leaves in EAX? */
bool multiboot_magic_ok(uint32_t magic);

/* Copies the info structure at info_phys, the command line and the boot
 * loader's name into the kernel, trusting only the fields whose flag is
 * set. Warns about what it cannot read. */
void multiboot_init(uint32_t info_phys);

/* The kernel's copy of the info structure. */
const struct multiboot_info *multiboot_info(void);
/* Where GRUB put the info structure (physical). */
uint32_t multiboot_info_phys(void);
/* The command line (without a leading kernel path), "" if none. */
const char *multiboot_cmdline(void);
/* The boot loader's name, "unknown" if it gave none. */
const char *multiboot_loader_name(void);

/* A piece of physical memory the loader filled that the kernel still
 * reads: bytes first..end-1. */
struct boot_region {
	const char *what;
	uint64_t first;
	uint64_t end;
};

/* A module the loader loaded: a user program, for Cairn. */
#define MODULE_NAME_MAX 32
#define MODULE_STRING_MAX 256           /* longer module strings are refused */
#define MODULES_MAX     256             /* modules past these are refused */
struct boot_module {
	uint32_t start;                 /* physical, first byte */
	uint32_t end;                   /* physical, one past the last */
	char name[MODULE_NAME_MAX];     /* the last word of its string */
	const char *refused;            /* why it cannot be run by name, or NULL */
};

/* How many modules the loader passed (0 without flag bit 3). */
unsigned multiboot_module_count(void);

/* Reads module i into *m. Its name is the last word of the module's
 * string: GRUB passes "hello" for `module /boot/user/hello.elf hello`,
 * QEMU passes the whole "build/user/hello.elf hello". A module whose
 * name is too long (m->name is then cut), has characters other than
 * letters, digits, '.', '_' and '-', is "all" or "done" (words run=
 * gives a meaning), repeats an earlier module's name or comes after the
 * first MODULES_MAX, is read all the same, with m->refused saying why it
 * may not run. The names are compared once, on the first call. Returns 0, or -EINVAL
 * for a bad index or an unreadable entry or string. */
int multiboot_module(unsigned i, struct boot_module *m);

/* Prints one line for each module that is refused, naming it in full. */
void multiboot_check_modules(void);

/* Receives one region: bytes first..end-1, and what they hold. */
typedef void boot_region_fn(const char *what, uint64_t first, uint64_t end);

/* Calls fn for each of the loader's regions: the info structure, memory
 * map, command line, loader name, module list, each module and its
 * string. However many modules there are, every one is reported. */
void multiboot_each_boot_region(boot_region_fn *fn);
#endif /* __ASSEMBLER__ */

#endif /* CAIRN_MULTIBOOT_H */
