/*
 * kmap(): a small fixed set of window pages at KMAP_BASE, each mapped to
 * whatever frame the kernel needs to touch right now. A busy bit per slot;
 * kunmap() invalidates the TLB entry, or the next kmap of that slot could
 * still reach the old frame.
 */
#include <cairn/errno.h>
#include <kmap.h>
#include <layout.h>
#include <paging.h>
#include <panic.h>
#include <string.h>

static uint32_t busy;   /* bit i: slot i is in use */

void *
kmap(paddr_t pa)
{
	for (unsigned i = 0; i < KMAP_SLOTS; i++) {
		if (busy & (1u << i))
			continue;
		busy |= 1u << i;
		uintptr_t va = KMAP_BASE + i * PAGE_SIZE;
		paging_map_kernel(va, pa, PTE_WRITABLE);
		return (void *)va;
	}
	panic("kmap: all %d windows in use (a kmap without its kunmap?)", KMAP_SLOTS);
}

void
kunmap(void *va)
{
	unsigned i = ((uintptr_t)va - KMAP_BASE) / PAGE_SIZE;

	ASSERT((uintptr_t)va >= KMAP_BASE && i < KMAP_SLOTS && (busy & (1u << i)));
	paging_unmap_kernel(KMAP_BASE + i * PAGE_SIZE);
	busy &= ~(1u << i);
}

void
phys_zero(paddr_t pa)
{
	void *window = kmap(pa);

	memset(window, 0, PAGE_SIZE);
	kunmap(window);
}

int
phys_read(void *dst, uint64_t pa, size_t len)
{
	char *out = dst;

	if (pa > UINT32_MAX || len > UINT32_MAX - pa + 1)
		return -EFAULT;
	while (len > 0) {
		uint32_t offset = (uint32_t)pa % PAGE_SIZE;
		size_t chunk = PAGE_SIZE - offset < len ? PAGE_SIZE - offset : len;
		char *window = kmap((paddr_t)pa - offset);
		memcpy(out, window + offset, chunk);
		kunmap(window);
		out += chunk;
		pa += chunk;
		len -= chunk;
	}
	return 0;
}

long
phys_read_string(char *buf, size_t size, uint64_t pa)
{
	size_t len = 0;

	for (;;) {                      /* a page at a time: one window each */
		if (pa + len > UINT32_MAX)
			return -EFAULT;
		uint32_t offset = (uint32_t)(pa + len) % PAGE_SIZE;
		const char *window = kmap((paddr_t)(pa + len) - offset);
		const char *end = memchr(window + offset, '\0', PAGE_SIZE - offset);
		size_t chunk = end ? (size_t)(end - (window + offset)) : PAGE_SIZE - offset;
		if (len < size - 1)
			memcpy(buf + len, window + offset, chunk < size - 1 - len ? chunk : size - 1 - len);
		kunmap((void *)window);
		len += chunk;
		if (end)
			break;
	}
	buf[len < size - 1 ? len : size - 1] = '\0';
	return (long)len;
}
