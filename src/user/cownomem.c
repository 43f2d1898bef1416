/*
 * A system call whose result goes into a copy-on-write page when no
 * frame is left for the copy. The parent forks a child that exits at
 * once and one that sleeps (so its bss page stays shared); then it takes
 * every frame with sbrk and asks waitpid and meminfo to write into that
 * page. The kernel must fail the calls with -ENOMEM (include/cairn/
 * syscall.h: any call that writes into a shared page may), not fault and
 * not kill, and the child must stay to be waited for.
 */
// expect: exit=0
#include <cairn.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static union {
	int status;
	struct meminfo m;
	char page[PAGE];
} shared __attribute__((aligned(PAGE)));

int
main(void)
{
	shared.status = 1;                      /* mapped, then shared by fork */
	fflush(stdout);
	pid_t child = fork();
	if (child == 0)
		_exit(5);                       /* a zombie, its frames back */
	pid_t keeper = fork();
	if (keeper == 0) {                      /* keeps the page shared */
		sleep_ticks(SLEEP_TICKS_MAX);   /* killed at the end */
		_exit(0);
	}
	sleep_ticks(5);
	/* every frame, without touching errno or the shared page */
	uint32_t pages = 0;
	while ((int32_t)cairn_syscall(SYS_sbrk, 64 * PAGE, 0, 0) > 0)
		pages += 64;
	while ((int32_t)cairn_syscall(SYS_sbrk, PAGE, 0, 0) > 0)
		pages++;
	struct meminfo left;                    /* on the stack: a page of its own by now */
	meminfo(&left);
	if (left.free_frames > 0) {             /* the heap's addresses ran out first */
		cairn_syscall(SYS_sbrk, (uint32_t)-(int32_t)(pages * PAGE), 0, 0);
		printf("cownomem: more RAM than the heap can take: not tested here\n");
		kill(keeper, SIGKILL);
		waitpid(keeper, NULL, 0);
		waitpid(child, NULL, 0);
		return 0;
	}
	int32_t w = cairn_syscall(SYS_waitpid, (uint32_t)child, (uint32_t)(uintptr_t)&shared.status, WNOHANG);
	int32_t m = cairn_syscall(SYS_meminfo, (uint32_t)(uintptr_t)&shared.m, 0, 0);
	cairn_syscall(SYS_sbrk, (uint32_t)-(int32_t)(pages * PAGE), 0, 0);    /* give them back */
	printf("cownomem: took %u pages; then waitpid into a shared page: %d, meminfo: %d\n", pages, w, m);
	int status;
	int stayed = waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 5;
	printf("cownomem: the child %s\n", stayed ? "stayed to be waited for" : "was lost: FAIL");
	kill(keeper, SIGKILL);
	waitpid(keeper, NULL, 0);
	return stayed && w == -ENOMEM && m == -ENOMEM ? 0 : 1;
}
