/*
 * What the process benchmarks (forkbench.c, switchbench.c, tickbench.c
 * here) share: the TSC, the system calls as one inline `int $0x80` each,
 * and the lines they print for scripts/bench-proc.sh:
 *   sample NAME VALUE          one measurement, in TSC cycles
 *   info NAME KEY=VALUE ...    what was measured, for the table
 * The script pools the samples of several boots and takes min and median.
 *
 * rdtsc works in ring 3: Cairn never sets CR4.TSD. Under QEMU TCG the
 * guest TSC is the host's; with -icount shift=0 it counts instructions.
 * rdtsc does not wait for earlier instructions on real hardware, which
 * hardly matters at these lengths (and TCG runs them in order).
 */
#ifndef CAIRN_BENCH_H
#define CAIRN_BENCH_H

#include <cairn/syscall.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BENCH_PAGE  4096

static inline uint64_t
bench_rdtsc(void)
{
	uint32_t low, high;

	__asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
	return (uint64_t)high << 32 | low;
}

/* A system call without the runtime's wrapper: the same few instructions
 * around `int $0x80` for every call measured, and no errno. Returns EAX. */
static inline int32_t
bench_syscall(uint32_t number, uint32_t a, uint32_t b, uint32_t c)
{
	int32_t result;

	__asm__ volatile("int $0x80" : "=a"(result) : "a"(number), "b"(a), "c"(b), "d"(c) : "memory", "cc");
	return result;
}

/* fork() between two reads of the TSC, with no store in between: after
 * fork every page is copy-on-write, and a store to the stack would copy
 * one inside the measurement. The child leaves at once, exit(0) straight
 * from here, without touching memory. Returns the child's pid (or a
 * negative errno) and the parent's cycles in *cycles. */
static inline int32_t
bench_fork_child_exits(uint64_t *cycles)
{
	uint32_t start_low, start_high, end_low, end_high;
	int32_t pid;

	__asm__ volatile(
		"rdtsc\n\t"
		"mov %%eax, %[start_low]\n\t"
		"mov %%edx, %[start_high]\n\t"
		"mov %[fork], %%eax\n\t"
		"int $0x80\n\t"
		"test %%eax, %%eax\n\t"
		"jnz 1f\n\t"
		"mov %[exit], %%eax\n\t"        /* the child: exit(0) */
		"xor %%ebx, %%ebx\n\t"
		"int $0x80\n"
		"1:\n\t"
		"mov %%eax, %[pid]\n\t"
		"rdtsc"
		: "=&a"(end_low), "=&d"(end_high), [start_low] "=&r"(start_low),
		  [start_high] "=&r"(start_high), [pid] "=&r"(pid)
		: [fork] "i"(SYS_fork), [exit] "i"(SYS_exit)
		: "ebx", "memory", "cc");
	*cycles = ((uint64_t)end_high << 32 | end_low) - ((uint64_t)start_high << 32 | start_low);
	return pid;
}

/* Waits for child pid and checks that it ended as it should have: with
 * want, a wait status (WAIT_EXITED(0), WAIT_SIGNALED(9)). */
static inline void
bench_reap(int32_t pid, int want)
{
	static int status;      /* static: one stack slot less to copy after fork */

	if (bench_syscall(SYS_waitpid, (uint32_t)pid, (uint32_t)(uintptr_t)&status, 0) != pid || status != want) {
		printf("bench: child %d: waitpid gave status %#x, not %#x\n", (int)pid, status, want);
		exit(1);
	}
}

/* Stops the program if a call failed: a benchmark of a failing call
 * would measure the wrong thing. */
static inline void
bench_check(int ok, const char *what)
{
	if (!ok) {
		printf("bench: %s failed\n", what);
		exit(1);
	}
}

static inline void
bench_print_samples(const char *name, const uint64_t *value, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		printf("sample %s %llu\n", name, (unsigned long long)value[i]);
}

#endif /* CAIRN_BENCH_H */
