/* lab_missing() for host tests, tools and fuzzers (include/lab.h). */
#include <lab.h>
#include <stdio.h>
#include <stdlib.h>

void
lab_missing(const char *lab, const char *function)
{
	fflush(stdout);
	fprintf(stderr, "lab %s: %s() is not written yet\n", lab, function);
	exit(LAB_MISSING_STATUS);
}
