#!/bin/sh
# End-to-end tests of the host tool build/host/heaptrace (src/host/heaptrace.c,
# src/host/trace.c): small traces written here, good and bad. A bad trace
# must be refused with one line naming the file, the line and what is
# wrong, before anything replays; a replay that dies must be named with
# the trace, the operation and the signal. Prints TAP; exits 1 if any
# case fails.
#
# usage: tests/host/heaptrace_cli_test.sh build/host/heaptrace

HEAPTRACE=${1:?usage: $0 PATH-TO-heaptrace}
. "$(dirname "$0")/tap.sh"

# trace NAME LINE...: writes $TMP/NAME.rep, one argument a line.
trace() {
	name=$1
	shift
	printf '%s\n' "$@" > "$TMP/$name.rep"
}

# check NAME STATUS OUT-LINES STDERR-PATTERN -- ARGS...: runs heaptrace
# ARGS; it must exit with STATUS and print OUT-LINES result lines, and
# on stderr nothing (empty pattern) or one line matching the pattern.
check() {
	name=$1 want_status=$2 want_lines=$3 want_err=$4
	shift 5
	"$HEAPTRACE" "$@" > "$TMP/out" 2> "$TMP/err"
	status=$?
	: > "$TMP/why"
	expect_status "$status" "$want_status"
	lines=$(grep -c '' "$TMP/out")
	[ "$lines" -eq "$want_lines" ] ||
		{ echo "$lines result lines, wanted $want_lines:"; cat "$TMP/out"; } >> "$TMP/why"
	if [ -n "$want_err" ]; then
		{ [ "$(grep -c '' "$TMP/err")" -eq 1 ] && grep -q -- "$want_err" "$TMP/err"; } ||
			{ echo "stderr is not one line matching '$want_err':"; cat "$TMP/err"; } >> "$TMP/why"
	elif [ -s "$TMP/err" ]; then
		{ echo "unexpected stderr:"; cat "$TMP/err"; } >> "$TMP/why"
	fi
	judge "$name"
}

echo "1..25"

ALLOCATORS="first-fit first-fit-tree bins-tree bins-tree-map user kr libc libc-nopad"
NALLOC=8

trace good 100 2 5 1  'a 0 16' 'a 1 100' 'r 0 40' 'f 1' 'f 0'
check "valid trace replays on every allocator" 0 $NALLOC "" -- "$TMP/good.rep"
follow_up "each result names the trace, the allocator, the operations and every figure" \
	test "$(grep -c '^good \(first-fit\|first-fit-tree\|bins-tree\|bins-tree-map\|user\|kr\|libc\|libc-nopad\) ops=5 util=[0-9.]* cold=[0-9]* hot=[0-9]* faults=[0-9]* hotfaults=[0-9]* grows=[0-9]* shrinks=[0-9]* mmaps=[0-9]*$' "$TMP/out")" -eq $NALLOC
follow_up "every allocator is in the default run, once" \
	test "$(cut -d' ' -f2 "$TMP/out" | tr '\n' ' ')" = "$ALLOCATORS "

# A trace that makes every allocator grow, reuse, move and give back:
# the K&R baseline's realloc copies, glibc's big blocks are mmapped, and
# bins-tree-map's.
trace busy 1000000 4 9 1  'a 0 16' 'a 1 300000' 'a 2 5000' 'r 0 9000' 'f 1' \
	'a 3 24' 'r 2 200000' 'f 0' 'f 3'
check "a trace of growth, moves and big blocks replays on every allocator" 0 $NALLOC "" -- \
	"$TMP/busy.rep"
follow_up "glibc's mmapped block is counted, and its break's growth" \
	grep -q '^busy libc .* grows=[1-9][0-9]* shrinks=[0-9]* mmaps=[1-9]' "$TMP/out"
follow_up "bins-tree-map's mapped blocks are counted as glibc's are" \
	grep -q '^busy bins-tree-map .* mmaps=2$' "$TMP/out"
check "--count gives one hot figure per allocator" 0 $NALLOC "" -- --count "$TMP/busy.rep"

# Realloc to 0 frees (trace.h says why): no "out of memory", and the id
# may be allocated again, but not freed again.
trace realloc0 100 1 4 1  'a 0 16' 'r 0 0' 'a 0 8' 'f 0'
check "r ID 0 frees the block on every allocator" 0 $NALLOC "" -- "$TMP/realloc0.rep"
trace realloc0free 100 1 3 1  'a 0 16' 'r 0 0' 'f 0'
check "free after r ID 0 is refused: the id is freed" 2 0 \
	"^heaptrace: $TMP/realloc0free.rep:7: 'f 0': id 0 is already freed\$" -- \
	"$TMP/realloc0free.rep"

trace twice 100 2 3 1  'a 0 16' 'a 0 32' 'f 0'
check "same id allocated twice is refused with its line" 2 0 \
	"^heaptrace: $TMP/twice.rep:6: 'a 0 32': id 0 is already allocated\$" -- "$TMP/twice.rep"
trace never 100 2 2 1  'a 0 16' 'f 1'
check "free of an id never allocated is refused" 2 0 \
	"^heaptrace: $TMP/never.rep:6: 'f 1': id 1 was never allocated\$" -- "$TMP/never.rep"
trace freed 100 1 3 1  'a 0 16' 'f 0' 'r 0 8'
check "realloc of a freed id is refused" 2 0 \
	"^heaptrace: $TMP/freed.rep:7: 'r 0 8': id 0 is already freed\$" -- "$TMP/freed.rep"
trace range 100 2 2 1  'a 0 16' 'a 2 16'
check "id out of the header's range is refused" 2 0 \
	"^heaptrace: $TMP/range.rep:6: 'a 2 16': id 2 is out of range: the header's number of ids is 2\$" -- \
	"$TMP/range.rep"
trace noop 100 1 2 1  'a 0 16' 'free 0'
check "line that is no operation is refused" 2 0 \
	"^heaptrace: $TMP/noop.rep:6: 'free 0': not an operation" -- "$TMP/noop.rep"

: > "$TMP/empty.rep"
check "empty trace is refused, not replayed as ops=0" 2 0 \
	"^heaptrace: $TMP/empty.rep:1: empty trace: no header" -- "$TMP/empty.rep"
printf '\177ELF\001\001\000garbage\n' > "$TMP/garbage.rep"
check "garbage header is refused" 2 0 \
	"^heaptrace: $TMP/garbage.rep:1: '?ELF???garbage': header: bad heap size" -- "$TMP/garbage.rep"
trace badids 100 -2 2 1  'a 0 16' 'f 0'
check "header with a field that is no number is refused, naming the field" 2 0 \
	"^heaptrace: $TMP/badids.rep:2: '-2': header: bad number of ids" -- "$TMP/badids.rep"
trace early 100 2
check "header that ends early is refused" 2 0 \
	"^heaptrace: $TMP/early.rep:3: header ends early: no number of operations\$" -- "$TMP/early.rep"
trace zero 100 0 0 1
check "header of no operations is refused" 2 0 \
	"^heaptrace: $TMP/zero.rep:3: header says 0 operations" -- "$TMP/zero.rep"
trace fewer 100 1 3 1  'a 0 16' 'f 0'
check "fewer operations than the header says are refused" 2 0 \
	"^heaptrace: $TMP/fewer.rep:3: header says 3 operations, the trace has 2\$" -- "$TMP/fewer.rep"
trace more 100 1 1 1  'a 0 16' 'f 0'
check "more operations than the header says are refused" 2 0 \
	"^heaptrace: $TMP/more.rep:3: header says 1 operations, the trace has 2\$" -- "$TMP/more.rep"
trace ids 100 9 2 1  'a 0 16' 'f 0'
check "more ids than operations are refused" 2 0 \
	"^heaptrace: $TMP/ids.rep:2: header says 9 ids for 2 operations" -- "$TMP/ids.rep"

check "bad trace among good ones stops the run before any replay" 2 0 \
	"twice.rep:6: " -- "$TMP/good.rep" "$TMP/twice.rep"
check "missing trace file is named" 2 0 \
	"^heaptrace: $TMP/missing.rep: No such file or directory\$" -- "$TMP/missing.rep"

# A replay child that dies: HEAPTRACE_CRASH_LINE makes it raise SIGSEGV.
export HEAPTRACE_CRASH_LINE=7
check "replay killed by a signal is named with the operation" 1 0 \
	"^heaptrace: $TMP/good.rep:7: 'r 0 40': user: checked replay killed by SIGSEGV (Segmentation fault)\$" -- \
	--allocator=user "$TMP/good.rep"
unset HEAPTRACE_CRASH_LINE

[ "$n" -eq 25 ] || { echo "# ran $n cases, planned 25"; exit 1; }
[ "$failed" -eq 0 ]
