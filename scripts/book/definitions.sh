#!/usr/bin/env bash
# The book's index of definitions: where each function the chapters may
# name is defined, by the rules scripts/check-docs.sh uses to say that it
# exists (a C definition at column 0, a static inline or a macro in a
# header, a NASM label, a shell function in scripts/).
#
# Prints one line per definition, "NAME PATH LINE", the preferred first:
# the kernel and its runtime (src/) before the headers' prototypes and
# inlines, then scripts/, then the user programs and host tools, then
# tests/ (a lab's stub of heap_coalesce must not win over the real one).
set -u
cd "$(dirname "$0")/../.."

# grep -n's "PATH:LINE:TEXT" to "NAME PATH LINE"; PATTERN has two groups,
# what comes before the name, and the name.
named() {       # named PATTERN
	sed -nE "s/^([^:]*):([0-9]+):$1.*/\\4 \\1 \\2/p"
}

{
	grep -rnE '^[a-z_][a-z0-9_]*\(' src tests include --include='*.c' --include='*.h' |
		named '()([a-z_][a-z0-9_]*)\('
	grep -rnE '(inline|define)[^(]*[ *][a-z_][a-z0-9_]*\(' include src --include='*.h' |
		named '([^(]*[ *])([a-z_][a-z0-9_]*)\('
	grep -rnE '^[a-z_][a-z0-9_]*:' src --include='*.asm' |
		named '()([a-z_][a-z0-9_]*):'
	grep -rnE '^[a-z_][a-z0-9_]*\(\) \{' scripts |
		named '()([a-z_][a-z0-9_]*)\(\) \{'
} | awk '
	function rank(path) {
		if (path ~ /^src\/(user|host)\//) return 4
		if (path ~ /^src\// && path !~ /\.h$/) return 1
		if (path ~ /\.h$/) return 2
		if (path ~ /^scripts\//) return 3
		return 5
	}
	{ print rank($2), $0 }' | sort -k1,1n -k3,3 -k4,4n | cut -d' ' -f2-
