/*
 * The two TSSs. The kernel's is the one the CPU uses for ring 3 -> ring 0
 * stack switches, and the one it saves the interrupted state into when a
 * double fault switches to the double-fault task. That task has its own
 * stack: a double fault caused by an overflowing kernel stack (the push of
 * the page-fault frame itself faulted) cannot use the broken one.
 */
#include <backtrace.h>
#include <console.h>
#include <gdt.h>
#include <idt.h>
#include <layout.h>
#include <mmu.h>
#include <paging.h>
#include <panic.h>
#include <symbols.h>
#include <trap.h>
#include <tss.h>
#include <x86.h>

#define TSS_ACCESS  (ACCESS_PRESENT | ACCESS_TSS32)  /* DPL 0: no task switch from ring 3 */
#define DOUBLE_FAULT_STACK_SIZE 4096

extern char boot_stack_guard[], boot_stack_top[];
extern pte_t kernel_page_directory[];

static struct tss kernel_tss;
static struct tss double_fault_tss;
static uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));

/* Runs as its own task: the state at the fault is in kernel_tss. */
static void __attribute__((noreturn))
double_fault_task(void)
{
	const struct tss *t = &kernel_tss;

	console_report_fatal();
	kprintf("\n*** CPU exception 8: Double fault (#DF) in %s mode\n", (t->cs & 3) ? "user" : "kernel");
	/* Did the stack run into an unmapped page (a guard page)? esp points
	 * at the last push that worked: the faulting one was just below it. */
	if (t->esp - 4 >= KERNEL_BASE && !paging_kernel_present(t->esp - 4))
		kprintf("    kernel stack overflow: esp 0x%08x is at %s\n"
			"    (a fault could not push its frame, so the CPU raised a double fault)\n", t->esp,
			(t->esp - 4) >> PAGE_SHIFT == (uint32_t)(uintptr_t)boot_stack_guard >> PAGE_SHIFT
				? "the guard page under the boot stack" : "an unmapped page under a kernel stack");
	char where[64];
	kprintf("    eip 0x%08x%s  cs 0x%04x  eflags 0x%08x  cr2 0x%08x\n", t->eip,
		symbols_format(t->eip, 0, where, sizeof(where)), t->cs, t->eflags, read_cr2());
	kprintf("    eax 0x%08x  ebx 0x%08x  ecx 0x%08x  edx 0x%08x\n", t->eax, t->ebx, t->ecx, t->edx);
	kprintf("    esi 0x%08x  edi 0x%08x  ebp 0x%08x  esp 0x%08x\n", t->esi, t->edi, t->ebp, t->esp);
	backtrace_print(t->ebp, t->eip);
	kprintf("System halted.\n");
	panic_stop();
}

void
tss_init(void)
{
	kernel_tss.ss0 = SEG_KERNEL_DATA;
	kernel_tss.esp0 = (uint32_t)(uintptr_t)boot_stack_top;
	kernel_tss.iomap_base = sizeof(struct tss);    /* no I/O bitmap: ring 3 gets no ports */

	double_fault_tss = (struct tss){
		.cr3 = kernel_virt_to_phys(kernel_page_directory),
		.eip = (uint32_t)(uintptr_t)double_fault_task,
		.eflags = 0x2,                  /* bit 1 is always set; interrupts off */
		.esp = (uint32_t)(uintptr_t)(double_fault_stack + DOUBLE_FAULT_STACK_SIZE),
		.cs = SEG_KERNEL_CODE,
		.ss = SEG_KERNEL_DATA, .ds = SEG_KERNEL_DATA, .es = SEG_KERNEL_DATA,
		.fs = SEG_KERNEL_DATA, .gs = SEG_KERNEL_DATA,
		.iomap_base = sizeof(struct tss),
	};
	gdt_set_system_entry(SEG_TSS, (uint32_t)(uintptr_t)&kernel_tss, sizeof(struct tss) - 1, TSS_ACCESS);
	gdt_set_system_entry(SEG_DOUBLE_FAULT_TSS, (uint32_t)(uintptr_t)&double_fault_tss,
			     sizeof(struct tss) - 1, TSS_ACCESS);
	ltr(SEG_TSS);
	idt_set_task_gate(T_DOUBLE_FAULT, SEG_DOUBLE_FAULT_TSS);
}

void
tss_set_kernel_stack(uint32_t esp0)
{
	kernel_tss.esp0 = esp0;
}
