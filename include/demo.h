/*
 * demo=NAME on the command line: once the boot has come as far as the
 * book's chapter NAME stands for, show that chapter's point in a few
 * narrated lines (src/kernel/demo.c). GRUB's menu has an entry for each
 * chapter that boots with it (grub.cfg: "Chapter N: ..."); an unknown
 * NAME is refused in one line that lists the names.
 */
#ifndef CAIRN_DEMO_H
#define CAIRN_DEMO_H

/* Runs the demo demo=NAME asked for, if any, and returns; the monitor's
 * demo ends at its prompt instead. */
void demo_run_requested(void);

#endif /* CAIRN_DEMO_H */
