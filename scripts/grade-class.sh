#!/usr/bin/env bash
# Grades a whole class's hand-ins, several at once (one emulator per
# core), each in its own copy of a fresh handout with the handout's own
# tests and grader, and writes
#
#   OUT/grades.csv         student,lab,score,max,verdicts (one row each)
#   OUT/summary.txt        the scores at a glance, the tests most missed,
#                          and every hand-in that could not be graded and why
#   OUT/reports/NAME.txt   what make grade printed for that student (the
#                          name's letters, digits and _.@+- kept, others _)
#   OUT/reports/NAME.json  the same in Gradescope's results.json format
#
# DIR holds one entry per student, named for the student:
#   NAME.tar.gz   what `make handin` wrote (handin-LAB/changes.patch inside)
#   NAME/         the student's repository (a clone of the handout, with
#                 .git), or a directory holding one such .tar.gz
#
# A student's changes are applied to a fresh handout made from this tree,
# then every test and grader file the handout's MANIFEST lists is put back
# as the handout has it: an edited test earns nothing (the report says
# which were put back). Changes that do not apply, or a hand-in that is not
# one, score 0 with the reason in the verdicts column; a hand-in whose
# lab code is this tree's own, spaces aside, is flagged for a look (the
# complete tree is public: see docs/labs/README.md). The hand-ins
# themselves are only read. Each copy's emulators talk to files in that
# copy (no network port, no shared file), so any number run side by side.
#
# Grading runs the students' code on this machine, as any autograder does:
# grade a class in a throw-away container or virtual machine.
#
# usage: scripts/grade-class.sh [--out=OUT] [--jobs=N] [--keep] DIR [LAB]
#   LAB        grade every hand-in as this lab (a hand-in of another lab
#              scores 0); without it, each hand-in's own lab
#   --out=OUT  where the grades go (default build/class)
#   --jobs=N   hand-ins graded at once (default: one per core)
#   --keep     keep each student's graded copy in OUT/work/NAME
set -u
here=$(pwd)
cd "$(dirname "$0")/.." || exit 2
die() { echo "grade-class: $*" >&2; exit 2; }
# A path given on the command line is relative to where it was given.
from_here() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$here" "$1" ;; esac; }

out=$(pwd)/build/class jobs=$(nproc 2> /dev/null || echo 2) keep=""
while [ $# -gt 0 ]; do
	case "$1" in
	--out=) die "--out wants a directory" ;;
	--out=*) out=$(from_here "${1#--out=}"); shift ;;
	--jobs=*) jobs=${1#--jobs=}; shift ;;
	--keep) keep=1; shift ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
dir=${1:-}
only_lab=${2:-}
[ -n "$dir" ] || die "usage: grade-class.sh [--out=OUT] [--jobs=N] [--keep] DIR [LAB]"
[ -d "$(from_here "$dir")" ] || die "no directory '$dir'"
dir=$(cd "$(from_here "$dir")" && pwd -P)
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs wants a number of hand-ins at once, not '$jobs'"
[ -f .lab ] && die "this is the $(cat .lab) lab's handout: grade a class from the complete tree"
is_lab() { scripts/lab-handout.sh known "$1"; }
if [ -n "$only_lab" ] && ! is_lab "$only_lab"; then
	die "no lab '$only_lab'; the labs: $(scripts/lab-handout.sh names | tr '\n' ' ')"
fi
out=$(realpath -m "$out")
case "$out/" in "$dir"/*) die "--out must not be inside $dir (it would be read as a hand-in)" ;; esac
case "$dir/" in "$out"/*) die "$dir must not be inside --out's $out (grading empties parts of it)" ;; esac
# OUT/work and OUT/reports are emptied first: only grade-class's own
# output may be there.
if [ -n "$(ls -A "$out" 2> /dev/null)" ] && [ ! -f "$out/.grade-class" ]; then
	die "$out is not empty and not grade-class's output: give another --out"
fi
mkdir -p "$out" && touch "$out/.grade-class" || die "cannot write $out"
work=$out/work
rm -rf "$work" "$out/reports"
mkdir -p "$work" "$out/reports"

# ------------------------------------------------------------ hand-ins

# Sets lab and writes $2/changes.patch for the hand-in at path $1, or
# returns 1 with the reason in $2/reason.
unpack() {              # unpack PATH STAGE
	local path=$1 stage=$2 tarball=""
	if [ -d "$path/.git" ]; then
		lab=$(head -c 64 "$path/.lab" 2> /dev/null | tr -cd 'a-z0-9_')
		[ -n "$lab" ] || { echo "not a handout's repository: no .lab" > "$stage/reason"; return 1; }
		# git writes objects as it reads a working tree: into a copy,
		# whose own settings (filters, hooks: commands) are dropped.
		mkdir -p "$stage/repo"
		tar -cf - -C "$path" --exclude=./build . | tar -xf - -C "$stage/repo" ||
			{ echo "the repository cannot be read" > "$stage/reason"; return 1; }
		printf '[core]\n\trepositoryformatversion = 0\n\tbare = false\n' > "$stage/repo/.git/config"
		rm -rf "$stage/repo/.git/hooks" "$stage/repo/.git/info/attributes"
		timeout 120 scripts/lab-handin.sh --patch "$stage/repo" > "$stage/changes.patch" 2> "$stage/git.log" ||
			{ echo "git could not read the repository: $(grep -m1 . "$stage/git.log")" > "$stage/reason"; return 1; }
		refuse_links "$stage"
		return
	fi
	if [ -d "$path" ]; then
		tarball=$(find "$path" -maxdepth 1 \( -name '*.tar.gz' -o -name '*.tgz' \) | head -2)
		[ "$(printf '%s\n' "$tarball" | grep -c .)" -eq 1 ] ||
			{ echo "a directory with neither .git nor one .tar.gz" > "$stage/reason"; return 1; }
	else
		tarball=$path
	fi
	mkdir -p "$stage/in"
	tar -xzf "$tarball" -C "$stage/in" --no-same-owner --no-same-permissions 2> "$stage/tar.log" ||
		{ echo "the tarball cannot be read: $(grep -m1 . "$stage/tar.log" || echo "not a gzip'd tar")" > "$stage/reason"; return 1; }
	local patches
	patches=$(find "$stage/in" -maxdepth 2 -type f -name changes.patch)
	case "$(printf '%s' "$patches" | grep -c .)" in
	0) echo "no changes.patch in the tarball (was it made by make handin?)" > "$stage/reason"; return 1 ;;
	1) ;;
	*) echo "the tarball holds $(printf '%s\n' "$patches" | grep -c .) hand-ins; one is wanted" > "$stage/reason"; return 1 ;;
	esac
	lab=$(head -c 64 "${patches%/*}/lab" 2> /dev/null | tr -cd 'a-z0-9_')
	[ -n "$lab" ] || { echo "the tarball does not say which lab it is for (no lab file)" > "$stage/reason"; return 1; }
	cp "$patches" "$stage/changes.patch"
	refuse_links "$stage"
}

# A patch that makes a symbolic link is refused: the tests put back
# would be written through it, anywhere.
refuse_links() {        # refuse_links STAGE
	if grep -aq '^\(new file mode\|new mode\) 120000' "$1/changes.patch"; then
		echo "changes.patch makes symbolic links, which a hand-in may not" > "$1/reason"
		return 1
	fi
}

# ----------------------------------------------------------- handouts

# One fresh handout per lab, built once; each student's copy starts from
# it, so only what the student changed is compiled again. Its grade is
# the floor: every test must fail there.
prepare_handout() {     # prepare_handout LAB: $work/handout-LAB, built, and what is the lab's
	local tree=$work/handout-$1
	scripts/lab-handout.sh "$1" "$tree" > "$work/handout-$1.log" 2>&1 ||
		die "could not make the $1 lab's handout: $(tail -1 "$work/handout-$1.log")"
	(cd "$tree" && GRADE_JOBS=$jobs GRADE_TIMEOUT=20 scripts/lab-grade.sh "$1") > "$work/handout-$1.grade" 2>&1
	grep -q '^Score: 0/' "$work/handout-$1.grade" ||
		die "the $1 lab's fresh handout does not score 0 ($(tail -1 "$work/handout-$1.grade")): see $work/handout-$1.grade"
	# The lab's files as this tree has them written: a hand-in that
	# is the same (but for spaces) is flagged for a look.
	scripts/lab-handout.sh --solved "$1" "$work/solved-$1" > /dev/null 2>&1 ||
		die "could not make the $1 lab's solved handout"
	(cd "$tree" && git ls-files '*.c' '*.h' | while read -r f; do
		cmp -s "$f" "$work/solved-$1/$f" || echo "$f"; done) > "$work/files-$1"
}

max_of() { grep -v '^[[:space:]]*\(#\|$\)' "tests/labs/$1/tests.txt" | awk '{ s += $1 } END { print s + 0 }'; }

# ------------------------------------------------------------- grading

# Grades one student: writes $work/NAME.row (the CSV row's fields after
# the name, tab-separated) and the reports.
grade_one() {           # grade_one NAME LAB PATCH
	local name=$1 lab=$2 patch=$3 tree=$work/$1.tree report=$out/reports/$1.txt
	local handout restored=()
	handout=$work/handout-$lab
	rm -rf "$tree"
	cp -a "$handout" "$tree"
	# (an empty patch is a hand-in without changes: the handout as it is)
	if [ -s "$patch" ] && ! (cd "$tree" && git apply --whitespace=nowarn --exclude='build/*' "$patch") 2> "$work/$name.apply"; then
		not_graded "$name" "$lab" "changes.patch does not apply to the handout ($(grep -m1 . "$work/$name.apply" | tr -d ','))"
		rm -rf "$tree"
		return
	fi
	# The handout's tests and grader, whatever the patch did to them (a
	# directory or a file in a test file's place goes first).
	while read -r _ f; do
		if [ -L "$tree/$f" ] || ! cmp -s "$handout/$f" "$tree/$f"; then
			restored+=("$f")
			rm -rf "${tree:?}/$f"
			mkdir -p "$(dirname "$tree/$f")"
			cp -p "$handout/$f" "$tree/$f"
		fi
	done < "$handout/tests/labs/$lab/MANIFEST"
	cp -p "$handout/tests/labs/$lab/MANIFEST" "$tree/tests/labs/$lab/MANIFEST"
	cp -p "$handout/.lab" "$tree/.lab"
	{
		[ ${#restored[@]} -gt 0 ] && echo "grade-class: put back as the handout has them: ${restored[*]}"
		(cd "$tree" && GRADE_JOBS=1 scripts/lab-grade.sh --results="$out/reports/$name.json" "$lab")
	} > "$report" 2>&1
	local score max verdicts
	score=$(sed -n 's|^Score: \([0-9]*\)/[0-9]*$|\1|p' "$report")
	max=$(sed -n 's|^Score: [0-9]*/\([0-9]*\)$|\1|p' "$report")
	verdicts=$(test_lines "$report" | awk '{ n[$1]++ }
		END { printf "PASS=%d FAIL=%d TIMEOUT=%d CRASH=%d", n["PASS"], n["FAIL"], n["TIMEOUT"], n["CRASH"] }')
	grep -q '^the code does not compile' "$report" && verdicts="$verdicts (does not compile)"
	[ ${#restored[@]} -gt 0 ] && verdicts="$verdicts (${#restored[@]} test or grader files put back)"
	same_as_cairn "$lab" "$tree" && verdicts="$verdicts (the lab's code is Cairn's own; spaces aside)"
	local outside
	outside=$(changed_outside "$lab" "$patch")
	[ -n "$outside" ] && verdicts="$verdicts (also changes $outside)"
	local uses
	uses=$(suspicious_calls "$patch")
	[ -n "$uses" ] && verdicts="$verdicts (its code calls $uses: read it)"
	if [ -z "$score" ]; then
		score=0 max=$(max_of "$lab") verdicts="not graded: the grader ended without a score: $(grep -m1 . "$report")"
	fi
	printf '%s\t%s\t%s\t%s\n' "$lab" "$score" "$max" "$verdicts" > "$work/$name.row"
	if [ -n "$keep" ]; then mv "$tree" "$work/$name"; else rm -rf "$tree"; fi
}

# Is the lab's code in tree the complete tree's, spaces aside?
same_as_cairn() {       # same_as_cairn LAB TREE
	local f
	while read -r f; do
		diff -qwB "$work/solved-$1/$f" "$2/$f" > /dev/null 2>&1 || return 1
	done < "$work/files-$1"
}

# The files a patch changes beyond the lab's own and the tests put back
# (a student may add a helper to a header; a change to the kernel's
# console or test runner deserves a look).
changed_outside() {     # changed_outside LAB PATCH: the files, space-separated
	[ -s "$2" ] || return 0
	git apply --numstat "$2" 2> /dev/null | cut -f3 | sed 's/.* => //; s/[{}]//g' |
		grep -vxF -f "$work/files-$1" | grep -vxF -f <(awk '{ print $2 }' "$work/handout-$1/tests/labs/$1/MANIFEST") |
		grep -vxF -e "tests/labs/$1/MANIFEST" -e .lab | grep -v '\.md$' |
		grep -v '^build/' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# The report's test lines (a test's own output is indented under it).
test_lines() { grep -aE '^(PASS|FAIL|TIMEOUT|CRASH) +[0-9]+/[0-9]+ +(host|kernel|user) ' "$1"; }

# A hand-in that cannot be graded: 0, the reason, and its reports.
not_graded() {          # not_graded NAME LAB REASON
	local max=0
	is_lab "$2" && max=$(max_of "$2")
	printf '%s\t0\t%s\tnot graded: %s\n' "${2:--}" "$max" "$3" > "$work/$1.row"
	echo "not graded: $3" > "$out/reports/$1.txt"
	printf '{"score": 0, "output": "not graded: %s", "tests": []}\n' "$(printf '%s' "$3" | sed 's/\\/\\\\/g; s/"/\\"/g')" > "$out/reports/$1.json"
}

# What a lab's code has no business calling: the console's verdict port,
# leaving the machine or the program, the environment, files, other
# programs, the test frameworks. A student can forge a verdict from inside the
# kernel or the test program it is graded in; these catch the plain ways.
suspicious_calls() {    # suspicious_calls PATCH: the names, space-separated
	awk '/^\+\+\+ / { code = $2 ~ /\.(c|h|S|asm)$/ } code && /^\+/ && !/^\+\+\+ / { print }' "$1" |
		grep -oE '\b(kverdict|machine_exit|outb|outw|outl|inb|inw|inl|serial_[a-z_]+|getenv|_?exit|system|popen|fork|exec[lv]p?e?|kill|signal|fopen|freopen|open|creat|unlink|rename|chmod|cmocka_[a-z_]+|_?assert_[a-z_]+|ktest_[a-z_]+|asm|__asm__)\b' |
		sort -u | tr '\n' ' ' | sed 's/ $//'
}

# A name as one CSV field: quoted when it holds a comma or a quote.
csv_field() { case "$1" in *[,\"]*) printf '"%s"' "${1//\"/\"\"}" ;; *) printf '%s' "$1" ;; esac; }

main() {
	local entries=() path name lab start=$EPOCHREALTIME
	while IFS= read -r -d '' path; do entries+=("$path"); done < \
		<(find "$dir" -mindepth 1 -maxdepth 1 \( -xtype d -o -name '*.tar.gz' -o -name '*.tgz' \) -print0 | sort -z)
	[ ${#entries[@]} -gt 0 ] || die "no hand-ins in $dir (NAME.tar.gz files or NAME/ repositories)"
	find "$dir" -mindepth 1 -maxdepth 1 ! -xtype d ! -name '*.tar.gz' ! -name '*.tgz' -printf '%f\n' | sort > "$work/ignored"
	# Each student's files are named by a safe form of the name (two
	# names that read the same get -2, -3...); the CSV has the name.
	local names=() student
	declare -gA student_of=()
	for path in "${entries[@]}"; do
		student=$(basename "$path"); student=${student%.tar.gz}; student=${student%.tgz}
		student=$(printf '%s' "$student" | tr '\t\r\n' '   ')
		name=$(printf '%s' "$student" | tr -c 'A-Za-z0-9_.@+-' '_')
		local base=$name k=2
		while [ -n "${student_of[$name]+set}" ]; do name=$base-$k; k=$((k + 1)); done
		student_of[$name]=$student
		names+=("$name")
		mkdir -p "$work/$name.in"
		lab=""
		if ! unpack "$path" "$work/$name.in"; then
			lab=${only_lab:-$lab}
			is_lab "$lab" || lab=""
			not_graded "$name" "$lab" "$(cat "$work/$name.in/reason")"
		elif ! is_lab "$lab"; then
			not_graded "$name" "$only_lab" "handed in for a lab that does not exist here ($lab)"
		elif [ -n "$only_lab" ] && [ "$lab" != "$only_lab" ]; then
			not_graded "$name" "$only_lab" "handed in for the $lab lab, not $only_lab"
		else
			echo "$lab" > "$work/$name.lab"
		fi
	done
	# The handouts first (one build each), then the students, jobs at a time.
	for lab in $(cat "$work"/*.lab 2> /dev/null | sort -u); do
		echo "grade-class: preparing the $lab lab's handout (built once, for every copy)"
		prepare_handout "$lab"
	done
	echo "grade-class: grading ${#names[@]} hand-ins, $jobs at a time"
	for name in "${names[@]}"; do
		[ -f "$work/$name.lab" ] || continue
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
		grade_one "$name" "$(cat "$work/$name.lab")" "$work/$name.in/changes.patch" &
	done
	wait
	{
		echo "student,lab,score,max,verdicts"
		for name in "${names[@]}"; do
			IFS=$'\t' read -r lab score max verdicts < "$work/$name.row"
			printf '%s,%s,%s,%s,%s\n' "$(csv_field "${student_of[$name]}")" "$lab" "$score" "$max" "$(csv_field "$verdicts")"
		done
	} > "$out/grades.csv"
	summary "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')" > "$out/summary.txt"
	cat "$out/summary.txt"
	echo "grades: $out/grades.csv; each student's report: $out/reports/"
	[ -n "$keep" ] || rm -rf "$work"/*.in
}

summary() {             # summary SECONDS
	local lab name rows=$work/rows.tsv
	for name in "${names[@]}"; do
		printf '%s\t%s\n' "${student_of[$name]}" "$(cat "$work/$name.row")"
	done > "$rows"
	echo "class: ${#names[@]} hand-ins in $dir, graded in ${1}s with $jobs at a time"
	for lab in $(cut -f2 "$rows" | sort -u); do
		awk -F'\t' -v lab="$lab" '$2 == lab' "$rows" | sort -t$'\t' -k3,3n | awk -F'\t' -v lab="$lab" '
			{ s[NR] = $3; sum += $3; max = $4 > max ? $4 : max; full += ($3 == $4 && $4 > 0); zero += ($3 == 0) }
			END {
				n = NR
				printf "lab %s: %d hand-ins, out of %d: mean %.1f, median %s, lowest %s, highest %s; %d with full marks, %d with none\n",
					lab, n, max, sum / n, n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2, s[1], s[n], full, zero
			}'
	done
	# The tests the class finds hard: counted over the hand-ins that
	# earned some points (one that does not build misses every test).
	local some
	some=$(cut -f3 "$rows" | grep -c '^[1-9]')
	for name in "${names[@]}"; do
		[ "$(cut -f2 "$work/$name.row")" -gt 0 ] 2> /dev/null || continue
		test_lines "$out/reports/$name.txt" | awk '$1 != "PASS" { print $3, $4 }'
	done | sort | uniq -c | sort -k1,1rn -k2 | head -10 > "$work/missed"
	if [ -s "$work/missed" ]; then
		echo "the tests most missed by the $some hand-ins with some points (how many missed each):"
		sed 's/^ */    /' "$work/missed"
	fi
	if grep -q "not graded\|put back\|does not compile\|Cairn's own\|also changes\|read it" "$rows"; then
		echo "to look at:"
		grep "not graded\|put back\|does not compile\|Cairn's own\|also changes\|read it" "$rows" | awk -F'\t' '{ printf "    %s: %s\n", $1, $5 }'
	fi
	if [ -s "$work/ignored" ]; then
		echo "left out (neither a directory nor a .tar.gz): $(tr '\n' ' ' < "$work/ignored" | sed 's/ $//')"
	fi
}

main
