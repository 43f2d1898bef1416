/*
 * The ELF loader. A program is a static ELF32 i386 executable; its
 * program headers say which bytes of the file go where. Every field is
 * checked before it is used, since a module is just bytes: a bad file
 * ends as "killed (bad ELF: WHAT)", never as a kernel fault.
 */
#include <cairn/errno.h>
#include <elf.h>
#include <kmap.h>
#include <layout.h>
#include <loader.h>
#include <string.h>

#define MAX_PHDRS 16

/* The file's bytes [offset, offset + len) into dst; false if outside. */
static bool
read_file(uint32_t start, uint32_t size, uint32_t offset, void *dst, uint32_t len)
{
	if (offset > size || len > size - offset)
		return false;
	return phys_read(dst, (uint64_t)start + offset, len) == 0;
}

static const char *
check_header(const Elf32_Ehdr *e, uint32_t size)
{
	if (e->e_ident[EI_MAG0] != ELFMAG0 || e->e_ident[1] != ELFMAG1 ||
	    e->e_ident[2] != ELFMAG2 || e->e_ident[3] != ELFMAG3)
		return "not an ELF file";
	if (e->e_ident[EI_CLASS] != ELFCLASS32 || e->e_ident[EI_DATA] != ELFDATA2LSB)
		return "not 32-bit little-endian";
	if (e->e_machine != EM_386)
		return "not for the i386";
	if (e->e_type != ET_EXEC)
		return "not an executable";
	if (e->e_phentsize != sizeof(Elf32_Phdr) || e->e_phnum == 0 || e->e_phnum > MAX_PHDRS)
		return "bad program header table";
	if (e->e_phoff > size || (uint32_t)e->e_phnum * sizeof(Elf32_Phdr) > size - e->e_phoff)
		return "program headers outside the file";
	return NULL;
}

/* A loadable segment must lie in user space, at or above 64 KiB and
 * below the stack's guard page, without wrapping, and its file bytes in
 * the file. The low 64 KiB stay unmapped (as Linux's mmap_min_addr keeps
 * them): a program that could write there could plant descriptors where
 * a CPU with a stray LDT would read them, or data for a kernel NULL
 * dereference. */
static const char *
check_segment(const Elf32_Phdr *ph, uint32_t size)
{
	if (ph->p_filesz > ph->p_memsz)
		return "segment's file size exceeds its memory size";
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return "segment's bytes outside the file";
	if (ph->p_vaddr < USER_MIN_ADDRESS)
		return "segment in the low 64 KiB, which programs may not use";
	if (ph->p_memsz > USER_STACK_GUARD - ph->p_vaddr || ph->p_vaddr >= USER_STACK_GUARD)
		return "segment outside user space";
	return NULL;
}

static bool
overlaps(const struct program_image *img, uint32_t first, uint32_t end)
{
	for (unsigned i = 0; i < img->nsegments; i++)
		if (first < img->segment[i].end && img->segment[i].first < end)
			return true;
	return false;
}

/* Fills the page at va (a fresh frame) with the segment's bytes that fall
 * in it, zeroes the rest, and maps it. */
static int
load_page(struct address_space *as, uint32_t start, const Elf32_Phdr *ph, uint32_t va, bool writable)
{
	paddr_t pa = pmm_alloc();

	if (pa == PMM_NO_FRAME)
		return -ENOMEM;
	uint8_t *page = kmap(pa);
	memset(page, 0, PAGE_SIZE);
	/* File bytes [p_vaddr, p_vaddr + p_filesz) that land in [va, va + PAGE_SIZE). */
	uint32_t from = va > ph->p_vaddr ? va : ph->p_vaddr;
	uint32_t to = va + PAGE_SIZE < ph->p_vaddr + ph->p_filesz ? va + PAGE_SIZE : ph->p_vaddr + ph->p_filesz;
	if (from < to)
		phys_read(page + (from - va), (uint64_t)start + ph->p_offset + (from - ph->p_vaddr), to - from);
	kunmap(page);
	int error = vmm_map(as, va, pa, PTE_USER | (writable ? PTE_WRITABLE : 0));
	if (error)
		pmm_free(pa);
	return error;
}

static int
load_segment(struct address_space *as, uint32_t start, const Elf32_Phdr *ph, struct program_image *img)
{
	uint32_t first = page_round_down(ph->p_vaddr);
	uint32_t end = page_round_up(ph->p_vaddr + ph->p_memsz);
	bool writable = ph->p_flags & PF_W;

	img->segment[img->nsegments++] = (struct loaded_segment){ first, end, writable };
	for (uint32_t va = first; va < end; va += PAGE_SIZE) {
		int error = load_page(as, start, ph, va, writable);
		if (error)
			return error;
	}
	if (ph->p_vaddr + ph->p_memsz > img->top)
		img->top = ph->p_vaddr + ph->p_memsz;
	return 0;
}

static bool
entry_is_executable(const struct program_image *img, const Elf32_Phdr *ph, unsigned n, uint32_t entry)
{
	for (unsigned i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && entry >= ph[i].p_vaddr &&
		    entry - ph[i].p_vaddr < ph[i].p_memsz)
			return true;
	return false;
}

int
loader_load(struct address_space *as, uint32_t start, uint32_t size,
	    struct program_image *img, const char **why)
{
	Elf32_Ehdr e;
	Elf32_Phdr ph[MAX_PHDRS];

	*img = (struct program_image){ 0 };
	*why = "file too small for an ELF header";
	if (!read_file(start, size, 0, &e, sizeof(e)) || (*why = check_header(&e, size)) != NULL)
		return -ENOEXEC;
	read_file(start, size, e.e_phoff, ph, e.e_phnum * sizeof(Elf32_Phdr));
	*why = NULL;
	for (unsigned i = 0; i < e.e_phnum && !*why; i++) {
		if (ph[i].p_type != PT_LOAD || (ph[i].p_memsz == 0 && ph[i].p_filesz == 0))
			continue;       /* nothing to map (file bytes with no memory are refused) */
		*why = check_segment(&ph[i], size);
		if (!*why && img->nsegments >= LOADER_MAX_SEGMENTS)
			*why = "too many segments";
		if (!*why && overlaps(img, page_round_down(ph[i].p_vaddr),
				      page_round_up(ph[i].p_vaddr + ph[i].p_memsz)))
			*why = "segments overlap";
		if (!*why) {
			int error = load_segment(as, start, &ph[i], img);
			if (error)
				return error;
		}
	}
	if (!*why && img->nsegments == 0)
		*why = "nothing to load";
	if (!*why && !entry_is_executable(img, ph, e.e_phnum, e.e_entry))
		*why = "entry point outside the program's code";
	if (*why)
		return -ENOEXEC;
	img->entry = e.e_entry;
	return 0;
}
