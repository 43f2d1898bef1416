/*
 * The build-to-boot flow (chapters 0 and 1): what make and make iso turn
 * the sources into, and the boot that carries build/cairn.iso (or
 * build/kernel.elf alone, through QEMU's -kernel) to kmain().
 */
#include <stdio.h>

#include <layout.h>
#include <multiboot.h>

#include "pictures.h"
#include "svg.h"

#define COL0    20      /* sources */
#define COL1    250     /* tools */
#define COL2    500     /* what they make */
#define COL3    760     /* the link, the ISO */
#define BOX_W   210
#define BOX_H   44

/* A file (mono) with a note under it. */
static void
file_box(struct svg *s, int x, int y, const char *cls, const char *lines)
{
	svg_box(s, x, y, BOX_W, BOX_H, cls, "mono bold", "small note", lines);
}

/* A tool or step: a white box. */
static void
tool_box(struct svg *s, int x, int y, const char *lines)
{
	svg_box(s, x, y, BOX_W, BOX_H, "frame", "mono", "small note", lines);
}

/* An arrow from the right edge of a box at (x, y) to the left edge of
 * the box at (x2, y2), both BOX_H tall. */
static void
right_to(struct svg *s, int x, int y, int x2, int y2)
{
	svg_arrow(s, x + BOX_W, y + BOX_H / 2, x2 - 2, y2 + BOX_H / 2, "arrow");
}

static void
draw_make(struct svg *s)
{
	svg_text(s, COL0, 82, "bold", "make: build/kernel.elf");
	file_box(s, COL0, 90, "meta", "include/*.h\nevery constant, written once");
	tool_box(s, COL1, 88, "scripts/gen-defines.sh\nasks gcc for each #define's value");
	file_box(s, COL2, 88, "meta", "build/gen/*.inc\n%define NAME value, for NASM");
	file_box(s, COL0, 148, "kernel", "src/**/*.asm\nentry.asm, trapentry.asm, ...");
	tool_box(s, COL1, 148, "nasm -f elf32");
	file_box(s, COL0, 208, "kernel", "src/**/*.c\nthe kernel's C");
	tool_box(s, COL1, 208, "gcc -m32 -ffreestanding -c\n-nostdinc -mgeneral-regs-only");
	svg_box(s, COL2, 148, BOX_W, 104, "kernel", "mono bold", "small note",
		"build/kernel/**/*.o\none object a source");
	file_box(s, COL0, 268, "kernel", "src/kernel.ld\nthe link layout");
	tool_box(s, COL1, 268, "gcc -E (cpp)\nreads include/layout.h");
	file_box(s, COL2, 268, "kernel", "build/kernel.ld\nimage at KERNEL_BASE + 1 MiB");
	right_to(s, COL0, 88, COL1, 88);
	right_to(s, COL1, 88, COL2, 88);
	svg_path(s, "arrow", "M %d %d C %d %d %d %d %d %d", COL2 + 20, 88 + BOX_H,
		COL2 + 10, 150, COL1 + BOX_W + 30, 140, COL1 + BOX_W + 2, 158);
	right_to(s, COL0, 148, COL1, 148);
	right_to(s, COL1, 148, COL2, 160 - BOX_H / 2 + 10);
	right_to(s, COL0, 208, COL1, 208);
	right_to(s, COL1, 208, COL2, 230 - BOX_H / 2 + 10);
	right_to(s, COL0, 268, COL1, 268);
	right_to(s, COL1, 268, COL2, 268);
	tool_box(s, COL3, 148, "gcc -m32 -nostdlib -T\nbuild/kernel.ld, the objects, -lgcc");
	file_box(s, COL3, 228, "kernel", "build/kernel.elf\nand kernel-test.elf, with the tests");
	right_to(s, COL2, 178, COL3, 148);
	svg_arrow(s, COL2 + BOX_W, 290, COL3 - 2, 180, "arrow");
	svg_arrow(s, COL3 + BOX_W / 2, 148 + BOX_H, COL3 + BOX_W / 2, 226, "arrow");
}

static void
draw_iso(struct svg *s)
{
	char user[96];

	svg_text(s, COL0, 348, "bold", "make iso: build/cairn.iso");
	file_box(s, COL2, 362, "kernel", "iso/boot/kernel.elf\nobjcopy --strip-debug");
	file_box(s, COL0, 418, "meta", "grub.cfg\nthe menu");
	file_box(s, COL2, 418, "meta", "iso/boot/grub/*.cfg\nprograms.cfg: one module each");
	file_box(s, COL0, 474, "user", "src/user/*.c\nwith src/ulib/: libc.a");
	snprintf(user, sizeof user, "gcc -m32 (user flags)\nlinked at 0x%08X; strip; gzip -9n",
		(unsigned)USER_TEXT_BASE);
	tool_box(s, COL1, 474, user);
	file_box(s, COL2, 474, "user", "iso/boot/user/NAME.elf.gz\nGRUB's gzio unpacks them");
	tool_box(s, COL3, 390, "scripts/mkiso.sh\ngrub-mkrescue --compress=xz");
	file_box(s, COL3, 470, "used", "build/cairn.iso\nGRUB and all of the above");
	svg_path(s, "arrow", "M %d %d C %d %d %d %d %d %d", COL3 + 60, 228 + BOX_H,
		COL3 + 40, 330, COL2 + BOX_W + 60, 330, COL2 + BOX_W + 2, 380);
	right_to(s, COL0, 418, COL2, 418);
	right_to(s, COL0, 474, COL1, 474);
	right_to(s, COL1, 474, COL2, 474);
	right_to(s, COL2, 362, COL3, 390 - 12);
	right_to(s, COL2, 418, COL3, 390);
	right_to(s, COL2, 474, COL3, 390 + 12);
	svg_arrow(s, COL3 + BOX_W / 2, 390 + BOX_H, COL3 + BOX_W / 2, 468, "arrow");
}

/* The boot: five steps left to right, and QEMU's shortcut to the third. */
static void
draw_boot(struct svg *s)
{
	static const char *const steps[] = {
		"BIOS\nboots the CD's El Torito image",
		"GRUB\nits menu: grub.cfg",
		NULL,           /* the Multiboot hand-over, with its numbers */
		"_start\nsrc/boot/entry.asm, paging off:\ntables, CR3, CR0.PG, jmp high",
		"kmain(magic, info)\nsrc/kernel/main.c, above\nKERNEL_BASE 0xC0000000",
	};
	char handover[128];
	int w = 172, gap = 22, y = 612;

	snprintf(handover, sizeof handover,
		"Multiboot hand-over\nkernel.elf at 0x%X (1 MiB)\nEAX = 0x%08X, EBX = info",
		(unsigned)KERNEL_LOAD_PHYS, (unsigned)MULTIBOOT_BOOTLOADER_MAGIC);
	svg_text(s, COL0, 564, "bold", "The boot: make run (the ISO), or QEMU's -kernel");
	for (int i = 0; i < 5; i++) {
		int x = COL0 + i * (w + gap);
		svg_box(s, x, y, w, 62, i == 4 ? "hot" : i >= 3 ? "kernel" : "frame", "bold",
			"small", steps[i] ? steps[i] : handover);
		if (i > 0)
			svg_arrow(s, x - gap, y + 31, x - 2, y + 31, "arrow");
	}
	svg_path(s, "arrow", "M %d %d C %d %d %d %d %d %d", COL3 + BOX_W / 2, 470 + BOX_H,
		COL3 + BOX_W / 2, 560, COL0 + w / 2, 560, COL0 + w / 2, y - 2);
	svg_box(s, COL0 + w + gap, 700, w + 60, 40, "frame", "mono", "small note",
		"qemu-system-i386 -kernel\nbuild/kernel.elf: no ISO, no GRUB");
	svg_path(s, "dash", "M %d %d L %d %d", COL0 + 2 * w + gap + 60, 720,
		COL0 + 2 * (w + gap) + w / 2, 720);
	svg_arrow(s, COL0 + 2 * (w + gap) + w / 2, 720, COL0 + 2 * (w + gap) + w / 2, y + 64,
		"arrow");
}

int
draw_build_to_boot(FILE *f)
{
	struct svg s;

	svg_begin(&s, f, 1000, 760, "From the sources to kmain(): the build and the boot");
	svg_text(&s, COL0, 26, "big", "From the sources to kmain(): the build, the ISO and the boot");
	svg_text(&s, COL0, 46, "note",
		"Coloured boxes are files (blue: the kernel, yellow: user programs, grey: headers and configuration, orange: the image");
	svg_text(&s, COL0, 62, "note", "a PC boots); white boxes are the tools that make them and the steps of the boot.");
	draw_make(&s);
	draw_iso(&s);
	draw_boot(&s);
	return svg_end(&s);
}
