	/*
	 * TODO (lab memmap): read "SIZE@ADDR", "SIZE$ADDR" or "SIZE#ADDR"
	 * (value[0..len), not NUL-terminated). Find the separator with
	 * edit_type(), which names the type each of @ $ # adds; parse the
	 * two numbers on either side with cmdline_parse_size(); and refuse,
	 * as include/memmap.h says, a missing separator, a bad number (pass
	 * its error on) and a SIZE of 0. Set *base, *size, *type only on
	 * success.
	 */
	/* Yours to call; named here so that the compiler accepts them unused: */
	(void)edit_type;
	lab_missing("memmap", "memmap_parse_edit");
