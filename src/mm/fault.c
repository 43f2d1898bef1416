/*
 * Page faults, for the trap dispatch (src/kernel/trap.c). Two faults are
 * expected: the first touch of a heap page a program was promised under
 * vm=lazy, which fault_handle() maps, and a write to a copy-on-write
 * page after fork, which it copies. Every other fault is fatal, and the
 * job here is to explain it in the words a student needs: which access,
 * why the MMU refused it, and what lives at that address.
 */
#include <brk.h>
#include <console.h>
#include <cow.h>
#include <fault.h>
#include <format.h>
#include <kheap.h>
#include <layout.h>
#include <mmu.h>
#include <physmem.h>
#include <uspace.h>
#include <vmm.h>
#include <x86.h>

extern char boot_stack_guard[];

static bool
within(uintptr_t a, const void *start, const void *end)
{
	return a >= (uintptr_t)start && a < (uintptr_t)end;
}

const char *
fault_region(uintptr_t a)
{
	if (a < PAGE_SIZE)
		return "the null page";
	if (a < USER_LIMIT)
		return "user space";
	if (within(a, boot_stack_guard, boot_stack_guard + PAGE_SIZE))
		return "the guard page under the kernel stack";
	if (within(a, text_start, text_end))
		return "kernel text";
	if (within(a, rodata_start, rodata_end))
		return "kernel read-only data";
	if (within(a, data_start, kernel_end))
		return "kernel data";
	if (a >= KSTACK_BASE && a < KSTACK_BASE + KSTACK_SLOTS * KSTACK_SLOT_SIZE)
		return (a - KSTACK_BASE) % KSTACK_SLOT_SIZE < PAGE_SIZE ? "the guard page under a process's kernel stack"
									: "a process's kernel stack";
	if (a >= KHEAP_BASE && a < KHEAP_LIMIT)
		return "the kernel heap region";
	if (a >= PMM_META_BASE && a < PMM_META_LIMIT)
		return "the " PHYSMEM_PMM_DATA_NAME;
	if (a >= KMAP_BASE && a < KMAP_BASE + KMAP_SLOTS * PAGE_SIZE)
		return "a kmap window";
	if (a >= RECURSIVE_BASE)
		return "the page tables (recursive mapping)";
	return "unused kernel space";
}

/* Why the MMU said no, from the error code and the address. */
static const char *
reason(uint32_t error, uintptr_t addr)
{
	bool kernel_touching_user = !(error & PF_USER) && addr < USER_LIMIT;

	if (error & PF_RESERVED)
		return "a reserved bit is set in its page entry";
	if (!(error & PF_PRESENT))
		return "not present";
	if (kernel_touching_user && (error & PF_FETCH) && (read_cr4() & CR4_SMEP))
		return "a user page run by the kernel (SMEP)";
	if (kernel_touching_user && !(error & PF_FETCH) && (read_cr4() & CR4_SMAP))
		return "a user page touched by the kernel (SMAP)";
	if ((error & PF_USER) && addr >= USER_LIMIT)
		return "a kernel page (user access denied)";
	if (error & PF_WRITE)
		return "read-only";
	return "protection violation";   /* no other cause is known on i386 */
}

char *
fault_describe_region(uint32_t error, uintptr_t addr, const char *region, char *buf, size_t size)
{
	const char *access = error & PF_FETCH ? "execute" : error & PF_WRITE ? "write" : "read";

	snprintf(buf, size, "%s at 0x%08x: %s (%s)", access, (uint32_t)addr, reason(error, addr), region);
	return buf;
}

char *
fault_describe(uint32_t error, uintptr_t addr, char *buf, size_t size)
{
	return fault_describe_region(error, addr, fault_region(addr), buf, size);
}

void
fault_explain(uint32_t error, uintptr_t addr)
{
	char line[128];

	kprintf("    page fault: %s\n", fault_describe(error, addr, line, sizeof(line)));
	if (kheap_guard_describe(addr, line, sizeof(line)))
		kprintf("    guard page: %s\n", line);
}

bool
fault_handle(uint32_t error, uintptr_t addr)
{
	struct user_space *us = uspace_current();

	if (us == NULL || addr >= USER_LIMIT)
		return false;
	if (!(error & PF_PRESENT))
		return brk_fault_in(us, addr);
	return (error & PF_WRITE) && cow_break(&us->as, addr) == 0;
}
