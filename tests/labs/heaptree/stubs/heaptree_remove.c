	/*
	 * TODO (lab heaptree): take node f out, keeping both orders. While
	 * f has two children, rotate the child with the higher priority up
	 * above f (heaptree_rotate_up()): f sinks one level and the
	 * priority order still holds. Once f has one child or none, that
	 * child (or 0) takes f's place: its parent link, and the link that
	 * held f (heaptree_link()). The maxes above f's old place may now be
	 * too large: heaptree_update_up() from f's parent fixes them.
	 */
	(void)h, (void)f, (void)heaptree_rotate_up;
	lab_missing("heaptree", "heaptree_remove");
