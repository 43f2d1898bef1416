/*
 * A program that uses no CPU and never ends: it sleeps a day at a time,
 * for ever. cpulimit= cannot end it (a sleeper uses no CPU), so the
 * runner's wall-clock limit (walllimit=, src/kernel/runner.c) does, and
 * run= goes on to the next program. make test runs it with walllimit=1.
 */
// expect: killed (wall-clock limit: *)
#include <cairn.h>
#include <stdio.h>

int
main(void)
{
	printf("sleepforever: asleep, a day at a time, for ever\n");
	fflush(stdout);
	for (;;)
		sleep_ticks(SLEEP_TICKS_MAX);
}
