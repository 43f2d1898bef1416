#!/usr/bin/env python3
"""Turns grub.cfg's menu into the page's buttons (JSON on stdout).

Each top-level menuentry becomes one button: its title, its --id, the
kernel and command line of its `multiboot` line, and how the page boots
it. An entry that only loads the kernel goes straight to v86's Multiboot
loader (fast, and the exit port works there). An entry that loads
modules cannot: v86 passes at most one module (its `initrd`, with no name
string), and the user programs are dozens of named modules. Those boot
from the ISO through SeaBIOS and GRUB, and the page picks the entry in
GRUB's menu by its position (`menu_index`).

usage: scripts/web/menu-entries.py grub.cfg > build/web/menu.json
"""
import json
import re
import shlex
import sys

ENTRY = re.compile(r'^menuentry\s+(.*)\{\s*$')


def parse_entry_header(rest):
    """The title and --id of a `menuentry "TITLE" --id ID {` line."""
    words = shlex.split(rest)
    entry_id = None
    if "--id" in words:
        entry_id = words[words.index("--id") + 1]
    return words[0], entry_id


def read_menu(lines):
    """The top-level entries, in menu order, with the lines of each body."""
    entries, body, depth = [], None, 0
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if depth == 0:
            m = ENTRY.match(line)
            if m:
                title, entry_id = parse_entry_header(m.group(1))
                body = []
                entries.append({"title": title, "id": entry_id, "body": body})
                depth = 1
            elif line.startswith("submenu"):
                # A submenu is one line of the top menu; its entries are
                # not reachable by position from there: a placeholder.
                entries.append({"title": line, "id": None, "body": None})
                depth = 1 if line.endswith("{") else 0
            continue
        depth += line.count("{") - line.count("}")
        if depth > 0 and body is not None:
            body.append(line)
    return entries


def describe(entry, index):
    """The button for one entry: how to boot it, or why it cannot be."""
    button = {"title": entry["title"], "id": entry["id"] or "entry-%d" % index, "menu_index": index}
    body = entry["body"]
    if body is None:
        button.update(boot="unavailable", why="a submenu: pick its entries in GRUB's menu on the ISO")
        return button
    kernel, cmdline, needs_modules = None, "", False
    for line in body:
        words = line.split()
        if words[0] == "multiboot":
            kernel = words[1].rsplit("/", 1)[-1]
            cmdline = " ".join(words[2:])
        elif words[0] in ("module", "source"):
            needs_modules = True
    if kernel is None:
        button.update(boot="unavailable", why="no multiboot line")
        return button
    button.update(kernel=kernel, cmdline=cmdline)
    button["boot"] = "iso" if needs_modules else "multiboot"
    return button


def main():
    with open(sys.argv[1]) as f:
        entries = read_menu(f)
    json.dump([describe(e, i) for i, e in enumerate(entries)], sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
