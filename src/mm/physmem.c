/*
 * Physical memory at boot: read the firmware's map from the Multiboot
 * info, apply memmap= and mem=, sanitize it (src/mm/memmap.c), print it
 * as Linux does, keep everything the kernel still uses out of the usable
 * frames, and hand the rest to the frame allocator (src/mm/pmm.c), whose
 * own stack and bitmap come first out of those frames.
 */
#include <bootargs.h>
#include <cairn/errno.h>
#include <console.h>
#include <kmap.h>
#include <layout.h>
#include <memmap.h>
#include <multiboot.h>
#include <paging.h>
#include <panic.h>
#include <physmem.h>
#include <string.h>

#define FIRMWARE_MAP_MAX 8192           /* bytes of Multiboot map read */
#define FOUR_GIB        0x100000000ull
#define KIB             1024u

static struct memmap map;              /* zeroed: empty (memmap_init) */
static uint8_t firmware_map[FIRMWARE_MAP_MAX];
static struct boot_region reserved[PHYSMEM_RESERVED_MAX];
static unsigned nreserved;
static unsigned unlisted;       /* reserved, but beyond the list's room */
static struct pmm_range owned[PMM_RANGES_MAX];
static unsigned nowned;
static const char pmm_data[] = PHYSMEM_PMM_DATA_NAME;

int
physmem_read_firmware(struct memmap *m, const struct multiboot_info *mbi)
{
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP) {
		size_t len = mbi->mmap_length < FIRMWARE_MAP_MAX ? mbi->mmap_length : FIRMWARE_MAP_MAX;
		int n;
		if (len < mbi->mmap_length)
			kprintf("memmap: firmware map of %u bytes, reading the first %u\n",
				mbi->mmap_length, (unsigned)len);
		if (phys_read(firmware_map, mbi->mmap_addr, len) < 0)
			return -EFAULT;
		int error = memmap_read_multiboot(m, firmware_map, len, &n);
		if (error == -EINVAL)
			kprintf("memmap: malformed firmware map entry after %d entries; using those\n", n);
		if (m->nfirmware > 0)
			return 0;
		kprintf("memmap: the firmware map has no entry; trying the memory sizes\n");
	}
	if (mbi->flags & MULTIBOOT_INFO_MEMORY) {
		/* No map: only the sizes of memory below 1 MiB and above it. */
		memmap_add_firmware(m, 0, (uint64_t)mbi->mem_lower * KIB, MEMMAP_USABLE);
		memmap_add_firmware(m, PMM_LOW_LIMIT, (uint64_t)mbi->mem_upper * KIB, MEMMAP_USABLE);
		return 0;
	}
	return -EINVAL;
}

/* memmap= and mem= go straight into the map, which is empty until
 * physmem_init adds the firmware's entries beside them. */
static const char *
memmap_option(const struct bootarg *arg)
{
	int error = memmap_apply_edit(&map, arg->value, arg->len);

	if (error == -ENOSPC)
		return "too many memmap= options (32 at most)";
	return error < 0 ? "want SIZE@ADDR, SIZE$ADDR or SIZE#ADDR" : NULL;
}
BOOTARG(memmap, BOOTARG_VALUE, NULL,
	"edit the memory map: SIZE@ADDR usable, SIZE$ADDR reserved, SIZE#ADDR ACPI data", memmap_option);

static const char *
mem_option(const struct bootarg *arg)
{
	return memmap_apply_limit(&map, arg->value, arg->len) < 0 ? "want a size such as 64M" : NULL;
}
BOOTARG(mem, BOOTARG_VALUE, NULL, "ignore usable RAM at and above this size: mem=64M", mem_option);

static void
print_map(void)
{
	char line[MEMMAP_LINE_MAX];

	for (int i = 0; i < map.nfirmware; i++)
		if (memmap_format_firmware(&map, i, line, sizeof(line)) > 0)
			kprintf("%s\n", line);
	if (map.dropped)
		kprintf("memmap: %d entries beyond capacity ignored\n", map.dropped);
	for (int i = 0; i < map.nrange; i++) {
		memmap_format_range(&map, i, line, sizeof(line));
		kprintf("%s\n", line);
	}
}

/* The whole frames of usable RAM from 1 MiB up to 4 GiB. */
static void
collect_usable_frames(void)
{
	uint64_t base, frames;
	int cursor = 0;

	nowned = 0;
	while (nowned < PMM_RANGES_MAX &&
	       memmap_next_usable(&map, &cursor, PMM_LOW_LIMIT, FOUR_GIB, &base, &frames)) {
		owned[nowned].first = (pfn_t)(base >> PMM_FRAME_SHIFT);
		owned[nowned].end = owned[nowned].first + (pfn_t)frames;
		nowned++;
	}
}

/* Keeps bytes [first, end) away from the frame allocator. Every region
 * is reserved; only the first PHYSMEM_RESERVED_MAX are remembered for
 * printing and tests, the rest counted. */
static void
reserve(const char *what, uint64_t first, uint64_t end)
{
	if (end > FOUR_GIB)
		end = FOUR_GIB;
	if (first >= end)
		return;
	if (nreserved < PHYSMEM_RESERVED_MAX)
		reserved[nreserved++] = (struct boot_region){ what, first, end };
	else
		unlisted++;
	pfn_t f = (pfn_t)(first >> PMM_FRAME_SHIFT);
	pfn_t e = (pfn_t)((end + PMM_FRAME_SIZE - 1) >> PMM_FRAME_SHIFT);
	if (pmm_ranges_remove(owned, &nowned, PMM_RANGES_MAX, f, e) < 0)
		panic("physmem: no room to reserve %s", what);
}

static void
reserve_boot_data(void)
{
	reserve("kernel image", KERNEL_LOAD_PHYS, kernel_virt_to_phys(kernel_end));
	multiboot_each_boot_region(reserve);
}

/* Takes the first run of owned frames, at most max of them, for the
 * PMM's own use (start_pmm checked there are enough): one edit of the
 * ranges per run, not one per frame. Returns its first frame; *count
 * says how many. */
static pfn_t
take_first_run(uint32_t max, uint32_t *count)
{
	if (nowned == 0)
		panic("physmem: ran out of owned frames for the PMM's own data");
	pfn_t first = owned[0].first;
	*count = owned[0].end - first < max ? owned[0].end - first : max;
	pmm_ranges_remove(owned, &nowned, PMM_RANGES_MAX, first, first + *count);
	return first;
}

/* Remembers frames [pa, pa + pages pages) as the PMM's own, growing the
 * last region when they follow it (runs may skip holes). */
static void
note_metadata_run(paddr_t pa, uint32_t pages)
{
	struct boot_region *last = nreserved ? &reserved[nreserved - 1] : NULL;
	uint64_t end = (uint64_t)pa + (uint64_t)pages * PAGE_SIZE;

	if (last && last->what == pmm_data && last->end == pa)
		last->end = end;
	else if (nreserved < PHYSMEM_RESERVED_MAX)
		reserved[nreserved++] = (struct boot_region){ pmm_data, pa, end };
	else
		unlisted++;             /* taken from the owned ranges all the same */
}

/* Maps `pages` fresh frames at PMM_META_BASE and reserves them, a run of
 * contiguous frames at a time: at 3 GiB that is about 1000 pages, and
 * the boot's work must not grow with RAM. */
static void
map_pmm_metadata(uint32_t pages)
{
	uintptr_t va = PMM_META_BASE;

	if (PMM_META_BASE + (uint64_t)pages * PAGE_SIZE > PMM_META_LIMIT)
		panic("physmem: %u pages of PMM data do not fit below 0x%08x", pages, PMM_META_LIMIT);
	while (pages > 0) {
		uint32_t n;
		pfn_t first = take_first_run(pages, &n);
		paging_map_kernel_run(va, pmm_frame_address(first), n, PTE_WRITABLE);
		note_metadata_run(pmm_frame_address(first), n);
		va += n * PAGE_SIZE;
		pages -= n;
	}
}

static void
warn_console(const char *message)
{
	kprintf("%s\n", message);
}

/* Too little memory is the machine's fault, not a kernel bug: say how
 * much Cairn needs in one line and stop (leaving the emulator, with a
 * failure, when booted for tests). */
static void __attribute__((noreturn))
refuse_small_machine(uint32_t frames, uint32_t metadata_pages)
{
	uint32_t need = metadata_pages + PHYSMEM_MIN_FREE_FRAMES;

	console_report_fatal();
	kprintf("physmem: %u KiB of usable RAM above the kernel; Cairn needs at least %u KiB "
		"(%u for the frame allocator's own data, %u free): halting\n", frames * (PAGE_SIZE / KIB),
		need * (PAGE_SIZE / KIB), metadata_pages * (PAGE_SIZE / KIB), PHYSMEM_MIN_FREE_FRAMES * (PAGE_SIZE / KIB));
	panic_stop();
}

static void
start_pmm(void)
{
	uint32_t frames = pmm_ranges_frames(owned, nowned);
	uint32_t stack_bytes = page_round_up(frames * sizeof(pfn_t));
	uint32_t bitmap_bytes = page_round_up(pmm_bitmap_words(owned, nowned) * sizeof(uint32_t));
	uint32_t share_bytes = page_round_up(pmm_bitmap_words(owned, nowned) * 32); /* a byte a frame */
	uint32_t metadata_pages = (stack_bytes + bitmap_bytes + share_bytes) / PAGE_SIZE;

	if (frames < metadata_pages + PHYSMEM_MIN_FREE_FRAMES)
		refuse_small_machine(frames, metadata_pages);
	/* Both sizes were computed before the metadata frames left the owned
	 * ranges, so they are upper bounds. */
	map_pmm_metadata(metadata_pages);
	pfn_t *stack = (pfn_t *)PMM_META_BASE;
	uint32_t *bitmap = (uint32_t *)(PMM_META_BASE + stack_bytes);
	if (pmm_init(owned, nowned, stack, stack_bytes / sizeof(pfn_t), bitmap, warn_console) < 0)
		panic("physmem: pmm_init refused the owned ranges");
	pmm_share_init((uint8_t *)bitmap + bitmap_bytes);
}

void
physmem_init(void)
{
	if (physmem_read_firmware(&map, multiboot_info()) < 0)
		panic("physmem: the boot loader gave neither a memory map nor memory sizes "
		      "(Multiboot flags 0x%08x, bits 6 and 0 clear)", multiboot_info()->flags);
	memmap_sanitize(&map);          /* with memmap= and mem= already in */
	print_map();
	collect_usable_frames();
	reserve_boot_data();
	start_pmm();
	kprintf("pmm: %u frames free (%u KiB)\n", pmm_free_frames(), pmm_free_frames() * (PMM_FRAME_SIZE / KIB));
	physmem_print_reserved();
}

const struct memmap *
physmem_map(void)
{
	return &map;
}

unsigned
physmem_reserved(const struct boot_region **regions)
{
	*regions = reserved;
	return nreserved;
}

void
physmem_print_reserved(void)
{
	for (unsigned i = 0; i < nreserved; i++)
		kprintf("physmem: reserved [mem 0x%016llx-0x%016llx] %s\n", reserved[i].first,
			reserved[i].end - 1, reserved[i].what);
	if (unlisted)
		kprintf("physmem: and %u more reserved regions\n", unlisted);
}
