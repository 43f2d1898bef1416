/*
 * Tests of src/base/symbols.c and src/base/backtrace.c: addresses in
 * the kernel's code resolve to their function and offset, other addresses
 * to nothing, and the saved-ebp chain leads from a nested call back to the
 * test and on to kmain, without ever faulting on a corrupt chain. Names
 * exist only when the loader passed the symbol table (GRUB, not QEMU
 * -kernel): those cases skip without it.
 */
#include <backtrace.h>
#include <console.h>
#include <ktest.h>
#include <stdbool.h>
#include <symbols.h>

#define CHAIN_MAX 32

static void
need_symbols(struct ktest *t)
{
	if (symbols_count() == 0)
		ktest_skip(t, "no symbol table (QEMU -kernel passes no ELF section headers)");
}

/* noipa: neither inlined nor cloned under another name (foo.constprop.0),
 * so each keeps its own frame and name. The empty asm after each call
 * keeps it from becoming a tail call, which would reuse the frame. */
__attribute__((noipa)) static int
collect_inner(uint32_t *eips, int max)
{
	int n = backtrace_collect((uint32_t)(uintptr_t)__builtin_frame_address(0), eips, max);
	__asm__ volatile("" ::: "memory");
	return n;
}

__attribute__((noipa)) static int
collect_outer(uint32_t *eips, int max)
{
	int n = collect_inner(eips, max);
	__asm__ volatile("" ::: "memory");
	return n;
}

static void
function_start_resolves_to_its_name_at_offset_0(struct ktest *t)
{
	uint32_t offset = 99;

	need_symbols(t);
	KEXPECT_STREQ(t, symbols_lookup((uint32_t)(uintptr_t)kprintf, &offset), "kprintf");
	KEXPECT_EQ(t, offset, 0);
}

static void
address_inside_function_resolves_with_its_offset(struct ktest *t)
{
	uint32_t offset = 99;

	need_symbols(t);
	KEXPECT_STREQ(t, symbols_lookup((uint32_t)(uintptr_t)kprintf + 5, &offset), "kprintf");
	KEXPECT_EQ(t, offset, 5);
}

static void
return_address_resolves_to_the_calling_function(struct ktest *t)
{
	uint32_t eips[CHAIN_MAX], offset = 99;

	need_symbols(t);
	KASSERT_GE(t, collect_outer(eips, CHAIN_MAX), 1);
	KEXPECT_STREQ(t, symbols_lookup_return(eips[0], &offset), "collect_outer");
	KEXPECT_EQ(t, offset, eips[0] - (uint32_t)(uintptr_t)collect_outer);
	/* A return address is looked up one byte back: the first byte of a
	 * function is where a call at the end of the one before returns. */
	KEXPECT_FALSE(t, ktest_streq(symbols_lookup_return((uint32_t)(uintptr_t)kprintf, NULL), "kprintf"));
}

static void
address_outside_any_function_resolves_to_null(struct ktest *t)
{
	static const char in_rodata[] = "not code";

	need_symbols(t);
	KEXPECT_NULL(t, symbols_lookup(0x1000, NULL));
	KEXPECT_NULL(t, symbols_lookup((uint32_t)(uintptr_t)in_rodata, NULL));
	KEXPECT_NULL(t, symbols_lookup(0xFFFFF000, NULL));
}

static void
backtrace_from_nested_helper_names_the_callers(struct ktest *t)
{
	uint32_t eips[CHAIN_MAX];

	need_symbols(t);
	int n = collect_outer(eips, CHAIN_MAX);
	__asm__ volatile("" ::: "memory");
	KASSERT_GE(t, n, 2);
	KEXPECT_STREQ(t, symbols_lookup_return(eips[0], NULL), "collect_outer");
	KEXPECT_STREQ(t, symbols_lookup_return(eips[1], NULL), __func__);
}

static void
backtrace_reaches_kmain_and_ends(struct ktest *t)
{
	uint32_t eips[CHAIN_MAX];
	bool kmain_seen = false;

	need_symbols(t);
	int n = collect_outer(eips, CHAIN_MAX);
	__asm__ volatile("" ::: "memory");
	KEXPECT_LT(t, n, CHAIN_MAX);    /* it stopped at entry.asm's ebp 0 */
	for (int i = 0; i < n; i++)
		kmain_seen |= ktest_streq(symbols_lookup_return(eips[i], NULL), "kmain");
	KEXPECT_TRUE(t, kmain_seen);
	/* kmain returns into entry.asm, the chain's last frame. */
	KEXPECT_STREQ(t, symbols_lookup_return(eips[n - 1], NULL), "higher_half");
}

static void
backtrace_collect_walks_frames_without_symbols(struct ktest *t)
{
	uint32_t eips[CHAIN_MAX];

	/* Needs no names: frames are frames. */
	int n = collect_outer(eips, CHAIN_MAX);
	__asm__ volatile("" ::: "memory");
	KEXPECT_GE(t, n, 3);
	KEXPECT_LT(t, n, CHAIN_MAX);
	KEXPECT_EQ(t, backtrace_collect((uint32_t)(uintptr_t)__builtin_frame_address(0), eips, 2), 2);
}

static void
corrupt_chain_stops_without_faulting(struct ktest *t)
{
	uint32_t eips[CHAIN_MAX];
	uint32_t to_unmapped[2] = { 0xDEAD0000, 0xC0101234 };
	uint32_t to_itself[2] = { 0, 0xC0105678 };

	to_itself[0] = (uint32_t)(uintptr_t)to_itself;
	KEXPECT_EQ(t, backtrace_collect(0, eips, CHAIN_MAX), 0);
	KEXPECT_EQ(t, backtrace_collect(0x1000, eips, CHAIN_MAX), 0);       /* user space */
	KEXPECT_EQ(t, backtrace_collect(0xDEAD0000, eips, CHAIN_MAX), 0);   /* not mapped */
	KEXPECT_EQ(t, backtrace_collect((uint32_t)(uintptr_t)to_unmapped + 1, eips, CHAIN_MAX), 0);
	KEXPECT_EQ(t, backtrace_collect((uint32_t)(uintptr_t)to_unmapped, eips, CHAIN_MAX), 1);
	KEXPECT_EQ(t, eips[0], 0xC0101234);
	KEXPECT_EQ(t, backtrace_collect((uint32_t)(uintptr_t)to_itself, eips, CHAIN_MAX), 1);
	KEXPECT_EQ(t, backtrace_collect(0xFFFFFFFC, eips, CHAIN_MAX), 0);   /* past the kernel half */
}

KTEST_SUITE(symbols,
	KTEST_CASE(function_start_resolves_to_its_name_at_offset_0),
	KTEST_CASE(address_inside_function_resolves_with_its_offset),
	KTEST_CASE(return_address_resolves_to_the_calling_function),
	KTEST_CASE(address_outside_any_function_resolves_to_null),
	KTEST_CASE(backtrace_from_nested_helper_names_the_callers),
	KTEST_CASE(backtrace_reaches_kmain_and_ends),
	KTEST_CASE(backtrace_collect_walks_frames_without_symbols),
	KTEST_CASE(corrupt_chain_stops_without_faulting));
