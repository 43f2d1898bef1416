# What the labs' checks share (scripts/lab-prove.sh and
# tests/labs/*_test.sh source it; tests/tools/*_test.sh for the TAP):
# TAP, where ok and not_ok report a case (its name after $tap_prefix, if
# set) and tap_end prints the plan and fails if a case did; and
# copy_build, which starts a copy of the tree from this one's objects.

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

# The objects of this tree into DIR/build, their times kept, so that make
# in DIR (a copy of the sources) rebuilds only what differs.
copy_build() {          # copy_build DIR
	mkdir -p "$1/build"
	(cd build && tar -cf - kernel host user gen kernel.ld kernel.elf kernel-test.elf \
		.tools-build .tools-test heap-index 2> /dev/null) | tar -xpf - -C "$1/build"
}
