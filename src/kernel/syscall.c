/*
 * System calls: `int $0x80` from ring 3 lands in syscall_dispatch() with
 * the user's registers in a trapframe: the number in eax, arguments in
 * ebx, ecx, edx. The result goes back in eax. Every pointer a program
 * passes is checked (src/mm/uaccess.c); a bad one is -EFAULT, never a
 * kernel fault.
 */
#include <brk.h>
#include <cairn/errno.h>
#include <cairn/syscall.h>
#include <console.h>
#include <idt.h>
#include <process.h>
#include <syscall.h>
#include <trap.h>
#include <uaccess.h>

#define WRITE_CHUNK 256         /* bytes copied in per round */

static int32_t
sys_exit(struct trapframe *tf)
{
	process_exit((int)tf->ebx);
}

static int32_t
sys_write(struct trapframe *tf)
{
	int fd = (int)tf->ebx;
	const char *buf = (const char *)(uintptr_t)tf->ecx;
	uint32_t len = tf->edx;
	char chunk[WRITE_CHUNK];

	if (fd != 1 && fd != 2)
		return -EBADF;
	if (len > INT32_MAX || !uaccess_range_ok((uintptr_t)buf, len, false))
		return -EFAULT;
	for (uint32_t done = 0; done < len;) {
		uint32_t n = len - done < WRITE_CHUNK ? len - done : WRITE_CHUNK;
		if (process_out_of_time())
			return (int32_t)done;   /* a short write; the call's end kills it */
		if (copy_from_user(chunk, buf + done, n) < 0)
			return done ? (int32_t)done : -EFAULT;
		for (uint32_t i = 0; i < n; i++)
			console_putc(chunk[i]);
		done += n;
	}
	return (int32_t)len;
}

static int32_t
sys_getpid(struct trapframe *tf)
{
	return process_current()->pid;
}

static int32_t
sys_brk(struct trapframe *tf)
{
	return brk_set(&process_current()->mem, tf->ebx);
}

/* Returns the old break; an error comes back as -errno, -4095..-1. A
 * break above 0x80000000 is negative too as an int32_t, but never that
 * close to 0xFFFFFFFF: breaks lie below 0xC0000000. */
static int32_t
sys_sbrk(struct trapframe *tf)
{
	uint32_t old;
	int error = brk_grow(&process_current()->mem, (int32_t)tf->ebx, &old);

	return error ? error : (int32_t)old;
}

static int32_t
sys_meminfo(struct trapframe *tf)
{
	struct user_space *us = &process_current()->mem;
	uint32_t frames = vmm_space_frames(&us->as), tables = vmm_space_tables(&us->as);
	struct meminfo info = {
		.free_frames = pmm_free_frames(),
		.total_frames = pmm_total_frames(),
		.mapped_pages = frames - tables,
		.table_frames = tables,
		.reserved_pages = us->promised,
		.heap_start = us->heap_start,
		.heap_break = us->brk,
	};

	return copy_to_user((void *)(uintptr_t)tf->ebx, &info, sizeof(info));
}

typedef int32_t syscall_fn(struct trapframe *tf);

static syscall_fn *const syscalls[SYS_COUNT] = {
	[SYS_exit] = sys_exit,
	[SYS_write] = sys_write,
	[SYS_getpid] = sys_getpid,
	[SYS_brk] = sys_brk,
	[SYS_sbrk] = sys_sbrk,
	[SYS_meminfo] = sys_meminfo,
};

void
syscall(struct trapframe *tf)
{
	uint32_t number = tf->eax;

	tf->eax = (uint32_t)(number < SYS_COUNT && syscalls[number] ? syscalls[number](tf) : -ENOSYS);
	process_check_time();           /* the kernel's time was the program's */
}

void
syscall_init(void)
{
	idt_allow_user(SYSCALL_VECTOR);
}
