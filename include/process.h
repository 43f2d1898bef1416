/*
 * Processes (src/kernel/process.c, the scheduler in src/kernel/sched.c,
 * run= in src/kernel/runner.c): user programs, each in an address space
 * of its own, several alive at once, sharing the CPU by the timer.
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
 *
 * A process's life:
 *
 *   process_start / fork                 exit, or killed
 *   ------------------> RUNNABLE <------> RUNNING ----------> ZOMBIE
 *                          ^    scheduler    |                  | its parent's
 *                          |    and timer    | sleep, wait      | waitpid (or
 *                          +--- SLEEPING <---+                  | the runner)
 *                               WAITING                         v   reaps it
 *
 * Its memory goes back when it exits; its kernel stack and its entry when
 * it is reaped. A process whose parent ends is adopted by the kernel's
 * runner (its parent becomes NULL), which reaps it.
 */
#ifndef CAIRN_PROCESS_H
#define CAIRN_PROCESS_H

#include <fpu.h>
#include <layout.h>
#include <loader.h>
#include <multiboot.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uspace.h>

#define PROCESS_MAX         KSTACK_SLOTS        /* processes alive at once */
#define PROCESS_NAME_MAX    32
#define PROCESS_REASON_MAX  160

_Static_assert(PROCESS_MAX < 256, "a frame's owners are counted in a byte (pmm_share)");

enum process_state {
	PROCESS_RUNNABLE,       /* ready: waits for the scheduler */
	PROCESS_RUNNING,        /* has the CPU */
	PROCESS_SLEEPING,       /* in sleep_ticks, until wake_tick */
	PROCESS_WAITING,        /* in waitpid, until a child ends */
	PROCESS_ZOMBIE,         /* ended: its status waits for its parent */
};

struct context;                 /* what swtch saved (include/sched.h) */
struct trapframe;

struct process {
	int pid;
	char name[PROCESS_NAME_MAX];    /* the program it runs */
	enum process_state state;
	struct process *parent;         /* NULL: the kernel's runner */
	int family;                     /* the pid of the run= program it descends from */
	unsigned slot;                  /* its place in the table, and its kernel stack's */
	struct user_space mem;          /* its memory: mm/ owns what is inside */
	struct program_image image;
	struct context *context;        /* where it stopped in the kernel, while not RUNNING */
	struct fpu_state fpu;           /* its x87 registers while it does not run */
	uint64_t cpu_cycles;            /* TSC cycles it has had the CPU */
	uint32_t turns;                 /* times it has been given the CPU */
	uint64_t family_cycles;         /* the family's first process: the cycles of
	                                 * every member, ended or not (cpulimit=) */
	uint64_t ran_since;             /* the TSC when it last got the CPU */
	uint32_t wake_tick;             /* SLEEPING: the tick to wake at */
	bool killed;                    /* to end before it runs user code again */
	int kill_signal;                /* then: the signal that says why */
	int status;                     /* ZOMBIE: the wait status (include/cairn/syscall.h) */
	char reason[PROCESS_REASON_MAX];/* why it was killed, in words */
};

/* ---------------------------------------------- process.c: life and death */

/* The process running now, or NULL (the kernel, between processes). */
struct process *process_current(void);

/* The live process (not yet reaped) with this pid, or NULL. */
struct process *process_find(int pid);

/* Where p's kernel stack ends: the TSS's esp0 while it runs. */
uintptr_t process_kernel_stack_top(const struct process *p);

/* Calls fn for each process in the table, in slot order. */
void process_for_each(void (*fn)(struct process *p, void *arg), void *arg);

/* Starts the program in module m as a new process whose parent is the
 * kernel's runner: a fresh address space, the program loaded, its stack
 * mapped, RUNNABLE. Returns it; or NULL with why it could not, in words,
 * in why[PROCESS_REASON_MAX] (and nothing held). */
struct process *process_start(const struct boot_module *m, char *why);

/* fork: a copy of the current process, sharing its memory copy-on-write,
 * that returns 0 from the same system call (tf is the parent's).
 * Returns the child's pid, -EAGAIN when the table is full, -ENOMEM. */
int process_fork(struct trapframe *tf);

/* exec: replaces the current process's program with module name (tf is
 * its trap frame, rewritten to start the new one). Returns 0; or, with
 * the process as it was, -ENOENT, -ENOEXEC, -ENOMEM. */
int process_exec(struct trapframe *tf, const char *name);

/* waitpid: see SYS_waitpid in include/cairn/syscall.h. *status_out is
 * written through copy_to_user before the child is reaped. */
int process_wait(int pid, uint32_t status_user_address, int options);

/* Reaps a zombie: its kernel stack and its entry go back; returns its
 * status. */
int process_reap(struct process *p);

/* kill: ends pid (SIGKILL) or, with signal 0, only checks it. */
int process_kill_pid(int pid, int signal);

/* Marks p to end, for reason and with signal, when it next returns to
 * ring 3 (or at once, if it is asleep or waiting: it is woken for it). */
void process_condemn(struct process *p, const char *reason, int signal);

/* Ends the current process with status (the exit system call). */
__attribute__((noreturn)) void process_exit(int status);

/* Ends the current process for a reason, in words, and a signal that
 * stands for it (WAIT_SIGNAL_*). */
__attribute__((noreturn)) void process_kill(const char *reason, int signal);

/* Ends the running process for the fault in tf, which came from ring 3
 * and nothing resolved, with one line saying why: "page fault: write at
 * ...", "general protection fault at eip ...: privileged instruction cli". */
__attribute__((noreturn)) void process_fault(struct trapframe *tf);

/* On the way back to ring 3: a process that was killed ends here. */
void process_return_to_user(void);

/* What lies at user address addr in the current process: "program
 * text", "the heap", "the guard page under the stack", ... */
const char *process_region(uint32_t addr);

/* ---------------------------------------------- runner.c: run= and beside= */

/* Runs the programs the command line names with run=NAME,... or run=all,
 * one after another, each a child of the kernel that it waits for, with
 * all its descendants, printing one line for each:
 *   run: NAME exit=CODE leaked=N
 *   run: NAME killed (REASON) leaked=N
 * (N: frames, and kernel-heap bytes as heap_leaked=B before it, not
 * given back) and `run: done leaked=N` for the whole run at the end. */
void process_run_requested(void);

/* Runs the loaded program called name[0..len) as run= does, printing its
 * "run:" line, and returns 0; or says there is none, listing the loaded
 * ones, and returns -1 (the monitor's `run`). */
int process_run_named(const char *name, size_t len);
/* The outcome of one program run to its end (runner.c, and tests). */
struct run_result {
	char name[PROCESS_NAME_MAX];
	bool killed;
	int exit_code;
	char reason[PROCESS_REASON_MAX];
	int32_t leaked_frames;          /* frames not back, the heap's growth aside */
	int32_t leaked_heap_bytes;      /* kernel-heap bytes still in use */
};

/* Runs module m as a process, and everything it forks, to their end:
 * reaps them all, and fills *r. */
void process_run(const struct boot_module *m, struct run_result *r);

#endif /* CAIRN_PROCESS_H */
