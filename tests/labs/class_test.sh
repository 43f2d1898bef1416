#!/usr/bin/env bash
# scripts/grade-class.sh on a made-up class of the pmm lab (make test runs
# this; TAP). The class, one hand-in of each kind the grader must tell
# apart:
#   alice/     a repository with the lab done and committed      full marks, her
#              (her code is this tree's: flagged for a look)      code flagged
#   bob.tar.gz what make handin wrote in a repository with the
#              lab done, nothing committed                        full marks
#   carol/     the handout untouched                              0
#   dave.tar.gz  the lab done with a planted mistake (its first
#              in tests/labs/pmm/mutations.txt)                   between
#   erin/      dave's mistake, and tests edited to hide it        dave's score,
#                                                                 the tests put back
#   frank.tar.gz a patch that does not apply                      not graded
#   grace/     code that does not compile                         0
#   heidi.tar.gz a hand-in of the memmap lab                      not graded
#   ivan/      an empty directory                                 not graded
#   mallory/   the handout with a test runner that runs nothing   0, the runner put
#              and a touched console                              back, the console flagged
#   "o'neil, pat"/ the lab done, a name CSV must quote            full marks
#   trent/     a test replaced by a link to a file outside         not graded
#   victor/    the lab done, its code calling the verdict port     full marks, flagged
#   wendy/     a directory holding bob's tarball as a .tgz         full marks
#   zed.tar.gz two hand-ins in one tarball                         not graded
#   notes.txt  no hand-in                                          left out, said so
# and grading must not change a byte of the hand-ins.
#
# usage: tests/labs/class_test.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
top=$(pwd -P)
work=$top/build/labs-class-test
class=$work/class
rm -rf "$work"
mkdir -p "$class"
. scripts/lab-checks.sh

scripts/lab-handout.sh pmm "$work/handout" > "$work/handout.log" 2>&1 || not_ok "no handout" "$work/handout.log"
scripts/lab-handout.sh --solved pmm "$work/solved" > "$work/solved.log" 2>&1 || not_ok "no solved handout" "$work/solved.log"
# The files the lab's code is in: the C files where the two differ.
lab_files=$(cd "$work/handout" && git ls-files '*.c' '*.h' | while read -r f; do
	cmp -s "$f" "$work/solved/$f" || echo "$f"; done)
[ -n "$lab_files" ] || not_ok "the handout and the solved handout do not differ"

student() {             # student DIR: a clone of the handout, as a student has it
	git clone -q "$work/handout" "$1" &&
		git -C "$1" config user.name Student && git -C "$1" config user.email student@localhost
}
solve() {               # solve DIR: the lab's code written
	local f
	for f in $lab_files; do cp "$work/solved/$f" "$1/$f"; done
}
commit() { git -C "$1" add -A && git -C "$1" commit -q -m "$2"; }
plant_first_mistake() { # plant_first_mistake DIR
	local from to file
	file=$(sed -n 's/^file: //p' tests/labs/pmm/mutations.txt | head -1)
	from=$(sed -n 's/^from: //p' tests/labs/pmm/mutations.txt | head -1)
	to=$(sed -n 's/^to: //p' tests/labs/pmm/mutations.txt | head -1)
	awk -v from="$from" -v to="$to" '$0 == from { print to; next } { print }' "$1/$file" > "$1/$file.new" &&
		mv "$1/$file.new" "$1/$file"
}
tarball() {             # tarball NAME LAB PATCH-FILE: a hand-in as make handin packs one
	mkdir -p "$work/pack/handin-$2"
	cp "$3" "$work/pack/handin-$2/changes.patch"
	echo "$2" > "$work/pack/handin-$2/lab"
	tar -czf "$class/$1.tar.gz" -C "$work/pack" "handin-$2"
	rm -rf "$work/pack"
}

student "$class/alice" && solve "$class/alice" && commit "$class/alice" "pmm lab done"

# bob runs make handin himself: his objects start as this tree's.
student "$work/bob" && solve "$work/bob"
copy_build "$work/bob"
(cd "$work/bob" && make -s handin) > "$work/bob.handin" 2>&1
if grep -q '^handin: build/handin-pmm.tar.gz ([0-9]* lines of changes; Score: \([0-9]*\)/\1)$' "$work/bob.handin" &&
	tar -tzf "$work/bob/build/handin-pmm.tar.gz" | sort | tr '\n' ' ' | grep -q \
		'^handin-pmm/ handin-pmm/MANIFEST handin-pmm/MANIFEST.now handin-pmm/changes.patch handin-pmm/grade.txt handin-pmm/lab handin-pmm/results.json $'; then
	ok "make handin packs the changes, the grade, results.json and the hashes: $(cat "$work/bob.handin")"
else
	not_ok "make handin did not write the hand-in it should" "$work/bob.handin"
fi
if [ -z "$(git -C "$work/bob" status --porcelain --untracked-files=no | grep -v "^ M \($(echo $lab_files | tr ' ' '|' | sed 's/|/\\|/g')\)$")" ]; then
	ok "make handin changed none of the student's files"
else
	not_ok "make handin changed the student's files" <(git -C "$work/bob" status --porcelain)
fi
cp "$work/bob/build/handin-pmm.tar.gz" "$class/bob.tar.gz"

student "$class/carol"

student "$work/dave" && solve "$work/dave" && plant_first_mistake "$work/dave"
scripts/lab-handin.sh --patch "$work/dave" > "$work/dave.patch"
tarball dave pmm "$work/dave.patch"

student "$class/erin" && solve "$class/erin" && plant_first_mistake "$class/erin"
sed -i '/^[0-9]* kernel /d' "$class/erin/tests/labs/pmm/tests.txt"
echo '/* nothing to see */' >> "$class/erin/tests/host/pmm_test.c"
commit "$class/erin" "pmm lab done (and a few tests I did not like)"

printf 'diff --git a/src/mm/nowhere.c b/src/mm/nowhere.c\n--- a/src/mm/nowhere.c\n+++ b/src/mm/nowhere.c\n@@ -1,1 +1,1 @@\n-a\n+b\n' > "$work/frank.patch"
tarball frank pmm "$work/frank.patch"

student "$class/grace" && solve "$class/grace"
echo 'this is not C;' >> "$class/grace/src/mm/pmm.c"
commit "$class/grace" "almost"

: > "$work/empty.patch"
tarball heidi memmap "$work/empty.patch"
mkdir "$class/ivan"
# mallory leaves the lab undone and makes the kernel's test runner pass
# every case without running it; she also touches the console.
student "$class/mallory"
sed -i 's/^\t\tc->run(&t);$/\t\t(void)c;/' "$class/mallory/src/kernel/ktest.c"
echo '/* touched */' >> "$class/mallory/src/base/console.c"
commit "$class/mallory" "all tests pass now"
student "$class/o'neil, pat" && solve "$class/o'neil, pat" && commit "$class/o'neil, pat" "done"
# trent replaces a test by a link to a file of the grader's machine
# (putting the test back would write through it).
student "$class/trent" && solve "$class/trent"
ln -sf ../../../../../../LICENSE "$class/trent/tests/host/pmm_test.c" && commit "$class/trent" "a link"
# victor's lab code writes to the kernel's verdict port.
student "$class/victor" && solve "$class/victor"
sed -i '0,/^pmm_free(paddr_t pa)$/{/^pmm_free(paddr_t pa)$/{n;a\
	{ extern void kverdict(const char *, ...) __attribute__((weak)); if (kverdict) kverdict(" ");}
}}' "$class/victor/src/mm/pmm.c"
commit "$class/victor" "helpful output"
# wendy's directory holds her .tgz; zed's tarball holds two hand-ins; a
# stray file is no hand-in.
mkdir -p "$class/wendy" && cp "$class/bob.tar.gz" "$class/wendy/handin.tgz"
mkdir -p "$work/two" && tar -xzf "$class/bob.tar.gz" -C "$work/two" && cp -r "$work/two/handin-pmm" "$work/two/handin-heap" &&
	tar -czf "$class/zed.tar.gz" -C "$work/two" handin-pmm handin-heap
echo "grade these by Friday" > "$class/notes.txt"

fingerprint() { (cd "$class" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }
before=$(fingerprint)
start=$EPOCHREALTIME
scripts/grade-class.sh --out="$work/out" "$class" pmm > "$work/class.out" 2>&1
status=$?
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
[ $status -eq 0 ] && ok "grade-class graded the class in ${secs}s" || not_ok "grade-class failed (status $status)" "$work/class.out"
csv=$work/out/grades.csv
max=$(grep -v '^[[:space:]]*\(#\|$\)' tests/labs/pmm/tests.txt | awk '{ s += $1 } END { print s }')

row() { grep "^$1," "$csv"; }
expect_row() {          # expect_row STUDENT WHAT PATTERN (grep on the student's row)
	if row "$1" | grep -qE -- "$3"; then ok "$1: $2 ($(row "$1" | cut -d, -f3- ))"; else not_ok "$1: want $2, /$3/" "$csv"; fi
}
if [ "$(head -1 "$csv")" = "student,lab,score,max,verdicts" ] && [ "$(tail -n +2 "$csv" | wc -l)" -eq 15 ]; then
	ok "grades.csv: a header and a row for each of the 15 hand-ins"
else
	not_ok "grades.csv is not what it should be" "$csv"
fi
expect_row alice "full marks, flagged: her code is Cairn's own" \
	"^alice,pmm,$max,$max,PASS=[0-9]+ FAIL=0 TIMEOUT=0 CRASH=0 \(the lab's code is Cairn's own; spaces aside\)$"
expect_row bob "full marks from make handin's tarball" "^bob,pmm,$max,$max,"
expect_row carol "nothing for the untouched handout" "^carol,pmm,0,$max,PASS=0 "
dave=$(row dave | cut -d, -f3)
if [ -n "$dave" ] && [ "$dave" -gt 0 ] && [ "$dave" -lt "$max" ] && ! row dave | grep -q "Cairn's own"; then
	ok "dave: the planted mistake costs some points, not all ($dave/$max), and his code is his own"
else
	not_ok "dave: want a score between 0 and $max, got '$dave'" "$csv"
fi
expect_row erin "dave's score: the edited tests are put back" "^erin,pmm,$dave,$max,.*\(2 test or grader files put back\)"
expect_row frank "not graded: the patch does not apply" "^frank,pmm,0,$max,\"?not graded: changes.patch does not apply to the handout"
expect_row grace "nothing: it does not compile" "^grace,pmm,0,$max,.*\(does not compile\)"
expect_row heidi "not graded: another lab's hand-in" "^heidi,pmm,0,$max,\"?not graded: handed in for the memmap lab, not pmm"
expect_row ivan "not graded: not a hand-in" "^ivan,pmm,0,$max,\"?not graded: a directory with neither .git nor one .tar.gz"
expect_row mallory "nothing: her test runner is put back, her console change flagged" \
	"^mallory,pmm,0,$max,PASS=0 .*\(1 test or grader files put back\) \(also changes src/base/console.c\)$"
expect_row trent "not graded: his patch makes a link" "^trent,pmm,0,$max,\"?not graded: changes.patch makes symbolic links"
expect_row victor "flagged: his code calls the verdict port" "^victor,pmm,[0-9]+,$max,.*\(its code calls kverdict: read it\)"
expect_row wendy "full marks from the .tgz in her directory" "^wendy,pmm,$max,$max,"
expect_row zed "not graded: two hand-ins in one tarball" "^zed,pmm,0,$max,\"?not graded: the tarball holds 2 hand-ins; one is wanted"
if grep -q "^\"o'neil, pat\",pmm,$max,$max," "$csv"; then
	ok "a name with a comma and a quote: one CSV field"
else
	not_ok "the student \"o'neil, pat\" is not one quoted field" "$csv"
fi
if grep -q "^lab pmm: 15 hand-ins, out of $max: mean " "$work/out/summary.txt" &&
	grep -q "^left out (neither a directory nor a .tar.gz): notes.txt$" "$work/out/summary.txt" &&
	grep -q "^the tests most missed by the 7 hand-ins with some points" "$work/out/summary.txt" &&
	grep -q "^    erin: PASS=" "$work/out/summary.txt"; then
	ok "summary.txt: the scores, the tests most missed, the hand-ins to look at"
else
	not_ok "summary.txt lacks the scores, the tests most missed or the hand-ins to look at" "$work/out/summary.txt"
fi
grep -q 'put back as the handout has them: tests/host/pmm_test.c tests/labs/pmm/tests.txt' "$work/out/reports/erin.txt" &&
	ok "erin's report names the files put back" || not_ok "erin's report does not name the files put back" "$work/out/reports/erin.txt"
[ "$before" = "$(fingerprint)" ] && ok "the hand-ins are as they were: grading only reads them" ||
	not_ok "grading changed the hand-ins"

# Bad calls: one line each.
scripts/grade-class.sh "$class" nosuch > "$work/bad-lab.out" 2>&1
[ $? -eq 2 ] && [ "$(grep -c . "$work/bad-lab.out")" -eq 1 ] && grep -q "^grade-class: no lab 'nosuch'; the labs: memmap pmm" "$work/bad-lab.out" &&
	ok "an unknown lab: one line naming the real labs" || not_ok "an unknown lab is not refused in one line" "$work/bad-lab.out"
mkdir -p "$work/precious/work" && echo keep > "$work/precious/work/notes.txt"
scripts/grade-class.sh --out="$work/precious" "$class" pmm > "$work/bad-out.out" 2>&1
[ $? -eq 2 ] && [ -f "$work/precious/work/notes.txt" ] && grep -q "is not empty and not grade-class's output" "$work/bad-out.out" &&
	ok "an --out that is not grade-class's own output is refused, and left as it was" ||
	not_ok "grade-class wrote into a directory that was not its own" "$work/bad-out.out"
scripts/grade-class.sh --out="$work" "$class" pmm > "$work/bad-nest.out" 2>&1
[ $? -eq 2 ] && grep -q "must not be inside --out" "$work/bad-nest.out" &&
	ok "hand-ins inside --out are refused (grading empties parts of it)" ||
	not_ok "hand-ins inside --out are not refused" "$work/bad-nest.out"
scripts/grade-class.sh "$work/no-such-dir" > "$work/bad-dir.out" 2>&1
[ $? -eq 2 ] && grep -q "^grade-class: no directory" "$work/bad-dir.out" &&
	ok "a missing directory: one line" || not_ok "a missing directory is not refused in one line" "$work/bad-dir.out"

tap_end
