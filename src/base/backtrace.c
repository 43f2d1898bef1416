/*
 * The backtrace in fault reports and panics: follow the saved-ebp chain
 * (include/backtrace.h) and name each return address. It runs when
 * something is already broken, so it trusts no frame: each is checked to
 * be mapped before it is read, and the walk only goes up the stack.
 */
#include <backtrace.h>
#include <console.h>
#include <layout.h>
#include <paging.h>
#include <stdbool.h>
#include <symbols.h>

/* Can the two words at ebp be read without faulting? */
static bool
frame_readable(uint32_t ebp)
{
	if (ebp % 4 != 0 || ebp < KERNEL_BASE || ebp > RECURSIVE_BASE - 8)
		return false;
	return paging_kernel_present(ebp) && paging_kernel_present(ebp + 4);
}

int
backtrace_collect(uint32_t ebp, uint32_t *eips, int max)
{
	int n = 0;

	while (n < max && ebp != 0 && frame_readable(ebp)) {
		const uint32_t *frame = (const uint32_t *)(uintptr_t)ebp;
		uint32_t next = frame[0];
		if (frame[1] == 0)
			break;
		eips[n++] = frame[1];
		if (next <= ebp)        /* the end (0), or a chain going the wrong way */
			break;
		ebp = next;
	}
	return n;
}

static void
print_frame(int n, uint32_t addr, const char *name, uint32_t offset)
{
	if (name)
		kprintf("    #%d 0x%08x %s+0x%x\n", n, addr, name, offset);
	else
		kprintf("    #%d 0x%08x\n", n, addr);
}

void
backtrace_print(uint32_t ebp, uint32_t eip)
{
	uint32_t eips[BACKTRACE_MAX];
	uint32_t offset = 0;
	int n = 0;

	kprintf("    backtrace:\n");
	if (eip != 0) {
		const char *name = symbols_lookup(eip, &offset);
		print_frame(n++, eip, name, offset);
	}
	int callers = backtrace_collect(ebp, eips, BACKTRACE_MAX - n);
	for (int i = 0; i < callers; i++) {
		const char *name = symbols_lookup_return(eips[i], &offset);
		print_frame(n++, eips[i], name, offset);
	}
	if (n == BACKTRACE_MAX)
		kprintf("    (at most %d frames shown)\n", BACKTRACE_MAX);
}
