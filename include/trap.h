/*
 * Traps: CPU exceptions and interrupts arrive through the stubs in
 * src/kernel/trapentry.asm, which save the registers as a struct
 * trapframe and call trap_dispatch(), one switch on the vector (trap.c).
 * An exception nothing resolves gets the decoded report.
 */
#ifndef CAIRN_TRAP_H
#define CAIRN_TRAP_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CPU exception vectors (Intel SDM vol. 3, table 6-1). */
#define T_DIVIDE        0       /* #DE divide error */
#define T_DEBUG         1
#define T_NMI           2
#define T_BREAKPOINT    3       /* #BP int3 */
#define T_OVERFLOW      4
#define T_BOUND         5
#define T_INVALID_OP    6       /* #UD */
#define T_NO_FPU        7
#define T_DOUBLE_FAULT  8       /* #DF */
#define T_TSS           10      /* #TS */
#define T_NO_SEGMENT    11      /* #NP */
#define T_STACK         12      /* #SS */
#define T_GPF           13      /* #GP general protection */
#define T_PAGE_FAULT    14      /* #PF */
#define T_FPU_ERROR     16
#define T_ALIGNMENT     17
#define T_MACHINE_CHECK 18
#define T_SIMD          19
#define T_EXCEPTIONS    32      /* vectors 0..31 belong to the CPU */
#define T_IRQ0          32      /* the PIC's lines, remapped */
#define T_SYSCALL       0x80    /* int 0x80: the system-call gate */
#define T_VECTORS       256

/* Selector error code bits (#TS #NP #SS #GP). */
#define SELERR_EXTERNAL 0x01    /* an external event caused it */
#define SELERR_IDT      0x02    /* the index is an IDT vector */
#define SELERR_LDT      0x04    /* the index is in the LDT (if not IDT) */

/* The registers as the stubs leave them: pushed in reverse order. */
struct trapframe {
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;  /* pusha */
	uint32_t gs, fs, es, ds;
	uint32_t vector;
	uint32_t error;         /* the CPU's error code, or 0 */
	uint32_t eip, cs, eflags;   /* pushed by the CPU */
	uint32_t user_esp, user_ss; /* only when coming from ring 3 */
};

/* Was the CPU in ring 3 when the trap came? */
static inline bool
trap_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

/* The stack pointer at the moment of the trap. */
uint32_t trap_stack_pointer(const struct trapframe *tf);

/* The name of an exception vector ("Page fault"), or NULL. */
const char *trap_name(unsigned vector);
/* The short mnemonic ("#PF"), or "" for a vector without one. */
const char *trap_mnemonic(unsigned vector);

/* Describes the error code of tf in words into buf: "not-present page,
 * write, user mode" for a page fault, "IDT vector 0x21" for a selector
 * error. Returns buf. */
char *trap_describe_error(const struct trapframe *tf, char *buf, size_t size);

/* Prints the full decoded report of tf on the console. */
void trap_print_report(const struct trapframe *tf);

/* Called for a trap that nothing resolved: a program's ends the program
 * (process_fault), a kernel one gets the report, then the machine stops. */
__attribute__((noreturn)) void trap_fatal(struct trapframe *tf);

/*
 * A recovery point, for tests that provoke a fault on purpose (and the
 * monitor, whose commands may touch any address): while one
 * is set, a ring-0 trap of `vector` that no handler resolves does not
 * stop the machine but longjmps to env, with the frame and CR2 saved.
 * The recovery point is cleared when used.
 */
#define TRAP_ANY_EXCEPTION T_VECTORS     /* trap_recovery.vector: any CPU exception */
struct trap_recovery {
	jmp_buf env;
	unsigned vector;            /* or TRAP_ANY_EXCEPTION (the monitor's commands) */
	struct trapframe frame;     /* filled in when the trap came */
	uint32_t cr2;
	uint32_t eflags_inside;     /* EFLAGS as the kernel ran the trap */
};

/* Sets (or with NULL clears) the recovery point. */
void trap_set_recovery(struct trap_recovery *r);

/* Called from trapentry.asm. */
void trap_dispatch(struct trapframe *tf);

#endif /* CAIRN_TRAP_H */
