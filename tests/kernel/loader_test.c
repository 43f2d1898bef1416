/*
 * Tests of the ELF loader (src/kernel/loader.c) on hand-made files: a
 * good one loads, and each kind of bad one is refused with its reason,
 * leaving nothing behind once its address space is destroyed.
 */
#include <cairn/errno.h>
#include <elf.h>
#include <kmap.h>
#include <ktest.h>
#include <layout.h>
#include <loader.h>
#include <string.h>
#include <vmm.h>

/* One page of file: the ELF header, two program headers, then code. */
struct tiny_elf {
	Elf32_Ehdr e;
	Elf32_Phdr ph[2];
	uint8_t code[16];
};

#define CODE_OFFSET offsetof(struct tiny_elf, code)

static void
make_good(struct tiny_elf *f)
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
	f->e.e_entry = USER_TEXT_BASE + CODE_OFFSET;
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

static paddr_t file_frame;

/* Puts f in a frame and loads it into a fresh space; returns the result. */
static int
load(struct tiny_elf *f, uint32_t size, struct address_space *as, struct program_image *img,
     const char **why)
{
	file_frame = pmm_alloc();
	void *w = kmap(file_frame);
	memset(w, 0, PAGE_SIZE);
	memcpy(w, f, sizeof(*f));
	kunmap(w);
	if (vmm_space_create(as) < 0)
		return -ENOMEM;
	return loader_load(as, file_frame, size, img, why);
}

static void
finish(struct address_space *as)
{
	vmm_space_destroy(as);
	pmm_free(file_frame);
}

static void
a_good_file_loads_text_read_only_and_bss_zeroed(struct ktest *t)
{
	struct tiny_elf f;
	struct address_space as;
	struct program_image img;
	const char *why = NULL;
	uint32_t flags, free_before = pmm_free_frames();
	paddr_t pa;

	make_good(&f);
	KASSERT_EQ(t, load(&f, sizeof(f), &as, &img, &why), 0);
	KEXPECT_EQ(t, img.entry, USER_TEXT_BASE + CODE_OFFSET);
	KEXPECT_EQ(t, img.top, USER_TEXT_BASE + 0x10000 + 2 * PAGE_SIZE);
	KEXPECT_EQ(t, vmm_query(&as, USER_TEXT_BASE, &flags), 0);
	KEXPECT_EQ(t, flags & (PTE_USER | PTE_WRITABLE), PTE_USER);
	KEXPECT_EQ(t, vmm_query(&as, USER_TEXT_BASE + 0x10000, &flags), 0);
	KEXPECT_EQ(t, flags & (PTE_USER | PTE_WRITABLE), PTE_USER | PTE_WRITABLE);
	KASSERT_EQ(t, vmm_translate(&as, USER_TEXT_BASE + CODE_OFFSET, &pa), 0);
	uint8_t *w = kmap(page_round_down(pa));
	KEXPECT_EQ(t, w[page_offset(pa)], 0xEB);                /* the code was copied */
	kunmap(w);
	KASSERT_EQ(t, vmm_translate(&as, USER_TEXT_BASE + 0x10000 + 100, &pa), 0);
	w = kmap(page_round_down(pa));
	KEXPECT_EQ(t, w[page_offset(pa)], 0);                   /* bss is zero */
	kunmap(w);
	finish(&as);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
}

/* Loads a broken variant; expects -ENOEXEC with this reason, and no leak. */
static void
expect_refusal(struct ktest *t, struct tiny_elf *f, uint32_t size, const char *reason)
{
	struct address_space as;
	struct program_image img;
	const char *why = NULL;
	uint32_t free_before = pmm_free_frames();

	KEXPECT_EQ(t, load(f, size, &as, &img, &why), -ENOEXEC);
	KEXPECT_STREQ(t, why, reason);
	finish(&as);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
}

static void
bad_headers_are_refused(struct ktest *t)
{
	struct tiny_elf f;

	make_good(&f);
	expect_refusal(t, &f, 20, "file too small for an ELF header");
	f.e.e_ident[1] = 'X';
	expect_refusal(t, &f, sizeof(f), "not an ELF file");
	make_good(&f);
	f.e.e_ident[EI_CLASS] = 2;                              /* 64-bit */
	expect_refusal(t, &f, sizeof(f), "not 32-bit little-endian");
	make_good(&f);
	f.e.e_machine = 62;                                     /* x86-64 */
	expect_refusal(t, &f, sizeof(f), "not for the i386");
	make_good(&f);
	f.e.e_type = 3;                                         /* a shared object */
	expect_refusal(t, &f, sizeof(f), "not an executable");
	make_good(&f);
	f.e.e_phnum = 0;
	expect_refusal(t, &f, sizeof(f), "bad program header table");
	make_good(&f);
	f.e.e_phoff = 0xFFFFFFF0;                               /* wraps */
	expect_refusal(t, &f, sizeof(f), "program headers outside the file");
}

static void
bad_segments_are_refused(struct ktest *t)
{
	struct tiny_elf f;

	make_good(&f);
	f.ph[0].p_filesz = f.ph[0].p_memsz + 1;
	expect_refusal(t, &f, sizeof(f), "segment's file size exceeds its memory size");
	make_good(&f);
	f.ph[0].p_offset = 0xFFFFFF00;
	expect_refusal(t, &f, sizeof(f), "segment's bytes outside the file");
	make_good(&f);
	f.ph[1].p_vaddr = KERNEL_BASE;                          /* kernel space */
	expect_refusal(t, &f, sizeof(f), "segment outside user space");
	make_good(&f);
	f.ph[1].p_vaddr = 0xFFFFF000;                           /* and wrapping */
	f.ph[1].p_memsz = 0x2000;
	expect_refusal(t, &f, sizeof(f), "segment outside user space");
	make_good(&f);
	f.ph[1].p_vaddr = 0;                                    /* the null page */
	expect_refusal(t, &f, sizeof(f), "segment in the low 64 KiB, which programs may not use");
	make_good(&f);
	f.ph[1].p_vaddr = 0x1000;                               /* where a stray LDT looks */
	expect_refusal(t, &f, sizeof(f), "segment in the low 64 KiB, which programs may not use");
	make_good(&f);
	f.ph[1].p_vaddr = USER_MIN_ADDRESS - PAGE_SIZE;         /* its last page */
	expect_refusal(t, &f, sizeof(f), "segment in the low 64 KiB, which programs may not use");
	make_good(&f);
	f.ph[1].p_vaddr = USER_STACK_GUARD - PAGE_SIZE;         /* into the stack guard */
	expect_refusal(t, &f, sizeof(f), "segment outside user space");
	make_good(&f);
	f.ph[1].p_vaddr = USER_TEXT_BASE;                       /* on top of the text */
	expect_refusal(t, &f, sizeof(f), "segments overlap");
	make_good(&f);
	f.e.e_entry = USER_TEXT_BASE + 0x10000;                 /* in the bss */
	expect_refusal(t, &f, sizeof(f), "entry point outside the program's code");
	make_good(&f);
	f.ph[0].p_type = f.ph[1].p_type = PT_NULL;
	expect_refusal(t, &f, sizeof(f), "nothing to load");
}

KTEST_SUITE(loader,
	KTEST_CASE(a_good_file_loads_text_read_only_and_bss_zeroed),
	KTEST_CASE(bad_headers_are_refused),
	KTEST_CASE(bad_segments_are_refused));
