/*
 * errno: the user runtime's wrappers store the positive error number of
 * a failed system call here and return -1 (src/ulib/syscall.c); malloc
 * sets ENOMEM. The numbers are the kernel's (include/cairn/errno.h).
 * Nothing resets it: read it only right after a call that failed.
 */
#ifndef CAIRN_LIBC_ERRNO_H
#define CAIRN_LIBC_ERRNO_H

#include <cairn/errno.h>

extern int errno;

#endif /* CAIRN_LIBC_ERRNO_H */
