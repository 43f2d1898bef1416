#!/usr/bin/env bash
# Processes, measured by programs that time themselves with the TSC
# (tests/bench/forkbench.c, switchbench.c, tickbench.c), each booted alone
# with run=NAME under QEMU TCG (there is no KVM here), in two clocks:
#  - tcg:    plain TCG, where the guest's TSC is the host's: cycles of
#            the host emulating, host noise included;
#  - icount: -icount shift=0, where the guest's TSC counts instructions
#            (a rep iteration counts as one): deterministic, and what
#            the kernel's code does, not what a real CPU would take.
# Each program's samples from BOOTS boots are pooled: each row gives N,
# the min and the median. A row's last column names the command that
# produced it; the commands are printed under the tables.
# usage: scripts/bench-proc.sh [BOOTS]
set -u
boots=${1:-5}
out=build/bench/proc
programs=(forkbench switchbench tickbench)
modes=(tcg icount)
mkdir -p "$out"
rm -f "$out"/*.samples "$out"/*.info

qemu=(qemu-system-i386 -display none -no-reboot -m 256M -device isa-debug-exit,iobase=0xf4,iosize=0x04)
mode_flags() {          # mode_flags MODE: QEMU's extra flags for it
	[ "$1" = icount ] && echo "-icount shift=0"
}

command_of() {          # command_of MODE PROGRAM: as a person would type it
	local flags
	flags=$(mode_flags "$1")
	echo "${qemu[*]}${flags:+ $flags} -serial file:$out/console.log -serial file:$out/verdicts.log" \
		"-kernel build/kernel.elf -append 'run=$2 poweroff' -initrd 'build/bench/user/$2.elf $2'"
}

# boot MODE PROGRAM: one boot; its sample and info lines go to
# $out/MODE.samples and MODE.info. Stops everything if the program did
# not end with exit=0 and all its memory back.
boot() {
	local console="$out/console.log" verdicts="$out/verdicts.log"
	# mode_flags unquoted: its words are separate arguments (none for tcg)
	"${qemu[@]}" $(mode_flags "$1") -serial "file:$console" -serial "file:$verdicts" \
		-kernel build/kernel.elf -append "run=$2 poweroff" -initrd "build/bench/user/$2.elf $2" < /dev/null
	if ! tr -d '\r' < "$verdicts" | grep -qx "run: $2 exit=0 leaked=0"; then
		echo "bench-proc: $2 ($1) did not end well; the last of its console:" >&2
		tr -d '\r' < "$console" | tail -5 >&2
		exit 1
	fi
	tr -d '\r' < "$console" | grep '^sample ' >> "$out/$1.samples"
	tr -d '\r' < "$console" | grep '^info ' >> "$out/$1.info"
}

stats() {               # stats MODE NAME: "N MIN MEDIAN" of NAME's samples
	awk -v n="$2" '$2 == n { print $3 }' "$out/$1.samples" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR == 0) { print "0 0 0"; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%d %d %d\n", NR, v[1], m }'
}

median_of() {           # median_of MODE NAME
	stats "$1" "$2" | awk '{ print $3 }'
}

info() {                # info NAME KEY: a value forkbench printed about NAME
	awk -v n="$1" -v k="$2" '$2 == n { for (i = 3; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit } }' \
		"$out/tcg.info"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq "$boots"); do
	for prog in "${programs[@]}"; do
		for mode in "${modes[@]}"; do
			boot "$mode" "$prog"
		done
	done
done

echo "QEMU: $(qemu-system-i386 --version | head -1), TCG (no KVM), -m 256M; host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "host load average (1, 5, 15 min) before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs: tcg's cycles include what the host's other work took"
echo "N: samples pooled over $boots boots. tcg: host TSC cycles; icount: instructions (-icount shift=0)."
echo "Ratios: of medians. The last column names the command (listed at the end)."

# row LABEL NAME BASE: one measurement in both modes, with its ratio to
# BASE's median (none if BASE is empty).
row() {
	local label=$1 name=$2 base=$3 line="" mode n min med ratio
	for mode in "${modes[@]}"; do
		read -r n min med < <(stats "$mode" "$name")
		ratio=-
		[ -n "$base" ] && ratio=$(awk -v a="$med" -v b="$(median_of "$mode" "$base")" 'BEGIN { printf "%.2f", a / b }')
		line+=$(printf ' %5d %10d %10d %6s |' "$n" "$min" "$med" "$ratio")
	done
	printf '%-34s|%s %s\n' "$label" "$line" "$4"
}

header() {
	printf '\n%s\n' "$1"
	printf '%-34s| %5s %10s %10s %6s | %5s %10s %10s %6s |\n' "" N "tcg min" median ratio N "icnt min" median ratio
}

header "fork: the parent's cost of fork() (heap touched: every page present); ratio to 1 MiB"
for mib in 0 1 16 64; do
	label=$(printf '%2d MiB heap: %5s PTEs, %2s tables' "$mib" "$(info "fork.${mib}M" mapped_pages)" \
		"$(info "fork.${mib}M" table_frames)")
	row "$label" "fork.${mib}M" fork.1M forkbench
done
header "fork + the child's exit + waitpid (exit drops each frame's share again); ratio to 1 MiB"
for mib in 0 1 16 64; do
	row "$(printf '%2d MiB heap' "$mib")" "forkexitwait.${mib}M" forkexitwait.1M forkbench
done

# What fork grows with. In both clocks: the cost of each PTE added from
# 1 to 64 MiB, its share of the new tables included, against the cost of
# copying one page (the copy fault less the no-copy one). Under icount
# only, where the medians are exact, the split cost = base + a per
# present PTE + b per table frame, solved from the 1, 16 and 64 MiB rows
# (two differences, two unknowns) and checked against the 0 MiB row. In
# plain TCG the host's noise is larger than what tells a from b (PTEs
# and tables grow nearly in step), and the solution means nothing.
echo
echo "fork's growth: cycles per PTE added from 1 to 64 MiB (the new page tables' share included), against one page copied"
for mode in "${modes[@]}"; do
	awk -v c1="$(median_of "$mode" fork.1M)" -v c64="$(median_of "$mode" fork.64M)" \
		-v p1="$(info fork.1M mapped_pages)" -v p64="$(info fork.64M mapped_pages)" \
		-v copy="$(median_of "$mode" write.copy)" -v nocopy="$(median_of "$mode" write.nocopy)" -v mode="$mode" '
	BEGIN {
		per = (c64 - c1) / (p64 - p1)
		page = copy - nocopy
		printf "  %-6s %.1f per PTE; one page copied (copy fault - no-copy fault) = %.0f, %.0fx a PTE\n",
			mode, per, page, page / per
		printf "  %-6s a fork that copied its %d pages would add about %d x %.0f = %.0f, %.0fx this fork at 64 MiB\n",
			"", p64, p64, page, p64 * page, p64 * page / c64
	}'
done
awk -v c0="$(median_of icount fork.0M)" -v c1="$(median_of icount fork.1M)" \
	-v c16="$(median_of icount fork.16M)" -v c64="$(median_of icount fork.64M)" \
	-v p0="$(info fork.0M mapped_pages)" -v p1="$(info fork.1M mapped_pages)" \
	-v p16="$(info fork.16M mapped_pages)" -v p64="$(info fork.64M mapped_pages)" \
	-v t0="$(info fork.0M table_frames)" -v t1="$(info fork.1M table_frames)" \
	-v t16="$(info fork.16M table_frames)" -v t64="$(info fork.64M table_frames)" '
BEGIN {
	dc1 = c16 - c1; dp1 = p16 - p1; dt1 = t16 - t1
	dc2 = c64 - c1; dp2 = p64 - p1; dt2 = t64 - t1
	det = dp1 * dt2 - dp2 * dt1
	a = (dc1 * dt2 - dc2 * dt1) / det
	b = (dp1 * dc2 - dp2 * dc1) / det
	base = c1 - a * p1 - b * t1
	printf "  icount split: %.1f per present PTE + %.0f per table frame (directory or page table) + %.0f;\n", a, b, base
	printf "                at 0 MiB that gives %.0f, measured %d; at 64 MiB %.0f%% of fork is the PTEs, %.0f%% the table frames\n",
		base + a * p0 + b * t0, c0, 100 * a * p64 / c64, 100 * b * t64 / c64
}'

header "the first write to a heap page after fork (one TSC pair around one store); ratio to the no-copy fault"
row "shared: the copy fault" write.copy write.nocopy forkbench
row "other owner gone: no copy" write.nocopy write.nocopy forkbench
row "already writable: no fault (floor)" write.plain write.nocopy forkbench

header "system calls and switches, per call (batches of $(awk '$2 == "switch" { sub("batch=", "", $3); print $3; exit }' "$out/tcg.info")); ratio to getpid"
row "getpid: the null system call" getpid getpid switchbench
row "yield, nobody else runnable" yield.alone getpid switchbench
row "yield to another process: a switch" yield.switch getpid switchbench

header "the timer tick (100 Hz) in a program that only computes: cycles or instructions"
row "a tick: chunk with one - without" tick.cost "" tickbench
row "from one tick to the next" tick.period "" tickbench
for mode in "${modes[@]}"; do
	for name in tick.ppm rest.ppm; do
		read -r n min med < <(stats "$mode" "$name")
		what="the ticks' share of the time"
		[ "$name" = rest.ppm ] && what="other delays' share (host noise)"
		printf '  %-6s %-34s N=%d min %.4f %% median %.4f %%  tickbench\n' "$mode" "$what" "$n" \
			"$(awk -v v="$min" 'BEGIN { print v / 10000 }')" "$(awk -v v="$med" 'BEGIN { print v / 10000 }')"
	done
done

echo
echo "commands (one boot each; every boot is repeated $boots times):"
for prog in "${programs[@]}"; do
	for mode in "${modes[@]}"; do
		echo "  $prog, $mode: $(command_of "$mode" "$prog")"
	done
done
