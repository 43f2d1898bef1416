#!/usr/bin/env bash
# Boot time: Cairn booted with `poweroff` under QEMU -kernel, against the
# floor (the smallest Multiboot kernel, tests/bench/floor.asm, which exits
# at once), each booted RUNS times. Prints the mean of each and the ratio.
# usage: scripts/bench-boot.sh [RUNS] [extra kernel arguments]
set -u
runs=${1:-20}
shift || true
extra="$*"
mkdir -p build/bench
nasm -f bin -o build/bench/floor.bin tests/bench/floor.asm || exit 1

qemu_exit=(qemu-system-i386 -display none -serial null -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04)

mean_seconds() {        # mean_seconds MEM KERNEL ARGS
	local mem=$1 kernel=$2 args=$3 total=0 start
	for _ in $(seq "$runs"); do
		start=$EPOCHREALTIME
		"${qemu_exit[@]}" -m "$mem" -kernel "$kernel" -append "$args" < /dev/null
		total=$(awk -v t="$total" -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print t + b - a }')
	done
	awk -v t="$total" -v n="$runs" 'BEGIN { printf "%.4f", t / n }'
}

floor=$(mean_seconds 16M build/bench/floor.bin "")
printf "%-34s %8s %8s\n" "boot (QEMU -kernel, TCG)" "mean s" "x floor"
printf "%-34s %8s %8s\n" "floor: minimal multiboot kernel" "$floor" "1.00"
for mem in 16M 128M 3G; do
	t=$(mean_seconds "$mem" build/kernel.elf "poweroff $extra")
	printf "%-34s %8s %8s\n" "cairn poweroff -m $mem" "$t" "$(awk -v a="$t" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')"
done
