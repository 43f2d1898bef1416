/*
 * Faults on demand. A student who boots with crash=pagefault sees the
 * report the kernel prints for a bug of that kind; the test runner boots
 * crash=triplefault to prove a kernel that resets is counted as failing.
 */
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

static const struct {
	const char *name;
	void (*provoke)(void);
} kinds[] = {
	{ "divide", divide_by_zero },
	{ "breakpoint", breakpoint },
	{ "gpf", general_protection },
	{ "pagefault", page_fault },
	{ "panic", kernel_panic },
	{ "stackoverflow", stack_overflow },
	{ "doublefree", double_free },
	{ "triplefault", triple_fault },
};

void
crash_on_request(const char *kind, size_t len)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strlen(kinds[i].name) == len && memcmp(kinds[i].name, kind, len) == 0) {
			kprintf("crash: provoking '%s' as asked\n", kinds[i].name);
			kinds[i].provoke();
			kprintf("crash: '%s' came back?\n", kinds[i].name);
			return;
		}
	}
	kprintf("crash: unknown kind '%.*s' ignored; known:", (int)len, kind);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		kprintf(" %s", kinds[i].name);
	kprintf("\n");
}
