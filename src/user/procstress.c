/*
 * A random workload over every process call at once,
 * to shake out refcount and isolation bugs: fork (copy-on-write), sbrk
 * up and down by odd byte counts, rewriting the heap and bss with a new
 * tag, exec (of hello), kill of a child, waitpid with and without
 * WNOHANG, sleep, yield, meminfo into a shared page. Each process checks
 * that its memory holds exactly what it wrote (bytes past an old break
 * read zero when it grows again), and that each child ended as it should
 * (exit 0, or SIGKILL: from its parent's kill or for want of a frame).
 * The runner checks leaked=0; the console must show no "pmm: refused".
 */
// expect: exit=0
#include <cairn.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE        4096
#define HEAP_MAX    (12 * PAGE)
#define BSS_BYTES   (2 * PAGE + 123)
#define OPS         60
#define DEPTH_MAX   4
#define KIDS_MAX    6
#define FRAMES_EACH 32          /* a process at its worst: heap, bss, stack, tables, kernel stack */

static uint32_t seed;
static uint8_t *heap_start;
static uint32_t heap_len;               /* bytes in use: heap_start + heap_len is the break */
static uint8_t tag;
static uint8_t bss[BSS_BYTES];
static int depth;
static pid_t kids[KIDS_MAX];
static int depth_max = DEPTH_MAX, kids_max = KIDS_MAX;
static int nkids;
static int failures;

static uint32_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

static uint8_t
pattern(uint32_t off)
{
	return (uint8_t)(tag + off * 7 + (off >> 12));
}

static void
fail(const char *what, uint32_t off, int got)
{
	printf("procstress: FAIL pid %d: %s at %u: got 0x%02x want 0x%02x\n", getpid(), what, off,
	       got, pattern(off));
	failures++;
	fflush(stdout);
	_exit(1);
}

static void
verify(void)
{
	for (uint32_t o = 0; o < heap_len; o += (o % PAGE < 16 || o % PAGE > PAGE - 17) ? 1 : 61)
		if (heap_start[o] != pattern(o))
			fail("heap", o, heap_start[o]);
	for (uint32_t o = 0; o < BSS_BYTES; o += 29)
		if (bss[o] != pattern(o))
			fail("bss", o, bss[o]);
}

static void
retag(void)
{
	tag = (uint8_t)rnd();
	for (uint32_t o = 0; o < heap_len; o++)
		heap_start[o] = pattern(o);
	for (uint32_t o = 0; o < BSS_BYTES; o++)
		bss[o] = pattern(o);
}

static void
grow(void)
{
	uint32_t n = rnd() % (3 * PAGE + 1);

	if (heap_len + n > HEAP_MAX)
		return;
	uint8_t *old = sbrk((intptr_t)n);
	if (old == (void *)-1) {
		if (errno != ENOMEM)
			fail("sbrk errno", 0, errno);
		return;
	}
	if (old != heap_start + heap_len)
		fail("sbrk old break", heap_len, 0);
	for (uint32_t i = 0; i < n; i++)
		if (old[i] != 0)
			fail("grown byte not zero", heap_len + i, old[i]);
	for (uint32_t i = 0; i < n; i++)
		old[i] = pattern(heap_len + i);
	heap_len += n;
}

static void
shrink(void)
{
	uint32_t n = heap_len ? rnd() % (heap_len + 1) : 0;

	if (sbrk(-(intptr_t)n) == (void *)-1)
		fail("shrink", n, errno);
	heap_len -= n;
}

static void
reap(pid_t pid, int options)
{
	int status;
	pid_t r = waitpid(pid, &status, options);

	if (r <= 0)
		return;
	if (WIFSIGNALED(status) ? WTERMSIG(status) != SIGKILL : WEXITSTATUS(status) != 0) {
		printf("procstress: FAIL pid %d: child %d ended with status 0x%x\n", getpid(), r, status);
		failures++;
	}
	for (int i = 0; i < nkids; i++)
		if (kids[i] == r) {
			kids[i] = kids[--nkids];
			break;
		}
}

static void life(void);

static void
spawn(void)
{
	if (depth >= depth_max || nkids >= kids_max)
		return;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		if (errno != EAGAIN && errno != ENOMEM)
			fail("fork errno", 0, errno);
		return;
	}
	if (pid == 0) {
		depth++;
		nkids = 0;
		failures = 0;
		seed = seed * 2654435761u + (uint32_t)getpid();
		verify();
		life();
	}
	kids[nkids++] = pid;
}

static void
life(void)
{
	for (int op = 0; op < OPS; op++) {
		switch (rnd() % 12) {
		case 0: case 1: grow(); break;
		case 2: shrink(); break;
		case 3: retag(); break;
		case 4: case 5: spawn(); break;
		case 6:
			if (nkids && rnd() % 2) {
				pid_t victim = kids[rnd() % nkids];
				if (kill(victim, SIGKILL) < 0 && errno != ESRCH)   /* ESRCH: already a zombie */
					fail("kill", 0, errno);
				reap(victim, 0);
			}
			break;
		case 7: if (nkids) reap(-1, WNOHANG); break;
		case 8: sleep_ticks(rnd() % 3); break;
		case 9: yield(); break;
		case 10:
			if (heap_len >= sizeof(struct meminfo) + 8) {   /* into a page that may be shared */
				struct meminfo *m = (struct meminfo *)(heap_start + 4);
				int r = meminfo(m);
				if (r < 0 && errno != ENOMEM)
					fail("meminfo", 0, errno);
				for (uint32_t o = 4; o < 4 + sizeof(*m); o++)
					heap_start[o] = pattern(o);
			}
			break;
		case 11:
			if (depth > 0 && rnd() % 8 == 0) {
				fflush(stdout);
				exec("hello");
				if (errno != ENOMEM)
					fail("exec", 0, errno);
			}
			break;
		}
		verify();
	}
	while (nkids)
		reap(-1, 0);
	fflush(stdout);
	_exit(failures ? 1 : 0);
}

/* The most processes a round can have alive at once: its first, then
 * kids_max of each below, down to depth_max. */
static int
round_size(void)
{
	int n = 1, level = 1;

	for (int d = 1; d < depth_max; d++)
		n += level *= kids_max;
	return n;
}

/* Fits the family to the memory there is. A copy-on-write fault that
 * finds no frame kills the process that wrote (chapter 8: fork promises
 * no frames), and this program itself writes its stack after each fork:
 * on a small machine (-m 4M) a family that outgrew memory could kill it
 * rather than one of its children. */
static void
fit_to_memory(void)
{
	struct meminfo m;

	if (meminfo(&m) != 0)
		return;
	int room = (int)(m.free_frames / FRAMES_EACH) - 1;     /* - 1: ourselves */
	/* The deepest family that fits (fork within fork is what finds the
	 * bugs), then the widest at that depth. */
	for (depth_max = DEPTH_MAX; depth_max > 2; depth_max--)
		for (kids_max = KIDS_MAX; kids_max > 1; kids_max--)
			if (round_size() <= room)
				return;
	kids_max = 1;           /* the least that still forks within a fork */
}

int
main(void)
{
	seed = 0x9E3779B9u ^ uptime();
	fit_to_memory();
	printf("procstress: rounds of up to %d processes (depth %d, %d children each)\n",
		round_size(), depth_max, kids_max);
	heap_start = sbrk(0);
	retag();
	for (int round = 0; round < 6; round++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0)
			continue;
		if (pid == 0) {
			depth = 1;
			seed = seed * 2654435761u + (uint32_t)getpid();
			life();
		}
		int status;
		if (waitpid(pid, &status, 0) != pid) {
			printf("procstress: FAIL: lost child %d\n", pid);
			return 1;
		}
		/* SIGKILL: a copy-on-write fault found no frame (a small machine) */
		if (WIFSIGNALED(status) ? WTERMSIG(status) != SIGKILL : WEXITSTATUS(status) != 0) {
			printf("procstress: round %d: child status 0x%x\n", round, status);
			failures++;
		}
		verify();
	}
	printf("procstress: %s\n", failures ? "FAIL" : "every process saw only its own memory");
	return failures ? 1 : 0;
}
