# GDB commands that look inside a stopped Cairn kernel, printing exactly
# the lines of the monitor's commands (the formats are in
# include/monitor.h; tests/monitor/gdb_test.sh compares the two):
#
#   cairn-e820     the sanitized memory map           (monitor: e820)
#   cairn-frames   the frame allocator's books         (frames)
#   cairn-walk VA  the walk of one address             (vm VA)
#   cairn-pd       the page directory, runs merged     (pd)
#   cairn-maps     every mapped range, named           (maps)
#   cairn-heap     the kernel heap's blocks            (heap)
#   cairn-ps       the process table                   (ps)
#
# Load it with `source scripts/cairn-gdb.py` (make debug does), with the
# kernel's symbols loaded (symbol-file build/kernel.elf).
#
# The kernel's structures (the static `pmm` of src/mm/pmm.c, `heap` of
# src/mm/kheap.c, `map` of src/mm/physmem.c, `table` of
# src/kernel/process.c) are read by symbol, through the virtual memory of
# whatever address space is current: the kernel half is the same in all.
# The page tables are read through PHYSICAL memory, from CR3 down, the way
# the MMU reads them: QEMU's gdbstub switches to physical addresses with
# the packet Qqemu.PhyMemMode:1 (QEMU 4.1 and later). So the commands work
# wherever the kernel stopped: in a process, in a fault handler, at a
# triple fault's last instruction.
import functools
import struct

import gdb

# include/mmu.h and include/layout.h: macros are not in the debug info.
PAGE_SIZE = 4096
PDE_SHIFT = 22
ENTRIES = 1024
PTE_PRESENT, PTE_WRITABLE, PTE_USER = 0x001, 0x002, 0x004
PTE_WRITETHROUGH, PTE_NOCACHE, PTE_ACCESSED = 0x008, 0x010, 0x020
PTE_DIRTY, PTE_GLOBAL, PTE_COW = 0x040, 0x100, 0x200
PTE_FRAME_MASK = 0xFFFFF000
RECURSIVE_PDE = 1023
RECURSIVE_BASE = RECURSIVE_PDE << PDE_SHIFT
RECURSIVE_DIRECTORY = RECURSIVE_BASE + RECURSIVE_PDE * PAGE_SIZE
KERNEL_BASE = 0xC0000000
KERNEL_LOAD_PHYS = 0x00100000
USER_LIMIT = KERNEL_BASE
USER_STACK_BOTTOM = USER_LIMIT - 0x10000
USER_STACK_GUARD = USER_STACK_BOTTOM - PAGE_SIZE
KSTACK_BASE = 0xCF000000
KSTACK_SLOT_SIZE = (4 + 1) * PAGE_SIZE
KSTACK_SLOTS = 64
KHEAP_BASE, KHEAP_LIMIT = 0xD0000000, 0xE0000000
PMM_META_BASE, PMM_META_LIMIT = KHEAP_LIMIT, KHEAP_LIMIT + 0x800000
KMAP_BASE = RECURSIVE_BASE - (1 << PDE_SHIFT)
KMAP_SLOTS = 16
# include/heap.h
HEAP_TAG_KEY = 0x5EA1C0DE
HEAP_USED = 0x1
HEAP_FLAG_MASK = 0xF
HEAP_MIN_BLOCK = 32
TAG_SIZE = 8
# include/memmap.h: memmap_type_name()
MEMMAP_TYPES = {1: "usable", 2: "reserved", 3: "ACPI data", 4: "ACPI NVS", 5: "unusable"}
# include/process.h: enum process_state
STATES = ["runnable", "running", "sleeping", "waiting", "zombie"]


def out(line):
    gdb.write(line + "\n")


def value(expr):
    return gdb.parse_and_eval(expr)


@functools.lru_cache(maxsize=None)
def addr_of(symbol):
    return int(value("&" + symbol).cast(gdb.lookup_type("unsigned int")))


def read_virtual(addr, size):
    return bytes(gdb.selected_inferior().read_memory(addr, size))


def cr3():
    try:
        return int(value("$cr3")) & 0xFFFFFFFF
    except gdb.error:   # a gdbstub without the control registers
        text = gdb.execute("monitor info registers", to_string=True)
        return int(text.split("CR3=")[1].split()[0], 16)


class Physical:
    """Reads physical memory while in a `with`: QEMU's stub switched to
    physical addresses, and back to virtual ones after."""

    def __enter__(self):
        gdb.execute("maintenance packet Qqemu.PhyMemMode:1", to_string=True)
        gdb.execute("maintenance flush dcache", to_string=True)
        return self

    def __exit__(self, *exc):
        gdb.execute("maintenance packet Qqemu.PhyMemMode:0", to_string=True)
        gdb.execute("maintenance flush dcache", to_string=True)
        return False

    def words(self, pa, count):
        data = bytes(gdb.selected_inferior().read_memory(pa, 4 * count))
        return list(struct.unpack("<%dI" % count, data))


def read_directory():
    """CR3's frame, its 1024 entries, and a function giving table i."""
    directory = cr3() & PTE_FRAME_MASK
    tables = {}
    with Physical() as phys:
        pd = phys.words(directory, ENTRIES)
    def table(i):
        if i not in tables:
            with Physical() as phys:
                tables[i] = phys.words(pd[i] & PTE_FRAME_MASK, ENTRIES)
        return tables[i]
    return directory, pd, table


def read_all_tables(pd):
    """Every present entry's table, in one physical session."""
    with Physical() as phys:
        return {i: phys.words(pd[i] & PTE_FRAME_MASK, ENTRIES)
                for i in range(ENTRIES) if pd[i] & PTE_PRESENT}


# ------------------------------------------------------------ regions

def fault_region(a):
    """src/mm/fault.c: fault_region()."""
    def within(start, end):
        return addr_of(start) <= a < addr_of(end)
    if a < PAGE_SIZE:
        return "the null page"
    if a < USER_LIMIT:
        return "user space"
    guard = addr_of("boot_stack_guard")
    if guard <= a < guard + PAGE_SIZE:
        return "the guard page under the kernel stack"
    if within("text_start", "text_end"):
        return "kernel text"
    if within("rodata_start", "rodata_end"):
        return "kernel read-only data"
    if within("data_start", "kernel_end"):
        return "kernel data"
    if KSTACK_BASE <= a < KSTACK_BASE + KSTACK_SLOTS * KSTACK_SLOT_SIZE:
        if (a - KSTACK_BASE) % KSTACK_SLOT_SIZE < PAGE_SIZE:
            return "the guard page under a process's kernel stack"
        return "a process's kernel stack"
    if KHEAP_BASE <= a < KHEAP_LIMIT:
        return "the kernel heap region"
    if PMM_META_BASE <= a < PMM_META_LIMIT:
        return "the frame allocator's stack, bitmap and owner counts"
    if KMAP_BASE <= a < KMAP_BASE + KMAP_SLOTS * PAGE_SIZE:
        return "a kmap window"
    if a >= RECURSIVE_BASE:
        return "the page tables (recursive mapping)"
    return "unused kernel space"


def process_region(a):
    """src/kernel/process.c: process_region(), for the current process."""
    p = value("current_process")
    if a < PAGE_SIZE:
        return "the null page"
    if USER_STACK_GUARD <= a < USER_STACK_BOTTOM:
        return "the guard page under the stack"
    if a >= USER_STACK_BOTTOM:
        return "the stack"
    brk = int(p["mem"]["brk"])
    if int(p["mem"]["heap_start"]) <= a < (brk + PAGE_SIZE - 1) // PAGE_SIZE * PAGE_SIZE:
        return "the heap"
    image = p["image"]
    for i in range(int(image["nsegments"])):
        s = image["segment"][i]
        if int(s["first"]) <= a < int(s["end"]):
            return "program data" if bool(s["writable"]) else "program text"
    return "unmapped user space"


def region_of(a):
    """src/kernel/monitor_mm.c: region_of()."""
    if a < USER_LIMIT:
        return process_region(a) if int(value("current_process")) else "user space"
    if a < KERNEL_BASE + KERNEL_LOAD_PHYS:
        return "the low 1 MiB (VGA text)"
    return fault_region(a)


# ------------------------------------------------------------ commands

class Command(gdb.Command):
    def __init__(self, name, fn):
        super().__init__(name, gdb.COMMAND_DATA)
        self.fn = fn

    def invoke(self, arg, from_tty):
        self.fn(arg.strip())


def no_args(name, arg):
    if arg:
        raise gdb.GdbError("%s: takes no argument" % name)


def cairn_e820(arg):
    no_args("cairn-e820", arg)
    m = value("'physmem.c'::map")
    for i in range(int(m["nrange"])):
        r = m["range"][i]
        kind = int(r["type"])
        name = MEMMAP_TYPES.get(kind, "type %u" % kind)
        out("e820: [mem 0x%016x-0x%016x] %s" % (int(r["first"]), int(r["last"]), name))


def cairn_frames(arg):
    no_args("cairn-frames", arg)
    p = value("'pmm.c'::pmm")
    total, depth, unused, reserved = (int(p[f]) for f in ("total", "depth", "unused", "reserved"))
    out("frames: %u total: %u free, %u promised, %u handed out"
        % (total, depth + unused - reserved, reserved, total - depth - unused))
    out("frames: the free ones: %u on the stack, %u in the reservoir" % (depth, unused))


def flag_words(e):
    words = ["present", "writable" if e & PTE_WRITABLE else "read-only",
             "user" if e & PTE_USER else "supervisor"]
    for bit, word in ((PTE_WRITETHROUGH, "write-through"), (PTE_NOCACHE, "no-cache"),
                      (PTE_ACCESSED, "accessed"), (PTE_DIRTY, "dirty"),
                      (PTE_GLOBAL, "global"), (PTE_COW, "copy-on-write")):
        if e & bit:
            words.append(word)
    return " ".join(words)


def entry_line(level, index, at, e, va):
    if not e & PTE_PRESENT:
        out("  %s %u at 0x%08x: 0x%08x not present: nothing mapped at 0x%08x" % (level, index, at, e, va))
        return False
    out("  %s %u at 0x%08x: 0x%08x %s" % (level, index, at, e, flag_words(e)))
    return True


def cairn_walk(arg):
    if not arg:
        raise gdb.GdbError("cairn-walk: which address? (cairn-walk VA)")
    va = int(value(arg).cast(gdb.lookup_type("unsigned int"))) & 0xFFFFFFFF
    directory, pd, table = read_directory()
    i, j = va >> PDE_SHIFT, (va >> 12) & (ENTRIES - 1)
    out("vm 0x%08x: %s; directory at 0x%08x (CR3)" % (va, region_of(va), directory))
    if not entry_line("pde", i, RECURSIVE_DIRECTORY + i * 4, pd[i], va):
        return
    pte = table(i)[j]
    if not entry_line("pte", j, RECURSIVE_BASE + i * PAGE_SIZE + j * 4, pte, va):
        return
    out("  physical 0x%08x" % ((pte & PTE_FRAME_MASK) | (va & (PAGE_SIZE - 1))))


def cairn_pd(arg):
    no_args("cairn-pd", arg)
    directory, pd, _ = read_directory()
    present = sum(1 for e in pd if e & PTE_PRESENT)
    out("pd: directory at 0x%08x (CR3), %u of %u entries present" % (directory, present, ENTRIES))
    i = 0
    while i < ENTRIES:
        if not pd[i] & PTE_PRESENT:
            i += 1
            continue
        rights = pd[i] & (PTE_USER | PTE_WRITABLE)
        last = i
        while (last + 1 < RECURSIVE_PDE and pd[last + 1] & PTE_PRESENT
               and pd[last + 1] & (PTE_USER | PTE_WRITABLE) == rights):
            last += 1
        out("  pde %4u-%4u  0x%08x-0x%08x  %s %s%s" % (
            i, last, i << PDE_SHIFT, (last << PDE_SHIFT) + (1 << PDE_SHIFT) - 1,
            "user" if rights & PTE_USER else "supervisor",
            "writable" if rights & PTE_WRITABLE else "read-only",
            "  the recursive slot: the directory itself" if i == RECURSIVE_PDE else ""))
        i = last + 1


def cairn_maps(arg):
    no_args("cairn-maps", arg)
    directory, pd, _ = read_directory()
    tables = read_all_tables(pd)
    out("maps: directory at 0x%08x (CR3)" % directory)
    runs, pages, run = [0], 0, None     # run: [start, pages, rights, region]

    def end_run():
        nonlocal run
        if run:
            start, n, rights, region = run
            out("  0x%08x-0x%08x %6u %-5s  %s %s%s  %s" % (
                start, start + n * PAGE_SIZE - 1, n, "page" if n == 1 else "pages",
                "writable" if rights & PTE_WRITABLE else "read-only",
                "user" if rights & PTE_USER else "supervisor",
                " copy-on-write" if rights & PTE_COW else "", region))
            runs[0] += 1
            run = None

    for i in range(ENTRIES):
        if i not in tables:
            end_run()
            continue
        for j, e in enumerate(tables[i]):
            if not e & PTE_PRESENT:
                end_run()
                continue
            va = (i << PDE_SHIFT) | (j << 12)
            rights = (pd[i] & e & (PTE_WRITABLE | PTE_USER)) | (e & PTE_COW)
            region = region_of(va)
            pages += 1
            if run and va == run[0] + run[1] * PAGE_SIZE and rights == run[2] and region == run[3]:
                run[1] += 1
            else:
                end_run()
                run = [va, 1, rights, region]
    end_run()
    out("maps: %u pages mapped in %u runs" % (pages, runs[0]))


def heap_blocks(start, brk):
    """src/mm/heap.c: heap_next_block(), over [start, brk)."""
    end = brk - TAG_SIZE
    t = start + TAG_SIZE
    while brk != start and t < end:
        size_flags, check = struct.unpack("<II", read_virtual(t, TAG_SIZE))
        size = size_flags & ~HEAP_FLAG_MASK
        if size_flags ^ check != HEAP_TAG_KEY or size < HEAP_MIN_BLOCK or size > end - t:
            return
        yield t + TAG_SIZE, size, bool(size_flags & HEAP_USED)
        t += size


def cairn_heap(arg):
    no_args("cairn-heap", arg)
    if bool(value("'kheap.c'::guard")):
        out("heap: kheap=guard gives each allocation pages of its own: no blocks")
        return
    h = value("'kheap.c'::heap")
    start, brk = int(h["start"]), int(h["brk"])
    size = brk - start
    if size == 0:
        out("heap: empty: nothing allocated yet")
        return
    free_bytes = int(h["free_bytes"])
    used_blocks, free_blocks = int(h["used_blocks"]), int(h["free_blocks"])
    out("heap: 0x%08x-0x%08x, %u bytes" % (KHEAP_BASE, KHEAP_BASE + size - 1, size))
    largest = 0
    for payload, bsize, used in heap_blocks(start, brk):
        out("  0x%08x %8u  %s" % (payload, bsize, "used" if used else "free"))
        if not used:
            largest = max(largest, bsize)
    tenths = (free_bytes - largest) * 1000 // free_bytes if free_bytes else 0
    out("heap: %u blocks: %u used (%u bytes), %u free (%u bytes); largest free %u; "
        "fragmentation %u.%u%%" % (used_blocks + free_blocks, used_blocks,
                                   size - 2 * TAG_SIZE - free_bytes, free_blocks, free_bytes,
                                   largest, tenths // 10, tenths % 10))


def cairn_ps(arg):
    no_args("cairn-ps", arg)
    table = value("'process.c'::table")
    count = 0
    for i in range(table.type.range()[1] + 1):
        p = table[i]
        if not int(p):
            continue
        if count == 0:
            out("  PID  PPID  STATE     NAME")
        count += 1
        parent = p["parent"]
        out("%5d %5d  %-8s  %s" % (int(p["pid"]), int(parent["pid"]) if int(parent) else 0,
                                   STATES[int(p["state"])], p["name"].string()))
    if count == 0:
        out("ps: no processes")


for _name, _fn in (("cairn-e820", cairn_e820), ("cairn-frames", cairn_frames),
                   ("cairn-walk", cairn_walk), ("cairn-pd", cairn_pd),
                   ("cairn-maps", cairn_maps), ("cairn-heap", cairn_heap),
                   ("cairn-ps", cairn_ps)):
    Command(_name, _fn)
