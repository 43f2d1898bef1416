/*
 * What the boot loader hands over. The info structure is the loader's,
 * in memory the kernel does not own: copy what is needed, early, and
 * believe a field only if its flag bit says it is there.
 */
#include <cairn/errno.h>
#include <cmdline.h>
#include <console.h>
#include <kmap.h>
#include <multiboot.h>
#include <string.h>

#define LOADER_NAME_MAX 64

static struct multiboot_info info;
static uint32_t info_phys;
static char cmdline[MULTIBOOT_CMDLINE_MAX];
static const char *cmdline_args = "";
static long cmdline_length = -1;
static char loader_name[LOADER_NAME_MAX] = "unknown";
static long loader_name_length = -1;

bool
multiboot_magic_ok(uint32_t magic)
{
	return magic == MULTIBOOT_BOOTLOADER_MAGIC;
}

/* Copies the C string at physical pa into buf; returns its full length
 * (the loader's string may be longer than buf), or -1. */
static long
copy_string(char *buf, uint32_t size, uint32_t pa, const char *what)
{
	long len = phys_read_string(buf, size, pa);

	if (len < 0)
		kprintf("multiboot: %s at 0x%08x is out of reach, ignored\n", what, pa);
	else if ((unsigned long)len >= size)
		kprintf("multiboot: %s longer than %u bytes, cut\n", what, size - 1);
	return len;
}

void
multiboot_init(uint32_t phys)
{
	info_phys = phys;
	if (phys_read(&info, phys, sizeof(info)) < 0) {
		kprintf("multiboot: info structure at 0x%08x is out of reach\n", phys);
		info.flags = 0;
		return;
	}
	if (info.flags & MULTIBOOT_INFO_CMDLINE) {
		cmdline_length = copy_string(cmdline, sizeof(cmdline), info.cmdline, "command line");
		if (cmdline_length >= 0)
			cmdline_args = cmdline_skip_path(cmdline);
	}
	if (info.flags & MULTIBOOT_INFO_LOADER_NAME)
		loader_name_length = copy_string(loader_name, sizeof(loader_name),
						 info.boot_loader_name, "loader name");
}

/* Each module, and its string: GRUB puts them where it likes. */
static void
each_module_region(boot_region_fn *fn)
{
	struct multiboot_module mod;
	char name[64];

	fn("module list", info.mods_addr, (uint64_t)info.mods_addr + info.mods_count * sizeof(mod));
	for (uint32_t i = 0; i < info.mods_count; i++) {
		if (phys_read(&mod, (uint64_t)info.mods_addr + i * sizeof(mod), sizeof(mod)) < 0)
			break;
		if (mod.end > mod.start)
			fn("module", mod.start, mod.end);
		long len = phys_read_string(name, sizeof(name), mod.string);
		if (len >= 0)
			fn("module string", mod.string, (uint64_t)mod.string + len + 1);
	}
}

void
multiboot_each_boot_region(boot_region_fn *fn)
{
	fn("multiboot info", info_phys, (uint64_t)info_phys + sizeof(info));
	if (info.flags & MULTIBOOT_INFO_MEM_MAP)
		fn("memory map", info.mmap_addr, (uint64_t)info.mmap_addr + info.mmap_length);
	if ((info.flags & MULTIBOOT_INFO_CMDLINE) && cmdline_length >= 0)
		fn("command line", info.cmdline, (uint64_t)info.cmdline + cmdline_length + 1);
	if ((info.flags & MULTIBOOT_INFO_LOADER_NAME) && loader_name_length >= 0)
		fn("loader name", info.boot_loader_name,
		   (uint64_t)info.boot_loader_name + loader_name_length + 1);
	if (info.flags & MULTIBOOT_INFO_MODS)
		each_module_region(fn);
}

const struct multiboot_info *
multiboot_info(void)
{
	return &info;
}

uint32_t
multiboot_info_phys(void)
{
	return info_phys;
}

const char *
multiboot_cmdline(void)
{
	return cmdline_args;
}

const char *
multiboot_loader_name(void)
{
	return loader_name;
}

unsigned
multiboot_module_count(void)
{
	return info.flags & MULTIBOOT_INFO_MODS ? info.mods_count : 0;
}

/* The last space-separated word of s: its start, and its length in *len. */
static const char *
last_word(const char *s, size_t *len)
{
	const char *end = s + strlen(s);

	while (end > s && end[-1] == ' ')
		end--;
	const char *start = end;
	while (start > s && start[-1] != ' ')
		start--;
	*len = (size_t)(end - start);
	return start;
}

static bool
name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* Why a module named name[0..len) cannot be run by name, or NULL. */
static const char *
name_problem(const char *name, size_t len)
{
	if (len == 0)
		return "it has no name";
	if (len >= MODULE_NAME_MAX)
		return "its name is longer than 31 characters";
	for (size_t i = 0; i < len; i++)
		if (!name_char_ok(name[i]))
			return "a name is letters, digits, '.', '_' and '-' only";
	if (cmdline_is(name, len, "all") || cmdline_is(name, len, "done"))
		return "'all' and 'done' mean something else to run=";
	return NULL;
}

/* Reads module i: its entry, its string (into string[size]: the refusal
 * messages show it whole), and in m its range, its name (cut to fit) and
 * what is wrong with the name itself. Returns 0 or -EINVAL. */
static int
read_module(unsigned i, struct boot_module *m, char *string, size_t size)
{
	struct multiboot_module mod;
	size_t len;

	if (i >= multiboot_module_count() ||
	    phys_read(&mod, (uint64_t)info.mods_addr + i * sizeof(mod), sizeof(mod)) < 0)
		return -EINVAL;
	long string_len = phys_read_string(string, size, mod.string);
	if (string_len < 0 || (size_t)string_len >= size)
		return -EINVAL;
	const char *name = last_word(string, &len);
	m->start = mod.start;
	m->end = mod.end;
	m->refused = name_problem(name, len);
	if (len >= MODULE_NAME_MAX)
		len = MODULE_NAME_MAX - 1;      /* for messages only: it is refused */
	memcpy(m->name, name, len);
	m->name[len] = '\0';
	return 0;
}

/* What is wrong with each module's name, decided once for all modules
 * (a name is compared with every earlier one's): NULL, or the refusal. */
static const char *refusals[MODULES_MAX];
static bool refusals_decided;

static void
decide_refusals(void)
{
	static char names[MODULES_MAX][MODULE_NAME_MAX];
	char string[MODULE_STRING_MAX];
	struct boot_module m;

	for (unsigned i = 0; i < multiboot_module_count() && i < MODULES_MAX; i++) {
		if (read_module(i, &m, string, sizeof(string)) < 0) {
			refusals[i] = "its entry or string is unreadable, or longer than 255 bytes";
			continue;
		}
		refusals[i] = m.refused;
		memcpy(names[i], m.name, sizeof(m.name));
		for (unsigned j = 0; j < i && !refusals[i]; j++)
			if (!refusals[j] && strcmp(names[j], names[i]) == 0)
				refusals[i] = "an earlier module has the same name";
	}
	refusals_decided = true;
}

int
multiboot_module(unsigned i, struct boot_module *m)
{
	char string[MODULE_STRING_MAX];

	if (!refusals_decided)
		decide_refusals();
	if (read_module(i, m, string, sizeof(string)) < 0)
		return -EINVAL;
	m->refused = i < MODULES_MAX ? refusals[i] : "more than 256 modules";
	return 0;
}

void
multiboot_check_modules(void)
{
	char string[MODULE_STRING_MAX];
	struct boot_module m;

	for (unsigned i = 0; i < multiboot_module_count(); i++) {
		if (read_module(i, &m, string, sizeof(string)) < 0)
			kprintf("multiboot: module %u refused: its entry or string is unreadable "
				"or longer than %u bytes\n", i, MODULE_STRING_MAX - 1);
		else if (multiboot_module(i, &m) == 0 && m.refused)
			kprintf("multiboot: module %u '%s' refused: %s\n", i, string, m.refused);
	}
}
