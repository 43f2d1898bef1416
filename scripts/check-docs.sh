#!/usr/bin/env bash
# Keeps the book honest: every path a chapter (or the README) names must
# exist, and every function it names as `name()` must be defined in the
# tree (a C definition at column 0, a static inline in a header, a macro,
# a NASM label, or a shell function in scripts/). Prints TAP, one case per file; exits 1 on a dead
# reference.
set -u
cd "$(dirname "$0")/.."

# Every name the tree defines, by the rules the book's links to source
# use too (scripts/book/definitions.sh).
names=$(mktemp) || exit 2
trap 'rm -f "$names"' EXIT
scripts/book/definitions.sh | cut -d' ' -f1 | sort -u > "$names"

defined() {     # defined NAME
	grep -qxF "$1" "$names"
}

n=0 bad=0
for f in README.md docs/*.md docs/labs/*.md; do
	n=$((n + 1))
	missing=""
	# Paths: the same pattern the before-stop hook reads.
	for p in $(grep -oE '(src|include|scripts|tests|user|docs|iso)/[A-Za-z0-9_./-]*[A-Za-z0-9_]' "$f" | sort -u); do
		[ -e "$p" ] || missing="$missing path:$p"
	done
	for fn in $(grep -oE '`[a-z_][a-z0-9_]*\(\)`' "$f" | tr -d '`()' | sort -u); do
		defined "$fn" || missing="$missing function:$fn()"
	done
	if [ -z "$missing" ]; then
		echo "ok $n - $f: every path and function it names exists"
	else
		bad=$((bad + 1))
		echo "not ok $n - $f names what does not exist:"
		for m in $missing; do echo "#   $m"; done
	fi
done
echo "1..$n"
[ "$bad" -eq 0 ]
