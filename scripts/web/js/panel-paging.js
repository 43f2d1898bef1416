// The current page directory and one of its page tables, read from
// physical memory as the MMU reads them.
//
// Which directory is current: the kernel keeps it in src/mm/uspace.c's
// `current` (the running program's struct user_space, whose as.directory
// is what uspace_switch() put in CR3), or NULL when no program runs and
// CR3 holds the kernel's own directory, kernel_page_directory
// (src/boot/entry.asm). v86's own copy of CR3 is shown beside it.
//
// The directory is listed as the monitor's `pd` lists it: present
// entries, runs with the same user and writable bits merged.
import { hex } from "./guest.js";

export function currentDirectory(guest) {
	const program = guest.readVirtual32(guest.symbol("current", "src/mm/uspace.c"));
	if (program === 0)
		return { directory: guest.kernelDirectory, whose: "the kernel's own (uspace.c: current is NULL)" };
	const directory = guest.readField("user_space", program, "as.directory");
	return { directory, whose: `a program's (uspace.c: current = 0x${hex(program)})` };
}

function rights(entry, d) {
	return `${entry & d.PTE_USER ? "user" : "supervisor"} ${entry & d.PTE_WRITABLE ? "writable" : "read-only"}`;
}

export function readDirectory(guest, directory) {
	const entries = [];
	for (let i = 0; i < guest.defines.ENTRIES_PER_TABLE; i++)
		entries.push(guest.read32(directory + 4 * i));
	return entries;
}

export function renderDirectory(element, guest, current, entries, cpuCr3) {
	const d = guest.defines;
	const present = entries.filter(e => e & d.PTE_PRESENT).length;
	const lines = [
		`current: ${current.whose}`,
		`pd: directory at 0x${hex(current.directory)}, ${present} of ${entries.length} entries present`,
	];
	if (cpuCr3 !== undefined)
		lines.push(`(v86's CR3 register: 0x${hex(cpuCr3 & d.PTE_FRAME_MASK)})`);
	const sameRun = (a, b) => (a & (d.PTE_USER | d.PTE_WRITABLE)) === (b & (d.PTE_USER | d.PTE_WRITABLE));
	for (let i = 0; i < entries.length; i++) {
		if (!(entries[i] & d.PTE_PRESENT))
			continue;
		let last = i;
		while (last + 1 < d.RECURSIVE_PDE && (entries[last + 1] & d.PTE_PRESENT) && sameRun(entries[i], entries[last + 1]))
			last++;
		const end = ((last << d.PDE_SHIFT) + (1 << d.PDE_SHIFT) - 1) >>> 0;
		lines.push(`  pde ${String(i).padStart(4)}-${String(last).padStart(4)}  0x${hex(i << d.PDE_SHIFT)}-0x${hex(end)}  ` +
			rights(entries[i], d) + (i === d.RECURSIVE_PDE ? "  the recursive slot: the directory itself" : ""));
		i = last;
	}
	element.textContent = lines.join("\n");
}

// The page table under directory entry index: present entries, runs
// of pages that map consecutive frames with the same rights merged.
export function renderTable(element, guest, entries, index) {
	const d = guest.defines;
	const pde = entries[index];
	const base = (index << d.PDE_SHIFT) >>> 0;
	if (!(pde & d.PTE_PRESENT)) {
		element.textContent = `pde ${index} (0x${hex(base)}): not present`;
		return;
	}
	const table = (pde & d.PTE_FRAME_MASK) >>> 0;
	const lines = [`pde ${index}: 0x${hex(pde)}, its page table at 0x${hex(table)}`];
	const frame = e => (e & d.PTE_FRAME_MASK) >>> 0;
	const flags = e => e & (d.PTE_USER | d.PTE_WRITABLE | d.PTE_COW);
	let mapped = 0;
	for (let i = 0; i < d.ENTRIES_PER_TABLE; i++) {
		const pte = guest.read32(table + 4 * i);
		if (!(pte & d.PTE_PRESENT))
			continue;
		let last = i;
		for (;;) {
			const next = last + 1 < d.ENTRIES_PER_TABLE ? guest.read32(table + 4 * (last + 1)) : 0;
			if (!(next & d.PTE_PRESENT) || flags(next) !== flags(pte) ||
			    frame(next) !== frame(pte) + (last + 1 - i) * d.PAGE_SIZE)
				break;
			last++;
		}
		const va = (base + i * d.PAGE_SIZE) >>> 0, vaEnd = (base + (last + 1) * d.PAGE_SIZE - 1) >>> 0;
		const paEnd = (frame(pte) + (last + 1 - i) * d.PAGE_SIZE - 1) >>> 0;
		lines.push(`  pte ${String(i).padStart(4)}-${String(last).padStart(4)}  0x${hex(va)}-0x${hex(vaEnd)} -> ` +
			`0x${hex(frame(pte))}-0x${hex(paEnd)}  ${rights(pte, d)}${pte & d.PTE_COW ? " copy-on-write" : ""}`);
		mapped += last - i + 1;
		i = last;
	}
	lines.push(`${mapped} of ${d.ENTRIES_PER_TABLE} pages mapped`);
	element.textContent = lines.join("\n");
}
