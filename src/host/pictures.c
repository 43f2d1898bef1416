/*
 * pictures: writes the book's diagrams into a directory, one NAME.svg
 * each (make pictures: docs/pictures/; make check-pictures: build/pictures/,
 * compared with the committed ones). The memory map at boot is bootmap's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pictures.h"

static const struct picture {
	const char *name;
	int (*draw)(FILE *f);
} pictures[] = {
	{ "build-to-boot", draw_build_to_boot },        /* chapters 0 and 1 */
	{ "paging-walk", draw_paging_walk },            /* chapter 4 */
	{ "recursive-mapping", draw_recursive_mapping },
	{ "virtual-layout", draw_virtual_layout },      /* chapter 5 */
	{ "pmm-stack", draw_pmm_stack },                /* chapter 3 */
	{ "heap-block", draw_heap_block },              /* chapter 6 */
	{ "heap-coalesce", draw_heap_coalesce },
	{ "trap-frame", draw_trap_frame },              /* chapter 7 */
	{ "syscall-path", draw_syscall_path },
};

static int
write_picture(const char *dir, const struct picture *p)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.svg", dir, p->name);
	if (!(f = fopen(path, "w"))) {
		fprintf(stderr, "pictures: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int r = p->draw(f);
	if (fclose(f) != 0 || r < 0) {
		fprintf(stderr, "pictures: %s: cannot write it\n", path);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: pictures DIR\n"
			"Writes the book's diagrams into DIR, one NAME.svg each.\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof pictures / sizeof pictures[0]; i++)
		if (write_picture(argv[1], &pictures[i]) < 0)
			return 1;
	return 0;
}
