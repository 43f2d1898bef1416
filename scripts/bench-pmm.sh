#!/bin/bash
# The PMM's free-frame stack against two bitmap allocators (the usual one,
# with a lowest-free-word hint: the fair baseline; and the plain one that
# scans from the start), at 128 MiB and 3 GiB of frames, in two tables: wall-clock ns per
# alloc+free pair (pmmbench's own timing), then instructions per pair
# counted by callgrind in pmmbench's measured loop only
# (--toggle-collect=run_pairs), with the harness's share (the "null"
# allocator: random choice, bookkeeping, calls) subtracted.
#
# usage: scripts/bench-pmm.sh PMMBENCH
set -eo pipefail
bench=${1:-build/host/pmmbench}
out=build/bench-pmm
mkdir -p "$out"

"$bench"
echo

command -v valgrind >/dev/null || { echo "bench-pmm: valgrind not installed, no instruction counts"; exit 0; }

# instructions ALLOCATOR FRAMES PAIRS: Ir inside run_pairs().
instructions() {
	local file="$out/callgrind.$1.$2"
	valgrind --tool=callgrind --toggle-collect=run_pairs --callgrind-out-file="$file" \
		"$bench" --allocator "$1" --frames "$2" --pairs "$3" >/dev/null 2>"$file.log" ||
		{ cat "$file.log" >&2; exit 1; }
	sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$file"
}

printf '%-8s %8s %-11s %8s %12s %12s\n' memory frames alloc pairs "Ir/pair" "net Ir/pair"
for frames in 32768 786432; do
	memory=$([ "$frames" -ge 262144 ] && echo "$((frames / 262144)) GiB" || echo "$((frames / 256)) MiB")
	declare -A net=()
	for alloc in null stack bitmap-hint bitmap; do
		pairs=100000
		# The bitmaps' scans are long at 3 GiB: fewer pairs keep callgrind quick.
		[ "${alloc%-hint}" = bitmap ] && [ "$frames" -gt 100000 ] && pairs=10000
		ir=$(instructions "$alloc" "$frames" "$pairs")
		per=$(awk -v ir="$ir" -v p="$pairs" 'BEGIN { printf "%.1f", ir / p }')
		[ "$alloc" = null ] && harness=$per
		net[$alloc]=$(awk -v a="$per" -v h="$harness" 'BEGIN { printf "%.1f", a - h }')
		printf '%-8s %8d %-11s %8d %12s %12s\n' "$memory" "$frames" "$alloc" "$pairs" "$per" \
			"$([ "$alloc" = null ] && echo - || echo "${net[$alloc]}")"
	done
	awk -v b="${net[bitmap]}" -v h="${net[bitmap-hint]}" -v s="${net[stack]}" -v m="$memory" \
		'BEGIN { printf "%-8s net instructions: bitmap-hint/stack %.1f (the fair ratio), bitmap/stack %.1f\n", m, h / s, b / s }'
	unset net
done
