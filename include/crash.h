/* crash=KIND on the command line: provoke a fault, to see its report. */
#ifndef CAIRN_CRASH_H
#define CAIRN_CRASH_H

#include <stddef.h>

/* Provokes the fault named kind[0..len); warns and returns for an
 * unknown kind. */
void crash_on_request(const char *kind, size_t len);

#endif /* CAIRN_CRASH_H */
