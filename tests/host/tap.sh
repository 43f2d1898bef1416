# TAP for the host tools' command-line tests (tests/host/*_cli_test.sh),
# which source it: a scratch directory $TMP (gone at exit), ok / not_ok
# to report a case, and follow_up to make a case of a command. not_ok prints what the case left in $TMP/why
# as TAP diagnostics.

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	[ -s "$TMP/why" ] && sed 's/^/# /' "$TMP/why"
	: > "$TMP/why"
}

# expect_status STATUS WANTED: notes in $TMP/why an exit status not wanted.
expect_status() {
	[ "$1" -eq "$2" ] || echo "exit status $1, wanted $2" >> "$TMP/why"
}

# expect_stderr PATTERN: notes in $TMP/why a $TMP/err without PATTERN,
# or, for an empty PATTERN, a $TMP/err that is not empty.
expect_stderr() {
	if [ -n "$1" ]; then
		grep -q -- "$1" "$TMP/err" ||
			{ echo "stderr lacks '$1':"; cat "$TMP/err"; } >> "$TMP/why"
	elif [ -s "$TMP/err" ]; then
		{ echo "unexpected stderr:"; cat "$TMP/err"; } >> "$TMP/why"
	fi
}

# judge NAME: one case, passed when nothing was noted in $TMP/why.
judge() {
	if [ -s "$TMP/why" ]; then not_ok "$1"; else ok "$1"; fi
}

# follow_up NAME COMMAND...: one case, passed when COMMAND succeeds (a
# further look at the last run's output).
follow_up() {
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
