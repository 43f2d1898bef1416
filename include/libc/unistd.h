/*
 * The system calls as C functions (src/ulib/syscall.c). Each returns what
 * include/cairn/syscall.h says, except that a failure returns -1 (sbrk:
 * (void *)-1) and leaves the error number in errno.
 */
#ifndef CAIRN_LIBC_UNISTD_H
#define CAIRN_LIBC_UNISTD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>          /* pid_t, ssize_t */

#define STDOUT_FILENO   1
#define STDERR_FILENO   2

/* Ends the program at once with status (stdio buffers are not flushed:
 * exit() in <stdlib.h> does that first). */
__attribute__((noreturn)) void _exit(int status);

/* Writes len bytes of buf to fd (1 and 2: the console). Returns the bytes
 * written, or -1 with errno EBADF (another fd) or EFAULT (buf is not all
 * readable user memory). */
ssize_t write(int fd, const void *buf, size_t len);

/* This process's id: 1 for the first program run, 2 for the next... */
pid_t getpid(void);

/* The parent's id; 0 when the parent is the kernel (a program run=
 * started, or one whose parent ended before it did). */
pid_t getppid(void);

/* Makes a copy of this process, which starts by returning from fork too.
 * Returns the child's id in the parent and 0 in the child, or -1 with
 * errno EAGAIN (the process table is full) or ENOMEM. The copy shares
 * every page with the parent until one of them writes (copy-on-write);
 * stdout's buffer is copied too: fflush(stdout) first, or the child
 * prints again what the parent had not yet written out. */
pid_t fork(void);

/* Waits at least seconds seconds (100 timer ticks each: TIMER_HZ) while
 * other processes run. Returns 0: nothing in Cairn cuts a sleep short. */
unsigned sleep(unsigned seconds);

/* Sets the break to addr. Returns 0, or -1 with errno EINVAL (below the
 * initial break) or ENOMEM (no memory to back it, or into the stack or
 * the kernel). */
int brk(void *addr);

/* Moves the break by increment bytes (0: just ask) and returns the old
 * break, or (void *)-1 with errno ENOMEM or EINVAL as for brk. Growth is
 * zero-filled; what shrinking gives back is gone. */
void *sbrk(intptr_t increment);

#endif /* CAIRN_LIBC_UNISTD_H */
