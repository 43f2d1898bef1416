#!/usr/bin/env bash
# Boots Cairn headless once, with a timeout, collects the KTAP it prints on
# the serial port, and says what passed and what failed.
#
# usage: scripts/ktest-run.sh [options] MODE -- KERNEL-ARGUMENTS...
#   MODE  qemu-kernel  QEMU loads the kernel itself (-kernel, fastest)
#         qemu-iso     QEMU boots an ISO through GRUB
#         bochs        Bochs boots an ISO through GRUB
# The kernel is build/kernel-test.elf when the arguments ask for tests
# (`test` or `test=...`: only the test kernel has them), else the plain
# build/kernel.elf, the one students boot.
# options:
#   --kernel FILE    boot this kernel instead
#   --name NAME      names the logs: build/test/NAME.serial and NAME.emulator
#   --mem SIZE       memory for QEMU (-m), default 128M
#   --timeout SECS   give up after this long (default 60, Bochs 180)
#   --cpu MODEL      QEMU -cpu
#   --modules LIST   space-separated files to load as Multiboot modules,
#                    each named for its file (build/user/hello.elf: hello),
#                    or FILE:NAME to give it another name
#   --source CFG     (ISO modes) the runner's menu entry sources CFG, a GRUB
#                    file on the ISO, after its multiboot line: the ISO's
#                    own module lines (/boot/grub/programs.cfg)
#   --expect FILE    a user-program run (run=...), not a KTAP one: each
#                    program named in FILE's "NAME PATTERN" lines is one
#                    case, passed when the kernel gave at least one verdict
#                    "run: NAME REST leaked=0" and in every one REST matches
#                    one of NAME's glob PATTERNs ("exit=0", "killed (page
#                    fault: *)"); the kernel must end with "run: done leaked=0"
#
# What the runner concludes comes from the kernel's verdicts: KTAP and
# "run:" lines, which the kernel prints on COM2 as well as the console
# (build/test/NAME.verdicts). Nothing else writes to COM2, so a user
# program's output cannot forge or break a verdict; the console log
# (NAME.serial) is for people, and for the reports of crashes.
#
# The last line printed is always
#   RESULT NAME passed=P failed=F verdict=pass|fail REASON
# and the exit status is 0 only for a run where every case passed, the
# kernel reported the end of its tests itself, and (QEMU) left with the
# pass status through isa-debug-exit. A hang, a reset (triple fault), a
# panic or a missing "# Totals" line is a failure, never a pass.
set -u

name="" mem=128M timeout="" cpu="" modules="" source="" expect="" kernel=""
while [ $# -gt 0 ]; do
	case "$1" in
	--name) name=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	--source) source=$2; shift 2 ;;
	--expect) expect=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "ktest-run: unknown option $1" >&2; exit 2 ;;
	*) mode=$1; shift ;;
	esac
done
args="$*"
if [ -z "$kernel" ]; then
	kernel=build/kernel.elf
	for word in "$@"; do
		case "$word" in test|test=*) kernel=build/kernel-test.elf ;; esac
	done
fi
: "${mode:?usage: ktest-run.sh [options] qemu-kernel|qemu-iso|bochs -- ARGS}"
[ -n "$name" ] || name="$mode-$(printf '%s' "$args" | tr -c 'A-Za-z0-9.-' '_' | cut -c1-40)"
[ -n "$timeout" ] || { [ "$mode" = bochs ] && timeout=180 || timeout=60; }

out=build/test
mkdir -p "$out"
serial="$out/$name.serial"
verdicts="$out/$name.verdicts"
emulog="$out/$name.emulator"
rm -f "$serial" "$verdicts" "$emulog"

# A --modules word: FILE, or FILE:NAME.
module_file() { printf '%s' "${1%%:*}"; }
module_name() {
	case "$1" in
	*:*) printf '%s' "${1#*:}" ;;
	*) basename "$1" .elf ;;
	esac
}

# An ISO whose GRUB menu boots straight into these arguments: the real
# iso/ tree plus a runner.cfg (grub.cfg sources it when present).
make_runner_iso() {
	local extra="$out/$name.isodir" entry
	rm -rf "$extra"
	mkdir -p "$extra/boot/grub" "$extra/boot/modules"
	# The kernel as the ISO would carry it: its symbol table, no DWARF.
	objcopy --strip-debug "$kernel" "$extra/boot/runner.elf" || return 1
	{
		echo "set timeout=0"
		echo "menuentry runner --id runner {"
		echo "	multiboot /boot/runner.elf $args"
		[ -n "$source" ] && echo "	source $source"
		local i=0
		for m in $modules; do
			i=$((i + 1))
			cp "$(module_file "$m")" "$extra/boot/modules/$i.elf"
			echo "	module /boot/modules/$i.elf $(module_name "$m")"
		done
		echo "	boot"
		echo "}"
		echo "set default=runner"
	} > "$extra/boot/grub/runner.cfg"
	scripts/mkiso.sh "$out/$name.iso" iso "$extra"
}

qemu_common=(-display none -serial "file:$serial" -serial "file:$verdicts" -no-reboot -m "$mem"
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-d guest_errors,cpu_reset -D "$emulog")
[ -n "$cpu" ] && qemu_common+=(-cpu "$cpu")

start=$EPOCHREALTIME
case "$mode" in
qemu-kernel)
	initrd=()
	if [ -n "$modules" ]; then
		list=""
		for m in $modules; do list="${list:+$list,}$(module_file "$m") $(module_name "$m")"; done
		initrd=(-initrd "$list")
	fi
	timeout -k 5 "$timeout" qemu-system-i386 "${qemu_common[@]}" -kernel "$kernel" \
		-append "$args" "${initrd[@]}" < /dev/null
	status=$?
	;;
qemu-iso)
	make_runner_iso || { echo "RESULT $name passed=0 failed=1 verdict=fail grub-mkrescue failed ($out/$name.iso.log)"; exit 1; }
	timeout -k 5 "$timeout" qemu-system-i386 "${qemu_common[@]}" -cdrom "$out/$name.iso" < /dev/null
	status=$?
	;;
bochs)
	make_runner_iso || { echo "RESULT $name passed=0 failed=1 verdict=fail grub-mkrescue failed ($out/$name.iso.log)"; exit 1; }
	# Bochs draws its text screen on the terminal; keep that out of the way.
	CAIRN_ISO="$out/$name.iso" CAIRN_SERIAL="$serial" CAIRN_VERDICTS="$verdicts" CAIRN_BOCHS_LOG="$emulog" \
		TERM=${TERM:-xterm} \
		timeout -k 5 "$timeout" bochs -q -f scripts/bochsrc -rc scripts/bochs-continue \
		< /dev/null > "$out/$name.screen" 2>&1
	status=$?
	;;
*)
	echo "ktest-run: unknown mode '$mode'" >&2
	exit 2
	;;
esac
elapsed=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
touch "$serial" "$verdicts"

# Everything below reads the two logs as text: without the serial line's
# CRs, and (the console, where GRUB draws its menu) without ANSI escapes.
console=$(tr -d '\r' < "$serial" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g')
verdict_text=$(tr -d '\r' < "$verdicts")

# A user-program run: one case per expected program. Sets the counts
# the KTAP reader below would ("run: done" stands for "# Totals"), and
# run_failures, what show_failures prints.
check_runs() {
	local prog line rest why pattern matched expected
	local -a patterns lines
	expected=$(cat "$expect")       # read once: it may be a pipe, <(...)
	passed=0 failed=0 skipped=0 totals=0 run_failures=""
	for prog in $(printf '%s\n' "$expected" | awk '!seen[$1]++ { print $1 }'); do
		mapfile -t patterns < <(printf '%s\n' "$expected" | awk -v p="$prog" '$1 == p { sub(/^[^ ]+ +/, ""); print }')
		mapfile -t lines < <(printf '%s\n' "$verdict_text" | awk -v p="run: $prog " 'index($0, p) == 1')
		why=""
		[ ${#lines[@]} -gt 0 ] || why="the kernel gave no 'run: $prog' verdict"
		for line in "${lines[@]}"; do
			rest=${line#"run: $prog "}
			if [[ $rest != *" leaked=0" ]]; then
				why="frames leaked"
				break
			fi
			matched=""
			for pattern in "${patterns[@]}"; do
				[[ ${rest% leaked=0} == $pattern ]] && matched=yes    # unquoted: a glob
			done
			if [ -z "$matched" ]; then
				why=$(printf "'%s' or " "${patterns[@]}")
				why="expected ${why% or }"
				break
			fi
		done
		if [ -z "$why" ]; then
			passed=$((passed + 1))
			continue
		fi
		failed=$((failed + 1))
		run_failures+="  FAIL $name: $prog: $why"$'\n'"      got: ${line:-nothing}"$'\n'
	done
	# The whole run must have given everything back, too.
	if printf '%s\n' "$verdict_text" | grep -qx 'run: done leaked=0'; then
		totals=1
	elif printf '%s\n' "$verdict_text" | grep -q '^run: done '; then
		totals=1
		failed=$((failed + 1))
		run_failures+="  FAIL $name: the run as a whole did not give everything back"$'\n'"      got: $(printf '%s\n' "$verdict_text" | grep '^run: done ')"$'\n'
	fi
}

if [ -n "$expect" ]; then
	check_runs
else
# Read the KTAP: case lines are indented four spaces; a top-level "not ok"
# with no suite (an unknown name) is a failure too.
read -r passed failed skipped totals < <(printf '%s\n' "$verdict_text" | awk '
	/^    ok [0-9]+ .*# SKIP/ { skip++; next }
	/^    ok [0-9]+ /         { pass++; next }
	/^    not ok [0-9]+ /     { fail++; next }
	/^not ok [0-9]+ .*# no such/ { fail++; next }
	/^# Totals: /             { totals = 1 }
	END { printf "%d %d %d %d\n", pass, fail, skip, totals }')
fi

# Show each failing case with the diagnostics printed before it.
show_failures() {
	if [ -n "$expect" ]; then
		printf '%s' "$run_failures"
		return
	fi
	printf '%s\n' "$verdict_text" | awk -v name="$name" '
		/^    KTAP version/     { diag = ""; next }
		/^    # Subtest: /      { suite = $3; diag = ""; next }
		/^    # /               { diag = diag "        " substr($0, 5) "\n"; next }
		/^    ok /              { diag = ""; next }
		/^    not ok [0-9]+ /   { printf "  FAIL %s: %s.%s\n%s", name, suite, $4, diag; diag = "" }
		/^not ok [0-9]+ .*# no such/ { printf "  FAIL %s: %s\n", name, $0 }'
}

reason=""
case "$mode" in
qemu-*)
	case $status in
	1) ;;                                   # the kernel said: all passed
	3) reason="the kernel reported failures" ;;
	0) reason="QEMU exited 0: the kernel reset (a triple fault?) or powered off without a verdict" ;;
	124|137) reason="timed out after ${timeout}s (a hang?)" ;;
	*) reason="QEMU exited with status $status" ;;
	esac
	;;
bochs)
	# A halted Bochs may ignore SIGTERM: timeout then kills it (status 137).
	case $status in 124|137) reason="timed out after ${timeout}s (a hang, or a triple fault: Bochs stops there)" ;; esac
	;;
esac
# GRUB goes on after an error (a module it could not load, out of
# memory), so an error it printed before the kernel started is a failure.
grub_error=$(printf '%s\n' "$console" |
	sed -n '/Cairn booting/q; /error: /{s/.*\(error: .*\)/\1/p;}' | head -1)
if [ -n "$grub_error" ]; then
	# Said first: a kernel GRUB could not load never ran (a timeout then
	# is GRUB waiting at its menu, not the kernel hanging).
	reason="GRUB said '$grub_error' before the kernel started${reason:+; $reason}"
fi
if [ -z "$reason" ] && [ "$totals" -eq 0 ]; then
	if [ -n "$expect" ]; then
		reason="the kernel never printed 'run: done leaked=N' (it crashed or stopped early)"
	else
		reason="the kernel never printed its '# Totals' line (it crashed or stopped early)"
	fi
fi
if [ -z "$reason" ] && [ "$failed" -gt 0 ]; then
	reason="$failed case(s) failed"
fi
if [ -z "$reason" ] && [ "$passed" -eq 0 ]; then
	reason="no test case ran"
fi

if [ -n "$reason" ]; then
	show_failures
	# A run that died before any case failed still counts as one failure.
	[ "$failed" -eq 0 ] && failed=1
	echo "  logs: $serial $verdicts $emulog"
	# The kernel's own report (on COM2 too once it is fatal), never a
	# program's output that looks like one.
	printf '%s\n' "$verdict_text" | grep -a -m1 -E '^\*\*\* (CPU exception|kernel panic)' | sed 's/^/  kernel said: /'
	echo "RESULT $name passed=$passed failed=$failed verdict=fail $reason (${elapsed}s)"
	exit 1
fi
echo "RESULT $name passed=$passed failed=0 verdict=pass (${elapsed}s)"
exit 0
