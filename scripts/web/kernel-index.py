# The kernel index the page's live panels read guest memory with, made at
# build time for one kernel ELF (JSON):
#
#   symbols  every symbol nm lists: address, size, kind, and the source
#            file it comes from (nm -l), so that two static variables of
#            the same name (uspace.c's `current`, say) stay apart
#   structs  the byte offsets of the fields the panels read, from the
#            ELF's own debug information: a field added to struct heap
#            moves the panel with it
#   defines  the constants of include/mmu.h, layout.h and heap.h, as the
#            C compiler computes them (scripts/gen-defines.sh)
#
# Run by gdb, which reads the debug information:
#   CAIRN_INDEX_OUT=build/web/kernel.index.json \
#       gdb -batch -nx build/kernel.elf -x scripts/web/kernel-index.py
import json
import os
import subprocess

import gdb

HEADERS = ["include/mmu.h", "include/layout.h", "include/heap.h"]

# The structures the panels walk, and where each lives (for gdb, a
# static variable is 'file.c'::name).
STRUCTS = {
    "pmm": "'pmm.c'::pmm",                      # src/mm/pmm.c: the frame allocator's books
    "heap": "struct heap",                      # include/heap.h: the kernel heap's bounds and counts
    "heap_tag": "struct heap_tag",              # include/heap.h: a block's header
    "user_space": "struct user_space",          # include/uspace.h: a program's directory
    "address_space": "struct address_space",    # include/vmm.h: the directory's physical address
}


def elf_path():
    return gdb.current_progspace().filename


def nm_symbols(elf):
    """nm -l -S: one dict per symbol, with its source file when known."""
    out = subprocess.run(["nm", "-l", "-S", "--defined-only", elf],
                         check=True, capture_output=True, text=True).stdout
    root = os.getcwd() + "/"
    symbols = []
    for line in out.splitlines():
        where = ""
        if "\t" in line:
            line, where = line.split("\t", 1)
            where = where.rsplit(":", 1)[0].replace(root, "")
        fields = line.split()
        if len(fields) == 4:
            address, size, kind, name = fields
        elif len(fields) == 3:
            (address, kind, name), size = fields, "0"
        else:
            continue
        symbols.append({"name": name, "address": int(address, 16), "size": int(size, 16),
                        "kind": kind, "file": where})
    return symbols


def field_offsets(type_or_variable):
    """Field name -> [byte offset, byte size], nested structs flattened
    with dots (as.directory); anonymous unions' members at top level."""
    if type_or_variable.startswith("struct "):
        t = gdb.parse_and_eval("(%s *)0" % type_or_variable).type.target()
    else:
        t = gdb.parse_and_eval(type_or_variable).type
    result = {}

    def walk(t, prefix, base):
        for f in t.strip_typedefs().fields():
            offset = base + f.bitpos // 8
            ft = f.type.strip_typedefs()
            if f.name is None or ft.code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
                walk(ft, prefix + (f.name + "." if f.name else ""), offset)
            if f.name is not None:
                result[prefix + f.name] = [offset, ft.sizeof]
    walk(t, "", 0)
    result["(size)"] = [0, t.sizeof]
    return result


def defines():
    values = {}
    for header in HEADERS:
        out = subprocess.run(["scripts/gen-defines.sh", "make", header],
                             check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            if " := " in line:
                name, value = line.split(" := ")
                values[name] = int(value, 16)
    return values


def main():
    elf = elf_path()
    index = {
        "elf": os.path.basename(elf),
        "symbols": nm_symbols(elf),
        "structs": {name: field_offsets(where) for name, where in STRUCTS.items()},
        "defines": defines(),
    }
    with open(os.environ["CAIRN_INDEX_OUT"], "w") as f:
        json.dump(index, f, separators=(",", ":"))


# gdb -batch exits with 0 after a Python error: make one fail the build.
try:
    main()
except Exception as e:
    print("kernel-index: %s" % e)
    os._exit(1)
