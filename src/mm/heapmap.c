/*
 * The heap core's mapped blocks: a block of at least h->mapping->threshold
 * bytes gets a region of its own from the caller's map() and gives it
 * back with unmap() when freed, so that a big block freed leaves no hole
 * in the heap and its pages go back at once (glibc's mmapped chunks). The
 * layout, and why free trusts only the list, are in heapmap.h. Only the
 * host's tools use it: kmalloc and malloc pass no map().
 */
#include <string.h>

#include "heapmap.h"

/* The payload of mapped block m. */
static inline void *
heapmap_payload(struct heap_mapped *m)
{
	return m + 1;
}

/* Returns a mapped block of need bytes (header included) on the list, or
 * NULL when map() refuses or gives a region the core cannot use (then
 * the heap serves the request). */
void *
heapmap_alloc(struct heap *h, uint32_t need)
{
	size_t bytes = heapmap_region_bytes(need);

	if (!HEAP_WITH_MAPPING || bytes > UINT32_MAX - HEAP_PAGE_SIZE)
		return NULL;
	struct heap_mapping *hm = h->mapping;
	struct heap_mapped *m = hm->map(h->ctx, bytes);
	if (m == NULL)
		return NULL;
	if ((uintptr_t)m % HEAP_ALIGN != 0) {
		heap_report(h, "map callback gave an unaligned region", m, NULL, NULL);
		return NULL;
	}
	tag_set(&m->tag, (uint32_t)bytes | HEAP_MAPPED | HEAP_USED);
	m->next = hm->live;
	hm->live = m;
	hm->blocks++;
	hm->bytes += bytes;
	hm->maps++;
	return heapmap_payload(m);
}

/*
 * Returns the header of the live mapped block whose payload is ptr (for
 * heap_lookup, when ptr is outside the region), or reports why
 * there is none and returns NULL. The block is looked for on the list,
 * never read at ptr first: a pointer that is not on it (freed already,
 * foreign, or a forged header saying HEAP_MAPPED) is refused without
 * touching what it points to, so free can unmap only a region that map()
 * gave. The walk is O(mapped blocks), few as they are big, and bounded
 * by their count, so a damaged link is reported, not followed forever.
 */
struct heap_tag *
heapmap_find(struct heap *h, void *ptr, void *caller)
{
	if (!HEAP_WITH_MAPPING)         /* a build without: never called */
		return NULL;
	struct heap_mapped *m = h->mapping->live;
	for (size_t n = 0; m != NULL && n < h->mapping->blocks; m = m->next, n++) {
		if ((uintptr_t)m % HEAP_ALIGN != 0 || !tag_ok(&m->tag)) {
			heap_report(h, "damaged mapped block", ptr, NULL, caller);
			return NULL;
		}
		if (heapmap_payload(m) != ptr)
			continue;
		if ((m->tag.size & HEAP_FLAG_MASK) == (HEAP_MAPPED | HEAP_USED))
			return &m->tag;
		heap_report(h, "damaged mapped block", ptr, &m->tag, caller);
		return NULL;
	}
	heap_report(h, m == NULL ? "invalid free (no live block there, in the heap or mapped)"
		: "damaged mapped block list", ptr, NULL, caller);
	return NULL;
}

/* Takes mapped block b (as heapmap_find gave it) off the list and
 * unmaps its region. */
void
heapmap_release(struct heap *h, struct heap_tag *b)
{
	struct heap_mapped *m = heapmap_of(b), **link = &h->mapping->live;
	size_t bytes = tag_size(&m->tag);

	if (!HEAP_WITH_MAPPING)
		return;
	while (*link != m)
		link = &(*link)->next;  /* m is on the list: heapmap_find said so */
	*link = m->next;
	h->mapping->blocks--;
	h->mapping->bytes -= bytes;
	h->mapping->unmap(h->ctx, m, bytes);
}

/* realloc of mapped block b (as heapmap_find gave it): it stays if its region is the size the new
 * one would be; otherwise the block moves (to a new region, or into the
 * heap below the threshold) and m is unmapped. There is no mremap in the
 * callbacks: a move copies. Returns the payload, or NULL (m untouched)
 * when out of memory. */
void *
heapmap_realloc(struct heap *h, struct heap_tag *b, size_t size)
{
	struct heap_mapped *m = heapmap_of(b);
	size_t have = tag_size(&m->tag) - HEAP_MAP_LEAD;
	size_t need = (size + TAG_SIZE + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);

	if (!HEAP_WITH_MAPPING)
		return NULL;
	if (heapmap_wants(h, (uint32_t)need) &&
	    heapmap_region_bytes(need) == tag_size(&m->tag))
		return heapmap_payload(m);
	void *q = heap_alloc(h, size);
	if (q == NULL)
		return NULL;
	memcpy(q, heapmap_payload(m), have < size ? have : size);
	heapmap_release(h, b);
	return q;
}

/* heap_check's part: every block on the list is intact and marked
 * mapped, and the list holds mapped_blocks blocks of mapped_bytes.
 * Returns what is wrong, or NULL. */
const char *
heapmap_check(struct heap *h)
{
	size_t n = 0, bytes = 0;

	if (!heapmap_on(h))
		return NULL;
	for (struct heap_mapped *m = h->mapping->live; m != NULL; m = m->next, n++) {
		if (n == h->mapping->blocks)
			return "mapped block list longer than its count";
		if ((uintptr_t)m % HEAP_ALIGN != 0 || !tag_ok(&m->tag) ||
		    (m->tag.size & HEAP_FLAG_MASK) != (HEAP_MAPPED | HEAP_USED) ||
		    tag_size(&m->tag) % HEAP_PAGE_SIZE != 0)
			return "damaged mapped block";
		bytes += tag_size(&m->tag);
	}
	if (n != h->mapping->blocks || bytes != h->mapping->bytes)
		return "mapped block counters disagree with the list";
	return NULL;
}
