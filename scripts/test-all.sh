#!/usr/bin/env bash
# Everything `make test` runs, in order: the host tests (cmocka, TAP), the
# host tools' command-line tests, the fuzzers for a bounded time, the
# kernel's KTAP suites in QEMU (-kernel, and through GRUB at several memory
# sizes) and in Bochs, the harness's tests of itself, and the user
# programs (each run's "run:" line against its "// expect:"). Ends with one line
#   N passed, N failed
# counted over every case, and exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."

out=build/test
mkdir -p "$out"
passed=0 failed=0
failures=()

FUZZ_SECONDS=${FUZZ_SECONDS:-5}

count() {       # count PASSED FAILED LABEL
	passed=$((passed + $1))
	failed=$((failed + $2))
	[ "$2" -gt 0 ] && failures+=("$3")
	return 0
}

# A TAP stream (host tests): "ok N" and "not ok N" lines at any depth.
run_tap() {     # run_tap LABEL COMMAND...
	local label=$1 log="$out/$1.log"
	shift
	CMOCKA_MESSAGE_OUTPUT=tap "$@" > "$log" 2>&1
	local status=$?
	local p f
	p=$(grep -cE '^[[:space:]]*ok [0-9]+' "$log")
	f=$(grep -cE '^[[:space:]]*not ok [0-9]+' "$log")
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1     # it died without saying which case
	fi
	if [ "$f" -gt 0 ]; then
		echo "FAIL $label ($p passed, $f failed): see $log"
		grep -E '^[[:space:]]*not ok|ERROR|Sanitizer|runtime error' "$log" | head -20 | sed 's/^/    /'
	else
		echo "ok   $label: $p passed"
	fi
	count "$p" "$f" "$label"
}

# A kernel run through scripts/ktest-run.sh.
run_kernel() {  # run_kernel LABEL [runner options] MODE -- ARGS
	local label=$1
	shift
	local result
	result=$(scripts/ktest-run.sh --name "$label" "$@" | tee "$out/$label.result" | tail -1)
	local p f
	p=$(echo "$result" | sed -n 's/.* passed=\([0-9]*\).*/\1/p')
	f=$(echo "$result" | sed -n 's/.* failed=\([0-9]*\).*/\1/p')
	case "$result" in
	*verdict=pass*) echo "ok   $label: ${result#*verdict=pass }, $p passed" ;;
	*) echo "FAIL $label: ${result#*verdict=fail }"
	   grep -v '^RESULT' "$out/$label.result" | head -30 ;;
	esac
	count "${p:-0}" "${f:-1}" "$label"
}

# The harness must report a broken kernel as failing: these runs must
# fail, with the expected reason, and each counts as one passed case.
expect_failure() {      # expect_failure LABEL PATTERN [runner options] MODE -- ARGS
	local label=$1 pattern=$2
	shift 2
	scripts/ktest-run.sh --name "$label" "$@" > "$out/$label.result" 2>&1
	local status=$?
	# The pattern may be in the runner's verdict or in what the kernel said.
	if [ $status -ne 0 ] && cat "$out/$label.result" "$out/$label.serial" 2>/dev/null | tr -d '\r' | grep -qE "$pattern"; then
		echo "ok   $label: reported as failing, as it must be"
		count 1 0 "$label"
	else
		echo "FAIL $label: the harness did not report this broken run as failing"
		sed 's/^/    /' "$out/$label.result" | head -20
		count 0 1 "$label"
	fi
}

echo "== host tests"
for t in build/host/tests/*_test; do
	[ -x "$t" ] && run_tap "host-$(basename "$t")" "$t"
done
# tests/host/TOOL_cli_test.sh checks the host tool build/host/TOOL.
for t in tests/host/*_cli_test.sh; do
	[ -f "$t" ] || continue
	tool=$(basename "$t" _cli_test.sh)
	run_tap "cli-$tool" sh "$t" "build/host/$tool"
done

echo "== fuzzers (${FUZZ_SECONDS}s each)"
for f in build/fuzz/*_fuzz; do
	[ -x "$f" ] || continue
	label="fuzz-$(basename "$f")"
	corpus="$out/$label.corpus"
	mkdir -p "$corpus"
	if "$f" -max_total_time="$FUZZ_SECONDS" -seed=1 -print_final_stats=1 "$corpus" > "$out/$label.log" 2>&1; then
		echo "ok   $label: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$out/$label.log" | grep -o '[0-9]*$') inputs, no failure"
		count 1 0 "$label"
	else
		echo "FAIL $label: see $out/$label.log"
		grep -E 'ERROR|SUMMARY|runtime error|abort' "$out/$label.log" | head -10 | sed 's/^/    /'
		count 0 1 "$label"
	fi
done

# A line the kernel must have printed in a run (an end-to-end check).
expect_line() {         # expect_line LABEL RUN-LABEL FIXED-STRING
	if tr -d '\r' < "$out/$2.serial" | grep -qF -- "$3"; then
		echo "ok   $1: the kernel printed '$3'"
		count 1 0 "$1"
	else
		echo "FAIL $1: '$3' missing from $out/$2.serial"
		count 0 1 "$1"
	fi
}

echo "== heap traces"
if make -s check-traces > "$out/check-traces.log" 2>&1; then
	echo "ok   check-traces: the shipped traces are what scripts regenerate"
	count 1 0 check-traces
else
	echo "FAIL check-traces: see $out/check-traces.log"
	count 0 1 check-traces
fi
if build/host/heaptrace tests/traces/*.rep > "$out/heaptrace.log" 2>&1; then
	echo "ok   heaptrace: every trace replays cleanly on every allocator"
	count 1 0 heaptrace
else
	echo "FAIL heaptrace: see $out/heaptrace.log"
	tail -5 "$out/heaptrace.log" | sed 's/^/    /'
	count 0 1 heaptrace
fi

echo "== the ISO"
iso_bytes=$(stat -c %s build/cairn.iso)
if [ "$iso_bytes" -lt 1048576 ]; then
	echo "ok   iso-size: build/cairn.iso is $iso_bytes bytes, under 1 MiB"
	count 1 0 iso-size
else
	echo "FAIL iso-size: build/cairn.iso is $iso_bytes bytes, not under 1 MiB"
	count 0 1 iso-size
fi

echo "== kernel tests"
run_kernel qemu-128m qemu-kernel -- test
run_kernel qemu-cpu-max --cpu max qemu-kernel -- test     # SMEP and SMAP on
run_kernel qemu-kheap-guard qemu-kernel -- kheap=guard test=kheap,kheap_guard,vmm
run_kernel qemu-16m --mem 16M qemu-kernel -- test
run_kernel qemu-3g --mem 3G qemu-kernel -- test
run_kernel qemu-4g --mem 4G qemu-kernel -- test
run_kernel grub-4m --mem 4M qemu-iso -- test
run_kernel bochs-grub bochs -- test
# memmap= end to end: the reservation shows in the map, and the PMM
# tests (every frame inside a usable range) run on the edited map. The
# 4 KiB hole near the image's end lands among the PMM's own frames.
run_kernel qemu-memmap --mem 16M qemu-kernel -- 'memmap=1M$0x400000' 'memmap=4K$0x243000' mem=12M test=pmm,physmem
expect_line memmap-reserved qemu-memmap 'e820: [mem 0x0000000000400000-0x00000000004fffff] reserved'
expect_line mem-limit qemu-memmap 'e820: [mem 0x0000000000500000-0x0000000000bfffff] usable'

echo "== the harness tests itself"
expect_failure harness-failing-case 'FAIL .*ktest_canary.this_case_must_fail' qemu-kernel -- test=ktest_canary
expect_failure harness-unknown-suite 'no such suite' qemu-kernel -- test=no_such_suite
expect_failure harness-triple-fault 'triple fault' qemu-kernel -- crash=triplefault test
expect_failure harness-panic 'kernel panic' qemu-kernel -- crash=panic test
expect_failure harness-hang 'timed out' --timeout 3 qemu-kernel -- crash=pagefault
expect_failure harness-stack-overflow 'kernel stack overflow' qemu-kernel -- crash=stackoverflow test
expect_failure harness-double-free 'heap: double free of 0x[0-9a-f]+ \(block' qemu-kernel -- crash=doublefree test
expect_failure harness-bochs-triple-fault 'Totals|timed out' --timeout 60 bochs -- crash=triplefault test

echo "== user programs"
# run=all runs every module in turn; each program's "// expect:" line
# (collected in build/user/expect.txt) says what its "run:" line must be,
# and nothing may leak. One case per program per boot: -kernel with each
# vm= mode, and once through GRUB with the ISO's own programs.cfg.
user_elfs=$(awk '{ printf "build/user/%s.elf ", $1 }' build/user/expect.txt)
run_kernel user-eager --modules "$user_elfs" --expect build/user/expect.txt qemu-kernel -- run=all vm=eager poweroff
run_kernel user-lazy --modules "$user_elfs" --expect build/user/expect.txt qemu-kernel -- run=all vm=lazy poweroff
run_kernel user-grub --source '${prefix}/programs.cfg' --expect build/user/expect.txt qemu-iso -- run=all poweroff
run_kernel user-cpu-max --cpu max --modules "$user_elfs" --expect build/user/expect.txt qemu-kernel -- run=all vm=lazy poweroff
# At 3 GiB a 2 GiB sbrk can be backed: the limits, not the RAM, must stop it.
run_kernel user-3g --mem 3G --timeout 120 --modules "$user_elfs" --expect build/user/expect.txt qemu-kernel -- run=all vm=lazy poweroff
run_kernel user-4m-grub --mem 4M --source '${prefix}/programs.cfg' --expect build/user/expect.txt qemu-iso -- run=all vm=eager poweroff
# With every program loaded as a module, no module frame may be the PMM's.
run_kernel modules-reserved --modules "$user_elfs" qemu-kernel -- test=physmem,pmm
# The harness must notice a program that does not end as expected.
echo "hello exit=1" > "$out/user-wrong-expect.txt"
expect_failure harness-user-expectation "FAIL .*hello: expected 'exit=1'" --modules build/user/hello.elf \
	--expect "$out/user-wrong-expect.txt" qemu-kernel -- run=hello poweroff

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
