/*
 * Tests of src/kernel/gdt.c and the descriptors src/kernel/tss.c adds:
 * the only descriptors ring 3 may use are its two flat segments, there is
 * no LDT to plant descriptors in, and the TSS opens no I/O port.
 */
#include <gdt.h>
#include <ktest.h>
#include <trap.h>
#include <tss.h>
#include <x86.h>

static const struct gdt_descriptor *
gdt_table(unsigned *entries)
{
	struct table_register r;

	sgdt(&r);
	*entries = (r.limit + 1u) / sizeof(struct gdt_descriptor);
	return (const struct gdt_descriptor *)(uintptr_t)r.base;
}

static void
the_ldt_is_the_null_selector(struct ktest *t)
{
	KEXPECT_EQ(t, sldt(), 0);
}

/* The selector a hostile program far-calls: LDT entry 0x200, RPL 3, whose
 * descriptor LDTR's reset state (base 0) would read from linear 0x1000. */
#define LDT_GATE_SELECTOR 0x1007

static void
far_call_through_the_ldt(void *arg)
{
	__asm__ volatile("lcall %0, $0" : : "i"(LDT_GATE_SELECTOR) : "memory");
}

static void
load_ldt_selector_into_fs(void *arg)
{
	__asm__ volatile("mov %0, %%fs" : : "r"(0x000F) : "memory");   /* LDT entry 1 */
}

static void
an_ldt_far_call_is_a_gpf_naming_the_selector(struct ktest *t)
{
	struct trapframe tf;
	char words[64];

	KASSERT_TRUE(t, ktest_catch_fault(T_GPF, far_call_through_the_ldt, NULL, &tf, NULL));
	KEXPECT_EQ(t, tf.error, LDT_GATE_SELECTOR & ~3u);
	KEXPECT_STREQ(t, trap_describe_error(&tf, words, sizeof(words)), "LDT selector 0x1000");
}

static void
an_ldt_selector_cannot_be_loaded(struct ktest *t)
{
	struct trapframe tf;

	KASSERT_TRUE(t, ktest_catch_fault(T_GPF, load_ldt_selector_into_fs, NULL, &tf, NULL));
	KEXPECT_EQ(t, tf.error, 0x000Cu);
	__asm__ volatile("mov %0, %%fs" : : "r"(SEG_KERNEL_DATA));
}

/* Ring 3 may load a descriptor whose DPL is 3: only the user code and
 * data segments may have it, and no descriptor may be a gate or an LDT
 * (system descriptors here are TSSs, DPL 0: no task switch from ring 3). */
static void
only_the_user_segments_are_open_to_ring_3(struct ktest *t)
{
	unsigned n;
	const struct gdt_descriptor *gdt = gdt_table(&n);

	KEXPECT_EQ(t, n, GDT_ENTRIES);
	for (unsigned i = 1; i < n; i++) {
		const struct gdt_descriptor *d = &gdt[i];
		unsigned selector = i * sizeof(*d);
		if (!(d->access & ACCESS_PRESENT))
			continue;
		if (gdt_descriptor_dpl(d) == 3) {
			KEXPECT_TRUE(t, selector == (SEG_USER_CODE & ~3u) || selector == (SEG_USER_DATA & ~3u));
			KEXPECT_TRUE(t, d->access & ACCESS_SEGMENT);
		}
		if (!(d->access & ACCESS_SEGMENT)) {
			unsigned type = d->access & ACCESS_TYPE_MASK;
			KEXPECT_TRUE(t, type == ACCESS_TSS32 || type == ACCESS_TSS32_BUSY);
			KEXPECT_EQ(t, gdt_descriptor_dpl(d), 0);
		}
	}
}

/* Both TSSs: an I/O map base past the limit means no bitmap at all. */
static void
the_tss_opens_no_io_port(struct ktest *t)
{
	unsigned n;
	const struct gdt_descriptor *gdt = gdt_table(&n);
	const uint16_t selectors[] = { SEG_TSS, SEG_DOUBLE_FAULT_TSS };

	KEXPECT_EQ(t, str(), SEG_TSS);
	for (unsigned i = 0; i < 2; i++) {
		const struct gdt_descriptor *d = &gdt[selectors[i] >> 3];
		const struct tss *tss = (const struct tss *)(uintptr_t)gdt_descriptor_base(d);
		uint32_t limit = d->limit_low | (uint32_t)(d->limit_high_flags & 0x0F) << 16;
		KEXPECT_GT(t, tss->iomap_base, limit);
	}
}

KTEST_SUITE(gdt,
	KTEST_CASE(the_ldt_is_the_null_selector),
	KTEST_CASE(an_ldt_far_call_is_a_gpf_naming_the_selector),
	KTEST_CASE(an_ldt_selector_cannot_be_loaded),
	KTEST_CASE(only_the_user_segments_are_open_to_ring_3),
	KTEST_CASE(the_tss_opens_no_io_port));
