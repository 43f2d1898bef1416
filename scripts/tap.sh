# TAP for the shell checks that source it (scripts/lab-prove.sh,
# tests/labs/*_test.sh): ok and not_ok report a case (its name after
# $tap_prefix, if set), tap_end prints the plan and fails if a case did.

n=0
failed=0

ok() {          # ok WHAT
	n=$((n + 1))
	echo "ok $n - ${tap_prefix:-}$1"
}

not_ok() {      # not_ok WHAT [FILE]: FILE's first lines say why
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - ${tap_prefix:-}$1"
	if [ -n "${2:-}" ] && [ -e "$2" ]; then
		head -20 "$2" | sed 's/^/#   /'
	fi
	return 0
}

tap_end() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
