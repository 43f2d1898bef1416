/*
 * The child of fork starts from a copy of its parent's
 * trap frame, so everything the parent put in EFLAGS and the segment
 * registers reaches the child's first iret. The parent sets DF, AC
 * (SMAP's override, if the kernel kept it), NT and ID, loads null
 * selectors into fs and gs and the user code selector into es, and
 * forks from assembly. Both must come back with exactly those, and the
 * kernel must have run the fork (and the child's first switch) with
 * none of it: the child then makes a system call that copies to user
 * memory (meminfo), which under SMAP with AC ignored must still work
 * through stac, and a kernel that kept AC would not notice. Run with
 * --cpu max too.
 */
// expect: exit=0
#include <cairn.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define HOSTILE_FLAGS 0x244400u         /* ID | AC | NT | DF */

int
main(void)
{
	uint32_t flags, es, fs, gs;
	int32_t pid;

	fflush(stdout);
	asm volatile(
		"pushfl; orl %[f], (%%esp); popfl\n\t"
		"mov %%cs, %%ecx; mov %%ecx, %%es\n\t"
		"xor %%ecx, %%ecx; mov %%ecx, %%fs; mov %%ecx, %%gs\n\t"
		"mov $7, %%eax; int $0x80\n\t"
		"pushfl; popl %%ebx\n\t"
		"pushfl; andl %[nf], (%%esp); popfl\n\t"
		"mov %%es, %%ecx; mov %%ecx, %[es]\n\t"
		"mov %%fs, %%ecx; mov %%ecx, %[fs]\n\t"
		"mov %%gs, %%ecx; mov %%ecx, %[gs]\n\t"
		"mov %%ds, %%ecx; mov %%ecx, %%es\n\t"
		: "=a"(pid), "=b"(flags), [es] "=m"(es), [fs] "=m"(fs), [gs] "=m"(gs)
		: [f] "i"(HOSTILE_FLAGS), [nf] "i"(~HOSTILE_FLAGS)
		: "ecx", "memory", "cc");
	const char *who = pid == 0 ? "child" : "parent";
	struct meminfo m;
	int ok = (flags & HOSTILE_FLAGS) == HOSTILE_FLAGS && (es & 0xFFFF) == 0x1B &&
		 (fs & 0xFFFF) == 0 && (gs & 0xFFFF) == 0 && meminfo(&m) == 0;
	printf("forkflags: %s: eflags 0x%x es 0x%x fs 0x%x gs 0x%x: %s\n", who, flags, es & 0xFFFF,
	       fs & 0xFFFF, gs & 0xFFFF, ok ? "as set" : "FAIL");
	if (pid == 0) {
		fflush(stdout);
		_exit(!ok);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	return !ok;
}
