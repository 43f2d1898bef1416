#!/usr/bin/env bash
# Packs a student's work on a lab handout into build/handin-LAB.tar.gz:
#   handin-LAB/changes.patch   everything changed since the handout's commit
#                              (committed or not, new files too), for `git apply`
#   handin-LAB/grade.txt       what `make grade` says of it now
#   handin-LAB/results.json    the same for Gradescope
#   handin-LAB/MANIFEST        the handout's hashes of the test and grader files
#   handin-LAB/MANIFEST.now    the same files' hashes as they are here
#   handin-LAB/lab             the lab's name
# The instructor grades the patch on a fresh handout with the original
# tests (scripts/grade-class.sh); the hashes show at a glance whether a
# test or grader file was changed. Nothing in the tree is changed.
#
# usage: scripts/lab-handin.sh   (make handin), in a handout
#        scripts/lab-handin.sh --patch REPO
#            only the patch of the student's repository REPO (a handout's
#            clone), on stdout: what scripts/grade-class.sh grades
set -u
die() { echo "lab-handin: $*" >&2; exit 2; }

# The patch of everything changed in repository $1 since its first commit
# (the handout's), committed or not, new files too, build/ left out. A
# throw-away index holds the whole working tree, so the repository's own
# index is left as it was.
changes_of() {          # changes_of REPO
	local base index status
	base=$(git -C "$1" -c core.fsmonitor= rev-list --max-parents=0 HEAD 2> /dev/null | tail -1)
	[ -n "$base" ] || { echo "lab-handin: $1 has no git history: the handout's first commit is what changes are measured from" >&2; return 2; }
	index=$(mktemp)
	# A repository's own settings could run commands (an fsmonitor, a
	# diff driver): the instructor's grading runs none of them.
	local git=(git -C "$1" -c core.fsmonitor= -c core.hooksPath=/dev/null)
	GIT_INDEX_FILE=$index "${git[@]}" read-tree HEAD &&
		GIT_INDEX_FILE=$index "${git[@]}" add -A &&   # (build/ is ignored)
		GIT_INDEX_FILE=$index "${git[@]}" diff --cached --binary --no-ext-diff --no-textconv "$base" -- . ':!build'
	status=$?
	rm -f "$index"
	return $status
}

if [ "${1:-}" = --patch ]; then
	[ -d "${2:-}" ] || die "usage: lab-handin.sh --patch REPO"
	changes_of "$2" || exit 2
	exit 0
fi
cd "$(dirname "$0")/.." || exit 2

[ -f .lab ] || die "not a lab handout (no .lab here): make handin works in a handout's tree"
lab=$(cat .lab)
[ -f "tests/labs/$lab/MANIFEST" ] || die "tests/labs/$lab/MANIFEST is missing: was this tree made by make handout?"

stage=build/handin-$lab.stage/handin-$lab
rm -rf "${stage%/*}"
mkdir -p "$stage"
changes_of . > "$stage/changes.patch" || die "git could not make the patch of your changes"
echo "$lab" > "$stage/lab"
cp "tests/labs/$lab/MANIFEST" "$stage/MANIFEST"
awk '{ print $2 }' "tests/labs/$lab/MANIFEST" | while read -r f; do
	[ -f "$f" ] && sha256sum "$f" || echo "missing  $f"
done > "$stage/MANIFEST.now"
scripts/lab-grade.sh --results="$stage/results.json" "$lab" > "$stage/grade.txt" 2>&1
tar -czf "build/handin-$lab.tar.gz" -C "${stage%/*}" "handin-$lab" || die "could not write build/handin-$lab.tar.gz"
rm -rf "${stage%/*}"
echo "handin: build/handin-$lab.tar.gz ($(wc -l < <(tar -xzOf "build/handin-$lab.tar.gz" "handin-$lab/changes.patch")) lines of changes; $(tail -1 < <(tar -xzOf "build/handin-$lab.tar.gz" "handin-$lab/grade.txt")))"
if ! cmp -s <(awk '{ print $1 }' "tests/labs/$lab/MANIFEST") <(awk '{ print $1 }' < <(tar -xzOf "build/handin-$lab.tar.gz" "handin-$lab/MANIFEST.now")); then
	echo "note: some test or grader files differ from the handout's; they will be graded as the handout has them"
fi
