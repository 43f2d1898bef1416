#!/bin/sh
# End-to-end tests of the host tool build/host/bootmap (src/host/bootmap.c):
# the picture of a boot log's e820: lines (its labels, its scale, its
# linear strip) and the logs it refuses. Prints TAP; exits 1 if any
# case fails.
#
# usage: tests/host/bootmap_cli_test.sh build/host/bootmap

BOOTMAP=${1:?usage: $0 PATH-TO-bootmap}
DIR=$(dirname "$0")
LOG=$DIR/../../docs/pictures/e820-128M.log
. "$DIR/tap.sh"

# draw NAME STATUS STDERR-PATTERN: runs bootmap on $TMP/log, checks its
# exit status and (a pattern, or nothing at all) its stderr.
draw() {
	name=$1 want_status=$2 want_err=$3
	"$BOOTMAP" "$TMP/log" > "$TMP/svg" 2> "$TMP/err"
	status=$?
	: > "$TMP/why"
	expect_status "$status" "$want_status"
	expect_stderr "$want_err"
	judge "$name"
}

# has TEXT: the last picture shows TEXT as a text element of its own.
has() {
	grep -qF -- ">$1</text>" "$TMP/svg" || { echo "no text '$1'" > "$TMP/why"; false; }
}

# height TITLE: the height of the band (the first rect) under TITLE.
height() {
	awk -v t="<g><title>$1</title>" '
		index($0, t) == 1 { found = 1; next }
		found && /<rect/ { sub(/.* height="/, ""); sub(/".*/, ""); print; exit }' "$TMP/svg"
}

# strip: the linear strip's rect heights, the background first.
strip() {
	awk '/<title>the same map, linear</ { on = 1; next }
		on && /<\/g>/ { exit }
		on && /<rect/ { sub(/.* height="/, ""); sub(/".*/, ""); print }' "$TMP/svg"
}

e820() {        # e820 FIRST LAST TYPE: a line as the kernel prints it
	printf 'e820: [mem 0x%016x-0x%016x] %s\r\n' "$1" "$2" "$3"
}

echo "1..22"

cp "$LOG" "$TMP/log"
draw "the committed 128 MiB boot log draws" 0 ""
follow_up "it is SVG with its size and viewBox" \
	grep -q '^<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="[0-9]*" height="[0-9]*" viewBox="0 0 ' "$TMP/svg"
follow_up "low memory is labelled usable, 639 KiB" has "usable: 639 KiB"
follow_up "the 1 KiB at 0x9fc00 is labelled reserved" has "reserved: 1 KiB"
follow_up "the hole at 0xa0000 is labelled as no entry" has "not in the map: 320 KiB"
follow_up "each range's start address is written" has "0x0009fc00"
follow_up "the picture says its scale is logarithmic" grep -q "logarithmic scale" "$TMP/svg"

# from_stdin: bootmap - draws the picture of $TMP/log, named for standard input.
from_stdin() {
	"$BOOTMAP" - < "$LOG" | sed 's/lines of standard input/lines of log/' > "$TMP/stdin.svg" &&
		cmp "$TMP/svg" "$TMP/stdin.svg" > "$TMP/why"
}
follow_up "- reads the log from standard input" from_stdin
follow_up "-h prints the usage" sh -c '"$1" -h | grep -q "^usage: bootmap LOG"' sh "$BOOTMAP"

# The scale: 22 px for 1 KiB, 8 more per doubling.
{
	echo "Cairn booting"
	e820 0 0x3ff usable
	e820 0x400 0x13ff reserved
	e820 0x1400 0x1013ff "ACPI data"
} > "$TMP/log"
draw "a log with three ranges draws" 0 ""
follow_up "1 KiB is a band of 22 px" \
	test "$(height 'usable [mem 0x0000000000000000-0x00000000000003ff]')" = 22
follow_up "4 KiB, two doublings more, is 38 px" \
	test "$(height 'reserved [mem 0x0000000000000400-0x00000000000013ff]')" = 38
follow_up "1 MiB, ten doublings more, is 102 px" \
	test "$(height 'ACPI data [mem 0x0000000000001400-0x00000000001013ff]')" = 102

# The linear strip: two halves of 4 GiB are two equal halves of it.
{ e820 0 0x7fffffff usable; e820 0x80000000 0xffffffff reserved; } > "$TMP/log"
draw "a map of two halves of 4 GiB draws" 0 ""
# shellcheck disable=SC2046 # one word a height
halves() { set -- $(strip); [ $# -eq 3 ] && [ "$2" -eq "$3" ] && [ $(($2 + $3)) -eq "$1" ]; }
follow_up "the linear strip shows two equal halves" halves

# Refusals: exit 2, the line named.
grep -v '^e820:' "$LOG" > "$TMP/log"
draw "a log with only BIOS-e820: lines is refused" 2 \
	"^bootmap: log: no 'e820:' lines (is it a Cairn boot log?)$"
{ echo "Cairn booting"; e820 0 0x9fbff usable; echo 'e820: [mem 0x9fc00-0x9ffff] reserved'; } > "$TMP/log"
draw "a line the kernel would pad is refused by number" 2 \
	"^bootmap: log line 3: not as the kernel prints it: 'e820: \[mem 0x9fc00-0x9ffff\] reserved'$"
{ e820 0 0x9fbff banana; } > "$TMP/log"
draw "an unknown type is refused" 2 "^bootmap: log line 1: unknown type: "
{ e820 0 0x9fbff usable; echo "e820: hello"; } > "$TMP/log"
draw "a line that is no range is refused" 2 \
	"^bootmap: log line 2: not 'e820: \[mem FIRST-LAST\] TYPE': 'e820: hello'$"
{ e820 0x100000 0x1fffff usable; e820 0 0x9fbff usable; } > "$TMP/log"
draw "a range below the one before (two boots) is refused" 2 \
	"^bootmap: log line 2: it starts inside or below the range before it"
{ e820 0x2000 0x1fff usable; } > "$TMP/log"
draw "a range that ends before it starts is refused" 2 \
	"^bootmap: log line 1: its range ends before it starts: "
rm -f "$TMP/log"
draw "a missing log is refused" 2 "^bootmap: .*/log: No such file or directory$"

[ "$n" -eq 22 ] || { echo "# ran $n cases, planned 22"; exit 1; }
[ "$failed" -eq 0 ]
