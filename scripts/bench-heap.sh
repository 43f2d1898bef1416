#!/bin/bash
# Runs heaptrace over traces with every allocator and prints them side by
# side, each against libc: utilization ratio (higher is better) and
# throughput ratio, with the geometric mean of the throughput ratios.
# How heaptrace measures (fresh child per replay, page faults included
# and counted) is in the comment at the top of src/host/heaptrace.c.
#
# usage: scripts/bench-heap.sh HEAPTRACE TRACE...
set -eo pipefail
heaptrace=$1
shift
"$heaptrace" "$@" | awk '
{
	for (i = 3; i <= NF; i++) {
		split($i, kv, "=")
		v[$1, $2, kv[1]] = kv[2]
	}
	if (!($1 in seen)) { seen[$1] = 1; traces[nt++] = $1 }
	if (!($2 in known)) { known[$2] = 1; allocs[na++] = $2 }
}
END {
	print "util: peak live bytes / peak heap bytes. kops: best of several unchecked"
	print "replays, each in a fresh process (no pages kept from an earlier replay);"
	print "faults: page faults in that replay, which every allocator pays for in its timed replays too."
	printf "%-10s %-14s %8s %6s %9s %7s %7s %7s\n", "trace", "allocator", "ops", "util", "kops", "faults", "util/l", "kops/l"
	for (t = 0; t < nt; t++)
		for (a = 0; a < na; a++) {
			tr = traces[t]; al = allocs[a]
			u = v[tr, al, "util"]; k = v[tr, al, "kops"]
			lu = v[tr, "libc", "util"]; lk = v[tr, "libc", "kops"]
			ur = lu > 0 ? u / lu : 0; kr = lk > 0 ? k / lk : 0
			printf "%-10s %-14s %8d %6.2f %9d %7d %7.2f %7.2f\n", tr, al, v[tr, al, "ops"], u, k, v[tr, al, "faults"], ur, kr
			if (kr > 0) { logsum[al] += log(kr); n[al]++ }
		}
	for (a = 0; a < na; a++)
		if (n[allocs[a]] > 0)
			printf "geometric mean of throughput vs libc, %s: %.2f\n", allocs[a], exp(logsum[allocs[a]] / n[allocs[a]])
}'
