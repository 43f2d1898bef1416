/*
 * Cairn's signals are only names for why a process ended: the numbers
 * waitpid's status carries (WTERMSIG, <sys/wait.h>). There are no
 * handlers; the one signal a program can send is SIGKILL, with kill().
 * The numbers are Linux's, defined once in include/cairn/syscall.h.
 */
#ifndef CAIRN_LIBC_SIGNAL_H
#define CAIRN_LIBC_SIGNAL_H

#include <cairn/syscall.h>      /* WAIT_SIGNAL_* */
#include <sys/types.h>          /* pid_t */

#define SIGILL      WAIT_SIGNAL_ILL     /* an invalid or privileged instruction */
#define SIGTRAP     WAIT_SIGNAL_TRAP    /* a breakpoint or debug trap */
#define SIGBUS      WAIT_SIGNAL_BUS     /* an alignment check */
#define SIGFPE      WAIT_SIGNAL_FPE     /* a divide error, an FPU or SIMD error */
#define SIGKILL     WAIT_SIGNAL_KILL    /* kill(); or no frame for a copy-on-write page */
#define SIGSEGV     WAIT_SIGNAL_SEGV    /* a page fault or a protection fault */
#define SIGXCPU     WAIT_SIGNAL_XCPU    /* the CPU time limit (cpulimit=) */

/* Sends sig to the process pid: SIGKILL ends it (its parent's waitpid
 * sees WTERMSIG SIGKILL), 0 sends nothing and only checks that kill
 * could. Returns 0, or -1 with errno ESRCH (no process pid), EPERM (pid
 * is neither this process nor one of its descendants) or EINVAL (sig is
 * neither SIGKILL nor 0). */
int kill(pid_t pid, int sig);

#endif /* CAIRN_LIBC_SIGNAL_H */
