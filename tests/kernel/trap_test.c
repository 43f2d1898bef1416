/*
 * Tests of src/kernel/trap.c: real exceptions arrive on the right vector
 * with the right error code, and the report decodes error codes in words.
 */
#include <gdt.h>
#include <ktest.h>
#include <string.h>
#include <mmu.h>
#include <trap.h>
#include <x86.h>

static void
divide_by_zero(void *arg)
{
	/* In assembly: the compiler may rewrite a C division by a constant
	 * zero, or 1/x, without any div instruction. */
	__asm__ volatile("xor %%ecx, %%ecx; div %%ecx" : : : "eax", "ecx", "edx");
}

static void
breakpoint(void *arg)
{
	__asm__ volatile("int3");
}

static void
load_bad_selector(void *arg)
{
	__asm__ volatile("mov %0, %%ds" : : "r"(0xFFF8) : "memory");
}

static void
write_unmapped(void *arg)
{
	*(volatile uint32_t *)0xDEAD0000 = 1;
}

/* A vector nothing uses: raising it in the kernel is a fatal trap, which
 * a recovery point catches. */
#define T_TEST_VECTOR 0x81

/* A program may enter the kernel with AC set (popf in ring 3 can). Under
 * SMAP that would open every user page to the kernel until the trap
 * returns: the entry path must clear it. */
static void
the_kernel_runs_with_ac_clear_whatever_came_in(struct ktest *t)
{
	static struct trap_recovery r;  /* outlives the longjmp */

	r.vector = T_TEST_VECTOR;
	if (setjmp(r.env) == 0) {
		trap_set_recovery(&r);
		__asm__ volatile("pushfl; orl %0, (%%esp); popfl; int %1"
				 : : "i"(EFLAGS_AC), "i"(T_TEST_VECTOR) : "memory", "cc");
		trap_set_recovery(NULL);
	}
	KEXPECT_EQ(t, r.frame.vector, T_TEST_VECTOR);
	KEXPECT_EQ(t, r.frame.eflags & EFLAGS_AC, EFLAGS_AC);  /* it came in set */
	KEXPECT_EQ(t, r.eflags_inside & EFLAGS_AC, 0);          /* and ran clear */
	__asm__ volatile("pushfl; andl %0, (%%esp); popfl" : : "i"(~EFLAGS_AC) : "cc");
}

static void
divide_error_arrives_as_vector_0(struct ktest *t)
{
	struct trapframe tf;

	KASSERT_TRUE(t, ktest_catch_fault(T_DIVIDE, divide_by_zero, NULL, &tf, NULL));
	KEXPECT_EQ(t, tf.vector, T_DIVIDE);
	KEXPECT_EQ(t, tf.cs, SEG_KERNEL_CODE);
}

static void
int3_arrives_as_breakpoint(struct ktest *t)
{
	struct trapframe tf;

	KASSERT_TRUE(t, ktest_catch_fault(T_BREAKPOINT, breakpoint, NULL, &tf, NULL));
	KEXPECT_EQ(t, tf.vector, T_BREAKPOINT);
	KEXPECT_EQ(t, tf.error, 0);
}

static void
bad_selector_gpf_names_the_selector(struct ktest *t)
{
	struct trapframe tf;
	char words[64];

	KASSERT_TRUE(t, ktest_catch_fault(T_GPF, load_bad_selector, NULL, &tf, NULL));
	KEXPECT_EQ(t, tf.error, 0xFFF8);
	KEXPECT_STREQ(t, trap_describe_error(&tf, words, sizeof(words)), "GDT selector 0xfff8");
}

static void
page_fault_reports_address_and_write(struct ktest *t)
{
	struct trapframe tf;
	uint32_t cr2;

	KASSERT_TRUE(t, ktest_catch_fault(T_PAGE_FAULT, write_unmapped, NULL, &tf, &cr2));
	KEXPECT_EQ(t, cr2, 0xDEAD0000);
	KEXPECT_EQ(t, tf.error & (PF_PRESENT | PF_WRITE | PF_USER), PF_WRITE);
}

static void
page_fault_error_code_in_words(struct ktest *t)
{
	struct trapframe tf = { .vector = T_PAGE_FAULT, .error = PF_PRESENT | PF_WRITE | PF_USER };
	char words[96];

	KEXPECT_STREQ(t, trap_describe_error(&tf, words, sizeof(words)),
		      "protection violation, write, user mode");
	tf.error = PF_FETCH;
	KEXPECT_STREQ(t, trap_describe_error(&tf, words, sizeof(words)),
		      "not-present page, instruction fetch, kernel mode");
}

static void
idt_vector_error_code_in_words(struct ktest *t)
{
	/* What `int $0x21` from ring 3 produces: the IDT bit and the vector. */
	struct trapframe tf = { .vector = T_GPF, .error = 0x21 << 3 | SELERR_IDT };
	char words[64];

	KEXPECT_STREQ(t, trap_describe_error(&tf, words, sizeof(words)), "IDT vector 0x21");
}

static void
exceptions_have_names(struct ktest *t)
{
	KEXPECT_STREQ(t, trap_name(T_PAGE_FAULT), "Page fault");
	KEXPECT_STREQ(t, trap_mnemonic(T_GPF), "#GP");
	KEXPECT_STREQ(t, trap_name(15), "Reserved");
	KEXPECT_NULL(t, trap_name(0x40));
}

KTEST_SUITE(trap,
	KTEST_CASE(divide_error_arrives_as_vector_0),
	KTEST_CASE(int3_arrives_as_breakpoint),
	KTEST_CASE(bad_selector_gpf_names_the_selector),
	KTEST_CASE(page_fault_reports_address_and_write),
	KTEST_CASE(page_fault_error_code_in_words),
	KTEST_CASE(idt_vector_error_code_in_words),
	KTEST_CASE(exceptions_have_names),
	KTEST_CASE(the_kernel_runs_with_ac_clear_whatever_came_in));
