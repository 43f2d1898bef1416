#!/usr/bin/env bash
# Makes a lab's handout from the complete tree: every tracked file, but
# for the lab's own regions, each replaced by its stub (the function's
# contract stays above it; the stub gives hints and fails loudly with
# lab_missing()). A region is marked in the source by one line before and
# one after it:
#
#   C (.c, .h)       /* lab NAME: begin REGION */  ...  /* lab NAME: end */
#   the book (.md)   <!-- lab NAME: begin -->      ...  <!-- lab NAME: end -->
#
# and its stub is tests/labs/NAME/stubs/REGION.c (a region of the book,
# code the chapter shows, becomes a line pointing at the lab). Other labs'
# markers are dropped and their code kept, so each handout is the whole
# solution minus one lab. The handout is a fresh git repository with one
# commit, which students diff against, and carries .lab (its name) and
# tests/labs/NAME/MANIFEST (the hashes of the grader's and the tests'
# files, which `make grade` checks).
#
# usage: scripts/lab-handout.sh LAB [DIR]   the handout in DIR (default build/labs/LAB)
#        scripts/lab-handout.sh all         every lab's
#        scripts/lab-handout.sh list        the labs, one a line, with their titles
#        scripts/lab-handout.sh names       only their names, in book order
#        scripts/lab-handout.sh known NAME  succeeds if NAME is a lab's name
#        scripts/lab-handout.sh check       only check every marker
#        scripts/lab-handout.sh --solved LAB DIR
#                                           the handout with the lab's code in
#                                           it: what a perfect hand-in looks
#                                           like (the class grader's test)
set -u
cd "$(dirname "$0")/.." || exit 2

die() { echo "lab-handout: $*" >&2; exit 2; }

# The labs in book order: by the chapter each goes with.
labs() {
	for d in tests/labs/*/; do
		[ -f "$d/tests.txt" ] && echo "$(sed -n 's/^# chapter: //p' "$d/tests.txt") $(basename "$d")"
	done | sort | awk '{ print $2 }'
}

# Is $1 one of the labs? A name, never a path (LAB=../x is not one).
is_lab() { labs | grep -qxF -- "$1"; }

title_of() { sed -n 's/^# title: //p' "tests/labs/$1/tests.txt"; }

# The files a handout is made of: what git tracks (a copy without .git
# cannot make handouts: it would not know which files are the source).
tracked_files() {
	git ls-files --cached --others --exclude-standard 2> /dev/null ||
		die "not a git checkout: handouts are made from the complete tree's repository"
}

# Checks every marker of every tracked C, header and book file: balanced,
# not nested, of a known lab, and (in C) with a stub. Prints FILE:LINE:
# reasons and fails on the first file with one.
check_markers() {
	local known bad=0
	known=" $(labs | tr '\n' ' ') "
	while read -r f; do
		case "$f" in *.c|*.h|*.md) ;; *) continue ;; esac
		grep -q 'lab [a-z0-9_]*: \(begin\|end\)' "$f" || continue
		awk -v file="$f" -v known="$known" '
			function bad(why) { printf "%s:%d: %s\n", file, NR, why; failed = 1 }
			{ line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line) }
			file ~ /\.md$/ && line ~ /^<!-- lab [a-z0-9_]+: (begin|end) -->$/ { split(line, w, /[ :]+/); marker(w[3], w[4], "") ; next }
			file !~ /\.md$/ && line ~ /^\/\* lab [a-z0-9_]+: begin [A-Za-z0-9_]+ \*\/$/ { split(line, w, /[ :]+/); marker(w[3], "begin", w[5]); next }
			file !~ /\.md$/ && line ~ /^\/\* lab [a-z0-9_]+: end \*\/$/ { split(line, w, /[ :]+/); marker(w[3], "end", ""); next }
			/lab [a-z0-9_]+: (begin|end)/ && (file ~ /\.md$/ ? line ~ /^<!--/ : line ~ /^\/\*/) { bad("malformed lab marker: " line) }
			function marker(lab, what, region) {
				if (index(known, " " lab " ") == 0) { bad("unknown lab \"" lab "\" (known:" known ")"); return }
				if (what == "begin") {
					if (open != "") bad("a lab region begins inside " open "'\''s, begun at line " open_line)
					open = lab; open_line = NR
					if (file !~ /\.md$/ && (getline junk < ("tests/labs/" lab "/stubs/" region ".c")) < 0)
						bad("no stub tests/labs/" lab "/stubs/" region ".c for region " region)
				} else if (open == "") {
					bad("a lab region ends that never began")
				} else if (open != lab) {
					bad("lab " lab "'\''s region ends inside " open "'\''s, begun at line " open_line)
				} else {
					open = ""
				}
			}
			END { if (open != "") { NR = open_line; bad("lab " open "'\''s region never ends") } exit failed }
		' "$f" || bad=1
	done < <(tracked_files)
	return $bad
}

# Writes file f of the tree into the handout for lab: its regions
# replaced, other labs' markers gone.
transform() {   # transform LAB SRC DST
	awk -v lab="$1" -v stubs="tests/labs/$1/stubs" -v md="$([[ $2 == *.md ]] && echo 1)" '
		function trimmed(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
		{ line = trimmed($0) }
		md && line ~ /^<!-- lab [a-z0-9_]+: begin -->$/ {
			split(line, w, /[ :]+/)
			if (w[3] == lab) {
				print "> *The code this chapter shows here is yours to write in the " lab " lab: see docs/labs/" lab ".md.*"
				skip = 1
			}
			next
		}
		md && line ~ /^<!-- lab [a-z0-9_]+: end -->$/ { skip = 0; next }
		!md && line ~ /^\/\* lab [a-z0-9_]+: begin [A-Za-z0-9_]+ \*\/$/ {
			split(line, w, /[ :]+/)
			if (w[3] == lab) {
				stub = stubs "/" w[5] ".c"
				while ((getline s < stub) > 0)
					print s
				close(stub)
				skip = 1
			}
			next
		}
		!md && line ~ /^\/\* lab [a-z0-9_]+: end \*\/$/ { skip = 0; next }
		!skip { print }
	' "$2" > "$3.new" || return 1
	# A stub calls lab_missing(): its file gets the header that declares it.
	if ! cmp -s "$2" "$3.new" && grep -q 'lab_missing(' "$3.new" && ! grep -q '#include <lab.h>' "$3.new"; then
		awk '!done && /^#include / { print "#include <lab.h>"; done = 1 } { print }' "$3.new" > "$3.new2" &&
			mv "$3.new2" "$3.new"
	fi
	touch -r "$2" "$3.new"          # make sees it unchanged unless it is
	cmp -s "$2" "$3.new" || touch "$3.new"
	mv "$3.new" "$3"
}

# The files whose hashes the handout carries: whoever changes them changes
# how the lab is graded (the tests, the scripts and the build, and the
# harness that reports a test's verdict: ktest and lab_missing()).
graded_files() {        # graded_files DIR LAB
	(cd "$1" && find scripts Makefile src/kernel.ld "tests/labs/$2/tests.txt" \
		tests/host tests/kernel tests/fuzz src/user src/kernel/ktest.c include/ktest.h \
		include/lab.h src/host/lab.c -type f 2> /dev/null | sort)
}

make_handout() {        # make_handout LAB DIR [solved]
	local lab=$1 dir=$2 solved=${3:-} files to_write=""
	is_lab "$lab" || die "no lab '$lab'; the labs: $(labs | tr '\n' ' ')"
	[ -f .lab ] && die "this is the $(cat .lab) lab's handout: handouts are made from the complete tree"
	check_markers || die "the markers above must be fixed first"
	# DIR is emptied first: only a handout made before may be there.
	if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2> /dev/null)" ] && [ ! -f "$dir/.lab" ]; then
		die "$dir is not empty and not a handout: make the handout somewhere else"
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	files=$(tracked_files)
	printf '%s\n' "$files" | tar -cf - -T - | tar -xpf - -C "$dir" || die "could not copy the tree to $dir"
	while read -r f; do
		case "$f" in *.c|*.h|*.md) ;; *) continue ;; esac
		grep -q 'lab [a-z0-9_]*: \(begin\|end\)' "$f" || continue
		transform "$([ -n "$solved" ] && echo - || echo "$lab")" "$f" "$dir/$f" || die "could not write $dir/$f"
		[[ $f != *.md ]] && grep -q "lab $lab: begin" "$f" && to_write="$to_write${to_write:+, }$f"
	done <<< "$files"
	# What only the complete tree needs: the other labs, and the planted
	# mistakes (they would show the right code beside the wrong).
	for other in $(labs); do
		[ "$other" = "$lab" ] || rm -rf "$dir/tests/labs/$other"
	done
	rm -rf "$dir/tests/labs/$lab/stubs" "$dir/tests/labs/$lab/mutations.txt"
	echo "$lab" > "$dir/.lab"
	graded_files "$dir" "$lab" | (cd "$dir" && xargs sha256sum) > "$dir/tests/labs/$lab/MANIFEST"
	(
		cd "$dir" &&
		git init -q -b main &&
		git add -A &&
		GIT_AUTHOR_NAME=Cairn GIT_AUTHOR_EMAIL=cairn@localhost GIT_COMMITTER_NAME=Cairn \
		GIT_COMMITTER_EMAIL=cairn@localhost GIT_AUTHOR_DATE=2026-01-01T00:00:00Z \
		GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -q -m "Cairn: the $lab lab's handout"
	) || die "could not make the handout's git repository in $dir"
	if [ -n "$solved" ]; then
		echo "solved handout: $dir (lab $lab, its code written: a hand-in that earns full marks)"
	else
		echo "handout: $dir (lab $lab, $(title_of "$lab"): your code goes in $to_write; read docs/labs/$lab.md)"
	fi
}

case "${1:-}" in
"") die "usage: lab-handout.sh LAB|all|list|check [DIR]" ;;
list) for l in $(labs); do printf '%-8s %s (%s)\n' "$l" "$(title_of "$l")" \
	"$(sed -n 's/^# chapter: //p' "tests/labs/$l/tests.txt")"; done ;;
names) labs ;;
known) is_lab "${2:-}" ;;
--solved) make_handout "${2:?usage: lab-handout.sh --solved LAB DIR}" "${3:?usage: lab-handout.sh --solved LAB DIR}" solved ;;
check) check_markers && echo "lab markers: all balanced, known, with stubs" ;;
all) for l in $(labs); do make_handout "$l" "build/labs/$l" || exit 2; done ;;
*) make_handout "$1" "${2:-build/labs/$1}" ;;
esac
