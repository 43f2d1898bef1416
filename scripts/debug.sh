#!/usr/bin/env bash
# `make debug`: QEMU stopped at the first instruction with its GDB stub,
# and gdb attached to it with the kernel's symbols and a break at kmain.
#
# On a shared lab machine every user's QEMU needs a port of its own, and
# gdb must never attach to somebody else's. So the port is the user's
# own, 26000 + uid % 5000 (as xv6 does it; below the ephemeral ports,
# 32768 up), or GDBPORT; the stub listens on 127.0.0.1 only; and the
# script stops, in one line, if anything listens on the port already,
# or if QEMU cannot open it (someone took it in between): QEMU starts
# with -daemonize, which returns only once the stub is listening, or
# fails. gdb is started only then, so it can only reach this QEMU.
#
# usage: scripts/debug.sh KERNEL.elf SERIAL-LOG QEMU [QEMU-OPTIONS...]
#        scripts/debug.sh --port      prints the port it would use
# environment: GDBPORT (a port from 1024 to 65535), GDB (default gdb),
#              CAIRN_ARGS (the kernel's command line: make's ARGS, as typed)
set -u

# The port: GDBPORT, else this user's own.
gdb_port() {
	local port=${GDBPORT:-$((26000 + $(id -u) % 5000))}
	if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then
		echo "make debug: GDBPORT=$port is not a port from 1024 to 65535" >&2
		return 1
	fi
	echo "$port"
}

# True if some program (anyone's) listens on TCP port PORT.
port_taken() {          # port_taken PORT
	[ -n "$(ss -Hltn "sport = :$1")" ]
}

port=$(gdb_port) || exit 2
if [ "${1-}" = --port ]; then
	echo "$port"
	exit 0
fi
[ $# -ge 3 ] || { echo "usage: scripts/debug.sh KERNEL.elf SERIAL-LOG QEMU [QEMU-OPTIONS...]" >&2; exit 2; }
kernel=$1 serial=$2
shift 2

where="(26000 + uid $(id -u) % 5000)"
[ -n "${GDBPORT-}" ] && where="(GDBPORT)"
if port_taken "$port"; then
	echo "make debug: GDB port $port $where is taken (someone else's QEMU?); choose another: make debug GDBPORT=N" >&2
	exit 1
fi

mkdir -p "$(dirname "$serial")"
pidfile=$serial.qemu-pid
rm -f "$pidfile"
# QEMU is no child of this script (-daemonize): it is waited for by
# asking, for up to two seconds.
stop_qemu() {
	local pid tenths=0
	pid=$(cat "$pidfile" 2> /dev/null) || return 0
	kill "$pid" 2> /dev/null
	while kill -0 "$pid" 2> /dev/null && [ $tenths -lt 20 ]; do
		sleep 0.1
		tenths=$((tenths + 1))
	done
	rm -f "$pidfile"
}
# On any way out (gdb quit, SIGTERM from make), QEMU goes too. Ctrl-C
# is gdb's, to stop the kernel: bash waits for gdb, which lives on.
trap stop_qemu EXIT

# -daemonize: the command returns once QEMU is set up, its stub
# listening, or fails with QEMU's reason (the port taken, say).
if ! qemu_error=$("$@" -kernel "$kernel" -append "${CAIRN_ARGS-}" -serial "file:$serial" \
		-display none -gdb "tcp:127.0.0.1:$port" -S -daemonize -pidfile "$pidfile" 2>&1); then
	echo "make debug: QEMU did not start, GDB port $port $where: ${qemu_error//$'\n'/ }" >&2
	exit 1
fi
echo "QEMU's GDB stub: 127.0.0.1:$port $where; its serial output: $serial; quitting gdb stops QEMU"
# scripts/cairn-gdb.py: the cairn-* commands (docs/09-looking-inside.md).
"${GDB:-gdb}" -q -x "$(dirname "$0")/cairn-gdb.py" -ex "target remote 127.0.0.1:$port" -ex "symbol-file $kernel" \
	-ex 'break kmain' -ex 'continue'
