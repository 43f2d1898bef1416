/*
 * User processes (src/kernel/process.c): one program at a time, each in
 * an address space of its own, run to its end (exit or a fatal fault),
 * then torn down with every frame accounted for.
 *
 *   0xC0000000  +------------------+  USER_LIMIT
 *               | stack, 64 KiB    |  mapped at start, writable
 *   0xBFFF0000  +------------------+  USER_STACK_BOTTOM
 *               | guard page       |  never mapped: an overflow faults
 *   0xBFFEF000  +------------------+  USER_STACK_GUARD: the break's limit
 *               |        ^         |
 *               | heap: grows with |  sbrk/brk; vm=eager maps at once,
 *               | sbrk, up to here |  vm=lazy on first touch
 *               +------------------+  heap_start: page after the program
 *               | data, bss        |  writable
 *               | text, rodata     |  read-only
 *   0x08048000  +------------------+  USER_TEXT_BASE
 */
#ifndef CAIRN_PROCESS_H
#define CAIRN_PROCESS_H

#include <loader.h>
#include <multiboot.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <uspace.h>

#define PROCESS_NAME_MAX 32
#define PROCESS_REASON_MAX 160

struct process {
	int pid;
	char name[PROCESS_NAME_MAX];
	struct user_space mem;          /* its memory: mm/ owns what is inside */
	struct program_image image;
	uint64_t started;               /* the TSC when it started: its CPU time */
	bool killed;
	int exit_status;
	char reason[PROCESS_REASON_MAX];
	jmp_buf finished;               /* exit and kill return here */
};

/* The process running now, or NULL. */
struct process *process_current(void);

/* Runs the programs the command line names with run=NAME,... or run=all,
 * one after another, printing one line for each:
 *   run: NAME exit=STATUS leaked=N
 *   run: NAME killed (REASON) leaked=N
 * and `run: done` at the end. */
void process_run_requested(void);

/* Runs the program in module m as p, to its end (exit, a kill, or a
 * start that failed: p->killed and p->reason say which), and tears it
 * down. Returns the frames it did not give back: 0 unless the kernel
 * leaks. */
int32_t process_run(const struct boot_module *m, struct process *p);

/* Ends the current process with status (the exit system call). */
__attribute__((noreturn)) void process_exit(int status);

/* Ends the current process for a fault it caused; reason in words. */
__attribute__((noreturn)) void process_kill(const char *reason);

struct trapframe;

/* Ends the running process for the fault in tf, which came from ring 3
 * and nothing resolved, with one line saying why: "page fault: write at
 * ...", "general protection fault at eip ...: privileged instruction cli". */
__attribute__((noreturn)) void process_fault(struct trapframe *tf);

/* Has the running process used up its CPU time (the cpulimit= option,
 * default 30 s)? For long system calls, which stop early when it has. */
bool process_out_of_time(void);

/* Ends the running process if it has used up its CPU time: at each timer
 * tick in ring 3, and at the end of each system call. */
void process_check_time(void);

/* What lies at user address addr in the current process: "program
 * text", "the heap", "the guard page under the stack", ... */
const char *process_region(uint32_t addr);

#endif /* CAIRN_PROCESS_H */
