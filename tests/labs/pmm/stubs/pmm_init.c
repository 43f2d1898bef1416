	/*
	 * TODO (lab pmm): check the ranges (ranges_valid()) and the stack's
	 * capacity (a slot for every owned frame) and refuse with -EINVAL;
	 * then set up the whole of `pmm`: an empty stack, every owned frame
	 * counted and waiting in the reservoir (copy the ranges; the cursor
	 * on the first frame of the first range), the bitmap covering frames
	 * 0 to the last owned one, no reservation, the warn function. owned
	 * may be NULL when n is 0. Push nothing and clear nothing: that is
	 * the reservoir's point (the bitmap's words are cleared as frames
	 * first leave the reservoir, by take_frame()).
	 */
	/* Yours to call; named here so that the compiler accepts them unused: */
	(void)ranges_valid;
	lab_missing("pmm", "pmm_init");
