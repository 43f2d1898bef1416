/* Non-local jumps inside the kernel (src/kernel/setjmp.asm). */
#ifndef CAIRN_SETJMP_H
#define CAIRN_SETJMP_H

/* ebx, esi, edi, ebp, esp, eip */
typedef unsigned long jmp_buf[6];

/* Saves the registers in env; returns 0, or later longjmp's value. */
int setjmp(jmp_buf env) __attribute__((returns_twice));
/* Returns from the setjmp that filled env, with value (1 if value is 0). */
__attribute__((noreturn)) void longjmp(jmp_buf env, int value);

#endif /* CAIRN_SETJMP_H */
