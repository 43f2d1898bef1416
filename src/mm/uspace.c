/*
 * User spaces: a program's address space and heap bounds, and which one
 * is running. The running one is what a page fault (src/mm/fault.c) and a
 * copy to or from user memory (src/mm/uaccess.c) act on: mm/ knows it
 * without knowing what a process is.
 */
#include <bootargs.h>
#include <brk.h>
#include <cairn/errno.h>
#include <cow.h>
#include <mmu.h>
#include <uspace.h>

static struct user_space *current;
static bool lazy_heaps;                 /* vm=lazy */

enum { VM_EAGER, VM_LAZY };
static const char *const vm_modes[] = { [VM_EAGER] = "eager", [VM_LAZY] = "lazy", NULL };

static const char *
vm_option(const struct bootarg *arg)
{
	lazy_heaps = arg->choice == VM_LAZY;
	return NULL;
}
BOOTARG(vm, BOOTARG_VALUE, vm_modes,
	"how sbrk backs memory: vm=eager (at once, the default) or vm=lazy (on first touch)", vm_option);

int
uspace_create(struct user_space *us)
{
	*us = (struct user_space){ .lazy = lazy_heaps };
	return vmm_space_create(&us->as);
}

int
uspace_fork(struct user_space *child, struct user_space *parent)
{
	*child = *parent;
	child->as.directory = 0;
	child->promised = 0;
	if (pmm_reserve(parent->promised) < 0)
		return -ENOMEM;
	child->promised = parent->promised;
	if (vmm_space_create(&child->as) < 0 || cow_copy_space(&child->as, &parent->as) < 0) {
		uspace_destroy(child);
		return -ENOMEM;
	}
	return 0;
}

void
uspace_start_heap(struct user_space *us, uint32_t top)
{
	us->heap_start = us->brk = page_round_up(top);
}

void
uspace_switch(struct user_space *us)
{
	current = us;
	vmm_space_switch(us ? &us->as : vmm_kernel_space());
}

struct user_space *
uspace_current(void)
{
	return current;
}

void
uspace_destroy(struct user_space *us)
{
	brk_release(us);
	if (us->as.directory)
		vmm_space_destroy(&us->as);
	us->as.directory = 0;
}
