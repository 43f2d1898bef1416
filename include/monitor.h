/*
 * The kernel monitor (src/kernel/monitor.c, its memory commands in
 * src/kernel/monitor_mm.c): with the boot option `monitor`, the boot
 * ends at a prompt on COM1 and the VGA screen,
 *
 *   cairn> 
 *
 * reading lines from the serial port (polled) and the PS/2 keyboard (by
 * interrupt, IRQ 1); the CPU halts until the next interrupt while
 * nothing comes. A line
 * is edited as it is typed: Backspace (or DEL) rubs out a character,
 * Ctrl-U the whole line, other control characters are ignored, and
 * everything kept is echoed. `help` lists the commands.
 *
 * The memory commands print exactly the lines below; scripts/cairn-gdb.py
 * prints the same lines from a stopped kernel (cairn-e820, cairn-frames,
 * cairn-walk, cairn-pd, cairn-maps, cairn-heap, cairn-ps), and
 * tests/monitor/ compares the two. Numbers are decimal unless written
 * 0x...; addresses are eight hex digits.
 *
 * e820: the sanitized map, as the boot printed it (memmap_format_range):
 *   e820: [mem 0x0000000000100000-0x0000000007fdffff] usable
 *
 * frames: the PMM's books (struct pmm_stats):
 *   frames: TOTAL total: FREE free, RESERVED promised, OUT handed out
 *   frames: the free ones: STACKED on the stack, RESERVOIR in the reservoir
 *
 * alloc [N] (1 to 64 frames; the monitor remembers them):
 *   alloc: frame 0xPFN at 0xADDRESS            (one line per frame)
 *   alloc: no frame left (FREE free, RESERVED promised)
 * free PFN (a frame number, as alloc printed it):
 *   free: frame 0xPFN at 0xADDRESS is free again
 *   pmm: refused to free 0x... (WHY), called from 0x...     (the PMM's own)
 *   free: refused: frame 0xPFN is in use by the kernel, not one alloc gave
 *
 * vm ADDR: the walk of ADDR in the current address space; each entry is
 * shown at the address where the recursive mapping lets the kernel read
 * it, with its flags in words (present, writable or read-only, user or
 * supervisor, then any of write-through, no-cache, accessed, dirty,
 * global, copy-on-write):
 *   vm 0xADDR: REGION; directory at 0xPHYS (CR3)
 *     pde INDEX at 0xffffXXXX: 0xENTRY FLAGS
 *     pte INDEX at 0xffcXXXXX: 0xENTRY FLAGS
 *     physical 0xPHYS
 * and for an entry that is not present, after its line, nothing more:
 *     pde INDEX at 0x...: 0xENTRY not present: nothing mapped at 0xADDR
 *
 * pd: present directory entries, runs with the same user and writable
 * bits merged; the recursive slot on its own line:
 *   pd: directory at 0xPHYS (CR3), N of 1024 entries present
 *     pde FIRST-LAST  0xSTART-0xEND  user|supervisor writable|read-only
 *     pde 1023-1023  0xffc00000-0xffffffff  supervisor writable  the recursive slot: the directory itself
 *
 * maps: every mapped page, runs merged while contiguous, with the same
 * rights and in the same region (REGION as fault_region() names it, or
 * "the low 1 MiB (VGA text)"):
 *   maps: directory at 0xPHYS (CR3)
 *     0xSTART-0xEND  PAGES page(s)  writable|read-only user|supervisor[ copy-on-write]  REGION
 *   maps: PAGES pages mapped in RUNS runs
 *
 * heap: the kernel heap's blocks in address order (payload address,
 * block size with its header), then the totals; fragmentation is
 * 1 - largest free / free bytes, in tenths of a percent, rounded down:
 *   heap: 0xSTART-0xEND, SIZE bytes
 *     0xPAYLOAD  SIZE  used|free
 *   heap: N blocks: U used (B bytes), F free (B bytes); largest free L; fragmentation P.T%
 * or "heap: empty: nothing allocated yet", or in kheap=guard
 * "heap: kheap=guard gives each allocation pages of its own: no blocks".
 *
 * kmalloc N / kfree ADDR (only blocks kmalloc gave; anything else is
 * refused with the reason, and nothing changes):
 *   kmalloc: 0xPAYLOAD, N bytes (block of SIZE)
 *   kfree: 0xPAYLOAD freed (block of SIZE)
 *   kfree: refused: 0xADDR WHY
 *
 * ps: the process table, in slot order:
 *     PID  PPID  STATE     NAME
 *   or "ps: no processes"
 *
 * irq: the interrupts taken since boot (the keyboard's since the monitor
 * opened IRQ 1), monitor only:
 *   irq: timer TICKS, keyboard KEYS, spurious N
 *
 * A command that faults is stopped and reported; the prompt comes back:
 *   peek: the command faulted: page fault: read at 0x00000000: not present (the null page)
 */
#ifndef CAIRN_MONITOR_H
#define CAIRN_MONITOR_H

#include <stdbool.h>

/* Was the kernel booted with `monitor`? */
bool monitor_requested(void);

/* The prompt, for ever: it ends only with `reboot` or `poweroff`. */
__attribute__((noreturn)) void monitor_run(void);

#endif /* CAIRN_MONITOR_H */
