/*
 * An unmasked x87 exception left pending (a division
 * by zero with ZM clear: it is raised only at the next waiting x87
 * instruction) while the kernel forks, switches, sleeps and execs. Every
 * kernel path must save and load such a state without a waiting x87
 * instruction of its own, or the #MF would come in ring 0 and stop the
 * machine. The child and the parent each take the #MF in ring 3 at their
 * own next fwait (killed, SIGFPE); a second child execs hello, whose
 * FPU must be clean (exit 0).
 */
// expect: killed (x87 floating-point error*)
#include <cairn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	uint16_t zero_divide_unmasked = 0x037B;
	int status;

	fflush(stdout);
	asm volatile("fninit; fldcw %0; fld1; fldz; fdivrp" : : "m"(zero_divide_unmasked));
	/* pending now: fork, sleep and yield with it */
	pid_t a = fork();
	if (a == 0) {
		sleep_ticks(2);
		yield();
		asm volatile("fwait");  /* the #MF: in ring 3 */
		_exit(1);
	}
	pid_t b = fork();
	if (b == 0) {
		exec("hello");
		_exit(2);
	}
	sleep_ticks(3);
	yield();
	waitpid(a, &status, 0);
	int a_ok = WIFSIGNALED(status) && WTERMSIG(status) == SIGFPE;
	waitpid(b, &status, 0);
	int b_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	printf("fpupending: child with the pending #MF: %s; child that exec'd hello: %s\n",
	       a_ok ? "SIGFPE in ring 3" : "FAIL", b_ok ? "exit 0" : "FAIL");
	fflush(stdout);
	asm volatile("fwait");          /* and the parent's own */
	return 1;
}
