	/*
	 * TODO (lab sbrk): lazy growth. Reserve a frame in the PMM for each
	 * page of [from, to) (pmm_reserve(): -ENOMEM if it cannot), and make
	 * every page table those pages will need now
	 * (vmm_prepare_table(), one per 4 MiB), so that a first touch cannot
	 * fail. If a table cannot be made, give the reservation back and the
	 * tables made so far (drop_tables()), and return -ENOMEM. Count the
	 * promise in us->promised.
	 */
	lab_missing("sbrk", "promise_pages");
