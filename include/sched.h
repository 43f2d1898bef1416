/*
 * The scheduler (src/kernel/sched.c): round robin over the process
 * table, run from the kernel's runner on the boot stack. A process gives
 * the CPU back by switching to the scheduler's context (sched_leave):
 * when the timer interrupts it in ring 3 (a quantum is one tick), when
 * it yields, sleeps, waits, or ends.
 *
 *   runner (boot stack)                 process A (its kernel stack)
 *   sched_run_until                     trap -> ... -> sched_leave
 *     pick A; CR3, esp0, FPU  ------swtch------>  (returns into A)
 *     (returns here) <--------swtch-------------  A leaves again
 */
#ifndef CAIRN_SCHED_H
#define CAIRN_SCHED_H

#include <stdbool.h>
#include <stdint.h>

/* What swtch saves on the stack it leaves, and where *save points: the
 * registers a C function must preserve, and where to return. */
struct context {
	uint32_t edi, esi, ebx, ebp;
	uint32_t eip;
};

/* src/kernel/swtch.asm: saves the current context in *save and resumes
 * next. Returns when someone switches back to *save. */
void swtch(struct context **save, struct context *next);

/* Runs processes until done(arg) is true, on the caller's stack (the
 * kernel's runner): round robin, halting while nobody is runnable. */
void sched_run_until(bool (*done)(void *arg), void *arg);

/* The current process, its state set (SLEEPING, WAITING, ZOMBIE), gives
 * the CPU to the scheduler; returns when it is chosen to run again. */
void sched_leave(void);

/* The current process gives others a turn and stays RUNNABLE. */
void sched_yield(void);

/* Puts the current process to sleep for ticks timer ticks. */
void sched_sleep(uint32_t ticks);

/* The timer interrupted ring 3: ends the process if its CPU time is up,
 * else lets the next one run (the quantum is one tick). */
void sched_preempt(void);

/* CPU time: has the current process's family (the program the runner
 * started, and everything it forked) used up its allowance (cpulimit=)?
 * process_check_time() ends the current process if so; the others end
 * at their own next check. */
bool process_out_of_time(void);
void process_check_time(void);

/* The first process of p's family, which keeps the family's CPU time
 * (p itself when the family's first process is gone). */
struct process *family_root(struct process *p);

#endif /* CAIRN_SCHED_H */
