#!/bin/sh
# Checks the book's pictures, docs/pictures/NAME.svg: each is what its
# source draws today (build/host/pictures from the headers, or
# build/host/bootmap from NAME.log beside it), is well-formed XML with
# its size and viewBox, and is shown by a chapter; and every picture a
# chapter shows exists. Prints TAP; exits 1 if any case fails.
#
# usage: scripts/check-pictures.sh   (after make host-tools)
cd "$(dirname "$0")/.." || exit 1
PICTURES=docs/pictures
OUT=build/pictures
# shellcheck source=tests/host/tap.sh
. tests/host/tap.sh

rm -rf "$OUT" && mkdir -p "$OUT" || exit 1
build/host/pictures "$OUT" || { echo "not ok 1 - build/host/pictures ran"; exit 1; }
for log in "$PICTURES"/*.log; do
	build/host/bootmap "$log" > "$OUT/$(basename "$log" .log).svg" ||
		{ echo "not ok 1 - build/host/bootmap drew $log"; exit 1; }
done

# One python3 for every picture (it is slow to start): prints NAME: WHY
# for each that does not parse as XML or lacks width, height or viewBox.
python3 - "$OUT"/*.svg > "$TMP/malformed" <<'PY'
import os, sys, xml.dom.minidom
for path in sys.argv[1:]:
    try:
        root = xml.dom.minidom.parse(path).documentElement
        missing = [a for a in ("width", "height", "viewBox") if not root.getAttribute(a)]
        if root.tagName != "svg" or missing:
            print(os.path.basename(path) + ": not an <svg> with " + ", ".join(missing or ["its root"]))
    except Exception as e:
        print(os.path.basename(path) + ": " + str(e))
PY
well_formed() {         # well_formed NAME.svg
	! grep "^$1: " "$TMP/malformed" > "$TMP/why"
}

names=$(for f in "$PICTURES"/*.svg "$OUT"/*.svg; do basename "$f"; done | sort -u)
for svg in $names; do
	if cmp -s "$PICTURES/$svg" "$OUT/$svg"; then
		ok "$svg is what its source draws"
	else
		[ -e "$PICTURES/$svg" ] || echo "no source draws it" > "$TMP/why"
		[ -e "$OUT/$svg" ] || echo "not committed: make pictures" > "$TMP/why"
		[ -s "$TMP/why" ] || echo "differs from what its source draws: make pictures" > "$TMP/why"
		not_ok "$svg is what its source draws"
	fi
	follow_up "$svg is well-formed SVG with a size" well_formed "$svg"
	grep -lF "](pictures/$svg)" docs/*.md > "$TMP/where" 2>/dev/null
	follow_up "$svg is shown by $(tr '\n' ' ' < "$TMP/where")" test -s "$TMP/where"
done
for name in $(grep -ohE '\]\(pictures/[^)]*\)' docs/*.md | sed 's/^](pictures\///; s/)$//' | sort -u); do
	follow_up "the chapters' pictures/$name exists" test -e "$PICTURES/$name"
done
echo "1..$n"
[ "$failed" -eq 0 ]
