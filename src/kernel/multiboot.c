/*
 * What the boot loader hands over. The info structure is the loader's,
 * in memory the kernel does not own: copy what is needed, early, and
 * believe a field only if its flag bit says it is there.
 */
#include <cmdline.h>
#include <console.h>
#include <layout.h>
#include <multiboot.h>
#include <string.h>

#define LOADER_NAME_MAX 64
#define BOOT_MAPPED_LIMIT 0x400000      /* the boot page table maps 4 MiB */

static struct multiboot_info info;
static uint32_t info_phys;
static char cmdline[MULTIBOOT_CMDLINE_MAX];
static const char *cmdline_args = "";
static char loader_name[LOADER_NAME_MAX] = "unknown";

bool
multiboot_magic_ok(uint32_t magic)
{
	return magic == MULTIBOOT_BOOTLOADER_MAGIC;
}

/* A pointer to physical memory the boot page table maps, or NULL. */
static const void *
boot_phys(uint32_t pa, uint32_t len)
{
	if (pa >= BOOT_MAPPED_LIMIT || len > BOOT_MAPPED_LIMIT - pa)
		return NULL;
	return kernel_phys_to_virt(pa);
}

/* Copies the C string at physical pa into buf (cut to size-1 bytes). */
static bool
copy_string(char *buf, uint32_t size, uint32_t pa, const char *what)
{
	const char *s = boot_phys(pa, 1);

	if (s == NULL) {
		kprintf("multiboot: %s at 0x%08x is out of reach, ignored\n", what, pa);
		return false;
	}
	uint32_t room = BOOT_MAPPED_LIMIT - pa;
	size_t len = strnlen(s, room < size ? room : size);
	if (len == size)
		kprintf("multiboot: %s longer than %u bytes, cut\n", what, size - 1);
	len = len < size ? len : size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return true;
}

void
multiboot_init(uint32_t phys)
{
	const struct multiboot_info *mbi = boot_phys(phys, sizeof(info));

	info_phys = phys;
	if (mbi == NULL) {
		kprintf("multiboot: info structure at 0x%08x is out of reach\n", phys);
		return;
	}
	info = *mbi;
	if (info.flags & MULTIBOOT_INFO_CMDLINE &&
	    copy_string(cmdline, sizeof(cmdline), info.cmdline, "command line"))
		cmdline_args = cmdline_skip_path(cmdline);
	if (info.flags & MULTIBOOT_INFO_LOADER_NAME)
		copy_string(loader_name, sizeof(loader_name), info.boot_loader_name, "loader name");
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
