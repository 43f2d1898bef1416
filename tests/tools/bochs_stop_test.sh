#!/usr/bin/env bash
# Stopping make bochs stops Bochs (scripts/bochs.sh; make test runs
# this; TAP): after `timeout -s TERM`, a SIGTERM to make alone, and a
# Ctrl-C typed on its terminal, no bochs-bin of this test is left. Its
# Bochs are told from the others make test runs at the same time by
# their serial files, which no other run uses (BOCHS_LOGS).
#
# usage: tests/tools/bochs_stop_test.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
. scripts/lab-checks.sh
# make as a student types it: nothing from the make that runs the tests.
unset MAKEFLAGS MAKELEVEL ARGS GDBPORT
work=build/test/tools-bochs
rm -rf "$work"
mkdir -p "$work"
export TERM=${TERM:-xterm}      # Bochs draws its screen with curses

# The bochs-bin processes whose serial file is LOGS-serial.log.
bochs_of() {            # bochs_of LOGS
	local p
	for p in $(pgrep -x bochs-bin); do
		{ tr "\0" "\n" < "/proc/$p/environ"; } 2> /dev/null | grep -qxF "CAIRN_SERIAL=$1-serial.log" && echo "$p"
	done
}
# Waits up to SECONDS for Bochs with these LOGS to be running.
await_bochs() {         # await_bochs LOGS SECONDS
	local tenths=0
	while [ -z "$(bochs_of "$1")" ] && [ $tenths -lt $(($2 * 10)) ]; do
		sleep 0.1
		tenths=$((tenths + 1))
	done
	[ -n "$(bochs_of "$1")" ]
}
# Waits up to SECONDS for process PID to end.
await_end() {           # await_end PID SECONDS
	local tenths=0
	while kill -0 "$1" 2> /dev/null && [ $tenths -lt $(($2 * 10)) ]; do
		sleep 0.1
		tenths=$((tenths + 1))
	done
	! kill -0 "$1" 2> /dev/null
}
# The verdict on one way of stopping: Bochs ran, and none is left. A
# Bochs left over is killed, so that the test leaves none either.
verdict() {             # verdict WHAT LOGS RAN
	local left
	left=$(bochs_of "$2")
	if [ "$3" = yes ] && [ -z "$left" ]; then
		ok "$1: no bochs-bin left"
	elif [ "$3" != yes ]; then
		not_ok "$1: Bochs never started" "$2.out"
	else
		not_ok "$1: bochs-bin $left still running" "$2.out"
		kill -KILL $left 2> /dev/null
	fi
}

# timeout sends SIGTERM to make and its whole process group.
logs=$work/timeout
timeout -s TERM 5 make -s bochs BOCHS_LOGS="$logs" < /dev/null > "$logs.out" 2>&1 &
ran=no
await_bochs "$logs" 5 && ran=yes
wait $!
verdict "timeout -s TERM 5 make bochs" "$logs" $ran

# kill PID: SIGTERM to make only, which passes it on to its recipe.
logs=$work/term
setsid make -s bochs BOCHS_LOGS="$logs" < /dev/null > "$logs.out" 2>&1 &
make_pid=$!
ran=no
await_bochs "$logs" 15 && ran=yes
kill -TERM "$make_pid"
await_end "$make_pid" 5 || echo "# make still running 5 s after SIGTERM"
verdict "SIGTERM to make alone" "$logs" $ran
kill -KILL -- -"$make_pid" 2> /dev/null

# Ctrl-C on a terminal: script(1) gives make one; ^C typed there sends
# SIGINT to make, the script and Bochs. A background job (this test in
# make test, script here) starts with SIGINT ignored, and a shell cannot
# trap a signal ignored when it started: env gives it back its default.
logs=$work/ctrl-c
mkfifo "$work/keys"
env --default-signal=INT script -qfec "make -s bochs BOCHS_LOGS=$logs" /dev/null < "$work/keys" > "$logs.out" 2>&1 &
script_pid=$!
exec 3> "$work/keys"
ran=no
await_bochs "$logs" 15 && ran=yes
printf '\003' >&3
await_end "$script_pid" 5 || echo "# make still running 5 s after Ctrl-C"
exec 3>&-
verdict "Ctrl-C" "$logs" $ran
kill "$script_pid" 2> /dev/null

tap_end
