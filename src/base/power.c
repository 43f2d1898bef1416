/*
 * How the kernel leaves the emulator, so a test run ends by itself. Each
 * emulator listens on its own port and ignores the others, so all are
 * tried in turn. A triple fault also ends QEMU (-no-reboot), but with
 * status 0, which the runner counts as a failure: only an odd status
 * from isa-debug-exit is a deliberate exit.
 */
#include <power.h>
#include <serial.h>
#include <x86.h>

#define QEMU_ACPI_PM1A_CONTROL  0x604   /* QEMU's i440fx power management */
#define ACPI_SLEEP_S5           0x2000

void
machine_exit(int status)
{
	serial_drain();
	outl(QEMU_EXIT_PORT, (uint32_t)status);
	for (const char *p = "Shutdown"; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
	/* A QEMU started without isa-debug-exit (make run): power off. */
	outw(QEMU_ACPI_PM1A_CONTROL, ACPI_SLEEP_S5);
	halt_forever();
}
