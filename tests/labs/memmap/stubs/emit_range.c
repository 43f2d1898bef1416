	/*
	 * TODO (lab memmap): append first..last of type to m->range. Two
	 * jobs: apply mem= (m->has_limit, m->limit): a usable range that
	 * reaches the limit ends just below it, one that starts at or above
	 * it is dropped, other types stay whole; and merge with the range
	 * before when it has the same type and ends right before first.
	 */
	lab_missing("memmap", "emit_range");
