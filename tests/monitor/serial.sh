# Drives the monitor over COM1 for tests/monitor/*_test.sh, which source
# it after tests/host/tap.sh ($TMP, ok, not_ok). QEMU's serial port is a
# pair of FIFOs (-serial pipe:): the test writes a command, waits for the
# next "cairn> " prompt, and reads what came between.
#
#   boot_monitor KERNEL [QEMU ARGS...]   boots with `monitor`, waits for the prompt
#                                        (NO_REBOOT= lets a reset boot again)
#   cmd LINE                             runs LINE; the reply is in $TMP/reply
#   reply_has ERE / reply_lacks ERE      grep -E on the reply
#   stop_qemu                            ends QEMU if it still runs

QEMU_PID=
prompts=0

boot_monitor() {
	local kernel=$1
	shift
	mkfifo "$TMP/serial.in" "$TMP/serial.out" || exit 1
	qemu-system-i386 -m 128M ${NO_REBOOT--no-reboot} -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-display none -kernel "$kernel" -append monitor -serial "pipe:$TMP/serial" "$@" &
	QEMU_PID=$!
	exec 3> "$TMP/serial.in"
	cat "$TMP/serial.out" > "$TMP/log" &  # cat: unbuffered, tr would hold it back
	trap 'stop_qemu; [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
	wait_prompt 1
}

# Waits (10 s at most) until the log holds n prompts.
wait_prompt() {
	local n=$1 tries=0
	while [ "$(grep -o 'cairn> ' "$TMP/log" | wc -l)" -lt "$n" ]; do
		tries=$((tries + 1))
		if [ "$tries" -gt 1000 ] || ! kill -0 "$QEMU_PID" 2>/dev/null; then
			echo "# no prompt number $n; the log ends:"
			tail -5 "$TMP/log" | sed 's/^/#   /'
			return 1
		fi
		sleep 0.01
	done
	prompts=$n
}

# The reply to the last command: the lines after its echo, before the
# next prompt.
cmd() {
	printf '%s\n' "$1" >&3
	wait_prompt $((prompts + 1)) || return 1
	tr -d '\r' < "$TMP/log" | awk -v n="$prompts" 'BEGIN { RS = "cairn> " } NR == n { print }' |
		sed '1d;$d' > "$TMP/reply"
}

reply_has() {
	grep -qE -- "$1" "$TMP/reply"
}

reply_lacks() {
	! grep -qE -- "$1" "$TMP/reply"
}

stop_qemu() {
	[ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null
	wait "$QEMU_PID" 2>/dev/null
	QEMU_PID=
}

# Sends LINE, which should end the machine: waits (10 s at most) for
# QEMU to exit, and returns its exit status.
cmd_exit() {
	printf '%s\n' "$1" >&3
	local tries=0
	while kill -0 "$QEMU_PID" 2>/dev/null && [ "$tries" -lt 200 ]; do
		tries=$((tries + 1))
		sleep 0.05
	done
	wait "$QEMU_PID"
	local status=$?
	QEMU_PID=
	return "$status"
}
