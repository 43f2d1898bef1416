/*
 * kmain: the boot sequence, one subsystem per line. src/boot/entry.asm
 * calls it on the boot stack with paging on and the kernel in the higher
 * half; it never returns.
 */
#include <bootargs.h>
#include <console.h>
#include <crash.h>
#include <demo.h>
#include <fpu.h>
#include <gdt.h>
#include <idt.h>
#include <kheap.h>
#include <ktest.h>
#include <monitor.h>
#include <multiboot.h>
#include <paging.h>
#include <panic.h>
#include <physmem.h>
#include <pic.h>
#include <power.h>
#include <process.h>
#include <syscall.h>
#include <symbols.h>
#include <timer.h>
#include <tss.h>
#include <uaccess.h>
#include <x86.h>

static void refuse_to_boot(uint32_t magic) __attribute__((noreturn));

static bool poweroff;           /* leave the emulator once the kernel is up */

/* After poweroff, a kernel that stops early must not hang either. */
static void
leave_with_failure(void)
{
	kprintf("poweroff: the kernel stopped early; leaving the emulator with a failure\n");
	machine_exit(EXIT_FAIL);
}

static const char *
poweroff_option(const struct bootarg *arg)
{
	poweroff = true;
	panic_set_stop_hook(leave_with_failure);
	return NULL;
}
BOOTARG(poweroff, BOOTARG_FLAG, NULL, "leave the emulator once the kernel is up", poweroff_option);

void
kmain(uint32_t magic, uint32_t info_phys)
{
	uint64_t start = rdtsc();       /* poweroff reports the boot's cost */

	console_init();                 /* COM1 and the VGA screen */
	if (!multiboot_magic_ok(magic))
		refuse_to_boot(magic);
	gdt_init();                     /* flat segments, ring 0 and 3 */
	idt_init();                     /* every exception gets a report */
	pic_init();                     /* interrupt lines off the exception vectors */
	tss_init();                     /* double faults on a stack of their own */
	fpu_init();                     /* x87 on, clean for every program */
	paging_init();                  /* drop the identity map; text read-only */
	uaccess_init();                 /* SMEP, SMAP and UMIP where the CPU has them */
	multiboot_init(info_phys);      /* copy what the loader handed over */
	kprintf("Cairn booting (loader: %s, command line: \"%s\")\n",
		multiboot_loader_name(), multiboot_cmdline());
	bootargs_init(multiboot_cmdline()); /* each option to its owner */
	symbols_init();                 /* function names for fault reports */
	physmem_init();                 /* memory map, frame allocator */
	kheap_init();                   /* kmalloc */
	syscall_init();                 /* int 0x80 for user programs */
	timer_init();                   /* 100 Hz: user programs' CPU time */

	crash_if_asked();               /* crash=KIND: a fault, to see its report */
	demo_run_requested();           /* demo=NAME: one chapter's point, shown */
	process_run_requested();        /* run=NAME,...: user programs */
	if (monitor_requested())        /* monitor: a prompt, until reboot or poweroff */
		monitor_run();
	if (ktest_requested())          /* test, test=SUITE,...: leave with the verdict */
		machine_exit(ktest_run_requested() ? EXIT_FAIL : EXIT_PASS);
	if (poweroff) {
		kprintf("poweroff: %llu TSC cycles from kmain to here; leaving the emulator\n",
			rdtsc() - start);
		machine_exit(EXIT_PASS);
	}
	kprintf("Cairn is up. Nothing more to do: halting.\n");
	halt_forever();
}

static void
refuse_to_boot(uint32_t magic)
{
	kprintf("Cairn must be started by a Multiboot loader (GRUB, or QEMU -kernel).\n"
		"EAX held 0x%08x at entry, not the Multiboot magic 0x%08x: halting.\n",
		magic, MULTIBOOT_BOOTLOADER_MAGIC);
	halt_forever();
}
