/* crash=KIND on the command line: provoke a fault, to see its report. */
#ifndef CAIRN_CRASH_H
#define CAIRN_CRASH_H

#include <stddef.h>

/* Provokes the fault crash=KIND named, if it did (it does not return,
 * but for a kind the CPU shrugs off, which says so). */
void crash_if_asked(void);

#endif /* CAIRN_CRASH_H */
