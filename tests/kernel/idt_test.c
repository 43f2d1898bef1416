/*
 * Tests of src/kernel/idt.c: ring 3 may raise one vector with `int`, the
 * system call; every other gate is DPL 0, and the double fault's is a
 * task gate (its own stack, src/kernel/tss.c).
 */
#include <gdt.h>
#include <idt.h>
#include <ktest.h>
#include <trap.h>
#include <x86.h>

static void
only_the_system_call_gate_is_open_to_ring_3(struct ktest *t)
{
	struct table_register r;

	sidt(&r);
	KASSERT_EQ(t, r.limit + 1u, T_VECTORS * sizeof(struct idt_gate));
	const struct idt_gate *idt = (const struct idt_gate *)(uintptr_t)r.base;
	unsigned wrongly_open = T_VECTORS;      /* the first vector that should not be */
	for (unsigned v = 0; v < T_VECTORS; v++) {
		unsigned dpl = (idt[v].type >> GATE_DPL_SHIFT) & 3;
		if (v != T_SYSCALL && dpl != 0 && wrongly_open == T_VECTORS)
			wrongly_open = v;
	}
	KEXPECT_EQ(t, wrongly_open, T_VECTORS);
	KEXPECT_EQ(t, (idt[T_SYSCALL].type >> GATE_DPL_SHIFT) & 3, 3);
}

static void
every_gate_turns_interrupts_off_but_the_double_fault_task(struct ktest *t)
{
	struct table_register r;

	sidt(&r);
	const struct idt_gate *idt = (const struct idt_gate *)(uintptr_t)r.base;
	for (unsigned v = 0; v < T_VECTORS; v++) {
		KEXPECT_TRUE(t, idt[v].type & GATE_PRESENT);
		if (v == T_DOUBLE_FAULT) {
			KEXPECT_EQ(t, idt[v].type & GATE_TYPE_MASK, GATE_TASK);
			KEXPECT_EQ(t, idt[v].selector, SEG_DOUBLE_FAULT_TSS);
		} else {
			KEXPECT_EQ(t, idt[v].type & GATE_TYPE_MASK, GATE_INTERRUPT32);
			KEXPECT_EQ(t, idt[v].selector, SEG_KERNEL_CODE);
		}
	}
}

static void
sysenter_is_shut(struct ktest *t)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & (1u << 11)))
		ktest_skip(t, "this CPU has no sysenter");
	KEXPECT_EQ(t, rdmsr(MSR_SYSENTER_CS), 0);
}

KTEST_SUITE(idt,
	KTEST_CASE(only_the_system_call_gate_is_open_to_ring_3),
	KTEST_CASE(every_gate_turns_interrupts_off_but_the_double_fault_task),
	KTEST_CASE(sysenter_is_shut));
