#!/usr/bin/env bash
# Each chapter's demo (src/kernel/demo.c), booted as a reader boots it:
# build/cairn.iso through GRUB, the chapter's number pressed at the menu
# (its entry's --hotkey), and what the demo printed checked against what
# it must say: the lines that carry the chapter's point, and that its
# numbers agree with each other and with the boot's. TAP; make test runs
# one chapter per task.
#
# usage: tests/demos/demo_test.sh N          chapter N's entry (1 to 9)
#        tests/demos/demo_test.sh unknown    demo= with a name no demo has
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/host/tap.sh
what=${1:?usage: tests/demos/demo_test.sh 1..9|unknown}
iso=build/cairn.iso
kernel=build/kernel.elf
qemu=

stop_qemu() {
	[ -n "$qemu" ] && kill "$qemu" 2> /dev/null
	[ -n "$qemu" ] && wait "$qemu" 2> /dev/null
	qemu=
}
trap 'stop_qemu; rm -rf "$TMP"' EXIT

# The console as text: no CRs, no ANSI escapes (GRUB draws its menu).
console() {
	tr -d '\r' < "$TMP/log" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g'
}

# Waits (60 s at most: under make test, other jobs share the CPU) until the
# console holds TEXT.
wait_for() {            # wait_for TEXT
	local tries=0
	until console | grep -qF -- "$1"; do
		tries=$((tries + 1))
		if [ "$tries" -gt 600 ] || ! kill -0 "$qemu" 2> /dev/null; then
			{ echo "no '$1' on the console; it ends:"; console | tail -5; } >> "$TMP/why"
			return 1
		fi
		sleep 0.1
	done
}

# Boots QEMU with the serial port on a pair of FIFOs (3 writes to it).
boot() {                # boot QEMU-ARGS...
	rm -f "$TMP/serial.in" "$TMP/serial.out"
	mkfifo "$TMP/serial.in" "$TMP/serial.out" || exit 2
	qemu-system-i386 -m 128M -no-reboot -display none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-serial "pipe:$TMP/serial" "$@" 2> "$TMP/qemu.err" &
	qemu=$!
	exec 3> "$TMP/serial.in"
	: > "$TMP/log"
	cat "$TMP/serial.out" > "$TMP/log" &
}

# ------------------------------------------------------------- demo=nosuch
if [ "$what" = unknown ]; then
	boot -kernel "$kernel" -append "demo=nosuch poweroff"
	wait_for "poweroff: " || true
	stop_qemu
	# Every name GRUB's menu boots must be among those listed.
	known=$(console | sed -n "s/^cmdline: 'demo=nosuch' ignored: no such value; known: //p")
	if [ "$(console | grep -c "^cmdline: 'demo=nosuch'")" -eq 1 ] && [ -n "$known" ]; then
		ok "demo=nosuch is refused in one line that lists the names"
	else
		console | grep "demo" > "$TMP/why"
		not_ok "demo=nosuch is refused in one line that lists the names"
	fi
	for name in $(sed -n 's/.*multiboot .* demo=\([a-z]*\).*/\1/p' grub.cfg); do
		if [[ " $known " == *" $name "* ]]; then
			ok "the line lists $name, which GRUB's menu boots"
		else
			echo "known: $known" > "$TMP/why"
			not_ok "the line lists $name, which GRUB's menu boots"
		fi
	done
	follow_up "and no demo runs" sh -c "! tr -d '\r' < '$TMP/log' | grep -q '^demo: '"
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit
fi

# ------------------------------------------------------------- chapter N
chapter=$what
case "$chapter" in [1-9]) ;; *) echo "usage: tests/demos/demo_test.sh 1..9|unknown" >&2; exit 2 ;; esac

# The entry, as grub.cfg has it: its title and its command line.
entry=$(awk -v id="ch$chapter" '$1 == "menuentry" && index($0, "--id " id " ") { on = 1 }
	on { print } on && /^}/ { exit }' grub.cfg)
title=$(printf '%s\n' "$entry" | sed -n '1s/^menuentry "\([^"]*\)".*/\1/p')
cmdline=$(printf '%s\n' "$entry" | sed -n 's/^[[:space:]]*multiboot [^ ]* //p')
if [[ $title == "Chapter $chapter: "* ]] && printf '%s\n' "$entry" | head -1 | grep -q -- "--hotkey=$chapter {"; then
	ok "GRUB's menu has \"$title\" (--id ch$chapter), picked by pressing $chapter"
else
	printf '%s\n' "$entry" > "$TMP/why"
	not_ok "GRUB's menu has an entry \"Chapter $chapter: ...\" (--id ch$chapter, --hotkey=$chapter)"
fi
doc=$(ls docs/0"$chapter"-*.md)
follow_up "$doc names the entry to pick" grep -qF "\"$title\"" "$doc"

boot -cdrom "$iso"
end="demo: end of chapter $chapter's demo"
[ "$chapter" -eq 9 ] && end="monitor: type help for the commands"
wait_for "$title" && printf '%s' "$chapter" >&3 && wait_for "$end"
[ "$chapter" -eq 9 ] || wait_for "Cairn is up. Nothing more to do: halting."
# What the kernel printed, and of it what the demo did.
console | sed -n 's/.*\(Cairn booting\)/\1/; /^Cairn booting/,$p' > "$TMP/kernel"
sed -n "/^demo: chapter $chapter: /,/^$end/p" "$TMP/kernel" > "$TMP/demo"
mkdir -p build/test
cp "$TMP/kernel" "build/test/demo-ch$chapter.console"     # for a failure's reader

follow_up "pressing $chapter boots the kernel with \"$cmdline\"" \
	grep -qF "command line: \"$cmdline\")" "$TMP/kernel"
follow_up "the demo names its chapter, $doc" grep -qE "^demo: chapter $chapter: .* \($doc\)$" "$TMP/demo"
follow_up "and ends" grep -qF "$end" "$TMP/demo"

# One case: the demo printed a line matching ERE.
has() {                 # has WHAT ERE
	if grep -qE -- "$2" "$TMP/demo"; then
		ok "$1"
	else
		{ echo "no line matching: $2"; echo "the demo printed:"; cat "$TMP/demo"; } > "$TMP/why"
		not_ok "$1"
	fi
}
# One case: two numbers the run printed are equal.
same() {                # same WHAT A B
	if [ -n "$2" ] && [ "$2" = "$3" ]; then
		ok "$1"
	else
		{ echo "'$2' and '$3' differ"; echo "the demo printed:"; cat "$TMP/demo"; } > "$TMP/why"
		not_ok "$1"
	fi
}
field() {               # field SED-SCRIPT: the first value it prints, from the demo
	sed -n "$1" "$TMP/demo" | head -1
}
hex() { printf '%08x' "$1"; }
symbol() { nm "$kernel" | awk -v s="$1" '$3 == s { print $1 }'; }

case "$chapter" in
1)
	has "the loader's name and the command line" '^demo: loader "GRUB [^"]+", command line "demo=booting"$'
	has "GRUB filled in memory, command line, modules, ELF sections, memory map, name" \
		'^demo:  it filled in memory cmdline modules ELF-sections memory-map loader-name$'
	has "GRUB passed the ELF section headers" '^demo: [1-9][0-9]* ELF section headers'
	size=$(stat -c %s build/user/stripped/hello.elf)
	has "the module, unpacked by GRUB: hello, $size bytes" \
		"^demo:   'hello' at \[0x[0-9a-f]{8}, 0x[0-9a-f]{8}\), $size bytes$"
	start=$(symbol kernel_start)
	has "the kernel runs at its link address 0x$start, loaded 0xC0000000 lower" \
		"^demo: the kernel itself runs at 0x$start-0x[0-9a-f]{8}, loaded at 0x$(hex $((0x$start - 0xC0000000)))$"
	;;
2)
	grep '^e820: ' "$TMP/demo" > "$TMP/demo-e820"
	sed -n '/^pmm: /q; /^e820: /p' "$TMP/kernel" > "$TMP/boot-e820"
	follow_up "the demo's map is the one the boot printed" cmp -s "$TMP/boot-e820" "$TMP/demo-e820"
	usable=0
	while read -r first last; do
		usable=$((usable + (0x$last - 0x$first + 1) / 1024))
	done < <(sed -n 's/^e820: \[mem 0x\([0-9a-f]*\)-0x\([0-9a-f]*\)\] usable$/\1 \2/p' "$TMP/demo-e820")
	same "the usable KiB it counts are the map's usable ranges" "$(field 's/^demo: \([0-9]*\) KiB usable.*/\1/p')" "$usable"
	frames=$(field 's/.* the PMM got \([0-9]*\) frames of 4 KiB:$/\1/p')
	same "the frames it says the PMM got are the PMM's total" "$frames" "$(field 's/^frames: \([0-9]*\) total: .*/\1/p')"
	same "and the boot's count of free frames" "$frames" "$(sed -n 's/^pmm: \([0-9]*\) frames free .*/\1/p' "$TMP/kernel")"
	;;
3)
	mapfile -t taken < <(sed -n 's/^demo:   frame 0x\([0-9a-f]*\) at 0x[0-9a-f]*$/\1/p' "$TMP/demo")
	same "it takes three frames" "${#taken[@]}" 3
	same "from the reservoir, in address order" "$(printf '%s ' "${taken[@]}")" \
		"$(for i in 0 1 2; do printf '%05x ' $((0x${taken[0]} + i)); done)"
	mapfile -t handed < <(sed -n 's/^frames: .* \([0-9]*\) handed out$/\1/p' "$TMP/demo")
	same "the books count them handed out, then back" "${handed[*]}" "0 3 0"
	mapfile -t stacked < <(sed -n 's/^frames: the free ones: \([0-9]*\) on the stack.*/\1/p' "$TMP/demo")
	same "freed, they are on the stack" "${stacked[*]}" "0 0 3"
	same "the next pmm_alloc() pops the last one freed" "$(field 's/.* pops frame 0x\([0-9a-f]*\):.*/\1/p')" "${taken[2]}"
	has "a second free is refused" "^pmm: refused to free 0x${taken[2]}000 \(double free: already free\), called from 0x"
	caller=$(field 's/^pmm: refused to free .*, called from \(0x[0-9a-f]*\)$/\1/p')
	same "the refusal names its caller, the demo" "$(addr2line -f -e "$kernel" "${caller:-0}" | head -1)" show_pmm
	;;
4)
	kmain=$(symbol kmain)
	pde=$((0x$kmain >> 22)) pte=$(((0x$kmain >> 12) & 1023))
	has "it splits kmain's address 0x$kmain: directory index $pde" "^demo: kmain is at 0x$kmain: directory index $pde "
	has "and table index $pte" "^demo: table index $pte "
	has "the walk starts at kmain, kernel text" "^vm 0x$kmain: kernel text; directory at 0x[0-9a-f]{8} \(CR3\)$"
	has "directory entry $pde, read through the recursive mapping" \
		"^  pde $pde at 0x$(hex $((0xFFFFF000 + pde * 4))): 0x[0-9a-f]{8} present writable supervisor"
	has "table entry $pte, read-only: kernel text" \
		"^  pte $pte at 0x$(hex $((0xFFC00000 + pde * 4096 + pte * 4))): 0x[0-9a-f]{8} present read-only supervisor"
	has "physical = virtual - 0xC0000000" "^  physical 0x$(hex $((0x$kmain - 0xC0000000)))$"
	has "the VGA text buffer is writable" "^  pte 184 at 0xfff002e0: 0x000b8[0-9a-f]{3} present writable supervisor"
	has "the first page is not mapped" "^  pde 0 at 0xfffff000: 0x00000000 not present: nothing mapped at 0x00000000$"
	;;
5)
	dir=$(field 's/^demo: vmm_space_create: a new directory in frame \(0x[0-9a-f]*\): entries$/\1/p')
	page=$(field 's/^demo: frame \(0x[0-9a-f]*\), filled through a kmap window at 0xff[89a-f][0-9a-f]*000:$/\1/p')
	has "a page filled through a kmap window" '^demo:  "written through a kmap window"$'
	has "in the kernel's space, 0x00400000 is not mapped" "^  pde 1 at 0xfffff004: 0x00000000 not present: nothing mapped at 0x00400000$"
	has "after the switch, CR3 holds the new directory" "^vm 0x00400000: user space; directory at ${dir:-none} \(CR3\)$"
	has "and 0x00400000 walks to the frame filled" "^  physical ${page:-none}$"
	has "which reads back what the window wrote" '^demo: read at 0x00400000: "written through a kmap window"$'
	same "destroying the space gives every frame back" "$(field 's/.* \([0-9]*\) free before, .*/\1/p')" \
		"$(field 's/.* free before, \([0-9]*\) free now$/\1/p')"
	;;
6)
	# The heap's size: before, after the small blocks, after the big one, at the end.
	size=("$(field 's/^demo: the heap held \([0-9]*\) bytes;.*/\1/p')"
		"$(field 's/^heap: 0x[0-9a-f]*-0x[0-9a-f]*, \([0-9]*\) bytes$/\1/p')")
	mapfile -t -O 2 size < <(sed -n 's/^kheap: \([0-9]*\) bytes in [0-9]* pages;.*/\1/p' "$TMP/demo")
	if [ "${#size[@]}" -eq 4 ] && [ "${size[1]}" -gt "${size[0]}" ] && [ "${size[2]}" -gt "${size[1]}" ] &&
		[ "${size[3]}" -lt "${size[2]}" ]; then
		ok "the heap grows (${size[0]}, ${size[1]}, ${size[2]} bytes) and shrinks (${size[3]})"
	else
		{ echo "sizes: ${size[*]}"; cat "$TMP/demo"; } > "$TMP/why"
		not_ok "the heap grows for the blocks and shrinks after them"
	fi
	mapfile -t sizes < <(sed -n 's/^  0x[0-9a-f]* *\([0-9]*\)  used$/\1/p' "$TMP/demo")
	same "the two blocks freed merge into one free block (coalescing)" \
		"$(field '/^demo: kfree the first two/,$s/^  0x[0-9a-f]* *\([0-9]*\)  free$/\1/p')" \
		"$(( ${sizes[0]:-0} + ${sizes[1]:-0} ))"
	has "everything freed, nothing is in use" '^kheap: .* in use 0 bytes in 0 blocks'
	;;
7)
	has "meminfo ends well, leaking nothing" '^run: meminfo exit=0 leaked=0$'
	has "its frames all come back" '^meminfo: 64 frames taken and all returned$'
	b0=$(field 's/^start .* break=\(0x[0-9a-f]*\)$/\1/p')
	b1=$(field 's/^sbrk(+256 KiB) .* break=\(0x[0-9a-f]*\)$/\1/p')
	same "sbrk(+256 KiB) moves the break up 256 KiB" "$((b1 - b0))" $((256 << 10))
	same "sbrk(-256 KiB) moves it back" "$(field 's/^sbrk(-256 KiB) .* break=\(0x[0-9a-f]*\)$/\1/p')" "$b0"
	;;
8)
	has "fork shares the heap, and one write copies one page" '^cowshare: one write unshared 1 page\(s\) and used 1 frame\(s\)$'
	has "the child's write stays its own" "^cowshare: [0-9]+ heap pages shared by fork, the child's write its own$"
	has "cowshare ends well, leaking nothing" '^run: cowshare exit=0 leaked=0$'
	;;
9)
	has "it shows frames, as typed" '^frames: [0-9]+ total: '
	kmain=$(symbol kmain)
	has "and vm of kmain" "^  physical 0x$(hex $((0x$kmain - 0xC0000000)))$"
	printf 'vm 0\r' >&3
	wait_for "nothing mapped at 0x00000000" && printf 'poweroff\r' >&3 && wait_for "poweroff: leaving the emulator"
	follow_up "then the prompt takes commands" grep -qF "pde 0 at 0xfffff000: 0x00000000 not present" <(console)
	console | sed -n 's/.*\(Cairn booting\)/\1/; /^Cairn booting/,$p' > "build/test/demo-ch$chapter.console"
	;;
esac
stop_qemu
echo "1..$n"
[ "$failed" -eq 0 ]
