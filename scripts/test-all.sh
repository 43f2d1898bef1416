#!/usr/bin/env bash
# Everything `make test` runs, in order: the host tests (cmocka, TAP), the
# host tools' command-line tests, the labs' proofs, the fuzzers for a
# bounded time, make run, debug and bochs themselves, the kernel's KTAP
# suites in QEMU (-kernel, and through GRUB at several memory sizes) and
# in Bochs, the harness's tests of itself, and the user programs (each
# run's "run:" line against its "// expect:").
# Ends with the labs' catch rate and one line
#   N passed, N failed
# counted over every case, and exits non-zero if anything failed.
#
# The checks are independent, so they run as tasks, TEST_JOBS at a time
# (default: one more than the cores, since each spends part of its time
# waiting on an emulator's start or a sleep: 4m40s instead of 5m00s on 2
# cores): each writes its report and its counts to files in build/test/,
# and the reports are printed in the order below.
# build/test/times lists each task's wall seconds, slowest first: where
# to look when make test grows slow.
set -u
cd "$(dirname "$0")/.."

out=build/test
mkdir -p "$out"
rm -f "$out"/*.seconds
FUZZ_SECONDS=${FUZZ_SECONDS:-5}
TEST_JOBS=${TEST_JOBS:-$(($(nproc 2>/dev/null || echo 2) + 1))}
order=()        # task labels, and "== section" headings, in report order

# Called by a check (inside its task): adds to the task's counts.
count() {       # count PASSED FAILED LABEL
	echo "$1 $2 $3" >> "$out/$task.count"
}

# Runs a check in the background once a slot is free.
task() {        # task LABEL FUNCTION ARGS...
	while [ $(($(jobs -rp | wc -l) - $(still_waiting))) -ge "$TEST_JOBS" ]; do
		wait -n
	done
	launch "$@"
}

# Runs a check that mostly waits (the book's transcripts: emulators left
# to their timeouts, as the text shows them) at once, beside the others,
# without taking a slot: its waiting would leave a core idle.
waiting=()      # their process ids
task_waiting() {        # task_waiting LABEL FUNCTION ARGS...
	launch "$@"
	waiting+=($!)
}

still_waiting() {       # how many of them have not ended
	local n=0 pid
	for pid in "${waiting[@]}"; do
		kill -0 "$pid" 2>/dev/null && n=$((n + 1))
	done
	echo "$n"
}

launch() {      # launch LABEL FUNCTION ARGS...
	local label=$1
	shift
	rm -f "$out/$label.count" "$out/$label.report" "$out/$label.seconds"
	order+=("$label")
	(
		task=$label start=$SECONDS
		"$@" > "$out/$label.report" 2>&1
		echo "$((SECONDS - start)) $label" > "$out/$label.seconds"
	) &
}

section() {
	order+=("== $1")
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
	# The pattern may be in the runner's verdict or in the kernel's
	# verdicts (COM2: its KTAP, run: lines and fatal reports), never in
	# what a program printed.
	if [ $status -ne 0 ] && cat "$out/$label.result" "$out/$label.verdicts" 2>/dev/null | tr -d '\r' | grep -qE "$pattern"; then
		echo "ok   $label: reported as failing, as it must be"
		count 1 0 "$label"
	else
		echo "FAIL $label: the harness did not report this broken run as failing"
		sed 's/^/    /' "$out/$label.result" | head -20
		count 0 1 "$label"
	fi
}

# A fuzzer for a bounded time: no crash is one passed case. It starts
# from tests/fuzz/NAME_seeds/ when there is one (the shapes of input that
# found bugs before), read only: what it learns goes to build/test/.
run_fuzzer() {  # run_fuzzer LABEL FUZZER
	local label=$1 f=$2
	local corpus="$out/$label.corpus" seeds
	seeds=tests/fuzz/$(basename "$f")_seeds
	mkdir -p "$corpus"
	[ -d "$seeds" ] || seeds=
	if "$f" -max_total_time="$FUZZ_SECONDS" -seed=1 -print_final_stats=1 "$corpus" ${seeds:+"$seeds"} > "$out/$label.log" 2>&1; then
		echo "ok   $label: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$out/$label.log" | grep -o '[0-9]*$') inputs, no failure"
		count 1 0 "$label"
	else
		echo "FAIL $label: see $out/$label.log"
		grep -E 'ERROR|SUMMARY|runtime error|abort' "$out/$label.log" | head -10 | sed 's/^/    /'
		count 0 1 "$label"
	fi
}

# A command that must succeed: one case.
run_ok() {      # run_ok LABEL WHAT-IT-SHOWS COMMAND...
	local label=$1 what=$2
	shift 2
	if "$@" > "$out/$label.log" 2>&1; then
		echo "ok   $label: $what"
		count 1 0 "$label"
	else
		echo "FAIL $label: see $out/$label.log"
		tail -5 "$out/$label.log" | sed 's/^/    /'
		count 0 1 "$label"
	fi
}

# The ISO's budget: 1.25 MiB. GRUB is about 750 KiB of it; each program
# takes two 2 KiB sectors or more, gzipped, and there are 69.
iso_within_budget() {
	local bytes
	bytes=$(stat -c %s build/cairn.iso)
	echo "build/cairn.iso is $bytes bytes"
	[ "$bytes" -lt 1310720 ]
}

section "host tests"
for t in build/host/tests/*_test; do
	[ -x "$t" ] && task "host-$(basename "$t")" run_tap "host-$(basename "$t")" "$t"
done
# tests/host/TOOL_cli_test.sh checks the host tool build/host/TOOL.
for t in tests/host/*_cli_test.sh; do
	[ -f "$t" ] || continue
	tool=$(basename "$t" _cli_test.sh)
	task "cli-$tool" run_tap "cli-$tool" sh "$t" "build/host/$tool"
done

# The labs (docs/labs/): each lab's grader proven (full marks for the
# complete tree, none for the handout, no removed line in it, every
# planted mistake caught), the grader against bad input, and a made-up
# class graded. The longest checks: they start early.
section "labs"
for lab in $(scripts/lab-handout.sh names); do
	task "lab-$lab" run_tap "lab-$lab" scripts/lab-prove.sh "$lab"
done
task lab-grader run_tap lab-grader tests/labs/grader_test.sh
task lab-class run_tap lab-class tests/labs/class_test.sh

section "fuzzers (${FUZZ_SECONDS}s each)"
for f in build/fuzz/*_fuzz; do
	[ -x "$f" ] && task "fuzz-$(basename "$f")" run_fuzzer "fuzz-$(basename "$f")" "$f"
done

# A line the kernel must have printed in a run (an end-to-end check);
# with --whole, as a whole line of its own (after a program's unfinished
# one, say).
expect_line() {         # expect_line [--whole] LABEL RUN-LABEL FIXED-STRING
	local how=-qF what=""
	if [ "$1" = --whole ]; then
		how=-qxF what=" on a line of its own"
		shift
	fi
	if tr -d '\r' < "$out/$2.serial" | grep $how -- "$3"; then
		echo "ok   $1: the kernel printed '$3'$what"
		count 1 0 "$1"
	else
		echo "FAIL $1: no '$3'$what in $out/$2.serial"
		count 0 1 "$1"
	fi
}

section "the book"
task docs run_tap docs scripts/check-docs.sh
# Every transcript in the book re-run and compared with its text (those
# that read what this run leaves are checked at the end, below).
task_waiting transcripts run_tap transcripts scripts/check-transcripts.py
# The listings check on a small tree of its own: each way a listing drifts fails.
task book-listings run_tap book-listings tests/tools/check_listings_test.sh

task pictures run_tap pictures scripts/check-pictures.sh
# make book, then every page opened in Chromium: it loads, its links and
# pictures resolve (one case per page); screenshots in build/book/screenshots/.
task book run_tap book scripts/book/check.sh

section "heap traces"
task check-traces run_ok check-traces "the shipped traces are what their seeds give" make -s check-traces
task heaptrace run_ok heaptrace "every trace replays cleanly on every allocator" \
	build/host/heaptrace tests/traces/*.rep

section "the ISO"
task iso-size run_ok iso-size "under 1.25 MiB ($(stat -c %s build/cairn.iso) bytes)" iso_within_budget
# Each chapter's demo, booted from the ISO by pressing the chapter's
# number at GRUB's menu (tests/demos/), a task each; and demo= with a
# name no demo has.
for c in 1 2 3 4 5 6 7 8 9; do
	task "demo-ch$c" run_tap "demo-ch$c" tests/demos/demo_test.sh "$c"
done
task demo-unknown run_tap demo-unknown tests/demos/demo_test.sh unknown

# The web page (make web): the kernel in v86 in headless Chromium, its
# KTAP, the live panels against the monitor (tests/web/).
section "the web page"
task web-page run_tap web-page tests/web/page_test.sh

# make run, debug and bochs as a student uses them on a shared machine
# (tests/tools/): ARGS through GRUB's menu, a GDB port of one's own, and
# no Bochs left running once stopped.
section "running and debugging"
task tools-run-args run_tap tools-run-args tests/tools/run_args_test.sh
task tools-debug run_tap tools-debug tests/tools/debug_test.sh
task tools-bochs-stop run_tap tools-bochs-stop tests/tools/bochs_stop_test.sh
task tools-run-name run_tap tools-run-name tests/tools/ktest_run_name_test.sh    # a run named after its arguments boots through GRUB

section "kernel tests"
task qemu-128m run_kernel qemu-128m qemu-kernel -- test
task qemu-cpu-max run_kernel qemu-cpu-max --cpu max qemu-kernel -- test     # SMEP and SMAP on
task qemu-kheap-guard run_kernel qemu-kheap-guard qemu-kernel -- kheap=guard test=kheap,kheap_guard,vmm
task qemu-16m run_kernel qemu-16m --mem 16M qemu-kernel -- test
task qemu-3g run_kernel qemu-3g --mem 3G qemu-kernel -- test
task qemu-4g run_kernel qemu-4g --mem 4G qemu-kernel -- test
task grub-4m run_kernel grub-4m --mem 4M qemu-iso -- test
task bochs-grub run_kernel bochs-grub bochs -- test
# memmap= end to end: the reservation shows in the map, and the PMM
# tests (every frame inside a usable range) run on the edited map. The
# 4 KiB hole near the image's end lands among the PMM's own frames.
# One memmap= more than the kernel has room for (32): the extra ones are
# ignored with a warning, and the physmem test checks only what the
# kernel applied (the last, ignored, reservation lies in owned RAM).
overflow_args=()
for i in $(seq 0 32); do overflow_args+=("memmap=4K\$$(printf '0x%x' $((0x800000 + i * 0x2000)))"); done
task qemu-memmap-overflow run_kernel qemu-memmap-overflow --mem 16M qemu-kernel -- "${overflow_args[@]}" 'memmap=4K$0x300000' test=physmem
task qemu-memmap run_kernel qemu-memmap --mem 16M qemu-kernel -- 'memmap=1M$0x400000' 'memmap=4K$0x243000' mem=12M test=pmm,physmem

# The smallest machine: the least mem= (KiB, at 4 KiB steps) with which
# the kernel boots. Below it, boot must stop with physmem's one line;
# there, every suite must pass or skip with its reason.
smallest_mem_kib() {
	local lo=1024 hi=16384 mid       # lo is refused, hi boots
	while [ $((hi - lo)) -gt 4 ]; do
		mid=$(( (lo + hi) / 8 * 4 ))
		if scripts/ktest-run.sh --name smallest-probe --mem 64M --timeout 20 qemu-kernel -- \
			"mem=${mid}K" test=boot > /dev/null 2>&1; then
			hi=$mid
		else
			lo=$mid
		fi
	done
	echo "$hi"
}
smallest_machine() {
	local kib
	kib=$(smallest_mem_kib)
	echo "     (the smallest machine: mem=${kib}K)"
	run_kernel qemu-smallest --mem 64M qemu-kernel -- "mem=${kib}K" test
	expect_failure qemu-below-smallest 'physmem: [0-9]+ KiB of usable RAM above the kernel; Cairn needs at least [0-9]+ KiB' \
		--mem 64M qemu-kernel -- "mem=$((kib - 4))K" test
}
task qemu-smallest smallest_machine

section "the monitor and the GDB commands"
# The monitor driven over COM1 (every command, bad input, a fault), and
# each cairn- GDB command against the monitor's output for the same state.
task monitor run_tap monitor tests/monitor/monitor_test.sh
task monitor-gdb run_tap monitor-gdb tests/monitor/gdb_test.sh

section "the harness tests itself"
task harness-failing-case expect_failure harness-failing-case 'FAIL .*ktest_canary.this_case_must_fail' qemu-kernel -- test=ktest_canary
task harness-empty-selection expect_failure harness-empty-selection 'the selection names none' qemu-kernel -- test=,,,,
task harness-unknown-suite expect_failure harness-unknown-suite 'no such suite' qemu-kernel -- test=no_such_suite
task harness-triple-fault expect_failure harness-triple-fault 'triple fault' qemu-kernel -- crash=triplefault test
task harness-panic expect_failure harness-panic 'kernel panic' qemu-kernel -- crash=panic test
task harness-hang expect_failure harness-hang 'timed out' --timeout 3 qemu-kernel -- crash=pagefault
task harness-stack-overflow expect_failure harness-stack-overflow 'kernel stack overflow' qemu-kernel -- crash=stackoverflow test
task harness-guard-double-free expect_failure harness-guard-double-free \
	'kfree of 0x[0-9a-f]+, not a live guard-mode allocation \(freed twice\?\), from 0x' qemu-kernel -- kheap=guard crash=doublefree test
task harness-double-free expect_failure harness-double-free 'heap: double free of 0x[0-9a-f]+ \(block' qemu-kernel -- crash=doublefree test
# A machine whose RAM ends before the kernel image does: one line, not a
# triple fault (the kernel halts there, hence the short timeout).
task harness-kernel-does-not-fit expect_failure harness-kernel-does-not-fit \
	'Cairn does not fit: its image ends at [0-9]+ KiB, but RAM from 1 MiB up ends at [0-9]+ KiB' \
	--timeout 3 --mem 2M qemu-kernel -- test
# A kernel GRUB cannot load (3 MiB: out of memory) never runs: the run
# names GRUB's error, not only the timeout of GRUB waiting at its menu.
task harness-grub-error expect_failure harness-grub-error \
	"GRUB said 'error: out of memory.' before the kernel started; timed out" --timeout 8 --mem 3M qemu-iso -- test
task harness-bochs-triple-fault expect_failure harness-bochs-triple-fault 'Totals|timed out' --timeout 60 bochs -- crash=triplefault test

section "user programs"
# run=all runs every module in turn; each program's "// expect:" line
# (collected in build/user/expect.txt) says what its "run:" verdict must
# be, and nothing may leak. One case per program per boot: -kernel with
# each vm= mode, and once through GRUB with the ISO's own programs.cfg.
# Programs expected to hit the time limit (spin, ...) burn their whole
# CPU allowance: they get a boot of their own with cpulimit=1, and every
# other boot runs the rest under the default limit.
grep -v 'killed (time limit\|killed (killed by the runner\|killed (wall-clock limit' build/user/expect.txt > "$out/user-expect.txt"
{ grep 'killed (time limit' build/user/expect.txt; grep '^hello ' build/user/expect.txt; } > "$out/user-timelimit-expect.txt"
elfs_of() {     # elfs_of DIR EXPECT-FILE: the programs an expectation file names
	awk -v d="$1" '!seen[$1]++ { printf "%s/%s.elf ", d, $1 }' "$2"
}
user_elfs=$(elfs_of build/user "$out/user-expect.txt")
user_names=$(awk '!seen[$1]++ { print $1 }' "$out/user-expect.txt" | paste -sd, -)
user_expect="$out/user-expect.txt"
task user-eager run_kernel user-eager --modules "$user_elfs" --expect "$user_expect" qemu-kernel -- run=all vm=eager poweroff
task user-lazy run_kernel user-lazy --modules "$user_elfs" --expect "$user_expect" qemu-kernel -- run=all vm=lazy poweroff
task user-grub run_kernel user-grub --source '${prefix}/programs.cfg' --expect "$user_expect" qemu-iso -- run="$user_names" poweroff
task user-cpu-max run_kernel user-cpu-max --cpu max --modules "$user_elfs" --expect "$user_expect" qemu-kernel -- run=all vm=lazy poweroff
# Every program again, each while other processes are alive: the
# companion (src/user/companion.c) and its two children, started before
# the first program and killed after the last, check every tick that no
# program's fork, copy-on-write fault or death changes their memory.
{ cat "$out/user-expect.txt"; grep '^companion ' build/user/expect.txt; } > "$out/user-beside-expect.txt"
task user-beside run_kernel user-beside --modules "$user_elfs build/user/companion.elf" \
	--expect "$out/user-beside-expect.txt" qemu-kernel -- run=all vm=lazy beside=companion poweroff
# At 3 GiB a 2 GiB sbrk can be backed: the limits, not the RAM, must stop it.
# exhaust touches all 3 GiB there: about 20 s of CPU under TCG, so the
# limit is raised toward the runner's timeout.
task user-3g run_kernel user-3g --mem 3G --timeout 120 --modules "$user_elfs" --expect "$user_expect" qemu-kernel -- run=all vm=lazy cpulimit=110 poweroff
# At 4 MiB the kernel, not GRUB, must cope: GRUB's own heap is too small
# there to load every program (it says "out of memory" and boots anyway),
# so QEMU loads the modules: the ISO's stripped copies, unpacked, as GRUB
# would load them.
task user-4m run_kernel user-4m --mem 4M --modules "$(elfs_of build/user/stripped "$user_expect")" --expect "$user_expect" qemu-kernel -- run=all vm=eager poweroff
# A program that never ends is killed at its limit, and the next one runs.
task user-time-limit run_kernel user-time-limit --modules "$(elfs_of build/user "$out/user-timelimit-expect.txt")" \
	--expect "$out/user-timelimit-expect.txt" qemu-kernel -- run=all cpulimit=1 poweroff
# A program that sleeps for ever uses no CPU: the wall-clock limit ends
# it, and the next program runs.
{ grep 'killed (wall-clock limit' build/user/expect.txt; grep '^hello ' build/user/expect.txt; } > "$out/user-walllimit-expect.txt"
task user-wall-limit run_kernel user-wall-limit --modules "$(elfs_of build/user "$out/user-walllimit-expect.txt")" \
	--expect "$out/user-walllimit-expect.txt" qemu-kernel -- run=all walllimit=1 poweroff
# Bochs starts the first program with the FPU's reset control word, not
# FNINIT's: fpustate must find the clean state there too, before and
# after fpudirty.
printf 'fpustate exit=0\nfpudirty exit=0\n' > "$out/user-fpu-expect.txt"
task user-bochs-fpu run_kernel user-bochs-fpu --modules "build/user/fpustate.elf build/user/fpudirty.elf" \
	--expect "$out/user-fpu-expect.txt" bochs -- run=fpustate,fpudirty,fpustate poweroff
# A module whose name repeats an earlier one's, is too long or means
# something else to run= is refused by name at boot; the rest run.
printf 'hello exit=0\nmeminfo exit=0\n' > "$out/user-names-expect.txt"
task user-module-names run_kernel user-module-names --modules "build/user/hello.elf build/user/meminfo.elf:hello \
build/user/meminfo.elf:a_name_of_thirty-two_characters_ build/user/meminfo.elf:all build/user/meminfo.elf" \
	--expect "$out/user-names-expect.txt" qemu-kernel -- run=all poweroff
# With every program loaded as a module, no module frame may be the PMM's.
task modules-reserved run_kernel modules-reserved --modules "$user_elfs" qemu-kernel -- test=physmem,pmm
# The harness must notice a program that does not end as expected, and
# must not believe a program that prints the kernel's verdict itself.
echo "hello exit=1" > "$out/user-wrong-expect.txt"
task harness-user-expectation expect_failure harness-user-expectation "FAIL .*hello: expected 'exit=1'" --modules build/user/hello.elf \
	--expect "$out/user-wrong-expect.txt" qemu-kernel -- run=hello cpulimit=1s poweroff
echo "forge exit=0" > "$out/user-forged-expect.txt"
task harness-forged-verdict expect_failure harness-forged-verdict "FAIL .*forge: expected 'exit=0'" --modules build/user/forge.elf \
	--expect "$out/user-forged-expect.txt" qemu-kernel -- run=forge poweroff

wait
# These read what the qemu-memmap run printed, so they come after it.
section "the memory map, end to end"
task memmap-reserved expect_line memmap-reserved qemu-memmap 'e820: [mem 0x0000000000400000-0x00000000004fffff] reserved'
task mem-limit expect_line mem-limit qemu-memmap 'e820: [mem 0x0000000000500000-0x0000000000bfffff] usable'
section "module names, end to end"
task module-duplicate expect_line module-duplicate user-module-names \
	"multiboot: module 1 'build/user/meminfo.elf hello' refused: an earlier module has the same name"
task module-too-long expect_line module-too-long user-module-names \
	"multiboot: module 2 'build/user/meminfo.elf a_name_of_thirty-two_characters_' refused: its name is longer than 31 characters"
task module-reserved-name expect_line module-reserved-name user-module-names \
	"multiboot: module 3 'build/user/meminfo.elf all' refused: 'all' and 'done' mean something else to run="
section "the console, end to end"
task fresh-line expect_line --whole fresh-line user-eager 'run: nonewline exit=0 leaked=0'
task cow-out-of-memory expect_line cow-out-of-memory user-eager \
	'(cowoom) killed: out of memory: no frame for a copy-on-write copy of 0x'
task cpulimit-refused expect_line cpulimit-refused harness-user-expectation \
	"cmdline: 'cpulimit=1s' ignored: want whole seconds up to 86400, 0 for no limit"
wait
cat "$out"/*.seconds 2>/dev/null | sort -rn > "$out/times"

passed=0 failed=0
failures=()
report=$out/make-test.report    # what this run printed, for the book's transcript of it
: > "$report"
for label in "${order[@]}"; do
	case "$label" in
	"== "*) echo "$label" | tee -a "$report"; continue ;;
	esac
	tee -a "$report" < "$out/$label.report"
	if [ ! -s "$out/$label.count" ]; then
		echo "FAIL $label: the check reported nothing" | tee -a "$report"
		echo "0 1 $label" > "$out/$label.count"
	fi
	while read -r p f name; do
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" -gt 0 ] && failures+=("$name")
	done < "$out/$label.count"
done
# The labs' catch rate: every planted mistake must fail a test (each
# lab-prove.sh run fails on one that does not).
catch_rate=$(cat "$out"/lab-*.log 2> /dev/null | sed -n 's/^# caught \([0-9]*\) of \([0-9]*\) planted mistakes$/\1 \2/p' |
	awk '{ c += $1; m += $2 } END { if (m) printf "labs: caught %d of %d planted mistakes (%d%%)\n", c, m, 100 * c / m }')

# The book's transcripts that read what this run left behind, chapter
# 0's `make test` among them: it is compared with this very report, as
# it ends when everything passed (this check's own line included).
# After a failure above the report cannot be that, so it is not compared.
echo "== the book, against this run"
if [ "$failed" -eq 0 ]; then
	ok_line="ok   transcripts-after-test: the book's transcripts of make test match this run"
	{
		cat "$report"
		echo "== the book, against this run"
		echo "$ok_line"
		echo
		[ -n "$catch_rate" ] && echo "$catch_rate"
		echo "$((passed + 1)) passed, 0 failed"
	} > "$out/make-test.out"
	if scripts/check-transcripts.py --after-test "$out/make-test.out" > "$out/transcripts-after-test.log" 2>&1; then
		echo "$ok_line"
		passed=$((passed + 1))
	else
		echo "FAIL transcripts-after-test: see $out/transcripts-after-test.log"
		grep -E '^(not ok|#  )' "$out/transcripts-after-test.log" | head -20 | sed 's/^/    /'
		failed=$((failed + 1))
		failures+=(transcripts-after-test)
	fi
else
	echo "     (not compared: a check above failed)"
fi
echo
[ -n "$catch_rate" ] && echo "$catch_rate"
if [ ${#failures[@]} -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
