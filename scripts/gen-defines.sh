#!/bin/sh
# Prints the object-like #defines of a C header with the values the C
# compiler gives them, so a header can derive one address from another
# (#define KERNEL_PDE_FIRST (KERNEL_BASE >> PDE_SHIFT)) and the tools that
# cannot read C still get plain numbers:
#
#   scripts/gen-defines.sh nasm include/layout.h   %define KERNEL_PDE_FIRST 0x300
#   scripts/gen-defines.sh make include/layout.h   KERNEL_PDE_FIRST := 0x300
#
# Only the names the header itself defines (not those of headers it
# includes), outside its C-only part (#ifndef __ASSEMBLER__). Each value
# is computed by gcc for the i386 target, exactly as kernel code sees it:
# a value that is no integer constant is a compile error naming it.
set -eu
format=$1
header=$2
case "$format" in nasm|make) ;; *) echo "usage: $0 nasm|make HEADER" >&2; exit 2 ;; esac
[ -f "$header" ] || { echo "$0: no header $header" >&2; exit 2; }
path=$(cd "$(dirname "$header")" && pwd)/$(basename "$header")
dir=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# gcc -dD keeps each #define in place, after a line marker naming its file.
names=$(gcc -E -dD -D__ASSEMBLER__ -I"$dir/include" "$path" |
	awk -v h="$path" '
		/^# [0-9]+ "/ { here = ($3 == "\"" h "\"") }
		here && /^#define [A-Za-z_][A-Za-z0-9_]* +[^ ]/ { print $2 }')

# Each value into the assembly gcc writes: %c0 prints the constant bare.
{
	echo "#include \"$path\""
	echo "void gen_defines(void) {"
	for n in $names; do
		echo "	__asm__ volatile(\"#define> $n %c0\" : : \"n\"($n));"
	done
	echo "}"
} > "$tmp/defines.c"
gcc -m32 -S -D__ASSEMBLER__ -I"$dir/include" -o "$tmp/defines.s" "$tmp/defines.c"

echo "; Generated from $header by scripts/gen-defines.sh: do not edit." |
	{ [ "$format" = make ] && sed 's/^;/#/' || cat; }
awk -v f="$format" '$1 == "#define>" {
	v = $3 < 0 ? $3 + 4294967296 : $3       # 32-bit values print signed
	if (f == "nasm")
		printf "%%define %s 0x%x\n", $2, v
	else
		printf "%s := 0x%x\n", $2, v
}' "$tmp/defines.s"
