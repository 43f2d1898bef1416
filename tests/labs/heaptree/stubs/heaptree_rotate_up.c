	/*
	 * TODO (lab heaptree): lift x one level, above its parent p, as the
	 * picture above shows: if x is p's left child, x's right subtree
	 * becomes p's left one and p becomes x's right child (the mirror
	 * image if x is p's right child). Five links change, and each
	 * changed child must point back to its new parent: the subtree that
	 * moved, p, x, and whatever linked to p before (its parent's child
	 * link, or h->root: heaptree_link() finds it). Last the maxes: x now
	 * holds everything p held, and p's must be recomputed from its own
	 * size and its new children (heaptree_pull()).
	 */
	(void)x;
	lab_missing("heaptree", "heaptree_rotate_up");
