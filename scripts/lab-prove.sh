#!/usr/bin/env bash
# Proves that a lab's grader works (make test runs it for every lab):
#   1. the complete tree gets full marks;
#   2. the handout builds without a warning and gets no point at all:
#      every test fails;
#   3. the handout does not give the removed code away: no line of it
#      (30 characters or more) is anywhere in the handout's files;
#   4. every planted mistake (tests/labs/LAB/mutations.txt), applied alone
#      to the complete tree, makes at least one test fail;
#   5. the lab's text (docs/labs/LAB.md) gives the same points as the
#      grader does.
# Prints TAP, one case for each check and each mistake, and a last line
# "# caught N of M planted mistakes".
#
# usage: scripts/lab-prove.sh LAB
set -u
cd "$(dirname "$0")/.." || exit 2
lab=${1:?usage: lab-prove.sh LAB}
scripts/lab-handout.sh known "$lab" || { echo "lab-prove: no lab '$lab'" >&2; exit 2; }
work=build/labs-proof/$lab
rm -rf "$work"
mkdir -p "$work"
export GRADE_JOBS=${GRADE_JOBS:-1}      # make test runs the labs side by side
. scripts/lab-checks.sh
tap_prefix="$lab: "

# A copy of the tree as built here: the sources (the files git has) and
# the objects (copy_build).
copy_tree() {           # copy_tree DIR
	mkdir -p "$1"
	git ls-files --cached --others --exclude-standard | tar -cf - -T - | tar -xpf - -C "$1"
	copy_build "$1"
}

score_is() {            # score_is FILE WHAT: WHAT is full or zero
	local got max
	got=$(sed -n 's|^Score: \([0-9]*\)/[0-9]*$|\1|p' "$1")
	max=$(sed -n 's|^Score: [0-9]*/\([0-9]*\)$|\1|p' "$1")
	[ -n "$got" ] && [ "$max" -gt 0 ] || return 1
	if [ "$2" = full ]; then [ "$got" -eq "$max" ]; else [ "$got" -eq 0 ] && ! grep -q '^PASS ' "$1"; fi
}

# ------------------------------------------------------------ 1. solution
scripts/lab-grade.sh "$lab" > "$work/solution.txt" 2>&1
if score_is "$work/solution.txt" full; then
	ok "the complete tree gets full marks ($(tail -1 "$work/solution.txt"))"
else
	not_ok "the complete tree does not get full marks" <(grep -v '^PASS' "$work/solution.txt")
fi

# ------------------------------------------------------------- 2. handout
handout=$work/handout
scripts/lab-handout.sh "$lab" "$handout" > "$work/handout.log" 2>&1 || not_ok "the handout could not be made" "$work/handout.log"
copy_build "$handout"
(cd "$handout" && scripts/lab-grade.sh "$lab") > "$work/handout.txt" 2>&1
if grep -q 'does not compile' "$work/handout.txt"; then
	not_ok "the handout does not build" "$work/handout.txt"
elif grep -q '^the compiler warned' "$work/handout.txt"; then
	not_ok "the handout builds with warnings, which stop a plain make" "$work/handout.txt"
elif score_is "$work/handout.txt" zero; then
	ok "the handout builds and fails every test ($(tail -1 "$work/handout.txt"))"
else
	not_ok "the handout passes a test: the test does not need the lab's code" <(grep '^PASS' "$work/handout.txt")
fi

# --------------------------------------------------------------- 3. leaks
# Every line of the lab's regions, as the complete tree has it.
git ls-files --cached --others --exclude-standard -- '*.c' '*.h' '*.md' | while read -r f; do
	awk -v lab="$lab" '
		{ line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line) }
		line ~ ("^(/\\* lab " lab ": begin [A-Za-z0-9_]+ \\*/|<!-- lab " lab ": begin -->)$") { on = 1; next }
		line ~ ("^(/\\* lab " lab ": end \\*/|<!-- lab " lab ": end -->)$") { on = 0; next }
		line ~ /^<!--.*-->$/ { next }     # markers of the book (listing: PATH) give nothing away
		on && length(line) >= 30 { print line }' "$f"
done | sort -u > "$work/region-lines.txt"
# A line the code keeps elsewhere too (pfn_t f = pmm_frame_number(pa);)
# gives nothing away: the removed code is what is left. The book counts
# as showing it, not keeping it: a chapter that quotes a region must mark
# the quote as the lab's too.
git ls-files --cached --others --exclude-standard | grep -v '\.md$' | while read -r f; do
	[ -f "$f" ] && grep -Iq . "$f" 2> /dev/null || continue
	awk -v lab="$lab" '
		{ line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line) }
		line ~ ("^/\\* lab " lab ": begin [A-Za-z0-9_]+ \\*/$") { on = 1; next }
		line ~ ("^/\\* lab " lab ": end \\*/$") { on = 0; next }
		!on { print line }' "$f"
done | sort -u > "$work/kept-lines.txt"
comm -23 "$work/region-lines.txt" "$work/kept-lines.txt" > "$work/removed.txt"
if [ ! -s "$work/region-lines.txt" ]; then
	not_ok "the lab removes no code: its markers are missing"
elif (cd "$handout" && git ls-files | xargs grep -nF -f "$(pwd -P | sed 's|/build/labs-proof/.*||')/$work/removed.txt") \
	> "$work/leaks.txt" 2> /dev/null; then
	not_ok "the handout shows removed code" "$work/leaks.txt"
else
	ok "no removed line ($(wc -l < "$work/removed.txt") of 30 characters or more) is in the handout"
fi

# ------------------------------------------------------------ 4. mistakes
mutant=$work/mutant
copy_tree "$mutant"
caught=0 planted=0
while IFS= read -r line; do
	case "$line" in
	"name: "*) name=${line#name: } ;;
	"file: "*) file=${line#file: } ;;
	"from: "*) from=${line#from: } ;;
	"to: "*)
		to=${line#to: }
		planted=$((planted + 1))
		if [ "$(grep -cxF -- "$from" "$file")" != 1 ]; then
			not_ok "mistake '$name': its line is not in $file exactly once"
			continue
		fi
		awk -v from="$from" -v to="$to" '$0 == from { print to; next } { print }' "$file" > "$mutant/$file"
		(cd "$mutant" && GRADE_TIMEOUT=${GRADE_TIMEOUT:-20} scripts/lab-grade.sh --first-failure "$lab") \
			> "$work/mutant-$planted.txt" 2>&1
		status=$?
		cp "$file" "$mutant/$file" && touch "$mutant/$file"      # the next one starts from the solution
		if grep -q 'does not compile' "$work/mutant-$planted.txt"; then
			not_ok "mistake '$name' does not compile: plant one that does" "$work/mutant-$planted.txt"
		elif [ $status -ne 0 ]; then
			caught=$((caught + 1))
			ok "mistake '$name' caught: $(grep -m1 -v '^\(PASS\|grading\|warning\)' "$work/mutant-$planted.txt" | sed 's/ ([0-9.]*s)$//')"
		else
			not_ok "mistake '$name' is not caught: every test passes with it"
		fi
		;;
	esac
done < "tests/labs/$lab/mutations.txt"
[ "$planted" -gt 0 ] || not_ok "no planted mistakes in tests/labs/$lab/mutations.txt"

# ---------------------------------------------------------- 5. the text
# docs/labs/LAB.md's grading table: "| `KIND NAME` | TESTS | POINTS |" rows,
# one per test binary, suite or program, must add up as tests.txt does.
text=docs/labs/$lab.md
want=$(grep -v '^[[:space:]]*\(#\|$\)' "tests/labs/$lab/tests.txt" |
	awk '{ split($3, a, "."); g = $2 " " a[1]; t[g]++; p[g] += $1 } END { for (g in t) print g, t[g], p[g] }' | sort)
have=$(sed -n 's/^| `\([a-z]*\) \([A-Za-z0-9_]*\)` | \([0-9]*\) | \([0-9]*\) |.*/\1 \2 \3 \4/p' "$text" 2> /dev/null | sort)
if [ ! -f "$text" ]; then
	not_ok "$text is missing"
elif [ "$want" = "$have" ]; then
	ok "$text gives the grader's tests and points"
else
	not_ok "$text's grading table differs from tests/labs/$lab/tests.txt" \
		<(printf 'the grader (KIND NAME TESTS POINTS):\n%s\nthe text:\n%s\n' "$want" "$have")
fi

echo "# caught $caught of $planted planted mistakes"
tap_end
