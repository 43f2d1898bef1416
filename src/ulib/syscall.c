/*
 * The system calls: one `int $0x80` (cairn_syscall) and a C function per
 * call that turns the kernel's negative errno into errno and -1, the way
 * every Unix libc does. The ABI is drawn in include/cairn/syscall.h.
 */
#include <cairn.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int errno;

/* The kernel returns -4095..-1 for errors and anything else for success:
 * a break above 0x80000000 is a negative int yet no error. */
#define MAX_ERRNO   4095

int32_t
cairn_syscall(uint32_t number, uint32_t a, uint32_t b, uint32_t c)
{
	int32_t result;

	/* The kernel preserves every register but EAX; "memory" because it
	 * may read or write what the arguments point at. */
	asm volatile("int $0x80"
		: "=a"(result)
		: "a"(number), "b"(a), "c"(b), "d"(c)
		: "memory", "cc");
	return result;
}

/* The result, or -1 with errno set if it is an error number. */
static int32_t
syscall_result(int32_t r)
{
	if ((uint32_t)r >= (uint32_t)-MAX_ERRNO) {
		errno = -r;
		return -1;
	}
	return r;
}

void
_exit(int status)
{
	cairn_syscall(SYS_exit, (uint32_t)status, 0, 0);
	__builtin_trap();               /* exit came back: a kernel bug, so fault */
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	return syscall_result(cairn_syscall(SYS_write, (uint32_t)fd,
		(uint32_t)(uintptr_t)buf, len));
}

pid_t
getpid(void)
{
	return syscall_result(cairn_syscall(SYS_getpid, 0, 0, 0));
}

int
brk(void *addr)
{
	return syscall_result(cairn_syscall(SYS_brk, (uint32_t)(uintptr_t)addr, 0, 0));
}

void *
sbrk(intptr_t increment)
{
	int32_t r = syscall_result(cairn_syscall(SYS_sbrk, (uint32_t)increment, 0, 0));

	return (void *)(intptr_t)r;     /* -1 is (void *)-1 */
}

int
meminfo(struct meminfo *info)
{
	return syscall_result(cairn_syscall(SYS_meminfo, (uint32_t)(uintptr_t)info, 0, 0));
}

pid_t
getppid(void)
{
	return syscall_result(cairn_syscall(SYS_getppid, 0, 0, 0));
}

pid_t
fork(void)
{
	return syscall_result(cairn_syscall(SYS_fork, 0, 0, 0));
}

int
exec(const char *name)
{
	return syscall_result(cairn_syscall(SYS_exec, (uint32_t)(uintptr_t)name, 0, 0));
}

pid_t
waitpid(pid_t pid, int *status, int options)
{
	return syscall_result(cairn_syscall(SYS_waitpid, (uint32_t)pid,
		(uint32_t)(uintptr_t)status, (uint32_t)options));
}

pid_t
wait(int *status)
{
	return waitpid(-1, status, 0);
}

int
kill(pid_t pid, int sig)
{
	return syscall_result(cairn_syscall(SYS_kill, (uint32_t)pid, (uint32_t)sig, 0));
}

int
yield(void)
{
	return syscall_result(cairn_syscall(SYS_yield, 0, 0, 0));
}

int
sleep_ticks(unsigned ticks)
{
	return syscall_result(cairn_syscall(SYS_sleep, ticks, 0, 0));
}

/* Not through syscall_result: after 2^31 ticks (248 days) the count
 * looks negative, and it is no error. */
unsigned
uptime(void)
{
	return (unsigned)cairn_syscall(SYS_uptime, 0, 0, 0);
}

unsigned
sleep(unsigned seconds)
{
	/* The kernel sleeps at most SLEEP_TICKS_MAX (a day) at a time. */
	while (seconds > 0) {
		unsigned now = seconds < SLEEP_TICKS_MAX / TIMER_HZ ? seconds : SLEEP_TICKS_MAX / TIMER_HZ;
		if (sleep_ticks(now * TIMER_HZ) < 0)
			return seconds;
		seconds -= now;
	}
	return 0;
}
