#!/bin/sh
# The GDB commands (scripts/cairn-gdb.py) against the monitor: the
# monitor prints e820, frames, vm, pd, maps, heap and ps over COM1, then
# gdb attaches to the same QEMU, stopped at the prompt, and each cairn-
# command must print the very same lines. Then two stops the monitor
# cannot see: a page fault caught in the middle (at trap_dispatch), and a
# user program in a system call (sys_write), whose own ranges cairn-maps
# names. TAP. Needs build/kernel.elf and build/user/hello.elf.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/tap.sh
. tests/monitor/serial.sh

kernel=build/kernel.elf
port=$((20000 + $$ % 20000))    # per run: parallel tasks do not collide
check() {
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

boot_monitor "$kernel" -initrd 'build/user/hello.elf hello' -gdb "tcp:127.0.0.1:$port" ||
	{ not_ok "boots to the cairn> prompt"; echo "1..$n"; exit 1; }
ok "boots to the cairn> prompt"
cmd "test"
check "test in the plain kernel says where the tests are" \
	reply_has "^test: this kernel has no tests: build/kernel-test.elf has them \(make ktest\)$"

# Some state worth comparing: frames taken and given, a hole in the heap.
cmd "alloc 3"
cmd "free $(sed -n 's/^alloc: frame \(0x[0-9a-f]*\) .*/\1/p' "$TMP/reply" | sed -n 2p)"
cmd "kmalloc 100"
first=$(sed -n 's/^kmalloc: \(0x[0-9a-f]*\),.*/\1/p' "$TMP/reply")
cmd "kmalloc 200"
cmd "kfree $first"

gdb_cmds=""
# maps first: reading the tables through the recursive mapping sets the
# accessed bit of each directory entry it reads as a table entry, so a
# vm printed before maps would differ from gdb's, later, in that bit.
for pair in "maps:cairn-maps" "e820:cairn-e820" "frames:cairn-frames" "pd:cairn-pd" \
	"heap:cairn-heap" "ps:cairn-ps" "vm 0xc0101000:cairn-walk 0xc0101000" \
	"vm 0:cairn-walk 0" "vm 0xc0800000:cairn-walk 0xc0800000" "vm 0xfffff000:cairn-walk 0xfffff000" \
	"vm $first:cairn-walk $first"; do
	mon=${pair%%:*}
	cmd "$mon"
	cp "$TMP/reply" "$TMP/mon.$(echo "$mon" | tr ' ' _)"
	gdb_cmds="$gdb_cmds -ex 'echo ==== $(echo "$mon" | tr ' ' _)\\n' -ex '${pair#*:}'"
done

# Attaching stops the CPU where it waits for the next line.
eval gdb -batch -nx -ex "'symbol-file $kernel'" -ex "'source scripts/cairn-gdb.py'" \
	-ex "'target remote 127.0.0.1:$port'" $gdb_cmds -ex "'echo ==== end\\n'" > "$TMP/gdb.out" 2>&1
for f in "$TMP"/mon.*; do
	mon=${f#"$TMP"/mon.}
	awk -v m="==== $mon" '$0 == m { on = 1; next } /^==== / { on = 0 } on' "$TMP/gdb.out" > "$TMP/gdb.$mon"
	if [ -s "$f" ] && cmp -s "$f" "$TMP/gdb.$mon"; then
		ok "gdb's output is the monitor's: $(echo "$mon" | tr _ ' ')"
	else
		diff "$f" "$TMP/gdb.$mon" > "$TMP/why"
		[ -s "$f" ] || echo "the monitor printed nothing" >> "$TMP/why"
		not_ok "gdb's output is the monitor's: $(echo "$mon" | tr _ ' ')"
	fi
done

# Stopped in the middle of a page fault: peek 0 is typed once gdb waits at
# trap_dispatch; the walk reads the tables from CR3 all the same.
(sleep 0.5; printf 'peek 0\n' >&3) &
gdb -batch -nx -ex "symbol-file $kernel" -ex "source scripts/cairn-gdb.py" \
	-ex "target remote 127.0.0.1:$port" -ex "break trap_dispatch if tf->vector == 14" -ex "continue" \
	-ex "print/x tf->vector" -ex "cairn-walk 0" -ex "cairn-frames" -ex "delete" > "$TMP/fault.out" 2>&1
check "stopped at trap_dispatch for the page fault (vector 0xe)" grep -q '^\$1 = 0xe$' "$TMP/fault.out"
check "cairn-walk works mid-fault" grep -q '^  pde 0 at 0xfffff000: 0x00000000 not present: nothing mapped at 0x00000000$' "$TMP/fault.out"
cmp -s "$TMP/mon.frames" "$(grep '^frames: ' "$TMP/fault.out" > "$TMP/fault.frames"; echo "$TMP/fault.frames")"
check "cairn-frames mid-fault: the books as the monitor printed them" [ $? -eq 0 ]

# Stopped in a user program's system call: its address space is current.
wait_prompt $((prompts + 1))
(sleep 0.5; printf 'run hello\n' >&3) &
gdb -batch -nx -ex "symbol-file $kernel" -ex "source scripts/cairn-gdb.py" \
	-ex "target remote 127.0.0.1:$port" -ex "break sys_write" -ex "continue" \
	-ex "cairn-ps" -ex "cairn-maps" -ex "cairn-walk 0x08048000" -ex "delete" > "$TMP/user.out" 2>&1
check "cairn-ps: hello is running" grep -qE '^ +[0-9]+ +0  running   hello$' "$TMP/user.out"
check "cairn-maps: the program's text, read-only user" grep -qE '^  0x08048000-0x[0-9a-f]{8} +[0-9]+ pages? +read-only user  program text$' "$TMP/user.out"
check "cairn-maps: its stack, writable user" grep -qE '^  0xbfff0000-0xbfffffff +16 pages  writable user  the stack$' "$TMP/user.out"
check "cairn-walk: a user directory entry" grep -qE '^  pde 32 at 0xfffff080: 0x[0-9a-f]{8} present writable user' "$TMP/user.out"
wait_prompt $((prompts + 1))
check "the monitor goes on: hello ran to its end" grep -q '^run: hello exit=0' "$TMP/log"
cmd_exit poweroff
echo "1..$n"
[ "$failed" -eq 0 ]
