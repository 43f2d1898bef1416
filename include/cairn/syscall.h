/*
 * The system-call ABI, shared by the kernel (src/kernel/syscall.c) and the
 * user runtime. A program raises `int $0x80` with the call's number in
 * EAX and up to three arguments in EBX, ECX and EDX; the result comes back
 * in EAX: a value >= 0, or a negative errno (include/cairn/errno.h). The
 * runtime's wrappers turn -E into errno = E and a -1 result.
 *
 *   number        call                       returns
 *   1 SYS_exit    exit(int status)           does not return
 *   2 SYS_write   write(int fd, const void *buf, size_t len)
 *                                            bytes written; fd 1 and 2 are the
 *                                            console, others -EBADF; -EFAULT
 *   3 SYS_getpid  getpid(void)               the process id (1, 2, ...)
 *   4 SYS_brk     brk(void *addr)            0, or -ENOMEM / -EINVAL
 *   5 SYS_sbrk    sbrk(intptr_t increment)   the old break, or -ENOMEM /
 *                                            -EINVAL (as a negative number)
 *   6 SYS_meminfo meminfo(struct meminfo *)  0, or -EFAULT
 *   7 SYS_fork    fork(void)                 the child's pid in the parent, 0 in
 *                                            the child; -EAGAIN (the process
 *                                            table is full), -ENOMEM
 *   8 SYS_exec    exec(const char *name)     does not return: the program (a
 *                                            boot module) by that name replaces
 *                                            this one; -EFAULT, -ENAMETOOLONG,
 *                                            -ENOENT (no such program), -ENOEXEC
 *                                            (not a valid ELF), -ENOMEM, with
 *                                            the caller left as it was
 *   9 SYS_waitpid waitpid(int pid, int *status, int options)
 *                                            the pid of a child that ended (pid
 *                                            -1: any child), its status in
 *                                            *status (may be NULL) as
 *                                            <sys/wait.h> reads it; 0 with
 *                                            WNOHANG and no child ended yet;
 *                                            -ECHILD (no such child), -EFAULT
 *                                            (the child stays to be waited for),
 *                                            -EINVAL (bad pid or options)
 *  10 SYS_getppid getppid(void)              the parent's pid; 0 when the parent
 *                                            is the kernel (the runner)
 *  11 SYS_yield   yield(void)                0, after the other runnable
 *                                            processes have had a turn
 *  12 SYS_kill    kill(int pid, int signal)  0; signal SIGKILL ends pid, signal
 *                                            0 only checks; -ESRCH (no such
 *                                            process), -EPERM (not the caller or
 *                                            one of its descendants), -EINVAL
 *  13 SYS_sleep   sleep_ticks(unsigned n)    0, after at least n timer ticks
 *                                            (TIMER_HZ, 100, to a second);
 *                                            -EINVAL past SLEEP_TICKS_MAX
 *  14 SYS_uptime  uptime(void)               timer ticks since boot
 *   anything else                            -ENOSYS
 *
 * A call that writes into the caller's memory (meminfo, waitpid's
 * status) may also fail with -ENOMEM, nothing written, when the page is
 * shared copy-on-write after a fork and no frame is left for its copy.
 *
 * An exit status as waitpid() reports it, Linux's encoding: a process
 * that called exit(s) has (s & 0xFF) << 8; one the kernel ended has the
 * number of the signal that stands for why (WAIT_SIGNAL_*) in the low
 * seven bits.
 */
#ifndef CAIRN_SYSCALL_H
#define CAIRN_SYSCALL_H

#define SYSCALL_VECTOR  0x80

#define SYS_exit        1
#define SYS_write       2
#define SYS_getpid      3
#define SYS_brk         4
#define SYS_sbrk        5
#define SYS_meminfo     6
#define SYS_fork        7
#define SYS_exec        8
#define SYS_waitpid     9
#define SYS_getppid     10
#define SYS_yield       11
#define SYS_kill        12
#define SYS_sleep       13
#define SYS_uptime      14
#define SYS_COUNT       15      /* one past the last number */

#define TIMER_HZ        100     /* timer ticks a second (src/kernel/timer.c) */
#define SLEEP_TICKS_MAX (24u * 3600 * TIMER_HZ)  /* the longest sleep: a day */

/* waitpid's options. */
#define WNOHANG         1       /* return 0 at once if no child has ended */

/* Why the kernel ended a process, as the signal number Linux would use. */
#define WAIT_SIGNAL_ILL     4   /* an invalid or privileged instruction */
#define WAIT_SIGNAL_TRAP    5   /* a breakpoint or debug trap */
#define WAIT_SIGNAL_BUS     7   /* an alignment check */
#define WAIT_SIGNAL_FPE     8   /* a divide error, an FPU or SIMD error */
#define WAIT_SIGNAL_KILL    9   /* kill(pid, SIGKILL), or no memory for a copy-on-write page */
#define WAIT_SIGNAL_SEGV    11  /* a page fault or a protection fault */
#define WAIT_SIGNAL_XCPU    24  /* the CPU time limit (cpulimit=) */

/* Exit statuses in that encoding (the kernel's, and <sys/wait.h>'s). */
#define WAIT_EXITED(code)   (((code) & 0xFF) << 8)
#define WAIT_SIGNALED(sig)  ((sig) & 0x7F)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* What meminfo() fills in: the machine's frames, and this process's. */
struct meminfo {
	uint32_t free_frames;       /* frames the PMM can hand out now */
	uint32_t total_frames;      /* frames the PMM owns */
	uint32_t mapped_pages;      /* user pages this process has mapped */
	uint32_t table_frames;      /* its page directory and page tables */
	uint32_t reserved_pages;    /* heap pages promised but not yet touched (vm=lazy) */
	uint32_t heap_start;        /* the initial break */
	uint32_t heap_break;        /* the current break */
	uint32_t shared_pages;      /* of mapped_pages, those whose frame another
	                             * process maps too (after fork, copy-on-write) */
	uint32_t kernel_frames;     /* frames the kernel holds for this process
	                             * beyond its tables: its kernel stack */
};
#endif /* __ASSEMBLER__ */

#endif /* CAIRN_SYSCALL_H */
