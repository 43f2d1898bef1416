	/*
	 * TODO (lab paging): refuse a bad request (check_request(), and a pa
	 * that is not page-aligned: -EINVAL); walk to va's entry creating its
	 * page table if needed; refuse to overwrite a present entry
	 * (-EEXIST); else write pa with flags and PTE_PRESENT. Close the walk
	 * on every path. Does the TLB need a flush here?
	 */
	lab_missing("paging", "vmm_map");
