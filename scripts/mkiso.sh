#!/bin/sh
# Packs GRUB and one or more trees into a bootable ISO, with only the GRUB
# modules Cairn uses (scripts/grub-modules: ~0.6 MB, not 9.5), compressed,
# and no locales, fonts or themes. The Makefile's ISO and the test
# runner's ISOs are made by this one command line.
#
# usage: scripts/mkiso.sh OUTPUT.iso TREE...   (grub-mkrescue's output: OUTPUT.iso.log)
set -u
out=$1
shift
cd "$(dirname "$0")/.." || exit 1
grub-mkrescue -o "$out" --install-modules="$(tr '\n' ' ' < scripts/grub-modules)" \
	--compress=xz --locales= --fonts= --themes= "$@" > "$out.log" 2>&1
