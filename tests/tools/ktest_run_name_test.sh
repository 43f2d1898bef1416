#!/usr/bin/env bash
# scripts/ktest-run.sh without --name names its run after its arguments
# (make test runs this; TAP). That name becomes file names and, through
# GRUB (qemu-iso, bochs), a path inside an ISO, where xorriso reads `=`
# as a graft point: chapters 0 and 5 print `scripts/ktest-run.sh
# qemu-iso -- crash=pagefault`, which once failed for that reason. So the
# name may hold only letters, digits, `.`, `-` and `_`, and a run through
# GRUB with `=` and `,` in its arguments boots.
#
# usage: tests/tools/ktest_run_name_test.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
. scripts/lab-checks.sh
work=build/test/tools-run-name
rm -rf "$work"
mkdir -p "$work"

# The kernel passes boot and pmm and leaves through the exit port.
scripts/ktest-run.sh --timeout 30 qemu-iso -- test=boot,pmm > "$work/run.out" 2>&1
status=$?
name=$(sed -n 's/^RESULT \([^ ]*\) .*/\1/p' "$work/run.out")
if [ "$name" = qemu-iso-test_boot_pmm ]; then
	ok "the run of 'test=boot,pmm' is named $name: no = or , in it"
else
	not_ok "the run of 'test=boot,pmm' is named '$name', not qemu-iso-test_boot_pmm" "$work/run.out"
fi
if [ $status -eq 0 ] && grep -q "^RESULT $name passed=[1-9][0-9]* failed=0 verdict=pass" "$work/run.out"; then
	ok "that run through GRUB made its ISO and passed"
else
	not_ok "that run through GRUB did not pass (status $status)" "$work/run.out"
fi
if [ -s "build/test/$name.serial" ] && [ -e "build/test/$name.iso" ]; then
	ok "its logs and ISO are build/test/$name.*"
else
	not_ok "no build/test/$name.serial or .iso" "$work/run.out"
fi
tap_end
