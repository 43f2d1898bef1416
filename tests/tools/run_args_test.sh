#!/usr/bin/env bash
# make run-nox ARGS=... (scripts/run-args.sh; make test runs this; TAP):
# the options reach the kernel through GRUB's menu intact, `$` and `#`
# too, and the memory map shows what memmap= asked for; ARGS that GRUB
# would read as its own syntax are refused in one line, before any ISO
# or QEMU; and without ARGS, run-nox boots the ISO as before.
#
# usage: tests/tools/run_args_test.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
. scripts/lab-checks.sh
# make as a student types it: nothing from the make that runs the tests.
unset MAKEFLAGS MAKELEVEL ARGS GDBPORT
work=build/test/tools-run-args
rm -rf "$work"
mkdir -p "$work"

# The console as text: no CRs, no ANSI escapes (GRUB draws its menu).
console() { tr -d '\r' < "$1" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g'; }
expect_line() {         # expect_line WHAT FILE FIXED-STRING
	if console "$2" | grep -qF -- "$3"; then ok "$1"; else not_ok "$1: no '$3'" "$2"; fi
}

# ------------------------------------------------------- a real boot
# QEMU leaves with isa-debug-exit's status at poweroff, so make fails:
# what counts is what the kernel printed.
timeout 30 make -s run-nox ARGS='memmap=1M$0x400000 memmap=64K#0x600000 poweroff' \
	ARGS_ISO="$work/args.iso" < /dev/null > "$work/boot.out" 2>&1
if console "$work/boot.out" | grep '^Cairn booting (loader: GRUB' |
	grep -qF 'command line: "memmap=1M$0x400000 memmap=64K#0x600000 poweroff")'; then
	ok "the command line arrives through GRUB intact, \$ and # in it"
else
	not_ok "the command line did not arrive intact through GRUB" "$work/boot.out"
fi
expect_line "memmap=1M\$0x400000 reserves 4-5 MiB" "$work/boot.out" \
	'e820: [mem 0x0000000000400000-0x00000000004fffff] reserved'
expect_line "memmap=64K#0x600000 makes 6 MiB to 6 MiB + 64 KiB ACPI data" "$work/boot.out" \
	'e820: [mem 0x0000000000600000-0x000000000060ffff] ACPI data'

# ------------------------------------------------- refused options
# Each is one line naming the character; no ISO is made, no QEMU runs.
qemu=$work/fake-qemu
printf '#!/bin/sh\ntouch "$0.ran"\n' > "$qemu"
chmod +x "$qemu"
refused() {             # refused WHAT ARGS CHARACTER-AS-NAMED
	local out=$work/refused.out
	rm -f "$qemu.ran" "$work/refused.iso"
	make -s run-nox ARGS="$2" ARGS_ISO="$work/refused.iso" QEMU="$qemu" < /dev/null > "$out" 2>&1
	local status=$?
	if [ $status -ne 0 ] && [ ! -e "$qemu.ran" ] && [ ! -e "$work/refused.iso" ] &&
		[ "$(grep -c '^run-args:' "$out")" -eq 1 ] && grep -qF "run-args: $3 refused: " "$out"; then
		ok "ARGS with $1 is refused in one line, and nothing boots"
	else
		not_ok "ARGS with $1 (status $status, QEMU $([ -e "$qemu.ran" ] && echo ran || echo 'did not run'))" "$out"
	fi
}
refused "a ; (a second GRUB command)" 'poweroff; echo injected' "';'"
refused "a } (the end of the menu entry)" 'poweroff } menuentry x {' "'}'"
refused "a {" 'test={' "'{'"
refused "a newline" $'poweroff\necho injected' "a control character (a newline, say) or a byte outside ASCII"
refused "a single quote" "crash='pagefault'" "'''"
refused "a double quote" 'crash="pagefault"' "'\"'"
refused "a backslash" 'memmap=1M\$0x400000' "'\\'"
refused "a |" 'poweroff|x' "'|'"

# ------------------------------------------------------- without ARGS
if make -s -n run-nox | grep -q -- '-cdrom build/cairn.iso -nographic$'; then
	ok "without ARGS, run-nox boots build/cairn.iso, as before"
else
	not_ok "without ARGS, run-nox does not boot build/cairn.iso"
fi

tap_end
