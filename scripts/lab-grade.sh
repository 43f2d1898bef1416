#!/usr/bin/env bash
# Grades a lab: builds what its tests need, runs each test on its own
# (so one broken function costs its own tests, never the ones after it),
# and prints one line per test, its verdict and its points:
#
#   PASS     2/2  kernel pmm.alloc_returns_aligned_frame (0.3s)
#   FAIL     0/1  host pmm_test.free_refuses_a_double_free (0.1s)
#       lab pmm: pmm_free() is not written yet
#   TIMEOUT  0/2  user exhaust vm=lazy (90.0s)
#   CRASH    0/1  kernel vmm.unmap_flushes_the_tlb (0.4s)
#       *** kernel panic: ...
#   Score: 2/6
#
# A FAIL is a wrong or missing answer; a TIMEOUT a test that did not end
# in its time (host 60 s, kernel 60 s, user 90 s: ten times what the
# complete tree needs, on a slow machine); a CRASH a test that died: a
# panic, a CPU exception or triple fault in the kernel, a signal or a
# sanitizer's report on the host. Under each line that is not a PASS come
# the lines that explain it (the assertion, the broken invariant, the
# report with its backtrace, each address named from the kernel's
# symbols). The exit status is 0 only with full marks.
#
# The tests are the lab's tests/labs/LAB/tests.txt, one a line:
#   POINTS host TEST-BINARY.CASE [NAME=VALUE...]
#                                    a cmocka case of build/host/tests/TEST-BINARY,
#                                    run with those settings in its environment
#   POINTS kernel SUITE.CASE [ARGS]  a KTAP case, booted alone in the test kernel
#   POINTS user PROGRAM [ARGS]       a user program, booted alone (run=PROGRAM ARGS),
#                                    its "run:" line against its // expect:
#
# usage: scripts/lab-grade.sh [--results=FILE] [--first-failure] LAB
#   --results=FILE    also write Gradescope's results.json there
#   --first-failure   stop at the first test that is not a PASS (for the
#                     proof that every planted mistake is caught)
# GRADE_TIMEOUT=SECS sets every timeout; GRADE_JOBS=N runs N tests at a
# time (default: one per core).
set -u
here=$(pwd)
cd "$(dirname "$0")/.." || exit 2

results="" first_failure=""
while [ $# -gt 0 ]; do
	case "$1" in
	--results=) echo "lab-grade: --results wants a file name" >&2; exit 2 ;;
	--results=/*) results=${1#--results=}; shift ;;
	--results=*) results=$here/${1#--results=}; shift ;;   # where it was asked from
	--first-failure) first_failure=1; shift ;;
	-*) echo "lab-grade: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
lab=${1:-}
labs=$(scripts/lab-handout.sh names | tr '\n' ' ')
if [ -z "$lab" ]; then
	echo "lab-grade: which lab? (make grade LAB=NAME; the labs here: $labs)" >&2
	exit 2
fi
if ! scripts/lab-handout.sh known "$lab"; then
	if [[ $lab != */* && $lab != .* ]] && [ -f "tests/labs/$lab/MANIFEST" ]; then     # a handout's, its tests gone
		echo "lab-grade: tests/labs/$lab/tests.txt is missing: git checkout tests/labs/$lab/tests.txt brings back the handout's" >&2
	else
		echo "lab-grade: no lab '$lab'; the labs here: $labs" >&2
	fi
	exit 2
fi
spec=tests/labs/$lab/tests.txt
for setting in GRADE_TIMEOUT GRADE_JOBS; do
	value=${!setting:-1}
	[[ $value =~ ^[1-9][0-9]{0,4}$ ]] || { echo "lab-grade: $setting wants a whole number from 1, not '$value'" >&2; exit 2; }
done
# Every test line: POINTS (a number) KIND (host, kernel, user) ID [ARGS].
bad_line=$(awk '!/^[[:space:]]*(#|$)/ && !($1 ~ /^[0-9]+$/ && $2 ~ /^(host|kernel|user)$/ && $3 ~ /^[A-Za-z0-9_.]+$/) { print FILENAME ":" NR ": " $0; exit }' "$spec")
if [ -n "$bad_line" ]; then
	echo "lab-grade: $bad_line: want POINTS host|kernel|user ID [ARGS]" >&2
	exit 2
fi
out=build/grade/$lab
rm -rf "$out"
mkdir -p "$out"
jobs=${GRADE_JOBS:-$(nproc 2> /dev/null || echo 2)}

# ------------------------------------------------------- tamper evidence

# A handout carries the hashes of the grader's and the tests' files: a
# file that differs is named (the instructor grades with the originals).
check_manifest() {
	local manifest=tests/labs/$lab/MANIFEST
	[ -f "$manifest" ] || return 0
	sha256sum --quiet -c "$manifest" 2> /dev/null | sed -n 's/: FAILED.*$//p' |
		while read -r f; do
			if [ -e "$f" ]; then
				echo "warning: $f differs from the handout's (tests/labs/$lab/MANIFEST): your instructor grades with the handout's"
			else
				echo "warning: $f is missing (tests/labs/$lab/MANIFEST lists it): your instructor grades with the handout's"
			fi
		done
}

# ------------------------------------------------------------- the tests

# The spec's tests: "POINTS KIND ID ARGS" lines, comments and blanks gone.
tests_of() { grep -v '^[[:space:]]*\(#\|$\)' "$spec"; }

# Names each "#N 0x..." of a kernel report from the kernel's own symbols
# (QEMU's -kernel passes the kernel none, so it printed bare addresses).
symbolize() {   # symbolize KERNEL-ELF < report
	local elf=$1 line addr where
	while IFS= read -r line; do
		addr=$(printf '%s\n' "$line" | sed -n 's/^ *#[0-9]* \(0x[0-9a-f]*\)$/\1/p')
		if [ -n "$addr" ] && [ -f "$elf" ]; then
			where=$(addr2line -f -s -e "$elf" "$addr" 2> /dev/null | paste -sd' ' - | sed 's/ / at /')
			line="$line $where"
		fi
		printf '%s\n' "$line"
	done
}

# What a host test that crashed leaves in its output.
host_crash='ERROR: AddressSanitizer\|runtime error:\|Test failed with exception'

# Did the kernel report exactly one case, case, and that one passing?
# (A kernel run of test=SUITE.CASE reports that case alone.)
one_case_passed() {     # one_case_passed VERDICTS CASE
	[ "$(tr -d '\r' < "$1" | grep -aEc '^ +(not )?ok [0-9]+ ')" -eq 1 ] &&
		tr -d '\r' < "$1" | grep -aEq "^ +ok 1 $2\$"
}

# Runs test number n: writes $out/n.verdict ("VERDICT SECONDS") and
# $out/n.why (the lines that explain anything but a PASS).
run_test() {    # run_test N POINTS KIND ID ARGS...
	local n=$1 kind=$3 id=$4 start status verdict=FAIL
	shift 4
	local args="$*" why=$out/$n.why log=$out/$n.log limit=${GRADE_TIMEOUT:-60}
	[ "$kind" = user ] && limit=${GRADE_TIMEOUT:-90}
	: > "$why"
	start=$EPOCHREALTIME
	case "$kind" in
	host)
		local binary=build/host/tests/${id%%.*} case=${id#*.}
		# ARGS of a host test are NAME=VALUE settings for it.
		# (in braces, so that the shell's "Segmentation fault" goes to the log)
		{ env $args CMOCKA_MESSAGE_OUTPUT=tap CMOCKA_TEST_FILTER=$case \
			timeout -k 5 "$limit" "$binary"; } > "$log" 2>&1
		status=$?
		if [ $status -eq 124 ] || [ $status -eq 137 ]; then
			verdict=TIMEOUT
			echo "no end after ${limit}s: a hang, or an endless loop" > "$why"
		elif grep -aq "^lab $lab: .* is not written yet" "$log"; then
			verdict=FAIL
			grep -a "^lab $lab: " "$log" | head -1 > "$why"
		elif grep -aq "$host_crash" "$log" || [ $status -ge 128 ]; then
			verdict=CRASH     # (cmocka catches a signal and says "exception")
			grep -a -m1 -A12 "$host_crash" "$log" > "$why" ||
				echo "the test died of a signal (status $status: $(kill -l $((status - 128)) 2> /dev/null || echo ?))" > "$why"
		elif grep -aqx "not ok [0-9]* - $case" "$log"; then
			# What the case said; a failed case leaves its memory
			# behind, so LeakSanitizer's report after it is no news.
			verdict=FAIL
			sed '/ERROR: LeakSanitizer/,$d' "$log" | grep -av '^\(ok\|not ok\|1\.\.\|# ok\|# not ok\)' | head -12 > "$why"
		elif [ $status -eq 0 ] && grep -aqx "ok [0-9]* - $case" "$log"; then
			verdict=PASS
		elif grep -aq 'ERROR: LeakSanitizer' "$log"; then
			verdict=FAIL
			{ echo "the case passed but left memory unfreed:"; grep -a -m1 -A8 'ERROR: LeakSanitizer' "$log"; } > "$why"
		else
			verdict=FAIL
			echo "the test program ended (status $status) without reporting the case '$case': see $log" > "$why"
		fi
		;;
	kernel|user)
		local name=grade-$lab-$n runner_args=() kernel=build/kernel-test.elf
		if [ "$kind" = kernel ]; then
			runner_args=(--kernel "$kernel" --timeout "$limit" qemu-kernel -- "test=$id" $args)
		else
			kernel=build/kernel.elf
			grep "^$id " build/user/expect.txt > "$out/$n.expect"
			runner_args=(--kernel "$kernel" --timeout "$limit" --modules "build/user/$id.elf"
				--expect "$out/$n.expect" qemu-kernel -- "run=$id" $args poweroff)
		fi
		scripts/ktest-run.sh --name "$name" "${runner_args[@]}" > "$log" 2>&1
		local result verdicts=build/test/$name.verdicts
		result=$(tail -1 "$log")
		if [[ $result == *verdict=pass* ]] && grep -aq '# SKIP' "$verdicts" 2> /dev/null; then
			verdict=FAIL      # a case that skipped checked nothing
			{ echo "the case skipped itself, so it checked nothing:"; grep -a -m1 '# SKIP' "$verdicts" | tr -d '\r'; } > "$why"
		elif [[ $result == *verdict=pass* ]] && [ "$kind" = kernel ] && ! one_case_passed "$verdicts" "${id#*.}"; then
			verdict=FAIL
			echo "the kernel's verdicts do not report the one case '${id#*.}' passing, and nothing else" > "$why"
		elif [[ $result == *verdict=pass* ]]; then
			verdict=PASS
		elif [[ $result == *"timed out"* ]]; then
			verdict=TIMEOUT
			echo "no end after ${limit}s: a hang, or an endless loop" > "$why"
		elif grep -aq "kernel panic: lab $lab: .* is not written yet" "$verdicts" 2> /dev/null; then
			verdict=FAIL
			sed -n "s/.*kernel panic: \(lab $lab: .* is not written yet\).*/\1/p" "$verdicts" | head -1 > "$why"
		elif grep -aq '^\*\*\* \(kernel panic\|CPU exception\)\|panic while panicking' "$verdicts" 2> /dev/null; then
			verdict=CRASH
			sed -n '/^\*\*\* /,$p' "$verdicts" | tr -d '\r' | grep -av '^ktest: ' | head -24 | symbolize "$kernel" > "$why"
		elif grep -q 'Triple fault' "build/test/$name.emulator" 2> /dev/null; then
			verdict=CRASH     # (QEMU logs it; -no-reboot then ends QEMU)
			echo "the machine reset: a triple fault (the CPU could not even report a fault)" > "$why"
		else
			verdict=FAIL
			echo "${result#*verdict=fail }" | sed 's/ ([0-9.]*s)$//' > "$why"
			grep -av '^RESULT\|^  logs:' "$log" | head -16 >> "$why"
			if [ "$kind" = user ]; then   # what the program said
				tr -d '\r' < "build/test/$name.serial" | grep -av '^\(Cairn\|BIOS-e820\|e820\|pmm\|physmem\|symbols\|multiboot\|poweroff\|cmdline\):' |
					grep -a "lab $lab: \|assertion\|FAIL\|^$id" | head -6 >> "$why"
			fi
		fi
		;;
	esac
	echo "$verdict $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')" > "$out/$n.verdict"
}

# ------------------------------------------------------------- building

# Builds what the tests use, warnings shown but not fatal (WERROR=): a
# half-written function's unused variable costs nothing. A tree that does
# not build fails every test; why goes to $out/build.why.
build() {
	local targets=() kinds
	kinds=$(tests_of | awk '{ print $2 }' | sort -u)
	for bin in $(tests_of | awk '$2 == "host" { split($3, a, "."); print a[1] }' | sort -u); do
		targets+=("build/host/tests/$bin")
		if [ ! -f "tests/host/$bin.c" ]; then       # else make runs the old binary
			echo "the tests cannot be built: tests/host/$bin.c is missing (git checkout tests/host/$bin.c brings it back)" > "$out/build.why"
			return 1
		fi
	done
	[[ $kinds == *kernel* ]] && targets+=(build/kernel-test.elf)
	[[ $kinds == *user* ]] && targets+=(build/kernel.elf user)
	if ! make -s -j"$jobs" WERROR= "${targets[@]}" > "$out/build.log" 2>&1; then
		{ echo "the code does not compile: every test fails. The compiler said:"
		  grep -a -m8 'error\|Error' "$out/build.log" | sed 's/^/    /'; } > "$out/build.why"
		return 1
	fi
	if grep -aq 'warning:' "$out/build.log"; then
		echo "the compiler warned (make stops at a warning; make grade goes on):"
		grep -a -m6 'warning:' "$out/build.log" | sed 's/^/    /'
	fi
}

# ---------------------------------------------------------------- report

json_string() {         # the text of stdin as a JSON string
	awk 'BEGIN { printf "\"" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/\r/, ""); gsub(/[\001-\037]/, " "); printf "%s\\n", $0 } END { printf "\"" }'
}

main() {
	local total=0 score=0 n=0 pts kind id rest verdict secs got
	{ check_manifest; echo "grading lab $lab ($(sed -n 's/^# title: //p' "$spec"))"; build; } > "$out/preamble"
	local built=$?
	cat "$out/preamble"
	if [ $built -ne 0 ]; then
		tee -a "$out/preamble" < "$out/build.why"
		while read -r pts kind id rest; do
			n=$((n + 1)); total=$((total + pts))
			printf 'FAIL     0/%-3s%s %s%s\n' "$pts" "$kind" "$id" "${rest:+ $rest}"
			echo "FAIL 0" > "$out/$n.verdict"; head -1 "$out/build.why" | sed 's/: every test fails.*//' > "$out/$n.why"
		done < <(tests_of)
	else
		# Run the tests, jobs at a time, each in the background.
		while read -r pts kind id rest; do
			n=$((n + 1))
			while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
			run_test "$n" "$pts" "$kind" "$id" $rest &
			if [ -n "$first_failure" ]; then
				wait
				read -r verdict secs < "$out/$n.verdict"
				[ "$verdict" = PASS ] || break
			fi
		done < <(tests_of)
		wait
		n=0
		while read -r pts kind id rest; do
			n=$((n + 1))
			[ -f "$out/$n.verdict" ] || break
			read -r verdict secs < "$out/$n.verdict"
			got=0; [ "$verdict" = PASS ] && got=$pts
			total=$((total + pts)); score=$((score + got))
			printf '%-8s %s/%-3s%s %s%s (%ss)\n' "$verdict" "$got" "$pts" "$kind" "$id" "${rest:+ $rest}" "$secs"
			[ -s "$out/$n.why" ] && sed 's/^/    /' "$out/$n.why"
		done < <(tests_of)
	fi
	echo "Score: $score/$total"
	if [ -n "$results" ]; then
		write_results "$score" > "$results" || echo "lab-grade: could not write $results" >&2
	fi
	[ "$score" -eq "$total" ] && [ "$total" -gt 0 ]
}

# Gradescope's results.json: the score, and each test with its points.
write_results() {       # write_results SCORE
	local n=0 pts kind id rest verdict secs sep=""
	printf '{"score": %s, "output": %s, "tests": [' "$1" "$(json_string < "$out/preamble")"
	while read -r pts kind id rest; do
		n=$((n + 1))
		[ -f "$out/$n.verdict" ] || break
		read -r verdict secs < "$out/$n.verdict"
		printf '%s\n  {"name": %s, "score": %s, "max_score": %s, "status": "%s", "output": %s}' "$sep" \
			"$(printf '%s %s%s' "$kind" "$id" "${rest:+ $rest}" | json_string | sed 's/\\n"$/"/')" \
			"$([ "$verdict" = PASS ] && echo "$pts" || echo 0)" "$pts" \
			"$([ "$verdict" = PASS ] && echo passed || echo failed)" \
			"$( { echo "$verdict"; cat "$out/$n.why"; } | json_string)"
		sep=","
	done < <(tests_of)
	printf '\n]}\n'
}

main
