/* Leaving the emulator (src/base/power.c). */
#ifndef CAIRN_POWER_H
#define CAIRN_POWER_H

#define QEMU_EXIT_PORT      0xF4    /* -device isa-debug-exit,iobase=0xf4 */
#define BOCHS_SHUTDOWN_PORT 0x8900  /* takes the bytes of "Shutdown" */

#define EXIT_PASS   0               /* QEMU then exits with status 1 */
#define EXIT_FAIL   1               /* QEMU then exits with status 3 */

/* Drains the serial port, then ends QEMU (its exit status is
 * status * 2 + 1) or Bochs; halts if neither emulator is listening. */
__attribute__((noreturn)) void machine_exit(int status);

#endif /* CAIRN_POWER_H */
