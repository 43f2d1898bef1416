/* The kernel's side of system calls (src/kernel/syscall.c); the ABI
 * itself is include/cairn/syscall.h, shared with user space. */
#ifndef CAIRN_KERNEL_SYSCALL_H
#define CAIRN_KERNEL_SYSCALL_H

/* Opens the system-call gate (int 0x80, callable from ring 3). */
void syscall_init(void);

#endif /* CAIRN_KERNEL_SYSCALL_H */
