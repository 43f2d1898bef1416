// The frame allocator's books, read from the static `pmm` of
// src/mm/pmm.c. The counts are derived as pmm_get_stats() derives them,
// and printed in the words of the monitor's `frames` command
// (include/monitor.h), so the two can be compared line by line:
// free frames are on the stack (depth) or in the reservoir (unused);
// the reserved ones among them are promised, not free to allocate.

export function readPmm(guest) {
	const base = guest.symbol("pmm", "src/mm/pmm.c");
	const get = name => guest.readField("pmm", base, name);
	const total = get("total"), stacked = get("depth"), reservoir = get("unused");
	const promised = get("reserved");
	return {
		total,
		free: stacked + reservoir - promised,
		promised,
		handedOut: total - (stacked + reservoir),
		stacked,
		reservoir,
	};
}

export function renderPmm(element, s) {
	const share = s.total ? Math.round(100 * s.handedOut / s.total) : 0;
	element.textContent =
		`frames: ${s.total} total: ${s.free} free, ${s.promised} promised, ${s.handedOut} handed out\n` +
		`frames: the free ones: ${s.stacked} on the stack, ${s.reservoir} in the reservoir\n` +
		`${share}% of the frames handed out (${s.handedOut * 4} KiB)`;
}
