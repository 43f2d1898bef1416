/*
 * What the timer tick costs a program that only computes. The tick
 * cannot be turned off, so the program times its own work in short
 * chunks (a fixed counting loop between two reads of the TSC), and asks
 * uptime() after each chunk whether a tick came during it. A chunk with
 * a tick is longer by what the tick cost: the interrupt, the scheduler's
 * pass (it finds the same process and switches back to it), the return.
 * So the median chunk with a tick, less the median chunk without, is
 * one tick's cost, and times the ticks, over all the cycles run, the
 * ticks' share of the program's time. What is left over (in plain TCG,
 * the host's own interruptions) is printed as well.
 *
 * Under -icount shift=0 the TSC counts instructions: chunks without a
 * tick are identical to the instruction, and the share is the tick's
 * share of the instructions run. (A tick that comes during the uptime
 * call is taken just after it, outside every chunk, and marks the next
 * one wrongly: the medians do not mind a few.)
 *
 * Printed per run: a tick's cost and the cycles from one tick to the
 * next, and in parts per million (ppm) of the run's cycles, the ticks'
 * share and the rest's: sample tick.cost, tick.period, tick.ppm, rest.ppm.
 */
#include "bench.h"

#define RUNS        4
#define CHUNKS      32768
#define ITERATIONS  4096        /* loop turns per chunk: ~8k instructions */

static uint32_t quiet[CHUNKS], ticked[CHUNKS];  /* chunks without a tick, with one */
static uint64_t tick_ppm[RUNS], tick_cost[RUNS], tick_period[RUNS], rest_ppm[RUNS];

static void
swap(uint32_t *a, uint32_t *b)
{
	uint32_t t = *a;

	*a = *b;
	*b = t;
}

/* Hoare's select: rearranges v[0..n) so that v[k] holds what sorting
 * would put there, nothing larger before it, nothing smaller after. */
static void
select_kth(uint32_t *v, int n, int k)
{
	int lo = 0, hi = n - 1;

	while (lo < hi) {
		uint32_t pivot = v[lo + (hi - lo) / 2];
		int i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
				swap(&v[i++], &v[j--]);
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

static uint64_t
median(uint32_t *v, int n)
{
	select_kth(v, n, n / 2);
	return v[n / 2];
}

/* One run: CHUNKS chunks of work, each filed under quiet[] or ticked[].
 * Returns the ticks; the cycles of all chunks in *chunks, and of the
 * whole run (the uptime calls too) in *elapsed. */
static uint32_t
run_chunks(int *nquiet, int *nticked, uint64_t *chunks, uint64_t *elapsed)
{
	uint32_t first = (uint32_t)bench_syscall(SYS_uptime, 0, 0, 0), before = first;
	uint64_t run_start = bench_rdtsc();

	*nquiet = *nticked = 0;
	*chunks = 0;
	for (int c = 0; c < CHUNKS; c++) {
		uint64_t start = bench_rdtsc();
		for (int i = 0; i < ITERATIONS; i++)
			__asm__ volatile("");   /* the loop stays, doing nothing else */
		uint32_t cycles = (uint32_t)(bench_rdtsc() - start);
		uint32_t after = (uint32_t)bench_syscall(SYS_uptime, 0, 0, 0);
		if (after == before)
			quiet[(*nquiet)++] = cycles;
		else
			ticked[(*nticked)++] = cycles;
		*chunks += cycles;
		before = after;
	}
	*elapsed = bench_rdtsc() - run_start;
	return before - first;
}

static void
measure(unsigned run)
{
	int nquiet, nticked;
	uint64_t chunks, elapsed;
	uint32_t ticks = run_chunks(&nquiet, &nticked, &chunks, &elapsed);

	bench_check(nticked > 0 && nquiet > nticked, "ticks during the run");
	uint64_t plain = median(quiet, nquiet), with_tick = median(ticked, nticked);
	uint64_t cost = with_tick > plain ? with_tick - plain : 0;
	uint64_t explained = CHUNKS * plain + ticks * cost;

	tick_cost[run] = cost;
	tick_period[run] = elapsed / ticks;
	tick_ppm[run] = ticks * cost * 1000000 / elapsed;
	rest_ppm[run] = chunks > explained ? (chunks - explained) * 1000000 / elapsed : 0;
	printf("info tick run=%u chunks=%u iterations=%u ticks=%u chunks_ticked=%d median=%llu\n", run,
	       CHUNKS, ITERATIONS, ticks, nticked, (unsigned long long)plain);
}

int
main(void)
{
	for (unsigned run = 0; run < RUNS; run++)
		measure(run);
	bench_print_samples("tick.ppm", tick_ppm, RUNS);
	bench_print_samples("tick.cost", tick_cost, RUNS);
	bench_print_samples("tick.period", tick_period, RUNS);
	bench_print_samples("rest.ppm", rest_ppm, RUNS);
	return 0;
}
