	/*
	 * TODO (lab heap): walk the list from f (f itself first) along the
	 * next links (free_block_at()), and return the first block whose
	 * size (tag_size()) is at least size; NULL at the end of the list.
	 * Check each block you pass: one whose tag is damaged (tag_ok()) or
	 * marked used is reported with heap_report(h, "damaged free block",
	 * ...) and ends the search with NULL.
	 */
	lab_missing("heap", "freelist_first_fit");
