/*
 * Waiting for time to pass: sleep_ticks(10) returns after at least ten
 * timer ticks, sleep(1) after at least TIMER_HZ of them (it counts
 * seconds), sleep_ticks(0) too; uptime never goes back; yield returns
 * 0 even when no one else wants the CPU.
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <stdio.h>
#include <unistd.h>

/* Ticks that pass during sleep_ticks(ticks); checks its result. */
static unsigned
slept(unsigned ticks)
{
	unsigned start = uptime();

	assert(sleep_ticks(ticks) == 0);
	unsigned end = uptime();
	assert(end >= start);
	return end - start;
}

int
main(void)
{
	unsigned ten = slept(10);
	assert(ten >= 10);
	slept(0);

	unsigned start = uptime();
	assert(sleep(1) == 0);
	unsigned second = uptime() - start;
	assert(second >= TIMER_HZ);

	assert(yield() == 0);
	printf("sleeper: sleep_ticks(10) took %u ticks, sleep(1) %u; yield returned 0\n", ten, second);
	return 0;
}
