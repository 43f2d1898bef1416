/*
 * What fork costs with copy-on-write, in meminfo's numbers. The parent
 * maps a 16 MiB heap (less on a small machine) and forks. The child's
 * first look must show fork took only its page tables and kernel stack
 * (the pages all shared, none copied), and its first write to a heap
 * page must cost one frame and unshare one page.
 */
// expect: exit=0
#include <assert.h>
#include <cairn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE            4096
#define HEAP_PAGES_MAX  4096    /* 16 MiB */
/* The new process's structures may need a page or two more of the
 * kernel heap. */
#define KERNEL_HEAP_SLACK 2
/* Pages the two may have copied by the child's first look: the top page
 * of each one's stack, written by its next call. */
#define STACK_COPIES_MAX 2

static struct meminfo
info(void)
{
	struct meminfo m;

	assert(meminfo(&m) == 0);
	return m;
}

/* The child's look at what fork and one write cost. Only the parent and
 * the child map the pages, so each page of the child's that is not
 * shared is one copy made since the fork, by either of them. */
static void
child(const struct meminfo *before, char *heap, unsigned pages)
{
	struct meminfo now = info();
	unsigned copies = now.mapped_pages - now.shared_pages;
	unsigned took = before->free_frames - now.free_frames;
	unsigned owed = now.table_frames + now.kernel_frames + now.reserved_pages + copies;

	printf("cowshare: fork took %u frames: tables %u, kernel %u, reserved %u, copies %u; %u of %u pages shared\n",
		took, now.table_frames, now.kernel_frames, now.reserved_pages, copies,
		now.shared_pages, now.mapped_pages);
	assert(now.mapped_pages == before->mapped_pages);
	assert(copies <= STACK_COPIES_MAX && now.shared_pages >= pages);
	assert(took >= owed && took <= owed + KERNEL_HEAP_SLACK);

	/* The parent may copy its stack page in the meantime: that is one
	 * more page unshared and one more frame, seen in both numbers. A
	 * frame more than that is the kernel heap's. */
	char *page = heap + pages / 2 * PAGE;
	assert(*page == (char)(pages / 2));
	struct meminfo unwritten = info();
	*page = 0x77;
	struct meminfo written = info();
	unsigned unshared = unwritten.shared_pages - written.shared_pages;
	unsigned used = unwritten.free_frames - written.free_frames;
	printf("cowshare: one write unshared %u page(s) and used %u frame(s)\n", unshared, used);
	assert(unshared >= 1 && unshared <= 2 && used >= unshared && used <= unshared + 1);
	assert(*page == 0x77 && page[-PAGE] == (char)(pages / 2 - 1));
	exit(0);
}

int
main(void)
{
	struct meminfo start = info();
	unsigned pages = start.free_frames / 2;         /* room for the fork and copies */

	if (pages > HEAP_PAGES_MAX)
		pages = HEAP_PAGES_MAX;
	char *heap = sbrk(pages * PAGE);
	assert(heap != (void *)-1);
	for (unsigned i = 0; i < pages; i++)
		heap[i * PAGE] = (char)i;               /* vm=lazy maps it now */
	fflush(stdout);

	struct meminfo before = info();
	pid_t pid = fork();
	assert(pid >= 0);
	if (pid == 0)
		child(&before, heap, pages);

	int status;
	assert(waitpid(pid, &status, 0) == pid);
	assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert(heap[pages / 2 * PAGE] == (char)(pages / 2));  /* the child's write stayed its own */
	printf("cowshare: %u heap pages shared by fork, the child's write its own\n", pages);
	return 0;
}
