/* The kernel's side of system calls (src/kernel/syscall.c); the ABI
 * itself is include/cairn/syscall.h, shared with user space. */
#ifndef CAIRN_KERNEL_SYSCALL_H
#define CAIRN_KERNEL_SYSCALL_H

/* Opens the system-call gate (int 0x80, callable from ring 3). */
void syscall_init(void);

struct trapframe;

/* Runs the system call a program asked for in tf (trap.c calls it for
 * int 0x80 from ring 3): the number in eax, arguments in ebx, ecx, edx;
 * the result, or -ENOSYS for a number that is none, goes back in eax. */
void syscall(struct trapframe *tf);

#endif /* CAIRN_KERNEL_SYSCALL_H */
