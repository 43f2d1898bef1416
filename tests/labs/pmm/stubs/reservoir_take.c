	/*
	 * TODO (lab pmm): hand out the frame at the cursor (next_range,
	 * next_frame), count it out of pmm.unused, and move the cursor on:
	 * to the next frame, or at the end of its range to the first frame
	 * of the next range, if there is one.
	 */
	lab_missing("pmm", "reservoir_take");
