#!/usr/bin/env bash
# Checks that every tool a make target needs is here, and installs the
# missing Debian packages with apt-get (as root, or through sudo). When it
# cannot install, it prints the exact command to run and fails.
#
# usage: scripts/need-tools.sh GROUP...   GROUP: build run bochs test grade fuzz bench debug compdb pictures web book book-check
set -u

missing=()
need() { missing+=("$@"); }

have() { command -v "$1" >/dev/null 2>&1; }

# gcc -m32 needs the 32-bit libgcc of gcc-multilib to link (-lgcc).
can_build_i386() {
	echo 'int f(long long a, long long b) { return a / b; }' |
		gcc -m32 -ffreestanding -nostdlib -shared -x c - -lgcc -o /dev/null 2>/dev/null
}

check_build() {
	have gcc || need gcc
	have make || need make
	have nasm || need nasm
	can_build_i386 || need gcc-multilib
	have grub-mkrescue || need grub-common
	[ -d /usr/lib/grub/i386-pc ] || need grub-pc-bin
	have xorriso || need xorriso
	have mformat || need mtools
}

check_run() {
	have qemu-system-i386 || need qemu-system-x86
}

check_bochs() {
	have bochs || need bochs
	[ -f /usr/share/bochs/BIOS-bochs-latest ] || need bochsbios
	[ -f /usr/share/vgabios/vgabios.bin ] || need vgabios
	ls /usr/lib/*/bochs/plugins/libbx_term* >/dev/null 2>&1 || need bochs-term
}

check_test() {
	check_build
	check_run
	check_bochs
	have xxd || need xxd            # the book's transcripts (scripts/check-transcripts.py)
	[ -f /usr/include/cmocka.h ] || need libcmocka-dev
	check_fuzz
	check_debug                     # tests/tools/ run make debug
	have python3 || need python3    # and take a port with a socket
	check_web                       # tests/web/ load the page in Chromium
	check_book_check                # and open every page of the book
}

can_fuzz() {
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' |
		clang -fsanitize=fuzzer,address -x c - -o /dev/null 2>/dev/null
}

check_fuzz() {
	have clang || need clang
	can_fuzz || need libclang-rt-14-dev
}

check_bench() {
	check_run
	have valgrind || need valgrind
}

check_debug() {
	check_run
	have gdb || need gdb
	have ss || need iproute2        # scripts/debug.sh: is the GDB port taken?
}

# A page opened in headless Chromium, driven from Node.js by
# puppeteer-core (npm ci brings it, into build/).
check_browser() {
	have node || need nodejs
	have npm || need npm
	have chromium || need chromium
	# Text in the screenshots: Chromium draws with what fontconfig finds.
	[ -d /usr/share/fonts/truetype/dejavu ] || need fonts-dejavu-core
}

# make web and its check: the browser, v86 (npm), Debian's SeaBIOS for
# v86, gdb for the kernel index.
check_web() {
	check_browser
	[ -f /usr/share/seabios/bios.bin ] || need seabios
	have gdb || need gdb
	have python3 || need python3
}

# make book: pandoc 2.17, Debian 12's; its check opens every page.
check_book() {
	have pandoc || need pandoc
}

check_book_check() {
	check_book
	check_browser
}

for group in "$@"; do
	case "$group" in
	build) check_build ;;
	run) check_build; check_run ;;
	bochs) check_build; check_bochs ;;
	test) check_test ;;
	grade) check_build; check_run; [ -f /usr/include/cmocka.h ] || need libcmocka-dev ;;
	fuzz) check_fuzz ;;
	bench) check_build; check_bench ;;
	debug) check_build; check_debug ;;
	compdb) have bear || need bear ;;
	pictures) have rsvg-convert || need librsvg2-bin ;;   # make pictures-png: the SVGs as PNGs
	web) check_build; check_web ;;
	book) check_book ;;
	book-check) check_book_check ;;
	*) echo "need-tools: unknown group '$group'" >&2; exit 2 ;;
	esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

# A package can be named twice when groups overlap.
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
command="apt-get install -y --no-install-recommends $packages"

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif have sudo && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "Missing Debian packages: $packages" >&2
	echo "Install them with:  sudo apt-get update && sudo $command" >&2
	exit 1
fi

if ! have apt-get; then
	echo "Missing packages ($packages) and no apt-get here: install them by hand." >&2
	exit 1
fi

echo "need-tools: installing $packages" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2 &&
	$sudo apt-get install -y -qq --no-install-recommends $packages >&2 || {
	echo "need-tools: apt-get failed. Run:  sudo apt-get update && sudo $command" >&2
	exit 1
}
