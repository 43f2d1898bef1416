	/*
	 * TODO (lab heaptree): two passes, as the comment above says.
	 * Down: from h->root, go left when f lies below the node, right
	 * when above, and on the way raise the max of every node you pass
	 * to f's size if it is smaller (f will be under each of them). Hang
	 * f where the walk fell off the tree, a leaf: no children, its
	 * parent set, its max its own size (tag_size()). Up: while f's
	 * priority (heaptree_priority()) is higher than its parent's,
	 * rotate it up (heaptree_rotate_up()). Offsets, not pointers:
	 * free_block_off() and free_block_at() convert; 0 means none.
	 */
	(void)h, (void)f, (void)heaptree_rotate_up;
	lab_missing("heaptree", "heaptree_insert");
