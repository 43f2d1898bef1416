/*
 * Handing work down a chain of forks does not escape cpulimit=: the
 * limit is the family's (src/kernel/sched.c), not each process's. Run
 * with cpulimit=1: each generation spins for 0.6 s of CPU (it runs
 * alone: a tick of uptime is a tick of its CPU), forks the next and
 * waits for it. Were the limit per process, no generation would reach
 * it and the chain could go on for ever (run= would never end); as it
 * is, the second generation passes the family's second, is killed, and
 * so is the first when its wait returns.
 */
// expect: killed (time limit: *)
#include <cairn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define GENERATIONS 8
#define SPIN_TICKS  60          /* 0.6 s */

static void
spin(unsigned ticks)
{
	unsigned start = uptime();

	while (uptime() - start < ticks)
		;
}

int
main(void)
{
	unsigned start = uptime();

	for (int g = 0; g < GENERATIONS; g++) {
		spin(SPIN_TICKS);
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0)
			return 2;
		if (pid > 0) {                  /* hand on: wait, and pass on how it went */
			int status;
			if (waitpid(pid, &status, 0) != pid)
				return 2;
			if (g == 0)
				printf("cpuescape: %u ticks of CPU in the family with cpulimit=1; %s\n",
				       uptime() - start,
				       WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "nobody killed" : "a member was killed");
			if (WIFSIGNALED(status))
				return 1;
			return WEXITSTATUS(status);
		}
	}
	return 0;
}
