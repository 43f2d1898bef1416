/*
 * The kernel's own function names (src/base/symbols.c), read at boot
 * from the ELF symbol table the boot loader passes (Multiboot info bit 5),
 * so fault reports and backtraces can say `kprintf+0x12`, not only
 * 0xc0101fb2. GRUB passes the table; QEMU's -kernel loader does not, and
 * then every lookup returns NULL and reports show bare addresses.
 */
#ifndef CAIRN_SYMBOLS_H
#define CAIRN_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#define SYMBOLS_MAX             2048            /* functions remembered */
#define SYMBOL_NAMES_MAX        (32 * 1024)     /* bytes of string table kept */

/* Copies the function symbols and their names out of the loader's memory
 * into the kernel. Call after multiboot_init() and before physmem_init():
 * the loader's copy is in frames the PMM then hands out. Warns when the
 * table is missing or larger than the kernel's copy; never fails. */
void symbols_init(void);

/* How many symbols were kept: 0 when the loader passed none. */
unsigned symbols_count(void);

/* The name of the function containing addr, with addr's distance from its
 * start in *offset (offset may be NULL). A function is a C function (ELF
 * STT_FUNC, st_value <= addr < st_value + st_size) or an assembly label
 * in code, which reaches to the next symbol. Returns NULL when addr is in
 * no function or there are no symbols. */
const char *symbols_lookup(uint32_t addr, uint32_t *offset);

/* The same for a return address found on the stack: looks up ret - 1,
 * the call instruction, because a call to a function that never returns
 * (panic_at) may be the last instruction of its caller, and then ret is
 * already the next function's first byte. *offset is from ret itself. */
const char *symbols_lookup_return(uint32_t ret, uint32_t *offset);

#define SYMBOLS_RETURN_ADDRESS 0x1      /* addr came off the stack: see above */

/* Formats " <name+0xN>" for addr into buf, or "" when no function holds
 * it, for reports that print an address. flags: SYMBOLS_RETURN_ADDRESS
 * or 0. Returns buf. */
char *symbols_format(uint32_t addr, unsigned flags, char *buf, size_t size);

#endif /* CAIRN_SYMBOLS_H */
