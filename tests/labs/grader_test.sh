#!/usr/bin/env bash
# The lab tools against bad input (make test runs this; TAP): an unknown
# lab, a broken marker, a handout whose tests were edited or deleted, a
# change that does not compile, a kernel that hangs, triple-faults or
# faults, a host test that crashes. Each must give one clear line and the
# right verdict, and grading must leave the student's files as they were.
# Works on the pmm lab's solved handout, whose objects start as this
# tree's (make builds first).
#
# usage: tests/labs/grader_test.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
work=build/labs-grader-test
rm -rf "$work"
mkdir -p "$work"
. scripts/lab-checks.sh
# expect WHAT FILE PATTERN: ok when FILE has a line matching PATTERN (grep -E).
expect() { if grep -qE -- "$3" "$2"; then ok "$1"; else not_ok "$1 (no line matching /$3/)" "$2"; fi; }
lines_of() { grep -c . "$1"; }

# ------------------------------------------------------- unknown labs
scripts/lab-handout.sh nosuch "$work/nosuch" > "$work/handout-unknown.out" 2>&1
status=$?
if [ $status -ne 0 ] && [ "$(lines_of "$work/handout-unknown.out")" -eq 1 ] && [ ! -e "$work/nosuch" ] &&
	grep -q "no lab 'nosuch'; the labs: memmap pmm" "$work/handout-unknown.out"; then
	ok "make handout with an unknown lab: one line naming the real labs, nothing written"
else
	not_ok "make handout with an unknown lab (status $status)" "$work/handout-unknown.out"
fi
scripts/lab-grade.sh nosuch > "$work/grade-unknown.out" 2>&1
status=$?
if [ $status -eq 2 ] && [ "$(lines_of "$work/grade-unknown.out")" -eq 1 ] &&
	grep -q "no lab 'nosuch'; the labs here: memmap pmm" "$work/grade-unknown.out"; then
	ok "make grade with an unknown lab: one line naming the real labs"
else
	not_ok "make grade with an unknown lab (status $status)" "$work/grade-unknown.out"
fi
# A lab is a name, never a path: LAB=../../src must not make (and first
# empty) a handout in src/.
before_src=$(git ls-files -s src | sha256sum)
scripts/lab-handout.sh ../../src > "$work/handout-path.out" 2>&1
scripts/lab-grade.sh ../labs/pmm >> "$work/handout-path.out" 2>&1
if [ "$before_src" = "$(git ls-files -s src | sha256sum)" ] && [ -z "$(git status --porcelain src)" ] &&
	[ "$(grep -c "^lab-\(handout\|grade\): no lab '\.\./" "$work/handout-path.out")" -eq 2 ]; then
	ok "a lab named by a path (../../src) is refused, and nothing is touched"
else
	not_ok "a lab named by a path is not refused as it must be" "$work/handout-path.out"
fi
mkdir -p "$work/precious" && echo keep > "$work/precious/notes.txt"
scripts/lab-handout.sh pmm "$work/precious" > "$work/handout-dir.out" 2>&1
if [ $? -ne 0 ] && [ -f "$work/precious/notes.txt" ] &&
	grep -q "^lab-handout: $work/precious is not empty and not a handout" "$work/handout-dir.out"; then
	ok "a handout is never made over a directory that is not one"
else
	not_ok "make handout emptied a directory that was not a handout" "$work/handout-dir.out"
fi
scripts/lab-grade.sh > "$work/grade-none.out" 2>&1
expect "make grade without a lab asks which one" "$work/grade-none.out" "^lab-grade: which lab\? \(make grade LAB=NAME"
scripts/lab-handout.sh list > "$work/list.out" 2>&1
expect "make handout LAB=list lists the labs in book order with their chapters" "$work/list.out" \
	"^memmap +.*\(docs/02-memory-map.md\)$"

# ------------------------------------------------------------- markers
# A copy of the tree with its own git (the generator reads what git tracks).
tree=$work/tree
mkdir -p "$tree"
git ls-files --cached --others --exclude-standard | tar -cf - -T - | tar -xpf - -C "$tree"
(cd "$tree" && git init -q && git add -A) || not_ok "could not copy the tree"
check_marker() {        # check_marker WHAT SED-EDIT FILE:LINE-PATTERN
	cp src/mm/pmm.c "$tree/src/mm/pmm.c"
	sed -i "$2" "$tree/src/mm/pmm.c"
	(cd "$tree" && scripts/lab-handout.sh pmm) > "$work/marker.out" 2>&1
	if [ $? -ne 0 ] && grep -qE -- "$3" "$work/marker.out" && [ ! -e "$tree/build/labs/pmm" ]; then
		ok "a handout with $1 is refused: $(grep -m1 -E -- "$3" "$work/marker.out")"
	else
		not_ok "a handout with $1 is not refused as it must be" "$work/marker.out"
	fi
}
end_line=$(grep -n 'lab pmm: end' src/mm/pmm.c | tail -1 | cut -d: -f1)
last_begin=$(grep -n 'lab pmm: begin' src/mm/pmm.c | tail -1 | cut -d: -f1)
begin_line=$(grep -n 'lab pmm: begin' src/mm/pmm.c | head -1 | cut -d: -f1)
check_marker "a region that never ends" "${end_line}d" \
	"^src/mm/pmm.c:$last_begin: lab pmm's region never ends"
second_begin=$(grep -n 'lab pmm: begin' src/mm/pmm.c | sed -n 2p | cut -d: -f1)
first_end=$(grep -n 'lab pmm: end' src/mm/pmm.c | head -1 | cut -d: -f1)
check_marker "a region begun inside another" "${first_end}d" \
	"^src/mm/pmm.c:$((second_begin - 1)): a lab region begins inside pmm's, begun at line $begin_line"
check_marker "an end with no begin" "${begin_line}d" \
	"^src/mm/pmm.c:$((first_end - 1)): a lab region ends that never began"
check_marker "a marker of an unknown lab" "${begin_line}s/lab pmm:/lab pmn:/" \
	"^src/mm/pmm.c:$begin_line: unknown lab \"pmn\""
check_marker "a region without a stub" "${begin_line}s/begin [a-z_]*/begin no_such_region/" \
	"^src/mm/pmm.c:$begin_line: no stub tests/labs/pmm/stubs/no_such_region.c"
check_marker "a misspelt marker" "${begin_line}s/begin/begins/" \
	"^src/mm/pmm.c:$begin_line: malformed lab marker"

# ------------------------------------------------ a student's handout
# The solved handout: what a student who wrote the lab has. Its objects
# start as this tree's, so make compiles only what differs.
student=$work/student
scripts/lab-handout.sh --solved pmm "$student" > "$work/solved.log" 2>&1 || not_ok "could not make the solved handout" "$work/solved.log"
copy_build "$student"
snapshot() { (cd "$student" && git ls-files --others --cached --exclude-standard | xargs sha256sum; git status --porcelain); }

# One host case and one kernel case that use pmm_alloc(), and a user
# program, graded alone (the rest is the proof's business).
sed -i -n '/^#/p; /^1 host pmm_test.reserved_frames_are_kept_from_pmm_alloc/p; /^2 kernel pmm.alloc_until_empty_returns_each_frame_once/p' \
	"$student/tests/labs/pmm/tests.txt"
grep -q '^1 host' "$student/tests/labs/pmm/tests.txt" && grep -q '^2 kernel' "$student/tests/labs/pmm/tests.txt" ||
	not_ok "the two pmm tests this check grades are gone from tests/labs/pmm/tests.txt"
before=$(snapshot)
(cd "$student" && GRADE_TIMEOUT=20 scripts/lab-grade.sh pmm) > "$work/edited.out" 2>&1
expect "an edited test file is named in a warning" "$work/edited.out" \
	"^warning: tests/labs/pmm/tests.txt differs from the handout's \(tests/labs/pmm/MANIFEST\)"
expect "the complete code passes both" "$work/edited.out" "^Score: 3/3$"
if [ "$before" = "$(snapshot)" ]; then
	ok "grading changed none of the student's files (only build/)"
else
	not_ok "grading changed the student's files" <(diff <(echo "$before") <(snapshot))
fi
(cd "$student" && scripts/lab-grade.sh --results="$PWD/../results.json" pmm) > /dev/null 2>&1
if python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); assert r["score"] == 3 and len(r["tests"]) == 2 and all(t["status"] == "passed" for t in r["tests"])' \
	"$work/results.json" 2> "$work/json.err"; then
	ok "--results=FILE writes Gradescope's results.json (score 3, two tests passed)"
else
	not_ok "--results=FILE did not write a valid results.json" "$work/json.err"
fi

# Each broken version of pmm_alloc(), graded; then pmm.c is put back.
pmm_alloc_line=$(grep -n '^pmm_alloc(void)$' "$student/src/mm/pmm.c" | cut -d: -f1)
cp "$student/src/mm/pmm.c" "$work/pmm.c.good"
grade_broken() {        # grade_broken NAME CODE: CODE first in pmm_alloc()
	cp -p "$work/pmm.c.good" "$student/src/mm/pmm.c"
	sed -i "$((pmm_alloc_line + 1))a $2" "$student/src/mm/pmm.c"
	(cd "$student" && GRADE_TIMEOUT=5 scripts/lab-grade.sh pmm) > "$work/$1.out" 2>&1
	echo $? > "$work/$1.status"
}
verdicts_are() {        # verdicts_are WHAT NAME HOST-VERDICT KERNEL-VERDICT [EXPLANATION-PATTERN]
	local out=$work/$2.out
	if grep -qE "^$3 +0/1 +host " "$out" && grep -qE "^$4 +0/2 +kernel " "$out" && grep -q '^Score: 0/3$' "$out" &&
		[ "$(cat "$work/$2.status")" -ne 0 ] && { [ -z "${5:-}" ] || grep -qE -- "$5" "$out"; }; then
		ok "$1: host $3, kernel $4${5:+, explained}"
	else
		not_ok "$1: want host $3 and kernel $4${5:+ and /$5/}" "$out"
	fi
}
grade_broken nocompile 'int x = ;'
verdicts_are "a change that does not compile" nocompile FAIL FAIL "^ +src/mm/pmm.c:[0-9]+:[0-9]+: error: "
expect "a change that does not compile is said so in one line" "$work/nocompile.out" "^the code does not compile: every test fails"
grade_broken hang 'for (;;) continue;'
verdicts_are "a pmm_alloc() that never returns" hang TIMEOUT TIMEOUT "no end after 5s: a hang"
grade_broken triple '__asm__ volatile ("lidt %0\\n\\tint3" :: "m"(*(const char (*)[6])"\\0\\0\\0\\0\\0"));'
# (the host test runs the same lidt: a privileged instruction, SIGSEGV)
verdicts_are "a kernel that triple-faults" triple CRASH CRASH "a triple fault"
grade_broken fault '{ volatile unsigned long bad = 4; *(volatile int *)bad = 0; }'
verdicts_are "a write near NULL: a page fault in the kernel, a signal on the host" fault CRASH CRASH \
	"#[0-9]+ 0x[0-9a-f]+ pmm_alloc at "
expect "the host's crash names the signal" "$work/fault.out" "exception: Segmentation fault"
# Only a warning (a half-written function's unused variable): graded.
grade_broken warning 'int unused_for_now;'
if grep -q '^Score: 3/3$' "$work/warning.out" && grep -q "^the compiler warned (make stops at a warning; make grade goes on):" "$work/warning.out" &&
	grep -q "unused variable .unused_for_now." "$work/warning.out"; then
	ok "a warning is shown, and costs no test"
else
	not_ok "a warning cost tests, or was not shown" "$work/warning.out"
fi
# The kernel powers the machine off in the middle of a test, saying "pass".
# (weak: on the host there is no machine_exit, and the call is skipped)
grade_broken poweroff '{ extern void machine_exit(int) __attribute__((weak)); if (machine_exit) machine_exit(0); }'
if grep -qE '^FAIL +0/2 +kernel ' "$work/poweroff.out" && grep -q "never printed its" "$work/poweroff.out"; then
	ok "a kernel that powers off in the middle of a test: FAIL, and why"
else
	not_ok "a kernel that powers off in the middle of a test is not a FAIL with its reason" "$work/poweroff.out"
fi
# Lab code that prints a passing KTAP line of its own and leaves.
grade_broken forged '{ extern void kverdict(const char *, ...) __attribute__((weak)); extern void machine_exit(int) __attribute__((weak)); if (kverdict) { kverdict("    ok 1 all%c# Totals: pass:1 fail:0 skip:0 total:1%c", 10, 10); machine_exit(0); } }'
if grep -qE '^FAIL +0/2 +kernel ' "$work/forged.out" &&
	grep -q "the kernel's verdicts do not report the one case 'alloc_until_empty_returns_each_frame_once' passing, and nothing else" "$work/forged.out"; then
	ok "a forged verdict that does not name the case is a FAIL"
else
	not_ok "a forged verdict was believed" "$work/forged.out"
fi
# A host stack overflow: a CRASH with the sanitizer's words, no shell noise.
grade_broken recurse '{ volatile char pad[4096]; pad[0] = 1; if (pad[0]) pmm_alloc(); }'
if grep -qE '^CRASH +0/1 +host ' "$work/recurse.out" && ! grep -q 'lab-grade.sh: line' "$work/recurse.out"; then
	ok "a host stack overflow is a CRASH, without the shell's noise: $(grep -m1 -o 'AddressSanitizer: [a-z-]*\|exception: [A-Za-z ]*' "$work/recurse.out")"
else
	not_ok "a host stack overflow is not reported cleanly" "$work/recurse.out"
fi
cp -p "$work/pmm.c.good" "$student/src/mm/pmm.c"

# Bad settings and a bad test line: one line each.
(cd "$student" && GRADE_TIMEOUT=abc scripts/lab-grade.sh pmm) > "$work/bad-timeout.out" 2>&1
[ $? -eq 2 ] && [ "$(lines_of "$work/bad-timeout.out")" -eq 1 ] &&
	grep -q "^lab-grade: GRADE_TIMEOUT wants a whole number from 1, not 'abc'$" "$work/bad-timeout.out" &&
	ok "GRADE_TIMEOUT=abc: one line" || not_ok "GRADE_TIMEOUT=abc is not refused in one line" "$work/bad-timeout.out"
cp "$student/tests/labs/pmm/tests.txt" "$work/tests.txt.good"
echo "two host pmm_test.reserved_frames_are_kept_from_pmm_alloc" >> "$student/tests/labs/pmm/tests.txt"
(cd "$student" && scripts/lab-grade.sh pmm) > "$work/bad-spec.out" 2>&1
[ $? -eq 2 ] && grep -q "^lab-grade: tests/labs/pmm/tests.txt:[0-9]*: two host .*: want POINTS host|kernel|user ID \[ARGS\]$" "$work/bad-spec.out" &&
	ok "a test line without its points: one line naming it" || not_ok "a bad test line is not refused in one line" "$work/bad-spec.out"
cp "$work/tests.txt.good" "$student/tests/labs/pmm/tests.txt"

# A missing test file: one line, and what brings it back.
rm "$student/tests/labs/pmm/tests.txt"
(cd "$student" && scripts/lab-grade.sh pmm) > "$work/missing.out" 2>&1
status=$?
if [ $status -eq 2 ] && [ "$(lines_of "$work/missing.out")" -eq 1 ] &&
	grep -q '^lab-grade: tests/labs/pmm/tests.txt is missing: git checkout tests/labs/pmm/tests.txt' "$work/missing.out"; then
	ok "a deleted tests.txt: one line saying how to bring it back"
else
	not_ok "a deleted tests.txt (status $status)" "$work/missing.out"
fi
(cd "$student" && git checkout -q tests/labs/pmm/tests.txt && rm tests/host/pmm_test.c && scripts/lab-grade.sh pmm) > "$work/missing-test.out" 2>&1
expect "a deleted test source is named in a warning" "$work/missing-test.out" \
	"^warning: tests/host/pmm_test.c is missing \(tests/labs/pmm/MANIFEST lists it\)"
expect "and its tests fail, for that reason" "$work/missing-test.out" \
	"^the tests cannot be built: tests/host/pmm_test.c is missing \(git checkout tests/host/pmm_test.c brings it back\)"

tap_end
