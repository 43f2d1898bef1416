/*
 * The virtual memory manager: walking, filling and emptying page tables.
 * A walk opens the directory and then the page table that holds va's
 * entry: for the current address space both are already visible through
 * the recursive mapping; for another one they are kmap()ed for the
 * duration of the walk. Kernel addresses use the kernel's own tables,
 * shared by every address space (src/mm/paging.c).
 */
#include <cairn/errno.h>
#include <kmap.h>
#include <layout.h>
#include <paging.h>
#include <string.h>
#include <vmm.h>
#include <x86.h>

extern pte_t kernel_page_directory[ENTRIES_PER_TABLE];

/* Where a walk found va's entry, and the windows to close afterwards. */
struct walk {
	pte_t *pte;
	void *directory_window;
	void *table_window;
};

static struct address_space kernel_space;

struct address_space *
vmm_kernel_space(void)
{
	kernel_space.directory = kernel_virt_to_phys(kernel_page_directory);
	return &kernel_space;
}

paddr_t
vmm_current_directory(void)
{
	return read_cr3() & PTE_FRAME_MASK;
}

static bool
is_current(const struct address_space *as)
{
	return as->directory == vmm_current_directory();
}

static bool
is_user_address(uintptr_t va)
{
	return va < USER_LIMIT;
}

/* Addresses no caller may map: the page tables themselves and kmap()'s
 * windows, which only kmap() manages. */
static bool
is_reserved_address(uintptr_t va)
{
	return va >= RECURSIVE_BASE || (va >= KMAP_BASE && va < KMAP_BASE + KMAP_SLOTS * PAGE_SIZE);
}

/* ------------------------------------------------------------ the walk */

static pte_t *
open_directory(struct address_space *as, void **window)
{
	if (is_current(as)) {
		*window = NULL;
		return (pte_t *)RECURSIVE_DIRECTORY;
	}
	*window = kmap(as->directory);
	return *window;
}

static pte_t *
open_table(struct address_space *as, uint32_t pdi, pte_t pde, void **window)
{
	if (is_current(as)) {
		*window = NULL;
		return (pte_t *)recursive_table_address(pdi);
	}
	*window = kmap(pde & PTE_FRAME_MASK);
	return *window;
}

static void
walk_close(struct walk *w)
{
	if (w->table_window)
		kunmap(w->table_window);
	if (w->directory_window)
		kunmap(w->directory_window);
	w->table_window = w->directory_window = NULL;
}

/* Gives a user page table to directory entry pdi: a zeroed frame. The
 * directory entry allows everything; each page's own entry decides. */
static int
add_page_table(pte_t *directory, uint32_t pdi)
{
	paddr_t table = pmm_alloc();

	if (table == PMM_NO_FRAME)
		return -ENOMEM;
	phys_zero(table);
	directory[pdi] = table | PTE_PRESENT | PTE_WRITABLE | PTE_USER;
	return 0;
}

/*
 * Finds va's page-table entry in as and leaves w->pte pointing at it,
 * valid until walk_close(w). With create, a missing user page table is
 * added; without, a missing one gives -ENOENT. Returns 0, -ENOENT or
 * -ENOMEM (then nothing is left open).
 */
static int
walk_open(struct address_space *as, uintptr_t va, bool create, struct walk *w)
{
	/* lab paging: begin walk_open */
	*w = (struct walk){ 0 };
	if (!is_user_address(va)) {
		w->pte = paging_kernel_pte(va);
		return 0;
	}
	pte_t *directory = open_directory(as, &w->directory_window);
	uint32_t pdi = pde_index(va);
	if (!(directory[pdi] & PTE_PRESENT)) {
		int error = create ? add_page_table(directory, pdi) : -ENOENT;
		if (error) {
			walk_close(w);
			return error;
		}
	}
	pte_t *table = open_table(as, pdi, directory[pdi], &w->table_window);
	w->pte = &table[pte_index(va)];
	return 0;
	/* lab paging: end */
}

/* A changed entry may still be cached in the TLB: drop it. Only the
 * current address space's entries (and the shared kernel ones) can be
 * there; a CR3 load flushed every other's. */
static void
flush(struct address_space *as, uintptr_t va)
{
	/* lab paging: begin flush */
	if (is_current(as) || !is_user_address(va))
		invlpg((void *)va);
	/* lab paging: end */
}

static int
check_request(uintptr_t va, uint32_t flags)
{
	if (!page_aligned(va) || is_reserved_address(va) || (flags & ~VMM_FLAGS))
		return -EINVAL;
	if ((flags & PTE_USER) && !is_user_address(va))
		return -EINVAL;         /* no user access to kernel memory */
	return 0;
}

/* ------------------------------------------------------------ mappings */

int
vmm_map(struct address_space *as, uintptr_t va, paddr_t pa, uint32_t flags)
{
	/* lab paging: begin vmm_map */
	struct walk w;
	int error = check_request(va, flags);

	if (error || !page_aligned(pa))
		return error ? error : -EINVAL;
	if ((error = walk_open(as, va, true, &w)) < 0)
		return error;
	if (*w.pte & PTE_PRESENT)
		error = -EEXIST;
	else
		*w.pte = pa | flags | PTE_PRESENT;   /* was not present: nothing cached */
	walk_close(&w);
	return error;
	/* lab paging: end */
}

static bool
table_is_empty(const pte_t *table)
{
	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
		if (table[i])
			return false;
	return true;
}

void
vmm_drop_table_if_empty(struct address_space *as, uintptr_t va)
{
	struct walk w;
	uint32_t pdi = pde_index(va);

	if (walk_open(as, va, false, &w) < 0)
		return;
	const pte_t *table = w.pte - pte_index(va);
	bool empty = table_is_empty(table);
	walk_close(&w);
	if (!empty)
		return;
	void *window;
	pte_t *directory = open_directory(as, &window);
	paddr_t frame = directory[pdi] & PTE_FRAME_MASK;
	directory[pdi] = 0;
	if (is_current(as))         /* the table's own recursive view */
		invlpg((void *)recursive_table_address(pdi));
	if (window)
		kunmap(window);
	pmm_free(frame);
}

/* Unmaps va; with drop, an emptied user page table goes back too. */
static int
unmap(struct address_space *as, uintptr_t va, paddr_t *pa, bool drop)
{
	/* lab paging: begin unmap */
	struct walk w;
	int error;

	if (!page_aligned(va) || is_reserved_address(va))
		return -EINVAL;
	if ((error = walk_open(as, va, false, &w)) < 0)
		return error;
	pte_t old = *w.pte;
	if (old & PTE_PRESENT) {
		*w.pte = 0;
		flush(as, va);
	}
	walk_close(&w);
	if (!(old & PTE_PRESENT))
		return -ENOENT;
	if (pa)
		*pa = old & PTE_FRAME_MASK;
	if (drop && is_user_address(va))
		vmm_drop_table_if_empty(as, va);
	return 0;
	/* lab paging: end */
}

int
vmm_unmap(struct address_space *as, uintptr_t va, paddr_t *pa)
{
	return unmap(as, va, pa, true);
}

int
vmm_unmap_keep_table(struct address_space *as, uintptr_t va, paddr_t *pa)
{
	return unmap(as, va, pa, false);
}

int
vmm_prepare_table(struct address_space *as, uintptr_t va)
{
	struct walk w;
	int error;

	if (!is_user_address(va))
		return -EINVAL;
	if ((error = walk_open(as, va, true, &w)) == 0)
		walk_close(&w);
	return error;
}

void
vmm_unmap_free(struct address_space *as, uintptr_t from, uintptr_t to)
{
	for (uintptr_t va = from; va < to; va += PAGE_SIZE) {
		paddr_t pa = 0;         /* (a half-written unmap() must not break the build) */
		if (vmm_unmap(as, va, &pa) == 0)
			pmm_free(pa);
	}
}

int
vmm_map_fresh(struct address_space *as, uintptr_t from, uintptr_t to, uint32_t flags)
{
	if ((to - from) / PAGE_SIZE > pmm_free_frames())
		return -ENOMEM;         /* fail before taking (and zeroing) any frame */
	for (uintptr_t va = from; va < to; va += PAGE_SIZE) {
		paddr_t pa = pmm_alloc();
		int error = pa == PMM_NO_FRAME ? -ENOMEM : 0;
		if (!error) {
			phys_zero(pa);
			error = vmm_map(as, va, pa, flags);
			if (error)
				pmm_free(pa);
		}
		if (error) {
			vmm_unmap_free(as, from, va);
			return error;
		}
	}
	return 0;
}

/* Reads va's entry; -ENOENT if there is none. */
static int
read_entry(struct address_space *as, uintptr_t va, pte_t *entry)
{
	struct walk w;
	int error;

	if (va >= RECURSIVE_BASE)
		return -ENOENT;
	if ((error = walk_open(as, page_round_down(va), false, &w)) < 0)
		return error;
	*entry = *w.pte;
	walk_close(&w);
	return *entry & PTE_PRESENT ? 0 : -ENOENT;
}

int
vmm_translate(struct address_space *as, uintptr_t va, paddr_t *pa)
{
	pte_t entry;
	int error = read_entry(as, va, &entry);

	if (error == 0)
		*pa = (entry & PTE_FRAME_MASK) | page_offset(va);
	return error;
}

int
vmm_query(struct address_space *as, uintptr_t va, uint32_t *flags)
{
	pte_t entry;
	int error = read_entry(as, va, &entry);

	if (error == 0)
		*flags = entry & PTE_FLAGS_MASK;
	return error;
}

int
vmm_protect(struct address_space *as, uintptr_t va, uint32_t flags)
{
	struct walk w;
	int error = check_request(va, flags);

	if (error || (error = walk_open(as, va, false, &w)) < 0)
		return error;
	if (*w.pte & PTE_PRESENT) {
		*w.pte = (*w.pte & ~(pte_t)VMM_FLAGS) | flags;
		flush(as, va);
	} else {
		error = -ENOENT;
	}
	walk_close(&w);
	return error;
}

/* ------------------------------------------------------------ address spaces */

int
vmm_space_create(struct address_space *as)
{
	paddr_t directory = pmm_alloc();

	if (directory == PMM_NO_FRAME)
		return -ENOMEM;
	pte_t *d = kmap(directory);
	memset(d, 0, KERNEL_PDE_FIRST * sizeof(pte_t));
	memcpy(d + KERNEL_PDE_FIRST, kernel_page_directory + KERNEL_PDE_FIRST,
	       KERNEL_PAGE_TABLES * sizeof(pte_t));
	d[RECURSIVE_PDE] = directory | PTE_PRESENT | PTE_WRITABLE;
	kunmap(d);
	as->directory = directory;
	return 0;
}

void
vmm_space_switch(struct address_space *as)
{
	write_cr3(as->directory);
}

/* Frees every page a user page table maps, then the table. */
static void
free_user_table(paddr_t table)
{
	pte_t *entries = kmap(table);

	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
		if ((entries[i] & PTE_PRESENT) && pmm_is_allocated(entries[i] & PTE_FRAME_MASK))
			pmm_free(entries[i] & PTE_FRAME_MASK);
	kunmap(entries);
	pmm_free(table);
}

int
vmm_space_destroy(struct address_space *as)
{
	if (as->directory == vmm_kernel_space()->directory)
		return -EINVAL;
	if (is_current(as))
		return -EBUSY;
	pte_t *d = kmap(as->directory);
	for (uint32_t pdi = 0; pdi < KERNEL_PDE_FIRST; pdi++)
		if (d[pdi] & PTE_PRESENT)
			free_user_table(d[pdi] & PTE_FRAME_MASK);
	kunmap(d);
	pmm_free(as->directory);
	as->directory = 0;
	return 0;
}

/* Present entries of a table that pass test (NULL: every present one). */
static uint32_t
count_in_table(paddr_t table, bool (*test)(pte_t entry))
{
	const pte_t *entries = kmap(table);
	uint32_t n = 0;

	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
		n += (entries[i] & PTE_PRESENT) && (test == NULL || test(entries[i]));
	kunmap((void *)entries);
	return n;
}

uint32_t
vmm_count_user_pages(struct address_space *as, bool (*test)(pte_t entry))
{
	const pte_t *d = kmap(as->directory);
	uint32_t n = 0;

	for (uint32_t pdi = 0; pdi < KERNEL_PDE_FIRST; pdi++)
		if (d[pdi] & PTE_PRESENT)
			n += count_in_table(d[pdi] & PTE_FRAME_MASK, test);
	kunmap((void *)d);
	return n;
}

uint32_t
vmm_space_frames(struct address_space *as)
{
	return vmm_space_tables(as) + vmm_count_user_pages(as, NULL);
}

uint32_t
vmm_space_tables(struct address_space *as)
{
	const pte_t *d = kmap(as->directory);
	uint32_t tables = 1;

	for (uint32_t pdi = 0; pdi < KERNEL_PDE_FIRST; pdi++)
		tables += (d[pdi] & PTE_PRESENT) != 0;
	kunmap((void *)d);
	return tables;
}
