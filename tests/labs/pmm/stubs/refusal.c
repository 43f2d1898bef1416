	/*
	 * TODO (lab pmm): say why pa cannot be freed, in the words of the
	 * table in docs/03-physical-memory.md ("Layer: the bitmap"), which
	 * the tests expect, checking in this order: not
	 * frame-aligned; below 1 MiB (PMM_LOW_LIMIT); not in any owned range
	 * (owned_range_of()); still in the reservoir, so never allocated
	 * (in_reservoir()); and otherwise a double free.
	 */
	/* Yours to call; named here so that the compiler accepts them unused: */
	(void)in_reservoir;
	lab_missing("pmm", "refusal");
