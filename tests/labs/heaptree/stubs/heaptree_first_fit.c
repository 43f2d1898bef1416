	/*
	 * TODO (lab heaptree): the lowest-addressed block of at least size
	 * bytes under n. If the subtree's max is smaller there is none
	 * (heaptree_max()). Otherwise walk down, never back: prefer the
	 * left subtree whenever its max holds size (a fit there is lower
	 * than this node), else this node if it is large enough, else the
	 * right subtree (its max must hold size: why?). Check each node you
	 * reach before you trust it: a tag that is not valid or not free
	 * (tag_ok(), block_used()) is reported with heap_report(h,
	 * "damaged free block", ...) as heap.c reports damage, and the
	 * search returns NULL.
	 */
	(void)h, (void)n, (void)size;
	lab_missing("heaptree", "heaptree_first_fit");
