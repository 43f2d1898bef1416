/*
 * Tests of SMEP, SMAP and the user-copy routines (src/mm/uaccess.c). The
 * SMEP and SMAP cases need a CPU that has them (QEMU -cpu max): on others
 * they are skipped, and scripts/test-all.sh runs both kinds.
 */
#include <cairn/errno.h>
#include <kmap.h>
#include <ktest.h>
#include <mmu.h>
#include <layout.h>
#include <trap.h>
#include <uaccess.h>
#include <vmm.h>

#define USER_VA 0x40000000u

static paddr_t mapped;

/* Maps one zeroed user page at USER_VA in the current space. */
static bool
map_user_page(uint32_t flags)
{
	mapped = pmm_alloc();
	if (mapped == PMM_NO_FRAME)
		return false;
	void *w = kmap(mapped);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		((uint8_t *)w)[i] = 0xC3;       /* ret, for the SMEP test */
	kunmap(w);
	return vmm_map(vmm_kernel_space(), USER_VA, mapped, flags | PTE_USER) == 0;
}

static void
unmap_user_page(void)
{
	vmm_unmap(vmm_kernel_space(), USER_VA, NULL);
	pmm_free(mapped);
}

static void read_user(void *arg) { (void)*(volatile uint32_t *)USER_VA; }
static void run_user(void *arg) { ((void (*)(void))USER_VA)(); }

static void
copies_to_and_from_user_memory(struct ktest *t)
{
	char in[16] = "cairn", out[16] = { 0 };

	KASSERT_TRUE(t, map_user_page(PTE_WRITABLE));
	KEXPECT_EQ(t, copy_to_user((void *)(USER_VA + 100), in, sizeof(in)), 0);
	KEXPECT_EQ(t, copy_from_user(out, (void *)(USER_VA + 100), sizeof(out)), 0);
	KEXPECT_STREQ(t, out, "cairn");
	unmap_user_page();
}

static void
bad_user_ranges_are_refused(struct ktest *t)
{
	char buf[16];

	KASSERT_TRUE(t, map_user_page(0));      /* read-only */
	KEXPECT_EQ(t, copy_to_user((void *)USER_VA, buf, 4), -EFAULT);          /* not writable */
	KEXPECT_EQ(t, copy_from_user(buf, (void *)(USER_VA + PAGE_SIZE - 2), 4), -EFAULT);  /* runs off */
	KEXPECT_EQ(t, copy_from_user(buf, (void *)KERNEL_BASE, 4), -EFAULT);    /* kernel memory */
	KEXPECT_EQ(t, copy_from_user(buf, (void *)(USER_LIMIT - 2), 4), -EFAULT);
	KEXPECT_EQ(t, copy_from_user(buf, (void *)0xFFFFFFF0, 32), -EFAULT);    /* wraps */
	KEXPECT_EQ(t, copy_from_user(buf, NULL, 4), -EFAULT);                   /* unmapped */
	KEXPECT_EQ(t, copy_from_user(buf, (void *)USER_VA, 4), 0);
	unmap_user_page();
}

static void
smap_stops_stray_kernel_reads_of_user_memory(struct ktest *t)
{
	struct trapframe tf;

	if (!uaccess_smap_enabled())
		ktest_skip(t, "this CPU has no SMAP (try QEMU -cpu max)");
	KASSERT_TRUE(t, map_user_page(PTE_WRITABLE));
	KEXPECT_TRUE(t, ktest_catch_fault(T_PAGE_FAULT, read_user, NULL, &tf, NULL));
	KEXPECT_EQ(t, tf.error & (PF_PRESENT | PF_USER), PF_PRESENT);
	unmap_user_page();
}

static void
smep_stops_the_kernel_running_user_code(struct ktest *t)
{
	struct trapframe tf;

	if (!uaccess_smep_enabled())
		ktest_skip(t, "this CPU has no SMEP (try QEMU -cpu max)");
	KASSERT_TRUE(t, map_user_page(0));
	KEXPECT_TRUE(t, ktest_catch_fault(T_PAGE_FAULT, run_user, NULL, &tf, NULL));
	KEXPECT_EQ(t, tf.error & (PF_PRESENT | PF_FETCH), PF_PRESENT | PF_FETCH);
	unmap_user_page();
}

KTEST_SUITE(uaccess,
	KTEST_CASE(copies_to_and_from_user_memory),
	KTEST_CASE(bad_user_ranges_are_refused),
	KTEST_CASE(smap_stops_stray_kernel_reads_of_user_memory),
	KTEST_CASE(smep_stops_the_kernel_running_user_code));
