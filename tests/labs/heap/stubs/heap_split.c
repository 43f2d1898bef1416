	/*
	 * TODO (lab heap): carve the used block out of free block f, as the
	 * comment above says. Work out the tail (what is left after lead and
	 * size); a tail too small for a free block of its own
	 * (HEAP_MIN_BLOCK) goes to the used block. Then the free list: a tail
	 * takes f's place (freelist_move(): it keeps f's end), and a lead, if
	 * any, is a free block again before it (freelist_insert()); with no
	 * tail, a lead keeps f's place with its new size (freelist_resize()),
	 * and with neither f leaves the list (freelist_remove()). Keep
	 * h->free_blocks, h->free_bytes and h->used_blocks right. Last, the
	 * used block's header (tag_set(): its size, HEAP_USED, and
	 * HEAP_PREV_FREE when a lead is before it) and, with no tail, the
	 * next block's HEAP_PREV_FREE bit (block_set_prev_free()).
	 */
	lab_missing("heap", "heap_split");
