/*
 * Chapter 7's pictures: the trap frame on a process's kernel stack, and
 * the way of one system call from the program into the kernel and back.
 * The frame's fields and offsets are struct trapframe's (include/trap.h);
 * the stack is the first process's (include/layout.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cairn/syscall.h>
#include <gdt.h>
#include <layout.h>
#include <trap.h>

#include "pictures.h"
#include "svg.h"

#define FIELD(name)     { #name, offsetof(struct trapframe, name) }

/* The fields from the top of the stack down, and who pushed them. */
static const struct {
	const char *name;
	size_t offset;
} fields[] = {
	FIELD(user_ss), FIELD(user_esp),
	FIELD(eflags), FIELD(cs), FIELD(eip),
	FIELD(error), FIELD(vector),
	FIELD(ds), FIELD(es), FIELD(fs), FIELD(gs),
	FIELD(eax), FIELD(ecx), FIELD(edx), FIELD(ebx),
	FIELD(esp_at_pusha), FIELD(ebp), FIELD(esi), FIELD(edi),
};

/* Who pushed fields[first..last]. */
static const struct {
	int first, last;
	const char *cls;
	const char *who;
	const char *how;        /* NULL for a group of one row */
} pushers[] = {
	{ 0, 1, "user", "the CPU, from ring 3 only", "the program's stack pointer" },
	{ 2, 4, "user", "the CPU", "where the program was" },
	{ 5, 5, "meta", "the CPU's error code, or the stub's 0", NULL },
	{ 6, 6, "meta", "the stub: its vector (trap_stub_N)", NULL },
	{ 7, 10, "kernel", "trap_common", "push ds, es, fs, gs" },
	{ 11, 18, "kernel", "trap_common: pusha", "the general registers" },
};

#define N_FIELDS        (int)(sizeof fields / sizeof fields[0])
#define FRAME_X         200
#define FRAME_W         190
#define ROW_H           22

int
draw_trap_frame(FILE *f)
{
	uint32_t esp0 = KSTACK_BASE + PAGE_SIZE + KSTACK_PAGES * PAGE_SIZE;  /* slot 0's top */
	uint32_t tf = esp0 - sizeof(struct trapframe);
	int top = 110;
	struct svg s;

	_Static_assert(sizeof(struct trapframe) == 19 * 4, "the picture draws 19 words");
	svg_begin(&s, f, 900, top + N_FIELDS * ROW_H + 90, "The trap frame");
	svg_text(&s, 20, 28, "big", "The trap frame: struct trapframe (include/trap.h) on a kernel stack");
	svg_text(&s, 20, 48, "note",
		"A trap from ring 3 switches to the process's kernel stack (the TSS's esp0) and pushes from the top down.");
	svg_text(&s, 20, 64, "note",
		"Addresses for the first process's stack (slot 0 of KSTACK_BASE): esp0 = 0x%08X, tf = esp0 - %zu.",
		esp0, sizeof(struct trapframe));
	svg_text(&s, FRAME_X - 12, top - 12, "small end note", "address");
	svg_text(&s, FRAME_X + 8, top - 12, "small note", "field (offset in the struct)");
	svg_text(&s, FRAME_X - 12, top + 4, "mono small end", "esp0 0x%08X", esp0);
	for (int p = 0; p < (int)(sizeof pushers / sizeof pushers[0]); p++) {
		int y0 = top + pushers[p].first * ROW_H, y1 = top + (pushers[p].last + 1) * ROW_H;
		for (int i = pushers[p].first; i <= pushers[p].last; i++) {
			int y = top + i * ROW_H;
			svg_rect(&s, FRAME_X, y, FRAME_W, ROW_H, pushers[p].cls);
			svg_text(&s, FRAME_X + 10, y + 16, "mono", "%s", fields[i].name);
			svg_text(&s, FRAME_X + FRAME_W - 8, y + 16, "mono small end note", "+%zu",
				fields[i].offset);
			svg_text(&s, FRAME_X - 12, y + ROW_H + 4, "mono small end", "0x%08zX",
				tf + fields[i].offset);
		}
		svg_path(&s, "line", "M %d %d h 8 V %d h -8", FRAME_X + FRAME_W + 12, y0 + 2, y1 - 2);
		if (!pushers[p].how) {          /* one row: one line */
			svg_text(&s, FRAME_X + FRAME_W + 30, y0 + 16, "bold", "%s", pushers[p].who);
			continue;
		}
		svg_text(&s, FRAME_X + FRAME_W + 30, (y0 + y1) / 2 - 1, "bold", "%s", pushers[p].who);
		svg_text(&s, FRAME_X + FRAME_W + 30, (y0 + y1) / 2 + 14, "small note", "%s", pushers[p].how);
	}
	int bottom = top + N_FIELDS * ROW_H;
	svg_arrow(&s, 60, bottom, FRAME_X - 100, bottom, "redarrow");
	svg_text(&s, 20, bottom + 4, "bold red", "tf");
	svg_text(&s, 20, bottom + 34, "small note",
		"trap_common calls trap_dispatch(esp): the frame is its argument, tf. On the way out, trap_return pops it in");
	svg_text(&s, 20, bottom + 50, "small note",
		"reverse: popa, the segment registers, add esp, 8 past vector and error, then iret (the CPU's five words).");
	svg_text(&s, 20, bottom + 66, "small note",
		"A trap from ring 0 pushes no user_esp or user_ss: its frame is two words shorter (trap_from_user(tf) tells which).");
	return svg_end(&s);
}

/* One step of a system call: a box and its file. */
static void
step(struct svg *s, int x, int y, int w, const char *cls, const char *lines)
{
	svg_box(s, x, y, w, 58, cls, "mono bold", "small", lines);
}

int
draw_syscall_path(FILE *f)
{
	char call[128], gate[160], stub[128], dispatch[160], back[160], iret[128];
	int left = 20, right = 500, w = 420, ring = 180;
	struct svg s;

	_Static_assert(SYSCALL_VECTOR == T_SYSCALL, "one vector for system calls");
	snprintf(call, sizeof call, "getpid() -> cairn_syscall()\nsrc/ulib/syscall.c: EAX = %d (SYS_getpid)\nint $0x%X",
		SYS_getpid, SYSCALL_VECTOR);
	snprintf(gate, sizeof gate, "the CPU: IDT vector 0x%X\na DPL-3 gate (idt_allow_user); SS0:ESP0 from the TSS;\npushes ss, esp, eflags, cs (0x%X), eip",
		SYSCALL_VECTOR, SEG_USER_CODE);
	snprintf(stub, sizeof stub, "trap_stub_%d, trap_common\nsrc/kernel/trapentry.asm: push 0, push 0x%X;\nsegments, pusha; call trap_dispatch(esp)",
		SYSCALL_VECTOR, SYSCALL_VECTOR);
	snprintf(dispatch, sizeof dispatch, "trap_dispatch() -> handled() -> syscall(tf)\nsrc/kernel/trap.c: case T_SYSCALL, from ring 3 only\nsrc/kernel/syscall.c: tf->eax = syscalls[%d](tf), sys_getpid",
		SYS_getpid);
	snprintf(back, sizeof back, "trap_return\nsrc/kernel/trapentry.asm: popa (EAX: the result),\nsegments, add esp, 8; iret");
	snprintf(iret, sizeof iret, "iret (the CPU)\npops eip, cs, eflags, esp, ss:\nCS 0x%X: ring 3 again, on the user's stack",
		SEG_USER_CODE);

	svg_begin(&s, f, 940, 520, "One system call, from end to end");
	svg_text(&s, 20, 28, "big", "One system call, from end to end: getpid()");
	svg_text(&s, 20, 48, "note",
		"Down the left into the kernel, back up the right. The registers travel in the trap frame (trap-frame.svg).");
	svg_text(&s, 20, 90, "bold", "ring 3: the program");
	step(&s, left, 100, w, "user", call);
	step(&s, right, 100, w, "user", "syscall_result()\na negative errno: errno = -r, return -1;\nelse the value (here the pid)");
	svg_path(&s, "dash", "M 10 %d H 930", ring + 5);
	svg_text(&s, 20, ring + 24, "bold", "ring 0: the kernel");
	step(&s, left, ring + 40, w, "meta", gate);
	step(&s, left, ring + 130, w, "kernel", stub);
	step(&s, 260, ring + 230, w, "hot", dispatch);
	step(&s, right, ring + 40, w, "meta", iret);
	step(&s, right, ring + 130, w, "kernel", back);
	svg_arrow(&s, left + w / 2, 158, left + w / 2, ring + 38, "arrow");
	svg_arrow(&s, left + w / 2, ring + 98, left + w / 2, ring + 128, "arrow");
	svg_arrow(&s, left + w / 2, ring + 188, 300, ring + 228, "arrow");
	svg_arrow(&s, 640, ring + 228, right + w / 2, ring + 190, "arrow");
	svg_arrow(&s, right + w / 2, ring + 128, right + w / 2, ring + 100, "arrow");
	svg_arrow(&s, right + w / 2, ring + 38, right + w / 2, 160, "arrow");
	svg_text(&s, 20, 506, "small note",
		"Each step's names are the code's; the call's number and the result travel in EAX, its arguments in EBX, ECX, EDX.");
	return svg_end(&s);
}
