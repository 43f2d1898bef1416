// The kernel heap's blocks, walked from outside as heap_next_block()
// walks them inside (src/mm/heap.c, src/mm/heapblock.h): the region is
// [heap.start, heap.brk) of src/mm/kheap.c's `heap`; its first block's
// header is TAG_SIZE bytes in, each header holds the block's size (with
// HEAP_USED and HEAP_PREV_FREE in the low bits) and a check word,
// size ^ HEAP_TAG_KEY, and the next block starts size bytes further on,
// up to the end tag at brk - TAG_SIZE.
//
// Printed as the monitor's `heap` prints it (include/monitor.h), with a
// bar drawn to scale: used blocks red, free ones green.
import { hex } from "./guest.js";

const BLOCKS_MAX = 100000;      // a damaged heap must not hang the page
const ROWS_SHOWN = 200;

export function readHeap(guest) {
	const d = guest.defines;
	if (guest.readVirtual8(guest.symbol("guard", "src/mm/kheap.c")))
		return { guard: true };
	const base = guest.symbol("heap", "src/mm/kheap.c");
	const start = guest.readField("heap", base, "start"), brk = guest.readField("heap", base, "brk");
	const heap = { start, brk, blocks: [], damaged: null,
		counted: { used: guest.readField("heap", base, "used_blocks"), free: guest.readField("heap", base, "free_blocks") } };
	const tag = guest.field("heap_tag", "(size)")[1];
	const [sizeAt] = guest.field("heap_tag", "size"), [checkAt] = guest.field("heap_tag", "check");
	for (let b = start + tag; b < brk - tag && heap.blocks.length < BLOCKS_MAX;) {
		const word = guest.readVirtual32(b + sizeAt), check = guest.readVirtual32(b + checkAt);
		const size = (word & ~d.HEAP_FLAG_MASK) >>> 0;
		if (((word ^ check) >>> 0) !== (d.HEAP_TAG_KEY >>> 0) || size === 0) {
			heap.damaged = b;   // the kernel's heap_check would say so too
			break;
		}
		heap.blocks.push({ payload: b + tag, size, used: (word & d.HEAP_USED) !== 0 });
		b += size;
	}
	return heap;
}

export function renderHeap(element, heap) {
	element.replaceChildren();
	const text = document.createElement("div");
	element.append(text);
	if (heap.guard) {
		text.textContent = "heap: kheap=guard gives each allocation pages of its own: no blocks";
		return;
	}
	const size = heap.brk - heap.start;
	if (size === 0) {
		text.textContent = "heap: empty: nothing allocated yet";
		return;
	}
	let usedBytes = 0, freeBytes = 0, largest = 0, used = 0;
	for (const b of heap.blocks) {
		if (b.used) {
			used++;
			usedBytes += b.size;
		} else {
			freeBytes += b.size;
			largest = Math.max(largest, b.size);
		}
	}
	const free = heap.blocks.length - used;
	const tenths = freeBytes ? Math.floor((freeBytes - largest) * 1000 / freeBytes) : 0;
	const lines = [`heap: 0x${hex(heap.start)}-0x${hex(heap.brk - 1)}, ${size} bytes`];
	for (const b of heap.blocks.slice(0, ROWS_SHOWN))
		lines.push(`  0x${hex(b.payload)} ${String(b.size).padStart(8)}  ${b.used ? "used" : "free"}`);
	if (heap.blocks.length > ROWS_SHOWN)
		lines.push(`  ... ${heap.blocks.length - ROWS_SHOWN} more`);
	if (heap.damaged !== null)
		lines.push(`heap: the header at 0x${hex(heap.damaged)} is damaged: the walk stops there`);
	lines.push(`heap: ${heap.blocks.length} blocks: ${used} used (${usedBytes} bytes), ${free} free (${freeBytes} bytes); ` +
		`largest free ${largest}; fragmentation ${Math.floor(tenths / 10)}.${tenths % 10}%`);
	lines.push(`(the heap's own counts: ${heap.counted.used} used, ${heap.counted.free} free)`);
	text.textContent = lines.join("\n");
	element.append(drawBar(heap.blocks));
}

function drawBar(blocks) {
	const bar = document.createElement("div");
	bar.className = "heap-bar";
	for (const b of blocks.slice(0, ROWS_SHOWN)) {
		const span = document.createElement("span");
		span.className = b.used ? "used" : "free";
		span.style.flexGrow = b.size;
		span.title = `0x${hex(b.payload)}: ${b.size} bytes ${b.used ? "used" : "free"}`;
		bar.append(span);
	}
	return bar;
}
