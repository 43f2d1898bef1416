#!/usr/bin/env bash
# `make bochs`: boots an ISO in Bochs (scripts/bochsrc), its text screen
# in this terminal, and makes sure that stopping it stops Bochs.
#
# Bochs ignores SIGTERM, and Ctrl-C only drops it into its debugger, so
# neither `timeout` nor a Ctrl-C that ends make would end it: bochs-bin
# would run on, orphaned, at full speed. Here Bochs runs as this
# script's child, and on SIGINT, SIGTERM or SIGHUP (make passes its
# SIGTERM on to the script) the script sends it SIGHUP, which it obeys,
# then SIGKILL if it is still there after two seconds, and waits for it.
#
# usage: scripts/bochs.sh ISO LOGS   (Bochs writes LOGS-serial.log,
#        LOGS-verdicts.log and LOGS.log)
set -u
iso=${1:?usage: scripts/bochs.sh ISO LOGS}
logs=${2:?usage: scripts/bochs.sh ISO LOGS}
cd "$(dirname "$0")/.." || exit 2
mkdir -p "$(dirname "$logs")"
echo "Bochs: serial output goes to $logs-serial.log, its log to $logs.log"

bochs=""
stop_bochs() {          # stop_bochs STATUS
	local tenths=0
	[ -n "$bochs" ] || exit "$1"
	kill -HUP "$bochs" 2> /dev/null
	while kill -0 "$bochs" 2> /dev/null && [ $tenths -lt 20 ]; do
		sleep 0.1
		tenths=$((tenths + 1))
	done
	kill -KILL "$bochs" 2> /dev/null
	wait "$bochs" 2> /dev/null
	# Bochs draws with curses; a killed one leaves the terminal raw.
	[ -t 0 ] && stty sane
	exit "$1"
}

trap 'stop_bochs 130' INT
trap 'stop_bochs 143' TERM
trap 'stop_bochs 129' HUP
# In the background, so that the traps run at once, not when Bochs has
# ended; `<&0` keeps the terminal as its input (a background command's
# would be /dev/null). The wrapper `bochs` execs bochs-bin: $! is its pid.
CAIRN_ISO=$iso CAIRN_SERIAL=$logs-serial.log CAIRN_VERDICTS=$logs-verdicts.log \
	CAIRN_BOCHS_LOG=$logs.log bochs -q -f scripts/bochsrc -rc scripts/bochs-continue <&0 &
bochs=$!
wait "$bochs"
