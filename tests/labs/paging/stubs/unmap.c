	/*
	 * TODO (lab paging): refuse an unaligned or reserved va (-EINVAL);
	 * walk to va's entry without creating anything; if it maps a page,
	 * clear it and keep the TLB right (flush()); close the walk. Return
	 * -ENOENT if nothing was mapped, else give the frame back in *pa (when
	 * pa is not NULL) and, with drop, let an emptied user page table go
	 * (vmm_drop_table_if_empty()).
	 */
	lab_missing("paging", "unmap");
