/*
 * The integer types that more than one header's calls use: a process id
 * (unistd.h, sys/wait.h, signal.h) and a size or -1 (write).
 */
#ifndef CAIRN_LIBC_SYS_TYPES_H
#define CAIRN_LIBC_SYS_TYPES_H

typedef int ssize_t;            /* a size, or -1 */
typedef int pid_t;              /* a process id: 1, 2, ...; 0 is the kernel */

#endif /* CAIRN_LIBC_SYS_TYPES_H */
