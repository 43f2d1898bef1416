/*
 * A hand-made ELF program for kernel tests (loader_test.c,
 * process_test.c): one page of file holding the ELF header, two program
 * headers (text, and two pages of bss) and an endless loop as its code.
 */
#ifndef CAIRN_TESTS_TINY_ELF_H
#define CAIRN_TESTS_TINY_ELF_H

#include <elf.h>
#include <kmap.h>
#include <layout.h>
#include <pmm.h>
#include <stddef.h>
#include <string.h>

/* One page of file: the ELF header, two program headers, then code. */
struct tiny_elf {
	Elf32_Ehdr e;
	Elf32_Phdr ph[2];
	uint8_t code[16];
};

#define TINY_ELF_CODE_OFFSET offsetof(struct tiny_elf, code)

static inline void
tiny_elf_make(struct tiny_elf *f)
{
	memset(f, 0, sizeof(*f));
	f->e.e_ident[0] = ELFMAG0;
	f->e.e_ident[1] = ELFMAG1;
	f->e.e_ident[2] = ELFMAG2;
	f->e.e_ident[3] = ELFMAG3;
	f->e.e_ident[EI_CLASS] = ELFCLASS32;
	f->e.e_ident[EI_DATA] = ELFDATA2LSB;
	f->e.e_ident[EI_VERSION] = EV_CURRENT;
	f->e.e_type = ET_EXEC;
	f->e.e_machine = EM_386;
	f->e.e_version = EV_CURRENT;
	f->e.e_entry = USER_TEXT_BASE + TINY_ELF_CODE_OFFSET;
	f->e.e_phoff = offsetof(struct tiny_elf, ph);
	f->e.e_ehsize = sizeof(Elf32_Ehdr);
	f->e.e_phentsize = sizeof(Elf32_Phdr);
	f->e.e_phnum = 2;
	/* Text: the whole file at USER_TEXT_BASE, read and execute. */
	f->ph[0] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0, .p_vaddr = USER_TEXT_BASE,
				 .p_filesz = sizeof(*f), .p_memsz = sizeof(*f), .p_flags = PF_R | PF_X,
				 .p_align = PAGE_SIZE };
	/* Bss: two zeroed, writable pages further up. */
	f->ph[1] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0, .p_vaddr = USER_TEXT_BASE + 0x10000,
				 .p_filesz = 0, .p_memsz = 2 * PAGE_SIZE, .p_flags = PF_R | PF_W,
				 .p_align = PAGE_SIZE };
	f->code[0] = 0xEB;      /* jmp . */
	f->code[1] = 0xFE;
}

/* Copies f into a fresh zeroed frame and returns it (PMM_NO_FRAME when
 * none is left): a module as the boot loader would have placed it. */
static inline paddr_t
tiny_elf_in_frame(const struct tiny_elf *f)
{
	paddr_t pa = pmm_alloc();

	if (pa == PMM_NO_FRAME)
		return pa;
	void *w = kmap(pa);
	memset(w, 0, PAGE_SIZE);
	memcpy(w, f, sizeof(*f));
	kunmap(w);
	return pa;
}

#endif /* CAIRN_TESTS_TINY_ELF_H */
