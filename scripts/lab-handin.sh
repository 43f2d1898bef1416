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
set -u
cd "$(dirname "$0")/.." || exit 2
die() { echo "lab-handin: $*" >&2; exit 2; }

[ -f .lab ] || die "not a lab handout (no .lab here): make handin works in a handout's tree"
lab=$(cat .lab)
[ -f "tests/labs/$lab/MANIFEST" ] || die "tests/labs/$lab/MANIFEST is missing: was this tree made by make handout?"
base=$(git rev-list --max-parents=0 HEAD 2> /dev/null | tail -1)
[ -n "$base" ] || die "no git history here: the handout's first commit is what your changes are measured from"

stage=build/handin-$lab.stage/handin-$lab
rm -rf "${stage%/*}"
mkdir -p "$stage"
# A throw-away index holds the whole working tree, untracked files too,
# so the patch has every change whether committed or not.
index=$(mktemp)
trap 'rm -f "$index"' EXIT
GIT_INDEX_FILE=$index git read-tree HEAD &&
	GIT_INDEX_FILE=$index git add -A -- . ':!build' &&
	GIT_INDEX_FILE=$index git diff --cached --binary "$base" -- . ':!build' > "$stage/changes.patch" ||
	die "git could not make the patch"
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
