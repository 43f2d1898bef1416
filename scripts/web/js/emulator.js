// Starting Cairn in v86, one menu entry at a time.
//
// Two ways in, as menu.json says for each entry (scripts/web/menu-entries.py):
//   multiboot  v86 loads the kernel ELF itself, with the entry's command
//              line: the quickest boot, and the only one where a write to
//              port 0xF4 (QEMU's exit port, src/base/power.c) stops the
//              emulator
//   iso        SeaBIOS boots the ISO, and GRUB loads the kernel and the
//              user programs as modules (v86's Multiboot loader takes one
//              module at most); the page picks the entry in GRUB's menu
//              by sending arrow keys down the serial line
import { V86 } from "../v86/libv86.mjs";

const MEMORY_BYTES = 128 << 20;         // as make run's QEMU (-m 128M)
// GRUB's menu has been drawn on the serial line once it says this.
const GRUB_MENU_READY = "highlighted entry";

export function startCairn(entry, { screen, onCom1, onCom2, onHalted }) {
	const options = {
		wasm_path: "v86/v86.wasm",
		memory_size: MEMORY_BYTES,
		bios: { url: "bios/bios.bin" },
		vga_bios: { url: "bios/vgabios-stdvga.bin" },
		screen_container: screen,
		uart1: true,                    // COM2: the verdicts
		disable_keyboard: true,         // keys go to the serial port only
		disable_mouse: true,
		disable_speaker: true,
		autostart: true,
	};
	if (entry.boot === "multiboot") {
		options.multiboot = { url: entry.kernel };
		options.cmdline = entry.cmdline;
	} else {
		options.cdrom = { url: "cairn.iso" };
	}
	const emulator = new V86(options);
	let com1 = "", chosen = entry.boot !== "iso";
	emulator.add_listener("serial0-output-byte", byte => {
		onCom1(byte);
		if (!chosen) {
			com1 += String.fromCharCode(byte);
			if (com1.includes(GRUB_MENU_READY)) {
				chosen = true;
				emulator.serial0_send("\x1b[B".repeat(entry.menu_index) + "\r");
			}
		}
	});
	emulator.add_listener("serial1-output-byte", onCom2);
	// hlt with interrupts off: nothing can wake the CPU again. Cairn ends
	// so (halt_forever, src/base/power.c) where no exit port listens.
	emulator.add_listener("cpu-event-halt", onHalted);
	return emulator;
}

// v86's copy of the CPU's CR3, for comparison with what the kernel says
// is current; undefined if this build of v86 keeps it elsewhere.
export function cpuCr3(emulator) {
	const cr = emulator.v86 && emulator.v86.cpu && emulator.v86.cpu.cr;
	return cr && cr.length > 3 ? cr[3] >>> 0 : undefined;
}
