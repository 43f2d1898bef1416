/*
 * The monitor's commands, shared between src/kernel/monitor.c (the
 * prompt, and the commands about processes and the machine) and
 * src/kernel/monitor_mm.c (the memory commands). Each takes the rest of
 * its line, without leading blanks; the formats are in include/monitor.h.
 */
#ifndef CAIRN_MONITOR_CMDS_H
#define CAIRN_MONITOR_CMDS_H

#include <stdint.h>

typedef void monitor_fn(const char *args);

/* Reads args as one number (decimal, or 0x hex) of at most max: returns
 * 1 and sets *out; 0 when args is empty; -1 after saying, as cmd, what
 * is wrong with it. */
int monitor_number(const char *cmd, const char *args, uint32_t max, uint32_t *out);

/* A command that takes no argument: true, or false after saying so. */
int monitor_no_args(const char *cmd, const char *args);

monitor_fn monitor_e820, monitor_frames, monitor_alloc, monitor_free;
monitor_fn monitor_vm, monitor_pd, monitor_maps, monitor_peek;
monitor_fn monitor_heap, monitor_kmalloc, monitor_kfree;

#endif /* CAIRN_MONITOR_CMDS_H */
