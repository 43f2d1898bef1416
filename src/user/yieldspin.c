/*
 * Yield() does not escape cpulimit=: the time of each turn is
 * charged (sched.c run()), so a process that only yields is killed at
 * its limit like one that spins. Run with cpulimit=1.
 */
// expect: killed (time limit: *)
#include <cairn.h>

int
main(void)
{
	for (;;)
		yield();
}
