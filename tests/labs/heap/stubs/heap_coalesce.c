/*
 * TODO (lab heap): the four cases of freeing a used block b, with P and
 * N its neighbours. b's own HEAP_PREV_FREE bit says whether P is free
 * (block_prev() then finds it through P's footer); N's header says
 * whether N is (block_next(), block_used()):
 *
 *   1. | used | b | used |     b becomes a free block of its own
 *                              (freelist_insert()), one more free block
 *   2. | P free | b | used |   P grows over b (freelist_resize())
 *   3. | used | b | N free |   b takes N in, and N's place (freelist_move())
 *   4. | P free | b | N free | one block from P's start to N's end; one
 *                              free block fewer
 *
 * In cases 2 and 4, set b's old header to a free tag of its size first
 * (tag_set()): it is inside a free block then, and a second free of b
 * must still say "double free". No two free blocks may ever touch.
 */

/* Frees block b (a used block, or fresh memory with a used header),
 * merging it with whichever neighbours are free: no two free blocks are
 * ever left side by side. Returns the free block that now holds b. */
static struct heap_free *
heap_coalesce(struct heap *h, struct heap_tag *b)
{
	/* Yours to call; named here so that the compiler accepts them unused: */
	(void)freelist_insert;
	lab_missing("heap", "heap_coalesce");
}
