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

#include "tiny_elf.h"

static paddr_t file_frame;

/* Puts f in a frame and loads it into a fresh space; returns the result
 * (-ENOMEM, with nothing set up, when no frame is left for either). */
static int
load(struct tiny_elf *f, uint32_t size, struct address_space *as, struct program_image *img,
     const char **why)
{
	as->directory = 0;
	file_frame = tiny_elf_in_frame(f);
	if (file_frame == PMM_NO_FRAME)
		return -ENOMEM;
	if (vmm_space_create(as) < 0)
		return -ENOMEM;
	return loader_load(as, file_frame, size, img, why);
}

/* Undoes load(), however far it got. */
static void
finish(struct address_space *as)
{
	if (as->directory)
		vmm_space_destroy(as);
	if (file_frame != PMM_NO_FRAME)
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

	tiny_elf_make(&f);
	KASSERT_EQ(t, load(&f, sizeof(f), &as, &img, &why), 0);
	KEXPECT_EQ(t, img.entry, USER_TEXT_BASE + TINY_ELF_CODE_OFFSET);
	KEXPECT_EQ(t, img.top, USER_TEXT_BASE + 0x10000 + 2 * PAGE_SIZE);
	KEXPECT_EQ(t, vmm_query(&as, USER_TEXT_BASE, &flags), 0);
	KEXPECT_EQ(t, flags & (PTE_USER | PTE_WRITABLE), PTE_USER);
	KEXPECT_EQ(t, vmm_query(&as, USER_TEXT_BASE + 0x10000, &flags), 0);
	KEXPECT_EQ(t, flags & (PTE_USER | PTE_WRITABLE), PTE_USER | PTE_WRITABLE);
	KASSERT_EQ(t, vmm_translate(&as, USER_TEXT_BASE + TINY_ELF_CODE_OFFSET, &pa), 0);
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

	tiny_elf_make(&f);
	expect_refusal(t, &f, 20, "file too small for an ELF header");
	f.e.e_ident[1] = 'X';
	expect_refusal(t, &f, sizeof(f), "not an ELF file");
	tiny_elf_make(&f);
	f.e.e_ident[EI_CLASS] = 2;                              /* 64-bit */
	expect_refusal(t, &f, sizeof(f), "not 32-bit little-endian");
	tiny_elf_make(&f);
	f.e.e_machine = 62;                                     /* x86-64 */
	expect_refusal(t, &f, sizeof(f), "not for the i386");
	tiny_elf_make(&f);
	f.e.e_type = 3;                                         /* a shared object */
	expect_refusal(t, &f, sizeof(f), "not an executable");
	tiny_elf_make(&f);
	f.e.e_phnum = 0;
	expect_refusal(t, &f, sizeof(f), "bad program header table");
	tiny_elf_make(&f);
	f.e.e_phoff = 0xFFFFFFF0;                               /* wraps */
	expect_refusal(t, &f, sizeof(f), "program headers outside the file");
}

static void
bad_segments_are_refused(struct ktest *t)
{
	struct tiny_elf f;

	tiny_elf_make(&f);
	f.ph[0].p_filesz = f.ph[0].p_memsz + 1;
	expect_refusal(t, &f, sizeof(f), "segment's file size exceeds its memory size");
	tiny_elf_make(&f);
	f.ph[1].p_filesz = 4;                                   /* file bytes, no memory */
	f.ph[1].p_memsz = 0;
	expect_refusal(t, &f, sizeof(f), "segment's file size exceeds its memory size");
	tiny_elf_make(&f);
	f.ph[0].p_offset = 0xFFFFFF00;
	expect_refusal(t, &f, sizeof(f), "segment's bytes outside the file");
	tiny_elf_make(&f);
	f.ph[1].p_vaddr = KERNEL_BASE;                          /* kernel space */
	expect_refusal(t, &f, sizeof(f), "segment outside user space");
	tiny_elf_make(&f);
	f.ph[1].p_vaddr = 0xFFFFF000;                           /* and wrapping */
	f.ph[1].p_memsz = 0x2000;
	expect_refusal(t, &f, sizeof(f), "segment outside user space");
	tiny_elf_make(&f);
	f.ph[1].p_vaddr = 0;                                    /* the null page */
	expect_refusal(t, &f, sizeof(f), "segment in the low 64 KiB, which programs may not use");
	tiny_elf_make(&f);
	f.ph[1].p_vaddr = 0x1000;                               /* where a stray LDT looks */
	expect_refusal(t, &f, sizeof(f), "segment in the low 64 KiB, which programs may not use");
	tiny_elf_make(&f);
	f.ph[1].p_vaddr = USER_MIN_ADDRESS - PAGE_SIZE;         /* its last page */
	expect_refusal(t, &f, sizeof(f), "segment in the low 64 KiB, which programs may not use");
	tiny_elf_make(&f);
	f.ph[1].p_vaddr = USER_STACK_GUARD - PAGE_SIZE;         /* into the stack guard */
	expect_refusal(t, &f, sizeof(f), "segment outside user space");
	tiny_elf_make(&f);
	f.ph[1].p_vaddr = USER_TEXT_BASE;                       /* on top of the text */
	expect_refusal(t, &f, sizeof(f), "segments overlap");
	tiny_elf_make(&f);
	f.e.e_entry = USER_TEXT_BASE + 0x10000;                 /* in the bss */
	expect_refusal(t, &f, sizeof(f), "entry point outside the program's code");
	tiny_elf_make(&f);
	f.ph[0].p_type = f.ph[1].p_type = PT_NULL;
	expect_refusal(t, &f, sizeof(f), "nothing to load");
}

/* Loads the good file with all but `left` free frames set aside: it must
 * fail with -ENOMEM, and leave nothing behind once undone. */
static void
expect_enomem_with_frames_left(struct ktest *t, uint32_t left)
{
	struct tiny_elf f;
	struct address_space as;
	struct program_image img;
	const char *why = NULL;
	uint32_t free_before = pmm_free_frames();

	tiny_elf_make(&f);
	KASSERT_EQ(t, pmm_reserve(free_before - left), 0);
	KEXPECT_EQ(t, load(&f, sizeof(f), &as, &img, &why), -ENOMEM);
	finish(&as);
	pmm_unreserve(free_before - left);
	KEXPECT_EQ(t, pmm_free_frames(), free_before);
}

/* Memory running out halfway through: what was mapped goes back when the
 * space is destroyed (the file, the directory, a page table and the text
 * page get frames; the bss does not). */
static void
running_out_of_frames_midway_is_enomem_and_leaks_nothing(struct ktest *t)
{
	expect_enomem_with_frames_left(t, 4);
}

/* Not even a frame for the file, or for the directory: the test's own
 * setup must fail cleanly too (it once mapped frame 0 and destroyed an
 * address space it never made). */
static void
no_frame_at_all_fails_before_anything_is_made(struct ktest *t)
{
	expect_enomem_with_frames_left(t, 0);
	expect_enomem_with_frames_left(t, 1);
}

KTEST_SUITE(loader,
	KTEST_CASE(a_good_file_loads_text_read_only_and_bss_zeroed),
	KTEST_CASE(bad_headers_are_refused),
	KTEST_CASE(bad_segments_are_refused),
	KTEST_CASE(running_out_of_frames_midway_is_enomem_and_leaks_nothing),
	KTEST_CASE(no_frame_at_all_fails_before_anything_is_made));
