#!/usr/bin/env bash
# The book's listings check (scripts/check-transcripts.py --listings; make
# test runs this; TAP): on a small tree of its own, a listing that quotes
# its file passes (pieces cut at "...", a lab marker looked past, a
# header's picture without its " * "), and each way a listing or a block
# of code goes wrong fails with the line that says where: a line the file
# no longer has, spaces where the file has a tab, pieces out of order, a
# file that is not there, a ```c block with no marker, a sketch that says
# not why. --update leaves a listing as it is.
#
# usage: tests/tools/check_listings_test.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
. scripts/lab-checks.sh
work=build/test/tools-check-listings
rm -rf "$work"
mkdir -p "$work/scripts" "$work/src" "$work/docs/labs"
cp scripts/check-transcripts.py "$work/scripts/"
printf '# a tree for the listings check\n' > "$work/README.md"

# The quoted file: tabs, a lab marker, a picture in a comment.
cat > "$work/src/count.c" <<'EOF'
/*
 *   +-----+-----+
 *   | one | two |
 *   +-----+-----+
 */
static int
count_up(int n)
{
	/* lab count: begin count_up */
	n += 1;
	return n;
	/* lab count: end */
}

static int
count_down(int n)
{
	return n - 1;
}
EOF

chapter() {             # chapter: the chapter, from stdin, and the check's report
	cat > "$work/docs/01-one.md"
	python3 "$work/scripts/check-transcripts.py" --listings "$@" > "$work/out" 2>&1
}
passes() {              # passes WHAT: the check passed
	if chapter; then ok "$1"; else not_ok "$1" "$work/out"; fi
}
fails_with() {          # fails_with WHAT TEXT: the check failed, its report saying TEXT
	if chapter; then
		not_ok "$1: the check passed" "$work/out"
	elif grep -qF -- "$2" "$work/out"; then
		ok "$1"
	else
		not_ok "$1: no '$2' in the report" "$work/out"
	fi
}

passes "a listing in pieces, a lab marker looked past, a picture without its comment leader" <<'EOF'
<!-- listing: src/count.c -->
```c
static int
count_up(int n)
{
	n += 1;
	...
}
...
	return n - 1;
```

<!-- listing: src/count.c -->
```
  +-----+-----+
  | one | two |
```

<!-- sketch: a simpler version, for the text -->
```c
int count_up(int n) { return n + 1; }
```
EOF

fails_with "a line the file no longer has: the chapter's line, and the file's line most like it" \
	"nearest in src/count.c: line 10: 	n += 1;" <<'EOF'
<!-- listing: src/count.c -->
```c
count_up(int n)
{
	n++;
```
EOF
if grep -qF "docs/01-one.md:5: a listing of src/count.c, but this line is not in it" "$work/out"; then
	ok "the report names the chapter's line that is not in the file"
else
	not_ok "the report does not name docs/01-one.md:5" "$work/out"
fi

fails_with "spaces where the file has a tab" "they differ only in blanks" <<'EOF'
<!-- listing: src/count.c -->
```c
count_down(int n)
{
        return n - 1;
}
```
EOF

fails_with "pieces in another order than the file's" "not in it" <<'EOF'
<!-- listing: src/count.c -->
```c
count_down(int n)
...
count_up(int n)
```
EOF

fails_with "a listing of a file that is not there" "a listing of src/gone.c, which cannot be read" <<'EOF'
<!-- listing: src/gone.c -->
```c
count_up(int n)
```
EOF

fails_with "a block of C with no marker" "a block of c, but no <!-- listing: PATH --> or <!-- sketch: why -->" <<'EOF'
```c
int count_up(int n) { return n + 1; }
```
EOF

fails_with "a sketch that says not why" "a sketch, but says not why" <<'EOF'
<!-- sketch: -->
```c
int count_up(int n) { return n + 1; }
```
EOF

# --update rewrites transcripts; a listing's selection is the author's.
printf '<!-- listing: src/count.c -->\n```c\n\tn += 2;\n```\n' > "$work/docs/01-one.md"
cp "$work/docs/01-one.md" "$work/before.md"
python3 "$work/scripts/check-transcripts.py" --update "$work/docs/01-one.md" > "$work/out" 2>&1
status=$?
if [ "$status" -ne 0 ] && cmp -s "$work/docs/01-one.md" "$work/before.md"; then
	ok "--update reports a listing that differs and leaves it as it is"
else
	not_ok "--update: status $status, or the listing was rewritten" "$work/out"
fi

tap_end
