/*
 * SMEP stops the kernel from running user code; SMAP from reading or
 * writing user memory by accident (a stray user pointer in the kernel is
 * a classic exploit). Deliberate access opens SMAP's window with stac and
 * closes it with clac, both only valid on a CPU with SMAP. UMIP, the
 * other way round, stops user code from reading where the kernel's
 * tables are (sgdt, sidt, sldt, str, smsw).
 */
#include <brk.h>
#include <cairn/errno.h>
#include <cow.h>
#include <layout.h>
#include <mmu.h>
#include <string.h>
#include <uaccess.h>
#include <uspace.h>
#include <vmm.h>
#include <x86.h>

#define CPUID_LEAF_FEATURES7 7
#define CPUID7_EBX_SMEP     (1u << 7)
#define CPUID7_EBX_SMAP     (1u << 20)
#define CPUID7_ECX_UMIP     (1u << 2)

static bool smep, smap, umip;

void
uaccess_init(void)
{
	uint32_t max, b, c, d, ebx, ecx;

	write_cr4(read_cr4() & ~CR4_PCE);       /* no performance counters for ring 3 */
	cpuid(0, 0, &max, &b, &c, &d);
	if (max < CPUID_LEAF_FEATURES7)
		return;
	cpuid(CPUID_LEAF_FEATURES7, 0, &b, &ebx, &ecx, &d);
	smep = ebx & CPUID7_EBX_SMEP;
	smap = ebx & CPUID7_EBX_SMAP;
	umip = ecx & CPUID7_ECX_UMIP;
	write_cr4(read_cr4() | (smep ? CR4_SMEP : 0) | (smap ? CR4_SMAP : 0) | (umip ? CR4_UMIP : 0));
}

bool uaccess_smep_enabled(void) { return smep; }
bool uaccess_smap_enabled(void) { return smap; }
bool uaccess_umip_enabled(void) { return umip; }

static void
user_window_open(void)
{
	if (smap)
		__asm__ volatile("stac" ::: "memory");
}

static void
user_window_close(void)
{
	if (smap)
		__asm__ volatile("clac" ::: "memory");
}

/* Makes one user page ready for the access, as the CPU's fault would: a
 * promised heap page mapped (vm=lazy), a copy-on-write page copied for a
 * write. Then checks its rights. Returns 0, -EFAULT, or -ENOMEM when a
 * copy-on-write copy found no frame. */
static int
prepare_page(struct address_space *as, uintptr_t page, bool for_write)
{
	uint32_t need = PTE_PRESENT | PTE_USER | (for_write ? PTE_WRITABLE : 0);
	struct user_space *us = uspace_current();
	uint32_t flags;

	if (vmm_query(as, page, &flags) < 0) {
		if (us == NULL || !brk_fault_in(us, page) || vmm_query(as, page, &flags) < 0)
			return -EFAULT;
	}
	if (for_write && (flags & PTE_COW)) {
		int error = cow_break(as, page);
		if (error)
			return error;
		vmm_query(as, page, &flags);
	}
	return (flags & need) == need ? 0 : -EFAULT;
}

/* Every page of [addr, addr + len) prepared: 0, -EFAULT or -ENOMEM. */
static int
prepare_range(uintptr_t addr, size_t len, bool for_write)
{
	struct address_space current = { vmm_current_directory() };

	if (len == 0)
		return 0;
	if (addr >= USER_LIMIT || len > USER_LIMIT - addr)
		return -EFAULT;         /* kernel memory, or wrapping past it */
	for (uintptr_t page = page_round_down(addr); page < addr + len; page += PAGE_SIZE) {
		int error = prepare_page(&current, page, for_write);
		if (error)
			return error;
	}
	return 0;
}

bool
uaccess_range_ok(uintptr_t addr, size_t len, bool for_write)
{
	return prepare_range(addr, len, for_write) == 0;
}

int
copy_from_user(void *dst, const void *user_src, size_t len)
{
	if (!uaccess_range_ok((uintptr_t)user_src, len, false))
		return -EFAULT;
	user_window_open();
	memcpy(dst, user_src, len);
	user_window_close();
	return 0;
}

int
copy_to_user(void *user_dst, const void *src, size_t len)
{
	int error = prepare_range((uintptr_t)user_dst, len, true);

	if (error)
		return error;
	user_window_open();
	memcpy(user_dst, src, len);
	user_window_close();
	return 0;
}
