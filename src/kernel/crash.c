/*
 * Faults on demand. A student who boots with crash=pagefault sees the
 * report the kernel prints for a bug of that kind; the test runner boots
 * crash=triplefault to prove a kernel that resets is counted as failing.
 */
#include <bootargs.h>
#include <console.h>
#include <crash.h>
#include <kheap.h>
#include <panic.h>
#include <stdint.h>
#include <string.h>

static void
divide_by_zero(void)
{
	/* In assembly: the compiler may rewrite a C division by a constant
	 * zero, or 1/x, without any div instruction. */
	__asm__ volatile("xor %%ecx, %%ecx; div %%ecx" : : : "eax", "ecx", "edx");
}

static void
breakpoint(void)
{
	__asm__ volatile("int3");
}

/* Loading a bad selector into a segment register. */
static void
general_protection(void)
{
	__asm__ volatile("mov %0, %%ds" : : "r"(0xFFF8) : "memory");
}

/* Where the pointer comes from is hidden from the compiler: a plain
 * write through NULL is undefined, and gcc turns it into a trap. */
static volatile uintptr_t null_pointer;

static void
page_fault(void)
{
	*(volatile uint32_t *)null_pointer = 1;   /* the classic: through a null pointer */
}

static void
kernel_panic(void)
{
	panic("crash=panic asked for a panic");
}

/* With an empty IDT no exception can be delivered: the CPU double
 * faults, cannot deliver that either, and resets (a triple fault). */
static void
triple_fault(void)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) empty = { 0, 0 };

	__asm__ volatile("lidt %0; int3" : : "m"(empty));
}

/* Each call pushes a kilobyte until the stack runs into its guard page.
 * The depth limit is never reached; it only tells the compiler so. */
static int __attribute__((noinline))
recurse(int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	if (depth > 1000000)
		return frame[0];
	return recurse(depth + 1) + frame[0];
}

static void
stack_overflow(void)
{
	recurse(0);
}

/* The heap's corruption checks turn a double free into a panic. */
static void
double_free(void)
{
	void *p = kmalloc(40);

	kfree(p);
	kfree(p);
}

/* crash=KIND: the kinds by name, and what provokes each, in one order. */
static const char *const kinds[] = {
	"divide", "breakpoint", "gpf", "pagefault", "panic", "stackoverflow", "doublefree", "triplefault", NULL,
};
static void (*const provoke[])(void) = {
	divide_by_zero, breakpoint, general_protection, page_fault, kernel_panic, stack_overflow,
	double_free, triple_fault,
};
_Static_assert(sizeof(provoke) / sizeof(provoke[0]) == sizeof(kinds) / sizeof(kinds[0]) - 1,
	       "one function for each kind");

static int asked = -1;          /* the index of the kind asked for */

static const char *
crash_option(const struct bootarg *arg)
{
	asked = arg->choice;
	return NULL;
}
BOOTARG(crash, BOOTARG_VALUE, kinds, "provoke a fault to see its report", crash_option);

void
crash_if_asked(void)
{
	if (asked < 0)
		return;
	kprintf("crash: provoking '%s' as asked\n", kinds[asked]);
	provoke[asked]();
	kprintf("crash: '%s' came back?\n", kinds[asked]);
}
