/*
 * Error numbers, shared by the kernel and user space. They are Linux's
 * numbers, so a student's strace-trained eye reads them as it should.
 * Kernel functions return 0 or a negative errno; the user runtime's
 * wrappers store the positive value in errno and return -1.
 */
#ifndef CAIRN_ERRNO_H
#define CAIRN_ERRNO_H

#define EPERM       1   /* operation not permitted */
#define ENOENT      2   /* no such entry */
#define ESRCH       3   /* no such process */
#define EIO         5   /* input/output error */
#define E2BIG       7   /* argument list too long */
#define ENOEXEC     8   /* not an executable */
#define EBADF       9   /* bad file descriptor */
#define ECHILD      10  /* no child to wait for */
#define EAGAIN      11  /* try again: a table is full */
#define ENOMEM      12  /* out of memory */
#define EFAULT      14  /* bad address */
#define EBUSY       16  /* already in use */
#define EEXIST      17  /* already exists */
#define EINVAL      22  /* invalid argument */
#define ENOSPC      28  /* no space left */
#define ERANGE      34  /* result out of range */
#define ENAMETOOLONG 36 /* a name too long */
#define ENOSYS      38  /* no such system call */

#endif /* CAIRN_ERRNO_H */
