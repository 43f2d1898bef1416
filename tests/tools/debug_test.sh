#!/usr/bin/env bash
# make debug on a shared machine (scripts/debug.sh; make test runs this;
# TAP): the GDB port is the user's own or GDBPORT; a port someone listens
# on, or one QEMU cannot open, stops it in one line before QEMU, or gdb,
# starts; and a real session reaches kmain with ARGS intact (its `$`
# too), and leaves no QEMU behind. The ports it takes are free ones the
# system picks, never the user's own, which a real session may hold.
#
# usage: tests/tools/debug_test.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
. scripts/lab-checks.sh
# make as a student types it: nothing from the make that runs the tests.
unset MAKEFLAGS MAKELEVEL ARGS GDBPORT
work=build/test/tools-debug
rm -rf "$work"
mkdir -p "$work"

holders=()
trap 'for p in "${holders[@]}"; do kill "$p" 2> /dev/null; done' EXIT

# take_port listen|bind: a socket on 127.0.0.1, on a port the system
# picks, held until the test ends (listening, or only bound, as a
# program that is about to listen is); sets $taken to the port. (Not
# printed: in $(...) the holder's pid would not reach $holders.)
take_port() {
	local file=$work/port-$1
	python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
if sys.argv[1] == "listen":
    s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(120)' "$1" > "$file" &
	holders+=($!)
	while [ ! -s "$file" ]; do sleep 0.05; done
	taken=$(cat "$file")
}
# A port free a moment ago.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# A stand-in for QEMU or gdb that only says it ran.
stand_in() {            # stand_in NAME
	printf '#!/bin/sh\ntouch "$0.ran"\n' > "$work/$1"
	chmod +x "$work/$1"
	echo "$work/$1"
}
# no_qemu_on PORT: no QEMU's stub is on PORT (anyone's QEMU would show
# its tcp:127.0.0.1:PORT; the test's own ports are the system's picks).
no_qemu_on() { ! pgrep -f -- "-gdb tcp:127.0.0.1:$1 " > /dev/null && [ -z "$(ss -Hltn "sport = :$1")" ]; }

# ------------------------------------------------------------- the port
uid=$(id -u)
port=$(env -u GDBPORT scripts/debug.sh --port)
[ "$port" = $((26000 + uid % 5000)) ] &&
	ok "the port is the user's own: 26000 + uid $uid % 5000 = $port" ||
	not_ok "the port for uid $uid is $port, not 26000 + uid % 5000"
[ "$(GDBPORT=27123 scripts/debug.sh --port)" = 27123 ] &&
	ok "GDBPORT=27123 chooses port 27123" || not_ok "GDBPORT=27123 is not the port used"
for bad in 80 65536 abc; do
	GDBPORT=$bad scripts/debug.sh --port > "$work/bad-$bad.out" 2>&1
	status=$?
	if [ $status -ne 0 ] && [ "$(cat "$work/bad-$bad.out")" = "make debug: GDBPORT=$bad is not a port from 1024 to 65535" ]; then
		ok "GDBPORT=$bad is refused in one line"
	else
		not_ok "GDBPORT=$bad is not refused (status $status)" "$work/bad-$bad.out"
	fi
done

# ------------------------------------------------------ a port in use
# Someone listens: one line, and no QEMU started.
take_port listen
qemu=$(stand_in fake-qemu)
make -s debug GDBPORT="$taken" QEMU="$qemu" DEBUG_LOG="$work/taken.serial" < /dev/null > "$work/taken.out" 2>&1
status=$?
if [ $status -ne 0 ] && [ ! -e "$qemu.ran" ] && [ "$(grep -c '^make debug:' "$work/taken.out")" -eq 1 ] &&
	grep -q "^make debug: GDB port $taken (GDBPORT) is taken (someone else's QEMU?); choose another: make debug GDBPORT=N\$" "$work/taken.out"; then
	ok "a port someone listens on: one line saying so, and no QEMU started"
else
	not_ok "a port someone listens on (status $status, QEMU $([ -e "$qemu.ran" ] && echo started || echo 'not started'))" "$work/taken.out"
fi

# Someone has it bound, not yet listening: the check lets it through, so
# QEMU itself must refuse to share, and gdb must not start.
take_port bind
bound=$taken
gdb=$(stand_in fake-gdb)
make -s debug GDBPORT="$bound" GDB="$gdb" DEBUG_LOG="$work/bound.serial" < /dev/null > "$work/bound.out" 2>&1
status=$?
if [ $status -ne 0 ] && [ ! -e "$gdb.ran" ] && [ "$(grep -c '^make debug:' "$work/bound.out")" -eq 1 ] &&
	grep -q "^make debug: QEMU did not start, GDB port $bound (GDBPORT): .*Address already in use" "$work/bound.out" &&
	no_qemu_on "$bound"; then
	ok "a port QEMU cannot open: QEMU's reason in one line, and no gdb started"
else
	not_ok "a port QEMU cannot open (status $status, gdb $([ -e "$gdb.ran" ] && echo started || echo 'not started'))" "$work/bound.out"
fi

# ------------------------------------------------------ real sessions
# gdb stops at kmain, then reads its commands from the input: a walk of
# kmain's own address with the cairn-* commands make debug loads, then
# "continue" lets the kernel boot to poweroff, so the serial log holds
# its line.
port=$(free_port)
printf 'cairn-walk kmain\ncontinue\n' | timeout 60 make -s debug GDBPORT="$port" ARGS='memmap=1M$0x400000 poweroff' \
	DEBUG_LOG="$work/session.serial" > "$work/session.out" 2>&1
kmain=$(nm build/kernel.elf | awk '$3 == "kmain" { print $1 }')
if grep -qE "^(\(gdb\) )?vm 0x$kmain: kernel text; directory at 0x[0-9a-f]+ \(CR3\)" "$work/session.out" &&
	! grep -qE 'Traceback|Undefined command|Python Exception' "$work/session.out"; then
	ok "make debug loads the cairn-* commands: cairn-walk kmain walks kernel text"
else
	not_ok "make debug did not load the cairn-* commands" "$work/session.out"
fi
if grep -q '^Breakpoint 1, kmain' "$work/session.out" &&
	grep -qF 'command line: "memmap=1M$0x400000 poweroff")' "$work/session.serial"; then
	ok "make debug ARGS='memmap=1M\$0x400000 poweroff': gdb stops at kmain, the kernel gets its \$"
else
	not_ok "make debug ARGS='memmap=1M\$0x400000 poweroff'" "$work/session.out"
	sed 's/^/#   serial: /' "$work/session.serial" 2> /dev/null | head -3
fi

# gdb quits at once after kmain (no input): QEMU, paused there, must go.
port=$(free_port)
timeout 60 make -s debug GDBPORT="$port" DEBUG_LOG="$work/quit.serial" < /dev/null > "$work/quit.out" 2>&1
if grep -q '^Breakpoint 1, kmain' "$work/quit.out" && no_qemu_on "$port"; then
	ok "quitting gdb stops its QEMU"
else
	not_ok "quitting gdb (QEMU on port $port: $(no_qemu_on "$port" && echo gone || echo 'still there'))" "$work/quit.out"
fi

tap_end
