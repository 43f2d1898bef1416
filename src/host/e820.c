/*
 * e820: the kernel's memory-map sanitizer (src/mm/memmap.c) on the host.
 * Reads a firmware map as text, applies mem= and memmap= as the kernel's
 * command line would, and prints the table the kernel would print, so a
 * map from a bug report can be replayed without booting anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline.h>
#include <memmap.h>

#include "e820read.h"

#define MIB             (1ull << 20)
#define GIB4            (1ull << 32)

/* Exit statuses: 0 done (warnings included), 2 bad input or usage. */
#define EXIT_TROUBLE    2

static struct memmap map;       /* 16 KiB: static, as in the kernel */

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: e820 [FILE] [mem=SIZE] [memmap=SIZE@ADDR|SIZE$ADDR|SIZE#ADDR]...\n"
		"Sanitizes a firmware memory map as the Cairn kernel does and prints\n"
		"the result as the kernel prints it, then the number of whole 4 KiB\n"
		"frames usable at or above 1 MiB and below 4 GiB.\n"
		"\n"
		"FILE (default or '-': standard input) holds one entry a line,\n"
		"  BASE LENGTH TYPE\n"
		"in decimal or 0x hex; '#' starts a comment; a line holds at most\n"
		"%d characters. Types: 1 usable, 2 reserved, 3 ACPI data, 4 ACPI NVS,\n"
		"5 unusable, others reserved.\n"
		"memmap= adds an entry before sanitizing (@ usable, $ reserved,\n"
		"# ACPI data) and may repeat; mem=SIZE then drops usable memory at\n"
		"and above SIZE. A malformed option is reported and ignored.\n",
		E820_LINE_MAX);
}

/* Reads the whole map from f; exits on a malformed line. */
static void
read_map(FILE *f)
{
	struct e820_error err;
	int r = e820_read_map(f, &map, &err);

	if (r == -EIO) {
		fprintf(stderr, "e820: read error: %s\n", strerror(errno));
		exit(EXIT_TROUBLE);
	}
	if (r != 0) {
		fprintf(stderr, "e820: line %d: %s\n", err.line, err.why);
		exit(EXIT_TROUBLE);
	}
	if (map.dropped > 0)
		fprintf(stderr, "e820: warning: %d entries beyond capacity ignored\n",
			map.dropped);
}

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Applies one mem= or memmap= argument; a bad one is only a warning, as
 * in the kernel. */
static void
apply_option(const char *arg)
{
	const char *v = strchr(arg, '=') + 1;
	int err;

	if (has_prefix(arg, "mem="))
		err = memmap_apply_limit(&map, v, strlen(v));
	else
		err = memmap_apply_edit(&map, v, strlen(v));
	if (err == -ENOSPC)
		fprintf(stderr, "e820: warning: %s ignored: more than %d memmap= edits\n",
			arg, MEMMAP_EDIT_MAX);
	else if (err)
		fprintf(stderr, "e820: warning: malformed %s ignored\n", arg);
}

static bool
is_option(const char *arg)
{
	return has_prefix(arg, "mem=") || has_prefix(arg, "memmap=");
}

/* Returns the map file named in argv, or NULL for stdin; exits for help
 * or a usage error. */
static const char *
scan_args(int argc, char **argv)
{
	const char *file = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			exit(0);
		}
		if (is_option(argv[i]))
			continue;
		if ((argv[i][0] == '-' && argv[i][1] != '\0') || file) {
			fprintf(stderr, "e820: unexpected argument '%s'\n", argv[i]);
			usage(stderr);
			exit(EXIT_TROUBLE);
		}
		file = argv[i];
	}
	if (file && !strcmp(file, "-"))
		return NULL;
	return file;
}

int
main(int argc, char **argv)
{
	const char *file = scan_args(argc, argv);
	FILE *f = stdin;
	char line[MEMMAP_LINE_MAX];

	if (file && !(f = fopen(file, "r"))) {
		fprintf(stderr, "e820: %s: %s\n", file, strerror(errno));
		return EXIT_TROUBLE;
	}
	memmap_init(&map);
	read_map(f);
	if (f != stdin)
		fclose(f);
	for (int i = 1; i < argc; i++)
		if (is_option(argv[i]))
			apply_option(argv[i]);
	memmap_sanitize(&map);
	for (int i = 0; i < map.nrange; i++) {
		memmap_format_range(&map, i, line, sizeof line);
		puts(line);
	}
	printf("usable frames: %llu\n",
		(unsigned long long)memmap_count_frames(&map, MIB, GIB4));
	return 0;
}
