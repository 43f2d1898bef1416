	/*
	 * TODO (lab sbrk): the first touch of a promised page. Say no (false)
	 * unless us is lazy, addr lies in the heap (from heap_start to the
	 * break rounded up), a promise is left, and addr's page is not mapped
	 * yet (vmm_translate()). Then take a reserved frame
	 * (pmm_alloc_reserved()), zero it and map it user-writable. If the
	 * map fails, free the frame and reserve it again: the promise stands.
	 * One promise fewer.
	 */
	lab_missing("sbrk", "brk_fault_in");
