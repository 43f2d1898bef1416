#!/bin/sh
# End-to-end tests of the host tool build/host/e820 (src/host/e820.c):
# sample maps in tests/host/e820/ against their expected output, options,
# and the error paths. Prints TAP; exits 1 if any case fails.
#
# usage: tests/host/e820_cli_test.sh build/host/e820

E820=${1:?usage: $0 PATH-TO-e820}
DIR=$(dirname "$0")/e820
. "$(dirname "$0")/tap.sh"

# check NAME STATUS EXPECTED-STDOUT-FILE STDERR-PATTERN -- ARGS...:
# runs e820 ARGS (stdin from $TMP/in when it exists) and compares.
check() {
	name=$1 want_status=$2 want_out=$3 want_err=$4
	shift 5
	if [ -e "$TMP/in" ]; then
		"$E820" "$@" < "$TMP/in" > "$TMP/out" 2> "$TMP/err"
	else
		"$E820" "$@" < /dev/null > "$TMP/out" 2> "$TMP/err"
	fi
	status=$?
	: > "$TMP/why"
	expect_status "$status" "$want_status"
	if [ -n "$want_out" ] && ! diff -u "$want_out" "$TMP/out" > "$TMP/diff"; then
		cat "$TMP/diff" >> "$TMP/why"
	fi
	expect_stderr "$want_err"
	judge "$name"
	rm -f "$TMP/in"
}

echo "1..22"

check "qemu 128M map prints as Linux would" 0 "$DIR/qemu-128m.out" "" -- \
	"$DIR/qemu-128m.map"
check "bochs map keeps its ACPI data range" 0 "$DIR/bochs-128m.out" "" -- \
	"$DIR/bochs-128m.map"
check "overlapping map resolves by priority" 0 "$DIR/overlap.out" "" -- \
	"$DIR/overlap.map"

cp "$DIR/qemu-128m.map" "$TMP/in"
check "map is read from stdin without a file" 0 "$DIR/qemu-128m.out" "" --
cp "$DIR/qemu-128m.map" "$TMP/in"
check "map is read from stdin for -" 0 "$DIR/qemu-128m.out" "" -- -

check "mem= removes usable memory above it" 0 "$DIR/qemu-128m-mem64m.out" "" -- \
	"$DIR/qemu-128m.map" mem=64M
# shellcheck disable=SC2016 # the $ is memmap='s reserve separator
check "memmap= edits repeat and apply in order" 0 "$DIR/qemu-128m-memmap.out" "" -- \
	"$DIR/qemu-128m.map" 'memmap=1M$16M' 'memmap=64K#0x7000000' \
	memmap=16M@0x10000000
check "malformed memmap= is named and ignored" 0 "$DIR/qemu-128m.out" \
	"memmap=64M" -- "$DIR/qemu-128m.map" memmap=64M
check "malformed mem= is named and ignored" 0 "$DIR/qemu-128m.out" \
	"mem=lots" -- "$DIR/qemu-128m.map" mem=lots

printf '0x0 0x1000 1\n\n0x1000 0x1000\n' > "$TMP/in"
check "line without a type fails with its number" 2 "" "^e820: line 3: " --
printf '0x0 0x1000 1 # fine\n0x1000 banana 1\n' > "$TMP/in"
check "line with a bad number fails with its number" 2 "" "^e820: line 2: " --

i=0
while [ $i -lt 200 ]; do
	printf '%d 4096 1\n' $((i * 8192))
	i=$((i + 1))
done > "$TMP/in"
check "entries beyond capacity are counted and ignored" 0 "" \
	"72 entries beyond capacity ignored" --
follow_up "the first 128 entries are kept" \
	test "$(grep -c '] usable$' "$TMP/out")" -eq 128
check "-h prints the usage" 0 "" "" -- -h
follow_up "-h usage names the tool" grep -q '^usage: e820' "$TMP/out"

printf '0x0 0x1000 1\n0x1000\000 0x1000 1\n' > "$TMP/in"
check "NUL byte is named with its line and column" 2 "" \
	"^e820: line 2: NUL byte at column 7" --

# long_line N: an entry for 1 MiB at 1 MiB, padded by its comment to N
# characters, without a newline. A line holds at most 511 characters.
long_line() {
	awk -v n="$1" 'BEGIN { s = "0x100000 0x100000 1 #"
		while (length(s) < n) s = s "x"; printf "%s", s }'
}
{ echo '0x0 0x1000 1'; long_line 511; } > "$TMP/in"
check "511-character last line without a newline is read" 0 "" "" --
follow_up "its entry is in the table" \
	grep -q '^e820: \[mem 0x0000000000100000-0x00000000001fffff\] usable$' "$TMP/out"
{ echo '0x0 0x1000 1'; long_line 511; echo; } > "$TMP/in"
check "511-character line with a newline is read" 0 "" "" --
follow_up "its entry is in the table too" \
	grep -q '^e820: \[mem 0x0000000000100000-0x00000000001fffff\] usable$' "$TMP/out"
{ echo '0x0 0x1000 1'; long_line 512; echo; echo '0x1000 0x1000 1'; } > "$TMP/in"
check "512-character line is too long" 2 "" \
	"^e820: line 2: line too long (more than 511 characters)$" --
{ echo '0x0 0x1000 1'; long_line 512; } > "$TMP/in"
check "512-character last line without a newline is too long" 2 "" \
	"^e820: line 2: line too long (more than 511 characters)$" --

[ "$n" -eq 22 ] || { echo "# ran $n cases, planned 22"; exit 1; }
[ "$failed" -eq 0 ]
