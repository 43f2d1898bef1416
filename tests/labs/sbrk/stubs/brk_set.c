	/*
	 * TODO (lab sbrk): move us->brk to new_break, as include/brk.h says.
	 * Refuse below heap_start (-EINVAL) and past USER_STACK_GUARD
	 * (-ENOMEM). Pages count from the break rounded up (page_round_up()):
	 * growing to more pages maps them (map_pages(), vm=eager) or promises
	 * them (promise_pages(), vm=lazy, when us->lazy), and a failure
	 * changes nothing; shrinking to fewer releases them
	 * (release_pages()). Growth reads as zeros even inside the old
	 * break's page (zero_in_page()); after a fork that page may be
	 * shared copy-on-write with another process, so make it this
	 * process's own first (make_private(), -ENOMEM with nothing changed
	 * if it cannot). Set the break last.
	 */
	/* Yours to call; named here so that the compiler accepts them unused: */
	(void)map_pages, (void)promise_pages, (void)release_pages, (void)zero_in_page,
		(void)make_private;
	lab_missing("sbrk", "brk_set");
