/*
 * The plain kernel's answer to `test`. The test runner (src/kernel/ktest.c)
 * and the suites (tests/kernel/) build only into build/kernel-test.elf, so
 * the kernel a student boots carries none of their code or data; asked
 * for tests, it says where they are and goes on.
 */
#include <bootargs.h>
#include <ktest.h>

static const char *
test_option(const struct bootarg *arg)
{
	return "this kernel has no tests: build/kernel-test.elf has them (make ktest)";
}
BOOTARG(test, BOOTARG_FLAG | BOOTARG_VALUE, NULL, "run the kernel tests (in build/kernel-test.elf only)",
	test_option);

bool
ktest_requested(void)
{
	return false;
}

int
ktest_run_requested(void)
{
	return 0;
}

bool
ktest_built_in(void)
{
	return false;
}

int
ktest_run(const char *selection, unsigned selection_len)
{
	return 0;               /* no suite here, so none failed */
}
