	/*
	 * TODO (lab sbrk): the heap core's more() is sbrk (include/heap.h says
	 * what it must do): move the break by delta and return the old
	 * break, but NULL where sbrk says (void *)-1.
	 */
	lab_missing("sbrk", "malloc_more");
