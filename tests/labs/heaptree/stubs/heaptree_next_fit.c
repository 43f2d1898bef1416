	/*
	 * TODO (lab heaptree): the first block above f in address order that
	 * holds size bytes. The blocks above f are, in order: f's right
	 * subtree, then each ancestor that f lies to the left of, each
	 * followed by its own right subtree. Search them in that order,
	 * using heaptree_max() to skip a subtree with no fit and
	 * heaptree_first_fit() to search one that has one.
	 */
	(void)h, (void)f, (void)size;
	lab_missing("heaptree", "heaptree_next_fit");
