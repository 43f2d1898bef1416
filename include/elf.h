/*
 * ELF32, as the System V ABI and its i386 supplement define it: the file
 * header, program headers (what a loader maps), section headers and
 * symbols (what src/base/symbols.c reads to name functions). Field and
 * constant names are the standard ones, so any ELF reference reads here
 * unchanged; only what Cairn uses is spelled out.
 */
#ifndef CAIRN_ELF_H
#define CAIRN_ELF_H

#include <stdint.h>

typedef uint32_t Elf32_Addr;    /* a virtual (or, for GRUB, physical) address */
typedef uint32_t Elf32_Off;     /* a file offset */
typedef uint16_t Elf32_Half;
typedef uint32_t Elf32_Word;
typedef int32_t  Elf32_Sword;

/* e_ident[]: the first 16 bytes say what kind of ELF file this is. */
#define EI_NIDENT       16
#define EI_MAG0         0       /* 0x7f 'E' 'L' 'F' */
#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define ELFMAG0         0x7f
#define ELFMAG1         'E'
#define ELFMAG2         'L'
#define ELFMAG3         'F'
#define ELFCLASS32      1       /* 32-bit objects */
#define ELFDATA2LSB     1       /* little-endian */
#define EV_CURRENT      1

#define ET_EXEC         2       /* e_type: an executable */
#define EM_386          3       /* e_machine: Intel 80386 */

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf32_Half e_type;
	Elf32_Half e_machine;
	Elf32_Word e_version;
	Elf32_Addr e_entry;     /* where execution starts */
	Elf32_Off  e_phoff;     /* program header table */
	Elf32_Off  e_shoff;     /* section header table */
	Elf32_Word e_flags;
	Elf32_Half e_ehsize;
	Elf32_Half e_phentsize; /* size of one program header */
	Elf32_Half e_phnum;
	Elf32_Half e_shentsize; /* size of one section header */
	Elf32_Half e_shnum;
	Elf32_Half e_shstrndx;  /* section holding the section names */
} Elf32_Ehdr;

/* Program headers: the segments a loader maps. */
#define PT_NULL         0
#define PT_LOAD         1       /* map p_filesz bytes, zero up to p_memsz */
#define PF_X            0x1     /* p_flags: executable */
#define PF_W            0x2     /* writable */
#define PF_R            0x4     /* readable */

typedef struct {
	Elf32_Word p_type;
	Elf32_Off  p_offset;
	Elf32_Addr p_vaddr;
	Elf32_Addr p_paddr;
	Elf32_Word p_filesz;
	Elf32_Word p_memsz;
	Elf32_Word p_flags;
	Elf32_Word p_align;
} Elf32_Phdr;

/* Section headers: the linker's view of the file. */
#define SHN_UNDEF       0       /* st_shndx: undefined symbol */
#define SHN_LORESERVE   0xff00  /* st_shndx at or above: not a real section */
#define SHN_ABS         0xfff1  /* st_shndx: an absolute value */

#define SHT_NULL        0
#define SHT_PROGBITS    1
#define SHT_SYMTAB      2       /* symbols; sh_link is their string table */
#define SHT_STRTAB      3
#define SHT_NOBITS      8       /* occupies no file space (.bss) */

#define SHF_WRITE       0x1
#define SHF_ALLOC       0x2     /* occupies memory while the program runs */
#define SHF_EXECINSTR   0x4     /* machine code */

typedef struct {
	Elf32_Word sh_name;     /* offset in the section-name table */
	Elf32_Word sh_type;
	Elf32_Word sh_flags;
	Elf32_Addr sh_addr;     /* GRUB: physical address of a non-ALLOC section it loaded */
	Elf32_Off  sh_offset;
	Elf32_Word sh_size;
	Elf32_Word sh_link;     /* SHT_SYMTAB: index of its string table */
	Elf32_Word sh_info;
	Elf32_Word sh_addralign;
	Elf32_Word sh_entsize;  /* size of one entry, for tables */
} Elf32_Shdr;

/* Symbols. st_info holds the binding (high 4 bits) and type (low 4). */
#define STB_LOCAL       0
#define STB_GLOBAL      1
#define STT_NOTYPE      0       /* no type: assembly labels, linker-script symbols */
#define STT_OBJECT      1
#define STT_FUNC        2
#define STT_SECTION     3
#define STT_FILE        4

/* The spec's own macro names, kept so ELF references read unchanged. */
#define ELF32_ST_BIND(info)     ((info) >> 4)
#define ELF32_ST_TYPE(info)     ((info) & 0xf)

typedef struct {
	Elf32_Word    st_name;  /* offset in the string table */
	Elf32_Addr    st_value; /* address */
	Elf32_Word    st_size;  /* bytes, 0 if unknown */
	unsigned char st_info;
	unsigned char st_other;
	Elf32_Half    st_shndx; /* section the symbol is in */
} Elf32_Sym;

#endif /* CAIRN_ELF_H */
