#!/usr/bin/env bash
# `make run ARGS="..."` and `make run-nox ARGS="..."`: an ISO whose menu
# boots the kernel with those options at once. It is the ISO `make iso`
# packs plus a runner.cfg, which grub.cfg sources before its own entries
# (as the test runner's ISOs do, scripts/ktest-run.sh).
#
# GRUB reads runner.cfg as a script, so the options must reach it as
# plain words. In GRUB `$` expands a variable (memmap=1M$0x400000 would
# arrive as memmap=1Mx400000) and `#` at the start of a word begins a
# comment: those two are written `\$` and `\#`. Any character but a
# letter, a digit, a blank or one of _ . , : = + - / @ $ # is refused:
# quotes and `\` (GRUB hands them to the kernel escaped: a"b arrives as
# a\"b), `;`, `{`, `}`, `|`, `&`, `<`, `>` (they end or change a GRUB
# command), newlines and other control characters. No kernel option
# needs them, and a student's ARGS can never be more than the kernel's
# command line.
#
# usage: scripts/run-args.sh OUTPUT.iso 'KERNEL OPTIONS'
#   (make passes the options from ARGS, unexpanded, as $CAIRN_ARGS)
set -u
export LC_ALL=C          # A-Z means the 26 letters
cd "$(dirname "$0")/.." || exit 2
out=${1:?usage: scripts/run-args.sh OUTPUT.iso 'KERNEL OPTIONS'}
args=${2-}

# The options as GRUB words, or a message naming the first character
# refused.
grub_words() {          # grub_words OPTIONS
	local allowed='^[A-Za-z0-9_.,:=+/@$#[:blank:]-]*$' bad
	if ! [[ $1 =~ $allowed ]]; then
		bad=${1//[A-Za-z0-9_.,:=+\/@\$#[:blank:]-]/}
		bad=${bad:0:1}
		case "$bad" in
		[[:graph:]]) bad="'$bad'" ;;
		*) bad="a control character (a newline, say) or a byte outside ASCII" ;;
		esac
		echo "run-args: $bad refused: ARGS may hold only letters, digits, blanks and _ . , : = + - / @ \$ #, all a kernel option needs" >&2
		return 1
	fi
	# Words split on blanks; each $ and # escaped for GRUB.
	printf '%s\n' "$1" | sed -e 's/[$#]/\\&/g' -e 's/[[:blank:]][[:blank:]]*/ /g' -e 's/^ //' -e 's/ $//'
}

words=$(grub_words "$args") || exit 2
tree=$out.isodir
rm -rf "$tree"
mkdir -p "$tree/boot/grub"
# The title is in single quotes, inside which GRUB reads every character
# as itself (and ARGS holds no quote), so it shows the options without
# escapes. The entry sources programs.cfg, as grub.cfg's run-all entries
# do, so that run=NAME finds its program.
cat > "$tree/boot/grub/runner.cfg" << EOF
# Made by scripts/run-args.sh for make run ARGS=...: boot at once.
set timeout=0
menuentry 'Cairn: ${words//\\/}' --id args {
	multiboot /boot/kernel.elf $words
	source \${prefix}/programs.cfg
	boot
}
set default=args
EOF
scripts/mkiso.sh "$out" iso "$tree" || { cat "$out.log" >&2; exit 1; }
echo "ISO: $out boots: kernel.elf $args"
