#!/usr/bin/env bash
# Boot time under QEMU -kernel (TCG), two ways, at several memory sizes:
#  - wall time of Cairn booted with `poweroff` against the floor: the
#    smallest Multiboot kernel (tests/bench/floor.asm), which leaves at
#    once, booted with the same -m (QEMU's own cost grows with -m);
#  - the TSC cycles Cairn itself counts from kmain to poweroff;
#  - the same span in guest instructions, counted exactly: under QEMU's
#    -icount shift=0 the guest's TSC counts instructions, so one boot
#    gives the figure (it is the same in every run).
# Runs are interleaved and the median taken. Ratios are against -m 16M.
# usage: scripts/bench-boot.sh [RUNS]
set -u
runs=${1:-15}
mkdir -p build/bench
nasm -f bin -o build/bench/floor.bin tests/bench/floor.asm || exit 1

qemu=(qemu-system-i386 -display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04)

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

seconds_of() {          # seconds_of MEM KERNEL ARGS: one boot's wall time
	local start=$EPOCHREALTIME
	"${qemu[@]}" -m "$1" -serial file:build/bench/serial.log -kernel "$2" -append "$3" < /dev/null
	awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f\n", b - a }'
}

printf "%-8s %10s %10s %10s %14s %8s %14s %8s\n" "-m" "floor s" "cairn s" "cairn-floor" "kernel cycles" "vs 16M" \
	"kernel instr" "vs 16M"
base_cycles=""
base_instructions=""
for mem in 16M 128M 3G; do
	: > build/bench/floor.times; : > build/bench/cairn.times; : > build/bench/cycles
	for _ in $(seq "$runs"); do
		seconds_of "$mem" build/bench/floor.bin "" >> build/bench/floor.times
		seconds_of "$mem" build/kernel.elf poweroff >> build/bench/cairn.times
		sed -n 's/^poweroff: \([0-9]*\) TSC cycles.*/\1/p' build/bench/serial.log >> build/bench/cycles
	done
	"${qemu[@]}" -icount shift=0 -m "$mem" -serial file:build/bench/serial.log -kernel build/kernel.elf \
		-append poweroff < /dev/null
	instructions=$(sed -n 's/^poweroff: \([0-9]*\) TSC cycles.*/\1/p' build/bench/serial.log)
	[ -n "$base_instructions" ] || base_instructions=$instructions
	floor=$(median < build/bench/floor.times)
	cairn=$(median < build/bench/cairn.times)
	cycles=$(median < build/bench/cycles)
	[ -n "$base_cycles" ] || base_cycles=$cycles
	printf "%-8s %10.4f %10.4f %10.4f %14.0f %8.2f %14d %8.2f\n" "$mem" "$floor" "$cairn" \
		"$(awk -v a="$cairn" -v b="$floor" 'BEGIN { print a - b }')" "$cycles" \
		"$(awk -v a="$cycles" -v b="$base_cycles" 'BEGIN { print a / b }')" "$instructions" \
		"$(awk -v a="$instructions" -v b="$base_instructions" 'BEGIN { print a / b }')"
done
