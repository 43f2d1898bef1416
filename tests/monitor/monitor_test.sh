#!/bin/sh
# The monitor (src/kernel/monitor.c), driven over COM1 as a student would
# type: every command, every kind of bad input, a command that faults
# and the monitor going on, line editing, and poweroff at the end. TAP.
# Needs build/kernel-test.elf and build/user/hello.elf (make all).
cd "$(dirname "$0")/../.." || exit 1
. tests/host/tap.sh
. tests/monitor/serial.sh

kernel=build/kernel-test.elf
check() {       # check NAME COMMAND...: a case passes when COMMAND does
	name=$1
	shift
	if "$@"; then ok "$name"; else { echo "reply was:"; cat "$TMP/reply"; } > "$TMP/why"; not_ok "$name"; fi
}
# A field of the reply: the number after WORD ("42 total" -> total).
num() {
	grep -oE "[0-9]+ $1" "$TMP/reply" | head -1 | cut -d' ' -f1
}

boot_monitor "$kernel" -initrd 'build/user/hello.elf hello' || { not_ok "boots to the cairn> prompt"; echo "1..$n"; exit 1; }
ok "boots to the cairn> prompt"

cmd help
for c in help e820 frames alloc free vm pd maps heap kmalloc kfree peek run ps irq test reboot poweroff; do
	check "help has a line for $c" reply_has "^  $c "
done

cmd e820
tr -d '\r' < "$TMP/log" | grep '^e820: ' | head -n "$(wc -l < "$TMP/reply")" > "$TMP/boot-e820"
check "e820 prints the map the boot printed" cmp -s "$TMP/boot-e820" "$TMP/reply"

# frames: the books balance, before and after alloc and free.
balanced() {
	[ $(( $(num free) + $(num promised) + $(num handed) )) -eq "$(num total)" ] &&
	[ $(( $(num on) + $(num in) )) -eq $(( $(num free) + $(num promised) )) ]
}
cmd frames
check "frames: free + promised + handed out = total; stack + reservoir = free + promised" balanced
out0=$(num handed)
cmd "alloc 2"
check "alloc 2 takes two frames" [ "$(grep -c '^alloc: frame 0x[0-9a-f]* at 0x[0-9a-f]*000$' "$TMP/reply")" -eq 2 ]
pfn=$(sed -n 's/^alloc: frame \(0x[0-9a-f]*\) .*/\1/p' "$TMP/reply" | head -1)
cmd frames
check "frames counts the two as handed out" [ "$(num handed)" -eq $((out0 + 2)) ]
cmd "free $pfn"
check "free gives an allocated frame back" reply_has "^free: frame $pfn at 0x[0-9a-f]+ is free again$"
cmd frames
before=$(cat "$TMP/reply")
check "frames: one less handed out, one on the stack" [ "$(num handed)" -eq $((out0 + 1)) ] && [ "$(num on)" -ge 1 ]
cmd "free $pfn"
check "a double free gets the PMM's own refusal" reply_has "^pmm: refused to free 0x[0-9a-f]+ \(double free: already free\), called from 0x"
cmd "free 0x50"
check "a frame below 1 MiB gets the PMM's refusal" reply_has "^pmm: refused to free 0x00050000 \(below 1 MiB"
cmd frames
check "refused frees changed nothing" [ "$(cat "$TMP/reply")" = "$before" ]
cmd "free"
check "free without a frame asks for one" reply_has "^free: which frame\?"
cmd "alloc 65"
check "alloc 65 is too many" reply_has "^alloc: 65 is too large \(at most 64"
cmd "alloc x1"
check "alloc x1: not a number" reply_has "^alloc: 'x1' is not a number"

# vm: a kernel text address walks to the physical address the image was
# loaded at (kernel_virt_to_phys: minus 0xC0000000).
kmain=$(nm "$kernel" | awk '$3 == "kmain" { print $1 }')
kmain_pa=$(printf '0x%08x' $((0x$kmain - 0xC0000000)))
cmd "vm 0x$kmain"
check "vm of kmain: kernel text" reply_has "^vm 0x$kmain: kernel text; directory at 0x[0-9a-f]{8} \(CR3\)$"
check "vm of kmain: directory entry $((0x$kmain >> 22)), read at 0xfffffc00 + 4 i" \
	reply_has "^  pde $((0x$kmain >> 22)) at 0x$(printf '%08x' $((0xFFFFF000 + (0x$kmain >> 22) * 4))): 0x[0-9a-f]{8} present writable supervisor"
check "vm of kmain: a read-only table entry" \
	reply_has "^  pte $(( (0x$kmain >> 12) & 1023 )) at 0x[0-9a-f]{8}: 0x[0-9a-f]{8} present read-only supervisor"
check "vm of kmain: physical = virtual - 0xC0000000" reply_has "^  physical $kmain_pa$"
cmd "vm 0"
check "vm 0: the directory entry is not present, and the walk stops" \
	sh -c "grep -qE '^  pde 0 at 0xfffff000: 0x00000000 not present: nothing mapped at 0x00000000$' $TMP/reply && ! grep -q physical $TMP/reply"
cmd "vm 0xc0800000"
check "vm of an unmapped kernel address stops at its table entry" reply_has "^  pte 0 at 0xfff02000: 0x[0-9a-f]{8} not present"
dir=$(sed -n 's/.*directory at \(0x[0-9a-f]*\) (CR3)$/\1/p' "$TMP/reply")
cmd "vm 0xfffff000"
check "vm of the recursive directory address reaches the directory itself" reply_has "^  physical $dir$"
cmd "vm"
check "vm without an address asks for one" reply_has "^vm: which address\?"
cmd "vm 0x1ffffffff"
check "vm of a 33-bit number: too large" reply_has "^vm: 0x1ffffffff is too large"

cmd pd
check "pd: the kernel half's tables are present, supervisor" reply_has "^  pde  768-1022  0xc0000000-0xffbfffff  supervisor writable$"
check "pd: the recursive slot is labelled" reply_has "^  pde 1023-1023  0xffc00000-0xffffffff  supervisor writable  the recursive slot: the directory itself$"
cmd maps
check "maps: kernel text read-only" reply_has "^  0xc0101000-0x[0-9a-f]{8} +[0-9]+ pages  read-only supervisor  kernel text$"
check "maps: kernel data writable" reply_has "  writable supervisor  kernel data$"
check "maps: the PMM's stack and bitmap" reply_has "  writable supervisor  the frame allocator's stack, bitmap and owner counts$"
check "maps: the recursive region" reply_has "^  0xfff00000-0xffffffff +256 pages  writable supervisor  the page tables \(recursive mapping\)$"
check "maps: its total counts its lines" \
	[ "$(grep -c '^  0x' "$TMP/reply")" -eq "$(sed -n 's/^maps: [0-9]* pages mapped in \([0-9]*\) runs$/\1/p' "$TMP/reply")" ]

cmd "kmalloc 100"
check "kmalloc 100: a 16-byte-aligned block of 112" reply_has "^kmalloc: 0x[0-9a-f]{7}0, 100 bytes \(block of 112\)$"
p=$(sed -n 's/^kmalloc: \(0x[0-9a-f]*\),.*/\1/p' "$TMP/reply")
cmd "vm 0xd0000000"
heap_pfn=$(sed -n 's/^  physical 0x\([0-9a-f]*\)[0-9a-f]\{3\}$/0x\1/p' "$TMP/reply")
cmd "free $heap_pfn"
check "free of the kernel heap's frame is refused: the kernel's" \
	reply_has "^free: refused: frame 0x[0-9a-f]+ is in use by the kernel, not one alloc gave$"
cmd heap
check "heap lists the block as used" reply_has "^  $p +112  used$"
check "heap: totals, largest free, fragmentation" \
	reply_has "^heap: [0-9]+ blocks: [0-9]+ used \([0-9]+ bytes\), [0-9]+ free \([0-9]+ bytes\); largest free [0-9]+; fragmentation [0-9]+\.[0-9]%$"
cmd "kfree $(printf '0x%x' $((p + 16)))"
check "kfree inside a block is refused" reply_has "^kfree: refused: 0x[0-9a-f]+ is inside the block at $p, not at its start$"
cmd "kfree $p"
check "kfree of kmalloc's block frees it" reply_has "^kfree: $p freed \(block of 112\)$"
cmd "kfree $p"
check "kfree twice is refused: a free block" reply_has "^kfree: refused: $p is a free block"
cmd "kfree 0x1234"
check "kfree of a non-heap address is refused" reply_has "^kfree: refused: 0x00001234 is not a block of the kernel heap$"
cmd "kmalloc"
check "kmalloc without a size asks for one" reply_has "^kmalloc: how many bytes\?"

cmd "peek 0"
check "peek 0 faults, and the fault is reported, not fatal" \
	reply_has "^peek: the command faulted: page fault: read at 0x00000000: not present \(the null page\)$"
cmd "peek 0x$kmain"
check "the monitor goes on after a fault" reply_has "^peek: 0x$kmain: 0x[0-9a-f]{8}$"
cmd "bogus 1 2"
check "an unknown command says so" reply_has "^unknown command 'bogus': type help for the list$"
cmd "frames extra"
check "an argument to a command that takes none is refused" reply_has "^frames: takes no argument"

# Line editing: Ctrl-U kills "xyz"; Backspace and DEL rub out; other
# control characters are ignored.
cmd "$(printf 'xyz\025fra\033mq\bes\177s')"
check "line editing: Ctrl-U, Backspace, DEL; Escape ignored" reply_has "^frames: [0-9]+ total"
cmd ""
check "an empty line prints nothing" [ ! -s "$TMP/reply" ]

cmd ps
check "ps: no processes between programs" reply_has "^ps: no processes$"
cmd "run hello"
check "run hello prints its run line" reply_has "^run: hello exit=0 leaked=0$"
cmd "run nosuch"
check "run of a program that is not loaded says so" reply_has "^run: no program named 'nosuch'; loaded: hello$"
cmd "test boot"
check "test boot runs the suite in the test kernel" reply_has "^ok 1 boot$"
check "test boot: no case failed" reply_has "^test: 0 cases failed$"

cmd_exit poweroff
status=$?
check "poweroff leaves QEMU with the pass status (1)" [ "$status" -eq 1 ]

# The PS/2 keyboard, by interrupt: QEMU's own monitor (a second pair of
# FIFOs) types "frames" and Enter with sendkey; the kernel echoes the
# keys on the console and runs the command.
rm -f "$TMP/serial.in" "$TMP/serial.out"
mkfifo "$TMP/qmon.in" "$TMP/qmon.out"
prompts=0
boot_monitor "$kernel" -monitor "pipe:$TMP/qmon" || not_ok "boots again, with QEMU's monitor on a pipe"
exec 4> "$TMP/qmon.in"
cat "$TMP/qmon.out" > /dev/null &
for key in f r a m e s ret; do
	printf 'sendkey %s\n' "$key" >&4
done
wait_prompt $((prompts + 1))
tr -d '\r' < "$TMP/log" | awk -v n="$prompts" 'BEGIN { RS = "cairn> " } NR == n { print }' > "$TMP/reply"
check "keys typed on the PS/2 keyboard run a command" reply_has "^frames: [0-9]+ total"
cmd irq
# Seven keys, pressed and released: fourteen bytes, an interrupt each.
check "the keys came by interrupt (IRQ 1), one per byte" reply_has "^irq: timer [0-9]+, keyboard 14, spurious 0$"
exec 4>&-
stop_qemu

# reboot resets the machine: without -no-reboot, QEMU boots the kernel
# again, to a second prompt.
rm -f "$TMP/serial.in" "$TMP/serial.out"
prompts=0
NO_REBOOT= boot_monitor "$kernel" || not_ok "boots a third time"
printf 'reboot\n' >&3
wait_prompt $((prompts + 1))
check "reboot resets the machine, which boots again to the prompt" \
	[ "$(tr -d '\r' < "$TMP/log" | grep -c '^Cairn booting')" -eq 2 ]
stop_qemu
echo "1..$n"
[ "$failed" -eq 0 ]
