#!/bin/bash
# Runs heaptrace over traces with every allocator and prints two tables:
# the figures (util, cold and hot kops, faults, trips to the system,
# instructions per operation), then each as a ratio to glibc's, as it is
# (l) and with M_TOP_PAD 0 (l0), with geometric means per allocator.
# How heaptrace measures (fresh child per replay, cold and hot passes,
# what grows/shrinks/mmaps count) is in the comment at the top of
# src/host/heaptrace.c.
#
# Instructions: callgrind counts one hot pass per trace and allocator
# (heaptrace --count, --toggle-collect=replay_hot_pass), and the replay
# loop's own instructions (replay_calls' self cost: reading the
# operation, the indirect call, the store of the pointer: about 20 an
# operation) are taken off,
# so Ir/op is what the allocator's functions executed. Skipped, and said
# so, where valgrind is not installed.
#
# usage: scripts/bench-heap.sh HEAPTRACE TRACE...
set -eo pipefail
heaptrace=$1
shift
out=build/bench-heap
mkdir -p "$out"

"$heaptrace" "$@" > "$out/results"

: > "$out/instructions"
if command -v valgrind >/dev/null; then
	for trace in "$@"; do
		for alloc in $(awk '{ print $2 }' "$out/results" | awk '!seen[$0]++'); do
			name=$(basename "$trace" .rep)
			rm -f "$out/callgrind.$name.$alloc".*
			valgrind --tool=callgrind --toggle-collect=replay_hot_pass \
				--callgrind-out-file="$out/callgrind.$name.$alloc.%p" \
				"$heaptrace" --count --allocator="$alloc" "$trace" \
				>/dev/null 2>"$out/callgrind.$name.$alloc.log" ||
				{ cat "$out/callgrind.$name.$alloc.log" >&2; exit 1; }
			# The parent collects nothing (0); the replay's child all.
			file=$(grep -l '^totals: *[1-9]' "$out/callgrind.$name.$alloc".[0-9]*)
			total=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$file")
			# replay_calls' self cost, the trace.h lines inlined in it too.
			loop=$(callgrind_annotate --inclusive=no "$file" 2>/dev/null | awk '
				/^ *[0-9,]+ +\( *[0-9.]+%\) +[^ =]*:replay_calls( |$)/ {
					gsub(",", "", $1); sum += $1
				}
				END { print sum + 0 }')
			echo "$name $alloc total=$total loop=${loop:-0}" >> "$out/instructions"
		done
	done
else
	echo "bench-heap: valgrind not installed, no instruction counts (make bench-heap installs it)"
fi

awk '
FILENAME ~ /results$/ {
	for (i = 3; i <= NF; i++) {
		split($i, kv, "=")
		v[$1, $2, kv[1]] = kv[2]
	}
	if (!($1 in seen)) { seen[$1] = 1; traces[nt++] = $1 }
	if (!($2 in known)) { known[$2] = 1; allocs[na++] = $2 }
	next
}
{
	split($3, tot, "="); split($4, lp, "=")
	ir[$1, $2] = (tot[2] - lp[2]) / v[$1, $2, "ops"]
	loop[$1, $2] = lp[2] / v[$1, $2, "ops"]
	have_ir = 1
}
function ratio(a, b) { return b > 0 ? a / b : 0 }
function add(al, what, r) { if (r > 0) { lsum[al, what] += log(r); cnt[al, what]++ } }
function gmean(al, what) { return cnt[al, what] ? exp(lsum[al, what] / cnt[al, what]) : 0 }
END {
	print "util: peak live bytes / peak heap bytes (heap: the break moved, plus blocks mmapped apart)."
	print "cold, hot: kops, best of 9 unchecked replays each in a fresh process: cold, one pass,"
	print "  first touch of every page included; hot, the second of two passes in one process,"
	print "  pages kept. faults, hflt: page faults in those replays."
	print "grows, shrinks: moves of the break (more() calls; for glibc, brk calls); mmaps: blocks"
	print "  mmapped apart (glibc; bins-tree-map: the fast index mapping blocks of 128 KiB and up,"
	print "  as glibc does; not in hot, where glibc maps none). Ir/op: instructions in the"
	print "  allocator per operation, hot (callgrind)."
	printf "%-8s %-14s %6s %5s %6s %6s %6s %5s %6s %6s %5s %6s\n", "trace", "allocator", "ops",
		"util", "cold", "hot", "faults", "hflt", "grows", "shrink", "mmaps", "Ir/op"
	for (t = 0; t < nt; t++)
		for (a = 0; a < na; a++) {
			tr = traces[t]; al = allocs[a]
			printf "%-8s %-14s %6d %5.2f %6d %6d %6d %5d %6d %6d %5d %6s\n", tr, al,
				v[tr, al, "ops"], v[tr, al, "util"], v[tr, al, "cold"], v[tr, al, "hot"],
				v[tr, al, "faults"], v[tr, al, "hotfaults"], v[tr, al, "grows"],
				v[tr, al, "shrinks"], v[tr, al, "mmaps"],
				(tr, al) in ir ? sprintf("%.0f", ir[tr, al]) : "-"
		}
	print ""
	print "Ratios to glibc as it is (l) and with M_TOP_PAD 0 (l0): util and kops, higher is better;"
	print "Ir, lower is better (the allocator executes that many times glibc'"'"'s instructions)."
	printf "%-8s %-14s %6s %6s %6s %6s %6s %6s %6s %6s\n", "trace", "allocator",
		"util/l", "/l0", "cold/l", "/l0", "hot/l", "/l0", "Ir/l", "/l0"
	for (t = 0; t < nt; t++)
		for (a = 0; a < na; a++) {
			tr = traces[t]; al = allocs[a]
			ul = ratio(v[tr, al, "util"], v[tr, "libc", "util"])
			u0 = ratio(v[tr, al, "util"], v[tr, "libc-nopad", "util"])
			cl = ratio(v[tr, al, "cold"], v[tr, "libc", "cold"])
			c0 = ratio(v[tr, al, "cold"], v[tr, "libc-nopad", "cold"])
			hl = ratio(v[tr, al, "hot"], v[tr, "libc", "hot"])
			h0 = ratio(v[tr, al, "hot"], v[tr, "libc-nopad", "hot"])
			il = ratio(ir[tr, al], ir[tr, "libc"])
			i0 = ratio(ir[tr, al], ir[tr, "libc-nopad"])
			hk = ratio(v[tr, al, "hot"], v[tr, "kr", "hot"])
			uk = ratio(v[tr, al, "util"], v[tr, "kr", "util"])
			printf "%-8s %-14s %6.2f %6.2f %6.2f %6.2f %6.2f %6.2f %6s %6s\n", tr, al,
				ul, u0, cl, c0, hl, h0, il ? sprintf("%.2f", il) : "-", i0 ? sprintf("%.2f", i0) : "-"
			add(al, "ul", ul); add(al, "u0", u0); add(al, "cl", cl); add(al, "c0", c0)
			add(al, "hl", hl); add(al, "h0", h0); add(al, "il", il); add(al, "i0", i0)
			add(al, "ir", ir[tr, al]); add(al, "hk", hk)
			if (!(al in minuk) || uk < minuk[al]) minuk[al] = uk
		}
	print ""
	print "Geometric means over the traces (Ir/op: of the instructions per operation; hot/kr and"
	print "util/kr: against the K&R baseline, util/kr the least over the traces):"
	printf "%-14s %6s %6s %6s %6s %6s %6s %6s %6s %6s %6s %7s\n", "allocator", "util/l", "/l0",
		"cold/l", "/l0", "hot/l", "/l0", "Ir/op", "Ir/l", "/l0", "hot/kr", "util/kr"
	for (a = 0; a < na; a++) {
		al = allocs[a]
		printf "%-14s %6.2f %6.2f %6.2f %6.2f %6.2f %6.2f %6s %6s %6s %6.2f %7s\n", al,
			gmean(al, "ul"), gmean(al, "u0"), gmean(al, "cl"), gmean(al, "c0"),
			gmean(al, "hl"), gmean(al, "h0"),
			have_ir ? sprintf("%.0f", gmean(al, "ir")) : "-",
			have_ir ? sprintf("%.2f", gmean(al, "il")) : "-",
			have_ir ? sprintf("%.2f", gmean(al, "i0")) : "-",
			gmean(al, "hk"), sprintf("min %.2f", minuk[al])
	}
	if (have_ir) {
		for (k in loop) { ls += loop[k]; ln++ }
		printf "(the replay loop, taken off every Ir/op: %.1f instructions per operation on average)\n", ls / ln
	}
}' "$out/results" "$out/instructions"
