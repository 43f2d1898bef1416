/*
 * Company for the other programs. With beside=companion the runner
 * starts it before the first program it runs and kills it after the
 * last (src/kernel/runner.c), so every program runs while other
 * processes are alive: a family of four, with memory of their own and
 * some of it still shared copy-on-write. Every tick three of them check
 * that their memory holds exactly what they wrote; no other process's
 * fork, copy-on-write fault, exit or fault may change a byte of it. A
 * difference ends the family's first process with exit 1, which the
 * runner's line shows. After
 * setting up it allocates nothing, so the frames the runner counts for
 * each program are that program's alone. It never ends by itself (a
 * companion that left before the last program would free its memory in
 * the middle of another program's count): run on its own, the runner's
 * wall-clock limit (walllimit=, 120 s by default) ends it.
 */
// expect: killed (killed by the runner after the last program)
#include <cairn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE        4096
#define PAGES       8

static unsigned char data[PAGES * PAGE];        /* bss */
static unsigned char *heap;                     /* PAGES pages of sbrk */

static unsigned char
expected(int page, int who)
{
	return (unsigned char)(page * 16 + who);
}

/* Page i of both areas holds expected(i, who). */
static void
fill(int first, int end, int who)
{
	for (int i = first; i < end; i++)
		for (int b = 0; b < PAGE; b++)
			data[i * PAGE + b] = heap[i * PAGE + b] = expected(i, who);
}

/* 0 if the pages are as they should be: [0, own) written by `who`,
 * [own, PAGES) still the family's shared pattern (who 0). */
static int
check(int own, int who)
{
	for (int i = 0; i < PAGES; i++) {
		unsigned char want = expected(i, i < own ? who : 0);
		for (int b = 0; b < PAGE; b++) {
			if (data[i * PAGE + b] != want || heap[i * PAGE + b] != want) {
				printf("companion %d: page %d changed under me\n", getpid(), i);
				return 1;
			}
		}
	}
	return 0;
}

/* Checks every tick, until it finds a change or is killed; rewrites its
 * own pages (already copied: no frame is taken) so that they keep being
 * written while others run. */
static int
keep_watch(int own, int who)
{
	for (;;) {
		if (check(own, who))
			return 1;
		fill(0, own, who);
		sleep_ticks(1);
	}
}

/* Three watchers: one whose pages all stay shared with the others, two
 * with half of theirs their own. The parent waits: a watcher ends only
 * when it found a change, and then the parent's exit status, the one
 * the runner prints, says so. */
int
main(void)
{
	int status;

	heap = sbrk(PAGES * PAGE);
	if (heap == (void *)-1)
		return 2;
	fill(0, PAGES, 0);
	printf("companion %d: three watchers of %d pages each\n", getpid(), 2 * PAGES);
	fflush(stdout);
	for (int who = 0; who <= 2; who++) {
		pid_t pid = fork();
		if (pid < 0)
			return 3;
		if (pid == 0) {
			fill(0, who ? PAGES / 2 : 0, who);      /* its own pages, if any */
			exit(keep_watch(who ? PAGES / 2 : 0, who));
		}
	}
	pid_t ended = wait(&status);
	printf("companion: watcher %d ended: its memory changed under it\n", ended);
	return 1;
}
