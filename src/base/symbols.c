/*
 * Function names for fault reports. GRUB loads the kernel's .symtab and
 * .strtab (sections no program header covers) somewhere in physical
 * memory and passes the section headers (Multiboot info bit 5), each
 * loaded section's physical address in sh_addr. symbols_init() copies the
 * code symbols and the string table into static arrays before
 * physmem_init() runs, so the loader's copies need no reservation: the
 * frame allocator may hand those frames out afterwards. A lookup is a
 * linear scan: reports are rare and the table is a few hundred entries.
 */
#include <console.h>
#include <elf.h>
#include <kmap.h>
#include <multiboot.h>
#include <stdbool.h>
#include <format.h>
#include <symbols.h>

#define SECTIONS_MAX    64      /* section headers read; kernel.elf has ~17 */
#define SYM_BATCH       32      /* symbols copied per phys_read */

struct symbol {
	uint32_t addr;
	uint32_t size;          /* a label's reaches the end of its section */
	uint32_t name;          /* offset into names[] */
	bool label;             /* an assembly or linker-script label, not a C function */
};

static struct symbol symbols[SYMBOLS_MAX];
static unsigned nsymbols;
static char names[SYMBOL_NAMES_MAX];
static uint32_t names_size;

static int
read_section(const struct multiboot_info *mbi, uint32_t i, Elf32_Shdr *sh)
{
	return phys_read(sh, (uint64_t)mbi->elf_addr + (uint64_t)i * mbi->elf_size, sizeof(*sh));
}

/* Reads the section headers: fills code_end[i] with the end address of
 * section i if it holds code (else 0), and finds the symbol table and its
 * string table. Returns 0, or -1 after saying why there are no names. */
static int
find_tables(const struct multiboot_info *mbi, uint32_t *code_end, Elf32_Shdr *symtab, Elf32_Shdr *strtab)
{
	uint32_t count = mbi->elf_num < SECTIONS_MAX ? mbi->elf_num : SECTIONS_MAX;
	bool found = false;
	Elf32_Shdr sh;

	for (uint32_t i = 0; i < count; i++) {
		if (read_section(mbi, i, &sh) < 0)
			return -1;
		bool code = (sh.sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) == (SHF_ALLOC | SHF_EXECINSTR);
		code_end[i] = code ? sh.sh_addr + sh.sh_size : 0;
		if (sh.sh_type == SHT_SYMTAB && !found) {
			*symtab = sh;
			found = true;
		}
	}
	if (!found) {
		kprintf("symbols: the kernel has no symbol table (stripped?): reports show bare addresses\n");
		return -1;
	}
	if (symtab->sh_link >= mbi->elf_num || read_section(mbi, symtab->sh_link, strtab) < 0 ||
	    strtab->sh_type != SHT_STRTAB || strtab->sh_size == 0 ||
	    symtab->sh_entsize != sizeof(Elf32_Sym)) {
		kprintf("symbols: malformed symbol table (link %u, entry size %u): ignored\n",
			symtab->sh_link, symtab->sh_entsize);
		return -1;
	}
	if (symtab->sh_addr == 0 || strtab->sh_addr == 0) {
		kprintf("symbols: the loader did not load the symbol table: reports show bare addresses\n");
		return -1;
	}
	return 0;
}

static int
copy_names(const Elf32_Shdr *strtab)
{
	names_size = strtab->sh_size < SYMBOL_NAMES_MAX ? strtab->sh_size : SYMBOL_NAMES_MAX;
	if (strtab->sh_size > SYMBOL_NAMES_MAX)
		kprintf("symbols: string table of %u bytes, keeping the first %u (raise SYMBOL_NAMES_MAX)\n",
			strtab->sh_size, SYMBOL_NAMES_MAX);
	if (phys_read(names, strtab->sh_addr, names_size) < 0) {
		names_size = 0;
		return -1;
	}
	names[names_size - 1] = '\0';   /* a name cut at the end stays a C string */
	return 0;
}

/* Keeps s if it names code: a C function, or a label in a code section
 * (trap_stub_14, higher_half), whose extent is unknown. */
static void
keep_symbol(const Elf32_Sym *s, const uint32_t *code_end, unsigned *dropped)
{
	unsigned type = ELF32_ST_TYPE(s->st_info);

	if ((type != STT_FUNC && type != STT_NOTYPE) || s->st_shndx == SHN_UNDEF ||
	    s->st_shndx >= SECTIONS_MAX || code_end[s->st_shndx] <= s->st_value ||
	    s->st_name == 0 || s->st_name >= names_size)
		return;
	if (nsymbols == SYMBOLS_MAX) {
		(*dropped)++;
		return;
	}
	bool label = s->st_size == 0;
	symbols[nsymbols++] = (struct symbol){
		.addr = s->st_value,
		.size = label ? code_end[s->st_shndx] - s->st_value : s->st_size,
		.name = s->st_name,
		.label = label,
	};
}

static void
copy_symbols(const Elf32_Shdr *symtab, const uint32_t *code_end)
{
	Elf32_Sym batch[SYM_BATCH];
	uint32_t total = symtab->sh_size / sizeof(Elf32_Sym);
	unsigned dropped = 0;

	for (uint32_t first = 0; first < total; first += SYM_BATCH) {
		uint32_t n = total - first < SYM_BATCH ? total - first : SYM_BATCH;
		if (phys_read(batch, (uint64_t)symtab->sh_addr + first * sizeof(Elf32_Sym), n * sizeof(Elf32_Sym)) < 0)
			break;
		for (uint32_t i = 0; i < n; i++)
			keep_symbol(&batch[i], code_end, &dropped);
	}
	if (dropped)
		kprintf("symbols: %u code symbols beyond the %u kept (raise SYMBOLS_MAX)\n", dropped, SYMBOLS_MAX);
}

void
symbols_init(void)
{
	const struct multiboot_info *mbi = multiboot_info();
	uint32_t code_end[SECTIONS_MAX];
	Elf32_Shdr symtab = { 0 }, strtab = { 0 };

	if (!(mbi->flags & MULTIBOOT_INFO_ELF_SHDR)) {
		kprintf("symbols: the loader passed no ELF section headers (Multiboot flags 0x%08x, "
			"bit 5 clear): reports show bare addresses\n", mbi->flags);
		return;
	}
	if (mbi->elf_size < sizeof(Elf32_Shdr)) {
		kprintf("symbols: section headers of %u bytes, too small for ELF32: ignored\n", mbi->elf_size);
		return;
	}
	if (mbi->elf_num > SECTIONS_MAX)
		kprintf("symbols: %u sections, reading the first %u\n", mbi->elf_num, SECTIONS_MAX);
	if (find_tables(mbi, code_end, &symtab, &strtab) < 0 || copy_names(&strtab) < 0)
		return;
	copy_symbols(&symtab, code_end);
	kprintf("symbols: %u code symbols, %u bytes of names\n", nsymbols, names_size);
}

unsigned
symbols_count(void)
{
	return nsymbols;
}

const char *
symbols_lookup(uint32_t addr, uint32_t *offset)
{
	const struct symbol *best = NULL;

	/* The nearest symbol at or below addr; at one address a C function
	 * wins over a label (text_start and the first function share one). */
	for (unsigned i = 0; i < nsymbols; i++) {
		const struct symbol *s = &symbols[i];
		if (s->addr > addr)
			continue;
		if (best == NULL || s->addr > best->addr ||
		    (s->addr == best->addr && best->label && !s->label))
			best = s;
	}
	if (best == NULL || addr - best->addr >= best->size)
		return NULL;
	if (offset)
		*offset = addr - best->addr;
	return names + best->name;
}

const char *
symbols_lookup_return(uint32_t ret, uint32_t *offset)
{
	const char *name = symbols_lookup(ret - 1, offset);

	if (name && offset)
		(*offset)++;
	return name;
}

char *
symbols_format(uint32_t addr, unsigned flags, char *buf, size_t size)
{
	uint32_t offset;
	const char *name = flags & SYMBOLS_RETURN_ADDRESS ? symbols_lookup_return(addr, &offset)
							  : symbols_lookup(addr, &offset);

	if (name)
		snprintf(buf, size, " <%s+0x%x>", name, offset);
	else if (size > 0)
		buf[0] = '\0';
	return buf;
}
