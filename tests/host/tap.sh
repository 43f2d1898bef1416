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

# follow_up NAME COMMAND...: one case, passed when COMMAND succeeds (a
# further look at the last run's output).
follow_up() {
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
