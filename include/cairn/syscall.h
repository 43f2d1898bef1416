/*
 * The system-call ABI, shared by the kernel (src/kernel/syscall.c) and the
 * user runtime. A program raises `int $0x80` with the call's number in
 * EAX and up to three arguments in EBX, ECX and EDX; the result comes back
 * in EAX: a value >= 0, or a negative errno (include/cairn/errno.h). The
 * runtime's wrappers turn -E into errno = E and a -1 result.
 *
 *   number       call                       returns
 *   1 SYS_exit   exit(int status)           does not return
 *   2 SYS_write  write(int fd, const void *buf, size_t len)
 *                                           bytes written; fd 1 and 2 are the
 *                                           console, others -EBADF; -EFAULT
 *   3 SYS_getpid getpid(void)               the process id (1, 2, ...)
 *   4 SYS_brk    brk(void *addr)            0, or -ENOMEM / -EINVAL
 *   5 SYS_sbrk   sbrk(intptr_t increment)   the old break, or -ENOMEM /
 *                                           -EINVAL (as a negative number)
 *   6 SYS_meminfo meminfo(struct meminfo *) 0, or -EFAULT
 *   anything else                           -ENOSYS
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
#define SYS_COUNT       7       /* one past the last number */

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
};
#endif /* __ASSEMBLER__ */

#endif /* CAIRN_SYSCALL_H */
