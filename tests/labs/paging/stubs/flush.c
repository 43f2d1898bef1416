	/*
	 * TODO (lab paging): a changed entry may still be cached in the TLB.
	 * Drop va's (invlpg()) when it can be there: in the current address
	 * space, and for kernel addresses, which every space shares.
	 */
	lab_missing("paging", "flush");
