// Reading the running kernel's memory from outside, as a debugger does.
//
// v86 hands out the guest's PHYSICAL memory (emulator.read_memory). The
// kernel's variables have VIRTUAL addresses (the symbols in the kernel
// index, made at build time by scripts/web/kernel-index.py), so each read
// walks the page tables the way the MMU does: the directory entry, then
// the page table entry, then the frame. The kernel half of every address
// space is the same (src/mm/vmm.c copies it into each directory), so the
// walk starts from the kernel's own directory, wherever the CPU is.
//
// Pages read are kept for one refresh (a snapshot), so a panel that reads
// a table entry by entry costs one copy of the page.

export class Guest {
	constructor(emulator, index) {
		this.emulator = emulator;
		this.index = index;
		this.defines = index.defines;
		this.pages = new Map();
		const d = this.defines;
		// The image is linked at KERNEL_BASE + its physical address
		// (include/layout.h), so its own symbols need no walk.
		this.kernelDirectory = this.imagePhysical(this.symbol("kernel_page_directory"));
		this.frameMask = d.PTE_FRAME_MASK >>> 0;
	}

	// Forget the pages read: the next reads see the guest as it is now.
	newSnapshot() {
		this.pages.clear();
	}

	// The 4 KiB page of physical memory holding phys, read once a snapshot.
	page(phys) {
		const frame = phys - (phys % 4096);
		let bytes = this.pages.get(frame);
		if (bytes === undefined) {
			bytes = this.emulator.read_memory(frame, 4096);
			this.pages.set(frame, bytes);
		}
		return bytes;
	}

	// A little-endian 32-bit word at a physical address (4-aligned, as
	// every field the panels read is).
	read32(phys) {
		const b = this.page(phys), i = phys % 4096;
		return (b[i] | b[i + 1] << 8 | b[i + 2] << 16 | b[i + 3] << 24) >>> 0;
	}

	read8(phys) {
		return this.page(phys)[phys % 4096];
	}

	// The address of a symbol; file ("src/mm/uspace.c") picks one of
	// several static variables that share a name.
	symbol(name, file) {
		const found = this.index.symbols.filter(s => s.name === name && (!file || s.file === file));
		if (found.length !== 1)
			throw new Error(`symbol ${name}${file ? " in " + file : ""}: ${found.length} found in the index`);
		return found[0].address;
	}

	// Where a field of a structure lies: [offset, size] from the ELF's
	// debug information.
	field(struct, name) {
		const f = this.index.structs[struct][name];
		if (f === undefined)
			throw new Error(`struct ${struct} has no field ${name} in the index`);
		return f;
	}

	imagePhysical(va) {
		return (va - this.defines.KERNEL_BASE) >>> 0;
	}

	// The physical address va maps to under directory (physical), or null
	// when a level is not present: the two-level walk of chapter 4.
	translate(directory, va) {
		const d = this.defines;
		const pde = this.read32(directory + (va >>> d.PDE_SHIFT) * 4);
		if (!(pde & d.PTE_PRESENT))
			return null;
		const table = (pde & this.frameMask) >>> 0;
		const pte = this.read32(table + ((va >>> d.PAGE_SHIFT) % d.ENTRIES_PER_TABLE) * 4);
		if (!(pte & d.PTE_PRESENT))
			return null;
		return ((pte & this.frameMask) >>> 0) + (va % d.PAGE_SIZE);
	}

	// A word at a kernel virtual address; throws if it is not mapped.
	readVirtual32(va) {
		const phys = this.translate(this.kernelDirectory, va >>> 0);
		if (phys === null)
			throw new Error(`0x${hex(va)} is not mapped`);
		return this.read32(phys);
	}

	readVirtual8(va) {
		const phys = this.translate(this.kernelDirectory, va >>> 0);
		if (phys === null)
			throw new Error(`0x${hex(va)} is not mapped`);
		return this.read8(phys);
	}

	// One field of the structure at virtual address base.
	readField(struct, base, name) {
		const [offset, size] = this.field(struct, name);
		return size === 1 ? this.readVirtual8(base + offset) : this.readVirtual32(base + offset);
	}
}

// Eight hex digits, as the kernel prints addresses.
export function hex(n) {
	return (n >>> 0).toString(16).padStart(8, "0");
}
