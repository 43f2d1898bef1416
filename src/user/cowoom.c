/*
 * Copy-on-write when memory has run out. After fork the child takes
 * every frame the kernel will give it (sbrk until it fails), then
 * writes a page it still shares with its parent. The copy has no frame:
 * the kernel must end the child alone ("out of memory: no frame for a
 * copy-on-write copy"), with SIGKILL as Linux's out-of-memory killer
 * does, and the parent, whose page it is too, must go on untouched.
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE            4096
#define CANNOT_TEST     77      /* the heap's address range ran out first */

static volatile char shared[PAGE] __attribute__((aligned(PAGE)));

/* Grows the heap until sbrk fails, in big steps, then page by page. */
static void
take_every_frame(void)
{
	for (intptr_t step = 1024 * PAGE; step >= PAGE; step /= 2)
		while (sbrk(step) != (void *)-1)
			;
}

int
main(void)
{
	struct meminfo m;
	int status;

	shared[0] = 'P';
	fflush(stdout);
	pid_t child = fork();
	assert(child >= 0);
	if (child == 0) {
		take_every_frame();
		assert(meminfo(&m) == 0);
		if (m.free_frames > 0)
			_exit(CANNOT_TEST);     /* more RAM than user space: no test */
		shared[0] = 'C';        /* no frame for the copy: killed here */
		_exit(1);
	}
	assert(waitpid(child, &status, 0) == child);
	if (WIFEXITED(status) && WEXITSTATUS(status) == CANNOT_TEST) {
		printf("cowoom: the heap's addresses ran out before memory did: not tested here\n");
		return 0;
	}
	assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert(shared[0] == 'P');
	shared[0] = 'Q';                /* the parent still writes its page */
	assert(shared[0] == 'Q');
	printf("cowoom: the child was killed (SIGKILL) at its copy-on-write write; the parent goes on\n");
	return 0;
}
