/*
 * Waiting for a child to end, and reading how it ended. The status is
 * Linux's encoding, which the kernel writes (include/cairn/syscall.h):
 *
 *   exit(code):          bits 15..8 the code's low byte, bits 6..0 zero
 *   ended by the kernel: bits 6..0 the signal that says why (<signal.h>)
 *
 * The W... macros read it. They are macros, not functions, because POSIX
 * names them so and programs test them with #ifdef.
 */
#ifndef CAIRN_LIBC_SYS_WAIT_H
#define CAIRN_LIBC_SYS_WAIT_H

#include <cairn/syscall.h>      /* WNOHANG, WAIT_EXITED, WAIT_SIGNALED */
#include <sys/types.h>          /* pid_t */

/* WAIT_SIGNALED(s) keeps the signal's bits: zero for an exit. */
#define WIFEXITED(status)       (WAIT_SIGNALED(status) == 0)
#define WEXITSTATUS(status)     (((status) >> 8) & 0xFF)        /* undoes WAIT_EXITED */
#define WIFSIGNALED(status)     (WAIT_SIGNALED(status) != 0)
#define WTERMSIG(status)        WAIT_SIGNALED(status)

/* Waits for the child pid (-1: any child) to end, stores how it ended in
 * *status unless status is NULL, and forgets the child. With options
 * WNOHANG, returns 0 at once if no such child has ended yet. Returns the
 * child's pid, 0 (WNOHANG), or -1 with errno ECHILD (no such child of
 * this process), EFAULT (status is not writable memory: the child is not
 * forgotten, wait again) or EINVAL (a pid below -1: Cairn has no
 * process groups; or an unknown option). */
pid_t waitpid(pid_t pid, int *status, int options);

/* waitpid(-1, status, 0): waits for any child. */
pid_t wait(int *status);

#endif /* CAIRN_LIBC_SYS_WAIT_H */
