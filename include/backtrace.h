/*
 * Frame-pointer backtraces (src/base/backtrace.c). The kernel is built
 * with -fno-omit-frame-pointer, so every C function starts with
 * `push %ebp; mov %esp, %ebp`: at [ebp] lies the caller's ebp, at
 * [ebp + 4] the return address into the caller. entry.asm zeroes ebp
 * before kmain, so the chain ends at 0.
 *
 *   higher addresses
 *   | return address  |  <- ebp + 4: where the caller resumes
 *   | caller's ebp    |  <- ebp: the next frame up the chain
 *   | locals ...      |
 */
#ifndef CAIRN_BACKTRACE_H
#define CAIRN_BACKTRACE_H

#include <stdint.h>

#define BACKTRACE_MAX   16      /* frames a report prints */

/* Walks the chain from frame ebp and stores up to max return addresses in
 * eips, innermost first. Stops at ebp 0, at a frame that is misaligned,
 * outside the kernel half or on an unmapped page, or that does not lie
 * above the one before (a corrupt chain): it never faults. Returns how
 * many it stored. */
int backtrace_collect(uint32_t ebp, uint32_t *eips, int max);

/* Prints the backtrace, one `    #N 0xc0101234 function+0x12` line per
 * frame: #0 is eip (the instruction that was running), then the callers
 * found from frame ebp. With eip 0 it starts at the first caller. */
void backtrace_print(uint32_t ebp, uint32_t eip);

#endif /* CAIRN_BACKTRACE_H */
