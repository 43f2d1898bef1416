/*
 * What fork costs as the heap grows (none, 1, 16 and 64 MiB, every page
 * touched so that it is mapped), and the two faults copy-on-write leaves
 * behind it: the first write to a page another process still shares
 * (the copy), and to one whose other owner has gone (no copy).
 *
 * fork copies page tables, not pages (src/mm/cow.c): the cost should grow
 * with the present entries, a word each, never with 4 KiB each. The
 * round trip fork + the child's exit + waitpid is measured too: exit
 * walks the same entries again to drop its share of each frame.
 */
#include <cairn.h>
#include <unistd.h>
#include "bench.h"

#define FORK_SAMPLES    25
#define WRITE_SAMPLES   200     /* pages written, for each kind of write */
#define MIB             (1024 * 1024)
#define SLEEP_FOREVER   (24u * 3600 * 100)      /* a day of ticks: the kernel's limit */

static const unsigned heap_mib[] = { 0, 1, 16, 64 };

static uint64_t fork_cycles[FORK_SAMPLES], round_trip[FORK_SAMPLES];
static uint64_t write_cycles[WRITE_SAMPLES];

/* Grows the heap to mib MiB from its start and writes to every page. */
static void
grow_heap(char *start, unsigned mib)
{
	char *top = sbrk(0);
	char *want = start + mib * MIB;

	bench_check(sbrk(want - top) != (void *)-1, "sbrk");
	for (char *p = top; p < want; p += BENCH_PAGE)
		*(volatile char *)p = 1;
}

static void
measure_fork(unsigned mib)
{
	char name[32];
	struct meminfo m;

	bench_check(meminfo(&m) == 0, "meminfo");
	printf("info fork.%uM heap_mib=%u mapped_pages=%u table_frames=%u\n",
	       mib, mib, m.mapped_pages, m.table_frames);
	for (unsigned i = 0; i < FORK_SAMPLES; i++) {
		uint64_t start = bench_rdtsc(), cycles;
		int32_t pid = bench_fork_child_exits(&cycles);
		bench_check(pid > 0, "fork");
		bench_reap(pid, WAIT_EXITED(0));
		round_trip[i] = bench_rdtsc() - start;
		fork_cycles[i] = cycles;
	}
	snprintf(name, sizeof(name), "fork.%uM", mib);
	bench_print_samples(name, fork_cycles, FORK_SAMPLES);
	snprintf(name, sizeof(name), "forkexitwait.%uM", mib);
	bench_print_samples(name, round_trip, FORK_SAMPLES);
}

/* Times one write to each of WRITE_SAMPLES pages from `from` on. */
static void
time_writes(char *from, const char *name)
{
	for (unsigned i = 0; i < WRITE_SAMPLES; i++) {
		volatile char *p = from + i * BENCH_PAGE;
		uint64_t start = bench_rdtsc();
		*p = 2;
		write_cycles[i] = bench_rdtsc() - start;
	}
	bench_print_samples(name, write_cycles, WRITE_SAMPLES);
}

/* The heap's pages are all copy-on-write by now (every fork above left
 * them so). With a child sharing them, a write copies the page; once the
 * child has gone, a write only makes the entry writable again. */
static void
measure_writes(char *heap)
{
	int32_t pid = bench_syscall(SYS_fork, 0, 0, 0);

	if (pid == 0) {
		bench_syscall(SYS_sleep, SLEEP_FOREVER, 0, 0);
		_exit(1);                       /* not reached: killed asleep */
	}
	bench_check(pid > 0, "fork");
	/* Take the copies of the stack's and the samples' pages now, not
	 * inside the first measurements. */
	for (unsigned i = 0; i < WRITE_SAMPLES; i++)
		write_cycles[i] = 0;
	time_writes(heap, "write.copy");
	bench_check(bench_syscall(SYS_kill, (uint32_t)pid, WAIT_SIGNAL_KILL, 0) == 0, "kill");
	bench_reap(pid, WAIT_SIGNALED(WAIT_SIGNAL_KILL));
	time_writes(heap + WRITE_SAMPLES * BENCH_PAGE, "write.nocopy");
	time_writes(heap, "write.plain");       /* writable already: no fault */
	printf("info write pages=%u\n", WRITE_SAMPLES);
}

int
main(void)
{
	char *heap = sbrk(0);

	for (unsigned i = 0; i < sizeof(heap_mib) / sizeof(heap_mib[0]); i++) {
		grow_heap(heap, heap_mib[i]);
		measure_fork(heap_mib[i]);
	}
	measure_writes(heap);
	return 0;
}
