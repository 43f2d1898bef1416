/*
 * Ends without finishing its last line. The kernel's "run:" line must
 * still start a line of its own on the console, where a person (or an
 * old grader reading the console) looks for it.
 */
// expect: exit=0
#include <stdio.h>

int
main(void)
{
	printf("nonewline: this line has no end");
	return 0;
}
