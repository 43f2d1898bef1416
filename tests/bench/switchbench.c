/*
 * What a context switch costs, against what entering the kernel at all
 * costs, measured side by side in one run:
 *   getpid        the null system call: into the kernel and back
 *   yield.alone   yield with nobody else runnable: the kernel goes through
 *                 the scheduler (two swtch, a CR3 load) back to the caller
 *   yield.switch  two processes taking turns with yield: each call is a
 *                 switch to the other process, its address space and all
 * Each sample is a batch of calls, divided: cycles per call (per switch).
 */
#include "bench.h"

#define SAMPLES     30
#define BATCH       500         /* calls per sample */
#define WARM_UP     10

static uint64_t per_call[SAMPLES];

/* Cycles per call of `number`, over a batch, into per_call[]. */
static void
time_calls(uint32_t number, const char *name)
{
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t start = bench_rdtsc();
		for (unsigned k = 0; k < BATCH; k++)
			bench_syscall(number, 0, 0, 0);
		per_call[i] = (bench_rdtsc() - start) / BATCH;
	}
	bench_print_samples(name, per_call, SAMPLES);
}

/* A partner that yields for ever: while the parent yields too, each of
 * their yields hands the CPU to the other. Counted per switch: a batch
 * of the parent's yields is twice as many switches. */
static void
time_switches(void)
{
	int32_t pid = bench_syscall(SYS_fork, 0, 0, 0);

	if (pid == 0)
		for (;;)
			bench_syscall(SYS_yield, 0, 0, 0);
	bench_check(pid > 0, "fork");
	for (unsigned i = 0; i < WARM_UP; i++)      /* the partner's first copy faults */
		bench_syscall(SYS_yield, 0, 0, 0);
	for (unsigned i = 0; i < SAMPLES; i++) {
		uint64_t start = bench_rdtsc();
		for (unsigned k = 0; k < BATCH; k++)
			bench_syscall(SYS_yield, 0, 0, 0);
		per_call[i] = (bench_rdtsc() - start) / (2 * BATCH);
	}
	bench_check(bench_syscall(SYS_kill, (uint32_t)pid, WAIT_SIGNAL_KILL, 0) == 0, "kill");
	bench_reap(pid, WAIT_SIGNALED(WAIT_SIGNAL_KILL));
	bench_print_samples("yield.switch", per_call, SAMPLES);
}

int
main(void)
{
	printf("info switch batch=%u\n", BATCH);
	time_calls(SYS_getpid, "getpid");
	time_calls(SYS_yield, "yield.alone");
	time_switches();
	return 0;
}
