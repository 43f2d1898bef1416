/*
 * System calls: `int $0x80` from ring 3 lands in syscall() with
 * the user's registers in a trapframe: the number in eax, arguments in
 * ebx, ecx, edx. The result goes back in eax. Every pointer a program
 * passes is checked (src/mm/uaccess.c); a bad one is -EFAULT, never a
 * kernel fault.
 */
#include <brk.h>
#include <cairn/errno.h>
#include <cairn/syscall.h>
#include <console.h>
#include <cow.h>
#include <idt.h>
#include <process.h>
#include <sched.h>
#include <timer.h>
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
sys_fork(struct trapframe *tf)
{
	return process_fork(tf);
}

/* exec(name): the name is copied in a byte at a time, so a string that
 * runs into unmapped memory is -EFAULT, not a kernel fault. */
static int32_t
sys_exec(struct trapframe *tf)
{
	char name[PROCESS_NAME_MAX];
	uint32_t from = tf->ebx;

	for (size_t i = 0;; i++) {
		if (i == sizeof(name))
			return -ENAMETOOLONG;
		if (copy_from_user(&name[i], (const void *)(uintptr_t)(from + i), 1) < 0)
			return -EFAULT;
		if (name[i] == '\0')
			break;
	}
	return process_exec(tf, name);
}

static int32_t
sys_waitpid(struct trapframe *tf)
{
	return process_wait((int)tf->ebx, tf->ecx, (int)tf->edx);
}

static int32_t
sys_getppid(struct trapframe *tf)
{
	struct process *parent = process_current()->parent;

	return parent ? parent->pid : 0;
}

static int32_t
sys_yield(struct trapframe *tf)
{
	sched_yield();
	return 0;
}

static int32_t
sys_kill(struct trapframe *tf)
{
	return process_kill_pid((int)tf->ebx, (int)tf->ecx);
}

/* sleep_ticks(n): at most a day, so the wake tick cannot wrap past now. */
static int32_t
sys_sleep(struct trapframe *tf)
{
	if (tf->ebx > SLEEP_TICKS_MAX)
		return -EINVAL;
	sched_sleep(tf->ebx);
	return 0;
}

static int32_t
sys_uptime(struct trapframe *tf)
{
	return (int32_t)timer_ticks();
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
		.shared_pages = cow_shared_pages(&us->as),
		.kernel_frames = KSTACK_PAGES,
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
	[SYS_fork] = sys_fork,
	[SYS_exec] = sys_exec,
	[SYS_waitpid] = sys_waitpid,
	[SYS_getppid] = sys_getppid,
	[SYS_yield] = sys_yield,
	[SYS_kill] = sys_kill,
	[SYS_sleep] = sys_sleep,
	[SYS_uptime] = sys_uptime,
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
