/*
 * A firmware memory map written as text, read into a struct memmap
 * (src/host/e820read.c): the host tool e820 reads its input with it, and
 * tests/fuzz/e820_fuzz.c fuzzes it. One entry a line:
 *
 *   BASE LENGTH TYPE     decimal or 0x hex; '#' starts a comment
 */
#ifndef CAIRN_E820READ_H
#define CAIRN_E820READ_H

#include <stdio.h>

#include <memmap.h>

#define E820_LINE_MAX   511     /* characters in a line, its newline not counted */

/* Why a map was refused: the line (from 1) and what is wrong with it. */
struct e820_error {
	int line;
	char why[96];
};

/* Reads every line of f into m through memmap_add_firmware() (entries
 * beyond its room are counted in m->dropped). Returns 0; -EINVAL for the
 * first bad line (a NUL byte, more than E820_LINE_MAX characters, or not
 * BASE LENGTH TYPE), with *err naming it and saying why; or -EIO when f
 * cannot be read. The last line needs no newline. */
int e820_read_map(FILE *f, struct memmap *m, struct e820_error *err);

#endif /* CAIRN_E820READ_H */
