/*
 * What growing and shrinking the heap costs the machine, in meminfo's
 * numbers: 64 pages taken with sbrk, touched, and given back. The frames
 * come out of the PMM (at sbrk in vm=eager, at the first touch in
 * vm=lazy, reserved meanwhile) and all return when the heap shrinks.
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <stdio.h>
#include <unistd.h>

#define PAGE    4096
#define PAGES   64

static struct meminfo
show(const char *when)
{
	struct meminfo m;

	assert(meminfo(&m) == 0);
	printf("%-16s free=%-6u mapped=%-4u tables=%u reserved=%-3u break=%#x\n",
		when, m.free_frames, m.mapped_pages, m.table_frames, m.reserved_pages, m.heap_break);
	return m;
}

int
main(void)
{
	struct meminfo before = show("start");

	char *heap = sbrk(PAGES * PAGE);
	assert(heap != (void *)-1);
	show("sbrk(+256 KiB)");
	for (int i = 0; i < PAGES; i++)
		heap[i * PAGE] = 1;
	struct meminfo touched = show("touched");
	assert(touched.mapped_pages == before.mapped_pages + PAGES);
	assert(touched.free_frames <= before.free_frames - PAGES);

	assert(sbrk(-PAGES * PAGE) == heap + PAGES * PAGE);
	struct meminfo after = show("sbrk(-256 KiB)");
	assert(after.free_frames == before.free_frames);
	assert(after.mapped_pages == before.mapped_pages);
	assert(after.reserved_pages == before.reserved_pages);
	printf("meminfo: %d frames taken and all returned\n", PAGES);
	return 0;
}
