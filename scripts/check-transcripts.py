#!/usr/bin/env python3
"""Re-runs the book's transcripts and compares what they print today with
what the text shows (make test runs it; TAP, one case per checked block).

A transcript is a fenced block that shows a command and its output: a
line starting "$ " (a shell command; it goes on to the next line after a
backslash, or on the shell's "> " lines), "cairn> " (a monitor command) or
"(gdb) " (a GDB command), and at least one line of output. Every such block in README.md, docs/ and
docs/labs/ carries a marker, an HTML comment on the line just before its
fence (invisible once rendered); one without is a failure, so that no
transcript can be added unchecked:

  <!-- check -->                 run the block, compare
  <!-- check: OPTION ... -->      the same, with options (below)
  <!-- illustrative: WHY -->     not run: WHY says what it would take
                                 (a benchmark's timings, an edited kernel,
                                 a keyboard in a window)

Inside a checked block, what may vary from run to run or build to build:

  {{hex}}    hex digits (write 0x{{hex}} for an address)
  {{n}}      a decimal number          {{time}}  a number like 0.6 or 12
  {{...}}    any text within the line
  ...        (a line of its own) any number of lines, none included

Everything else must match exactly, apart from trailing blanks and CRs.
A placeholder in a block that is not checked is a failure: a reader would
take it for output.

How a block runs. "$ " blocks: each block in a bash of its own, at the
top of the tree, its commands in order (variables and `cd` carry over
within the block), stdin /dev/null, stderr with stdout; each command's
output is compared with the lines under it. The blocks of one file run
one after another in document order (a later block may read an earlier
one's build/test/ files); files run in parallel, one per core. A kernel
run (scripts/ktest-run.sh, make ktest) that several blocks show is run
once (the blocks that show it wait for it), and its run name
(build/test/NAME.*) may not be given to two different commands.

Listings. A block of source (a ```c, ```asm, ```nasm, ```sh or ```bash
fence, or a plain one that quotes a file, such as a header's picture)
carries one of two markers of its own:

  <!-- listing: PATH -->         the block quotes PATH (from the top of the
                                 tree): cut at the lines that are only
                                 "..." (lines left out here), each piece
                                 must appear in PATH, its lines one after
                                 another, the pieces in order
  <!-- sketch: WHY -->           not a quote of the tree, on purpose: WHY
                                 says what it is (an exercise, a simpler
                                 version, a lab's starting point)

A listing's lines are compared with PATH's as they are, tabs and all: the
book keeps the source's tabs, so a block indented with spaces where the
source has a tab fails (the report says when only blanks differ). Only
trailing blanks are ignored, and blank lines at the edges of a piece. A
piece may also match PATH's lines with their comment leader (" * ", "; ",
"# ", "// ") taken off, so that a picture drawn in a header's comment is
listed as a picture. PATH's lab markers (/* lab NAME: begin REGION */,
/* lab NAME: end */, from which a handout is made) are skipped, as the
book leaves them out. A block with a language and no marker fails, as an
unmarked transcript does. --update never rewrites a listing (what it
leaves out is the author's choice): the report names the line of the
chapter not found in PATH, and PATH's line most like it.

Options (in `<!-- check: ... -->`, shell words):
  timeout=N      each command of the block is stopped (SIGKILL, silently,
                 as Ctrl-A x would) after N seconds; for a QEMU left at its
                 halt; its shell variables do not outlive it
  cwd=DIR        the block starts in DIR
  setup=CMD      a command run first, its output not shown (what the text
                 around the block says the reader did before)
  continued      (on a block of output only) the rest of the output of the
                 last command of the checked block above it, when the text
                 shows that output in pieces with prose between: each piece
                 is marked, and together they must match
  output=CMD     (on a block of output only, whose command the prose gives)
                 CMD prints what the block shows, and is run to compare
  instead-N=CMD  the block's Nth command is not run; CMD is, and its output
                 compared instead: how make test gets the same output for
                 less (after-test: from its own run of the same command,
                 e.g. the grading of a lab's handout by scripts/lab-prove.sh)
  after-test     run at the end of make test (scripts/test-all.sh), since
                 it reads files that make test's own runs leave
  make-test      the `make test` transcript itself: at the end of make
                 test, compared with that run's own report (see
                 --after-test)
  monitor        "cairn> " blocks: one QEMU per file boots build/kernel.elf
                 with `monitor` (hello as a module, the command chapter 9
                 shows), and each block's commands are typed into it in
                 turn; the console between prompts is the output
  gdb            "(gdb) " blocks, each command followed by its output: QEMU
                 starts stopped (kernel=ELF, default build/kernel.elf;
                 append=ARGS; initrd=MODULES), gdb attaches, loads the
                 kernel's symbols and scripts/cairn-gdb.py, runs to
                 break=FUNCTION if given, then runs the block's commands
  gdb=monitor    ... attached to the file's monitor session instead, and
                 detached at the end, the machine running on; with
                 monitor-before=CMD;CMD typed at the monitor first, and
                 monitor-during=CMD;CMD typed as gdb reaches its first
                 continue (to run into the block's breakpoint)

usage: scripts/check-transcripts.py [--update | --listings] [FILE...]
       scripts/check-transcripts.py --after-test REPORT [--update]
  --update      rewrite each block that differs with what the run printed
                (keeping the placeholders and "..." that still fit), for
                an author to review with git diff; without it no file is
                ever written
  --listings    check only the markers and the listings (no run; no build
                needed; a fraction of a second)
  --after-test  check the after-test and make-test blocks; REPORT is the
                report make test printed, as scripts/test-all.sh saved it
  -j N          files in parallel (default: the number of cores)
"""

import difflib
import functools
import os
import queue
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
FILES = ["README.md"] + sorted(
    os.path.join(d, f) for d in ("docs", "docs/labs")
    for f in os.listdir(os.path.join(ROOT, d)) if f.endswith(".md"))

PROMPTS = ("$ ", "cairn> ", "(gdb) ")
MARKER = re.compile(r"^\s*<!--\s*(check|illustrative|listing|sketch)\b:?(.*?)-->\s*$")
COMMENT_LEADER = re.compile(r"^\s*(\*|//|;|#)( |$)")     # a picture in a comment is listed without it
LAB_MARKER = re.compile(r"^\s*/\* lab [a-z0-9_]+: (begin [A-Za-z0-9_]+|end) \*/$")  # the book leaves them out
SOURCE_LANGUAGES = ("c", "asm", "nasm", "sh", "bash")  # a fence with one of these must be marked
FENCE = re.compile(r"^(\s*)(```+|~~~+)(.*)$")
ELISION = "..."                 # a line of its own (blanks around it allowed)
PLACEHOLDER = re.compile(r"\{\{(hex|n|time|\.\.\.)\}\}")
PLACEHOLDER_RE = {"hex": "[0-9a-fA-F]+", "n": "[0-9]+", "time": r"[0-9]+(?:\.[0-9]+)?", "...": ".*?"}
DEFAULT_TIMEOUT = 120           # seconds for one command, at most
KERNEL_RUN = re.compile(r"^(scripts/ktest-run\.sh|make ktest)\b")
MONITOR_BOOT = ["qemu-system-i386", "-m", "128M", "-kernel", "build/kernel.elf", "-append", "monitor",
                "-initrd", "build/user/hello.elf hello", "-display", "none", "-serial", "stdio",
                "-no-reboot"]
PROMPT = "cairn> "


class Block:
    """One fenced block: where it is, its marker, its lines (indent removed)."""

    def __init__(self, path, fence_line, indent, lines, marker, marker_text, language=""):
        self.path, self.fence_line, self.indent = path, fence_line, indent
        self.language = language
        self.lines, self.marker, self.marker_text = lines, marker, marker_text
        self.options = {}
        if marker == "check":
            for word in shlex.split(marker_text):
                key, _, value = word.partition("=")
                self.options[key] = value if _ else True

    def where(self):
        return "%s:%d" % (self.path, self.fence_line)

    def is_transcript(self):
        prompts = [l for l in self.lines if l.startswith(PROMPTS)]
        return bool(prompts) and any(not is_command_part(self.lines, i) for i in range(len(self.lines)))


def is_command_part(lines, i):
    """Whether lines[i] is a prompt line or the continuation of one (after a backslash, or
    the shell's "> " in a loop)."""
    if lines[i].startswith(PROMPTS):
        return True
    if lines[i].startswith("> ") and i > 0 and is_command_part(lines, i - 1):
        return lines[i - 1].startswith(("$ ", "> "))
    j = i - 1
    while j >= 0 and lines[j].endswith("\\"):
        if lines[j].startswith(PROMPTS):
            return lines[j].startswith("$ ")
        j -= 1
    return False


def read_blocks(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        text = f.read().split("\n")
    blocks, i = [], 0
    while i < len(text):
        m = FENCE.match(text[i])
        if not m:
            i += 1
            continue
        indent, fence = m.group(1), m.group(2)
        j = i + 1
        while j < len(text) and not re.match(r"^\s*" + re.escape(fence[0]) + "{%d,}\\s*$" % len(fence), text[j]):
            j += 1
        k = i - 1
        while k >= 0 and not text[k].strip():
            k -= 1
        marker = MARKER.match(text[k]) if k >= 0 else None
        lines = [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in text[i + 1:j]]
        blocks.append(Block(path, i + 1, indent, lines,
                            marker.group(1) if marker else None, marker.group(2).strip() if marker else "",
                            m.group(3).strip().split(" ")[0].lower()))
        i = j + 1
    return blocks


# ------------------------------------------------------------ matching

def is_elision(line):
    return line.strip() == ELISION


@functools.lru_cache(maxsize=None)
def line_regex(line):
    parts, last = [], 0
    for m in PLACEHOLDER.finditer(line):
        parts.append(re.escape(line[last:m.start()]))
        parts.append(PLACEHOLDER_RE[m.group(1)])
        last = m.end()
    parts.append(re.escape(line[last:]))
    return re.compile("".join(parts) + r"\Z")


def line_fits(expected, actual):
    return line_regex(expected).match(actual) is not None


def matches(expected, actual):
    """Whether the actual lines fit the expected ones ("..." lines may take any run of lines)."""
    n, m = len(expected), len(actual)
    fits = [[False] * (m + 1) for _ in range(n + 1)]   # fits[i][j]: expected[i:] fits actual[j:]
    fits[n][m] = True
    for i in range(n - 1, -1, -1):
        for j in range(m, -1, -1):
            if is_elision(expected[i]):
                fits[i][j] = fits[i + 1][j] or (j < m and fits[i][j + 1])
            else:
                fits[i][j] = j < m and fits[i + 1][j + 1] and line_fits(expected[i], actual[j])
    return fits[0][0]


# What align() charges: a line a "..." takes is cheap, a value changed on a line of the
# same shape dearer, a line the run added dearer still, and a line of the text the run did
# not print dearest, so that --update keeps the text's lines where it can.
ELIDED_LINE_COST, CHANGED_COST, EXTRA_COST, MISSING_COST = 0.5, 1, 1, 2


def shape(line):
    """A line with its numbers (and placeholders) blurred: a changed value keeps its line's shape."""
    line = PLACEHOLDER.sub("#", line)
    return re.sub(r"(0x)?[0-9a-fA-F]*[0-9][0-9a-fA-F]*(\.[0-9]+)?|#", "#", line)


def align(expected, actual):
    """The cheapest way to read the actual lines as the expected ones, as a list of
    (kind, expected index or None, actual index or None), kind one of:
    "fit" (the line matches), "elided" (a "..." took it), "changed" (a line of the same
    shape with other values), "extra" (an actual line the text lacks), "missing" (an
    expected line the run did not print); the costs are above."""
    n, m = len(expected), len(actual)
    INF = float("inf")
    cost = [[INF] * (m + 1) for _ in range(n + 1)]
    step = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            c = cost[i][j]
            if c == INF:
                continue
            moves = []
            if i < n and is_elision(expected[i]):
                moves.append((i + 1, j, 0, "end"))
                if j < m:
                    moves.append((i, j + 1, ELIDED_LINE_COST, "elided"))
            elif i < n:
                moves.append((i + 1, j, MISSING_COST, "missing"))
                if j < m:
                    if line_fits(expected[i], actual[j]):
                        moves.append((i + 1, j + 1, 0, "fit"))
                    elif shape(expected[i]) == shape(actual[j]):
                        moves.append((i + 1, j + 1, CHANGED_COST, "changed"))
            if j < m and not (i < n and is_elision(expected[i])):
                moves.append((i, j + 1, EXTRA_COST, "extra"))
            for i2, j2, dc, kind in moves:
                if c + dc < cost[i2][j2]:
                    cost[i2][j2] = c + dc
                    step[i2][j2] = (i, j, kind)
    path, i, j = [], n, m
    while (i, j) != (0, 0):
        pi, pj, kind = step[i][j]
        path.append((kind, None if kind == "extra" else pi, None if kind == "end" or pj >= m else pj))
        i, j = pi, pj
    return path[::-1]


def first_difference(expected, actual):
    """(index into expected or None, expected line, actual line) of the first line that differs;
    for a line the text lacks, the expected line is the one it came before."""
    path = align(expected, actual)
    for k, (kind, i, j) in enumerate(path):
        if kind in ("fit", "elided", "end"):
            continue
        if kind == "extra":
            i = next((ei for _, ei, _ in path[k:] if ei is not None), None)
        return (i, expected[i] if i is not None else "(nothing more)",
                actual[j] if j is not None else "(nothing more)")
    return None, "(nothing more)", "(nothing more)"


def updated(expected, actual):
    """The actual lines, keeping each expected line (placeholders, "...") that still fits, as
    [(line, index of the expected line it stands for or follows, or -1 before any)]."""
    if matches(expected, actual):
        return [(line, i) for i, line in enumerate(expected)]
    out, elision_kept, last = [], set(), -1
    for kind, i, j in align(expected, actual):
        if i is not None:
            last = i
        if kind in ("elided", "end"):
            if i not in elision_kept:   # a "..." stays, once, even if it took no line
                out.append((expected[i], i))
                elision_kept.add(i)
        elif kind == "fit":
            out.append((expected[i], i))
        elif kind == "changed":
            out.append((merged_line(expected[i], actual[j]), last))
        elif kind == "extra":
            out.append((actual[j], last))
    return out


def merged_line(expected, actual):
    """The actual line, word by word, keeping each word of the expected line that still fits
    (an address changed, the line number beside it still a placeholder)."""
    words_e, words_a = re.split(r"(\s+)", expected), re.split(r"(\s+)", actual)
    if len(words_e) != len(words_a):
        return actual
    return "".join(e if line_fits(e, a) else a for e, a in zip(words_e, words_a))


def clean(text):
    lines = [l.rstrip() for l in text.replace("\r", "").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


# ------------------------------------------------------------ shell blocks

def commands_of(lines):
    """[(first line, command text, first output line, end of output)] of a "$ " block (indices)."""
    cmds, i = [], 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            i += 1
            continue
        start, text = i, lines[i][2:]
        while i + 1 < len(lines) and (lines[i].endswith("\\") or lines[i + 1].startswith("> ")):
            i += 1
            text += "\n" + (lines[i][2:] if lines[i].startswith("> ") else lines[i])
        i += 1
        out_start = i
        while i < len(lines) and not lines[i].startswith("$ "):
            i += 1
        cmds.append((start, text, out_start, i))
    return cmds


def end_session(proc):
    """Kills a shell or an emulator with everything it started."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


class Shell:
    """A bash of its own, fed one command at a time (output up to a marker line)."""
    END = "@@check-transcripts: end@@"

    def __init__(self, cwd):
        env = dict(os.environ, LC_ALL="C", TERM="dumb")
        # as a reader's shell: nothing from the make or the test run around the checker
        for v in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "ARGS", "GDBPORT", "CMOCKA_MESSAGE_OUTPUT", "CMOCKA_TEST_FILTER"):
            env.pop(v, None)
        self.proc = subprocess.Popen(["bash", "--norc", "--noprofile"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.run("set -a")              # assignments reach timeout's bash -c

    def _read(self):
        for raw in self.proc.stdout:
            self.lines.put(raw.decode("utf-8", "replace"))
        self.lines.put(None)

    def run(self, command, limit=DEFAULT_TIMEOUT):
        # $? survives the marker, for a next command such as `echo $?`
        self.proc.stdin.write(("{ %s\n} < /dev/null\ncheck_transcripts_status=$?\nprintf '\\n%s\\n'\n"
                               "(exit $check_transcripts_status)\n" % (command, self.END)).encode())
        self.proc.stdin.flush()
        got, deadline = [], time.monotonic() + limit + 10
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                return "".join(got) + "\n(check-transcripts: no end after %d s)" % limit, False
            if line is None:
                return "".join(got), False
            if line.rstrip("\n") == self.END:
                text = "".join(got)
                return text[:-1] if text.endswith("\n") else text, True
            got.append(line)

    def close(self):
        end_session(self.proc)


kernel_runs = {}                    # command text -> [threading.Event, output]
kernel_runs_lock = threading.Lock()


def run_command(shell, block, text):
    limit = int(block.options.get("timeout", 0)) or DEFAULT_TIMEOUT
    wrapped = text
    if "timeout" in block.options:
        wrapped = "timeout -s KILL %d bash -c %s" % (limit, shlex.quote(text))
        # bash reports the kill; the reader, who pressed Ctrl-A x, sees nothing of it
        killed = re.compile(r"^bash: line [0-9]+: +[0-9]+ Killed +%s\n?" % re.escape(wrapped), re.M)
        return killed.sub("", shell.run(wrapped, limit)[0])
    if not KERNEL_RUN.match(text) or "cwd" in block.options:
        return shell.run(wrapped, limit)[0]
    with kernel_runs_lock:
        entry = kernel_runs.get(text)
        mine = entry is None
        if mine:
            entry = kernel_runs[text] = [threading.Event(), None]
    if mine:
        entry[1] = shell.run(wrapped, limit)[0]
        entry[0].set()
    entry[0].wait()
    return entry[1]


def check_shell_block(block):
    """[(start, end, actual lines)] for each command: block.lines[start:end] is its output."""
    shell = Shell(os.path.join(ROOT, block.options.get("cwd", ".")))
    try:
        if "setup" in block.options:
            shell.run(block.options["setup"])
        if "output" in block.options:   # a block of output only: the prose says what printed it
            return [(0, len(block.lines), clean(run_command(shell, block, block.options["output"])))]
        return [(start, end, clean(run_command(shell, block, block.options.get("instead-%d" % (k + 1), text))))
                for k, (_, text, start, end) in enumerate(commands_of(block.lines))]
    finally:
        shell.close()


# ------------------------------------------------------------ the monitor

class Monitor:
    """The monitor booted in QEMU, its console on a pipe, a GDB stub on a free port."""

    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(MONITOR_BOOT + ["-gdb", "tcp:127.0.0.1:%d" % self.port], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.chunks = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.pending = ""
        self.until_prompt()             # the boot

    def _read(self):
        while True:
            data = os.read(self.proc.stdout.fileno(), 4096)
            if not data:
                break
            self.chunks.put(data.decode("utf-8", "replace"))
        self.chunks.put(None)

    def until_prompt(self, limit=30):
        deadline = time.monotonic() + limit
        while PROMPT not in self.pending:
            try:
                chunk = self.chunks.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                chunk = None
            if chunk is None:
                text, self.pending = self.pending, ""
                return text + "\n(check-transcripts: no prompt came)"
            self.pending += chunk
        text, _, self.pending = self.pending.partition(PROMPT)
        return text

    def type(self, command):
        self.proc.stdin.write((command + "\r").encode())
        self.proc.stdin.flush()

    def command(self, command):
        self.type(command)
        return self.until_prompt()

    def close(self):
        end_session(self.proc)


def split_commands(option):
    return [c.strip() for c in (option or "").split(";") if c.strip()] if option is not True else []


def check_monitor_block(block, monitor):
    """The block's text against the console, prompts included."""
    actual = ""
    for line in block.lines:
        if line.startswith(PROMPT):
            actual += PROMPT + monitor.command(line[len(PROMPT):])
    return clean(actual)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gdb_commands(lines):
    """[(command, first output line, end of output)] of a "(gdb) " block (indices)."""
    starts = [i for i, l in enumerate(lines) if l.startswith("(gdb) ")]
    return [(lines[i][len("(gdb) "):], i + 1, (starts[k + 1] if k + 1 < len(starts) else len(lines)))
            for k, i in enumerate(starts)]


def run_gdb(block, port, kernel, prologue, at_continue=None):
    """Attaches gdb to the stub on PORT, runs the prologue then the block's commands, and
    returns [(start, end, actual lines)], each command's output split off by echo markers.
    at_continue, if given, is called when gdb is about to run the block's first continue
    (its breakpoints set, the machine still stopped)."""
    commands = gdb_commands(block.lines)
    mark = "@@check-transcripts: command %d@@"
    argv = ["gdb", "-nx", "-batch", "-ex", "set pagination off", "-ex", "set width 0", "-ex", "set confirm off",
            "-ex", "target remote 127.0.0.1:%d" % port, "-ex", "symbol-file " + kernel]
    for c in prologue:
        argv += ["-ex", c]
    for k, (c, _, _) in enumerate(commands):
        argv += ["-ex", "echo %s\\n" % (mark % k), "-ex", c]
    argv += ["-ex", "echo %s\\n" % (mark % len(commands))]     # what gdb says as it leaves is not shown
    gdb = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, env=dict(os.environ, LC_ALL="C"))
    early = b""
    first_continue = next((k for k, (c, _, _) in enumerate(commands) if c.split()[:1] == ["continue"]), None)
    if at_continue and first_continue is not None:
        while True:                     # until gdb echoes the marker just before that continue
            line = gdb.stdout.readline()
            early += line
            if not line or line.decode("utf-8", "replace").rstrip("\n") == mark % first_continue:
                break
        at_continue()
    try:
        out = (early + gdb.communicate(timeout=60)[0]).decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        gdb.kill()
        out = gdb.communicate()[0].decode("utf-8", "replace") + "\n(check-transcripts: gdb took over 60 s)"
    parts = re.split(r"@@check-transcripts: command \d+@@\n", out)[1:len(commands) + 1]
    parts += [""] * (len(commands) - len(parts))
    return [(start, end, clean(part)) for (_, start, end), part in zip(commands, parts)]


def check_gdb_in_monitor(block, monitor):
    """A "(gdb) " block attached to the file's monitor session; gdb detaches at the end."""
    for c in split_commands(block.options.get("monitor-before")):
        monitor.command(c)
    during = split_commands(block.options.get("monitor-during"))

    def type_during():                  # read by the monitor once gdb's continue lets it run
        for c in during:
            monitor.type(c)
    results = run_gdb(block, monitor.port, "build/kernel.elf", ["source scripts/cairn-gdb.py"],
                      type_during if during else None)
    for _ in during:
        monitor.until_prompt()          # what those commands printed, once the machine ran on
    return results


def check_gdb_block(block):
    """A "(gdb) " block of its own: QEMU stopped at the first instruction, gdb runs to break=
    and then the block's commands, and kills QEMU."""
    o, port = block.options, free_port()
    qemu = ["qemu-system-i386", "-kernel", o.get("kernel", "build/kernel.elf"), "-append", o.get("append", ""),
            "-display", "none", "-serial", "null", "-gdb", "tcp:127.0.0.1:%d" % port, "-S"]
    if "initrd" in o:
        qemu += ["-initrd", o["initrd"]]
    proc = subprocess.Popen(qemu, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):            # until the stub listens
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        prologue = ["break " + o["break"], "continue"] if "break" in o else []
        return run_gdb(block, port, o.get("kernel", "build/kernel.elf"), prologue + ["source scripts/cairn-gdb.py"])
    finally:
        end_session(proc)


# ------------------------------------------------------------ listings

def listing_pieces(lines):
    """A listing's pieces: [(index in the block of its first line, its lines)], cut at the
    "..." lines, without the blank lines at their edges."""
    pieces, start = [], 0
    for i in range(len(lines) + 1):
        if i == len(lines) or is_elision(lines[i]):
            a, b = start, i
            while a < b and not lines[a].strip():
                a += 1
            while b > a and not lines[b - 1].strip():
                b -= 1
            if a < b:
                pieces.append((a, [l.rstrip() for l in lines[a:b]]))
            start = i + 1
    return pieces


def longest_run(piece, source, after):
    """(where, how many): the place at or after source line `after` where the most of the
    piece's first lines appear one after another."""
    best = (after, 0)
    for s in range(after, len(source)):
        n = 0
        while n < len(piece) and s + n < len(source) and source[s + n] == piece[n]:
            n += 1
        if n > best[1]:
            best = (s, n)
            if n == len(piece):
                break
    return best


def check_listing(block):
    """[] when the block quotes its file as the header says, else lines saying where not."""
    path = block.marker_text
    try:
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            numbered = [(k + 1, l.rstrip()) for k, l in enumerate(f.read().split("\n"))]
    except (OSError, UnicodeDecodeError) as e:
        return ["%s: a listing of %s, which cannot be read as text: %s" % (
            block.where(), path or "(no file)", getattr(e, "strerror", None) or e)]
    numbered = [(k, l) for k, l in numbered if not LAB_MARKER.match(l)]
    source = [l for _, l in numbered]
    uncommented = [COMMENT_LEADER.sub("", l, count=1) for l in source]
    after = 0
    for first, piece in listing_pieces(block.lines):
        where, n = max(longest_run(piece, source, after), longest_run(piece, uncommented, after),
                       key=lambda run: run[1])
        if n == len(piece):
            after = where + n
            continue
        missing = piece[n]
        nearest = difflib.get_close_matches(missing, source, n=1, cutoff=0.6)
        if not nearest:
            nearest = difflib.get_close_matches(missing, uncommented, n=1, cutoff=0.6)
            nearest = [source[uncommented.index(nearest[0])]] if nearest else []
        blanks_only = bool(nearest) and missing.split() == nearest[0].split()
        return ["%s:%d: a listing of %s, but this line is not in it%s:" % (
                    block.path, block.fence_line + 1 + first + n, path,
                    " (not where the lines before it are)" if n else
                    " (after line %d)" % numbered[after - 1][0] if after else ""),
                "  listed: %s" % missing,
                "  nearest in %s: %s" % (path, "line %d: %s" % (numbered[source.index(nearest[0])][0], nearest[0])
                                          if nearest else "(nothing like it)")] + (
                ["  (they differ only in blanks: the book keeps the source's tabs)"] if blanks_only else [])
    return []


# ------------------------------------------------------------ reports

def report_difference(segments, actual):
    """Lines saying where the text and the run first differ, or [] when they agree.
    segments: [(block, start, end)], whose lines block.lines[start:end] together are
    what the text expects (one block's, or a block's and its continued blocks')."""
    expected, where = [], []
    for block, start, end in segments:
        expected += block.lines[start:end]
        where += [(block, start + k) for k in range(end - start)]
    if matches(expected, actual):
        return []
    i, exp, got = first_difference(expected, actual)
    block, k = where[i] if i is not None else (segments[-1][0], segments[-1][2])
    return ["%s:%d: the transcript differs from a run" % (block.path, block.fence_line + 1 + k),
            "  expected: %s" % exp, "       got: %s" % got]


def rewrite(path, replacements):
    """Puts new lines in place of blocks' lines: replacements maps a block to its new lines."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        text = f.read().split("\n")
    for block, lines in sorted(replacements.items(), key=lambda kv: -kv[0].fence_line):
        start = block.fence_line
        text[start:start + len(block.lines)] = [(block.indent + l) if l else l for l in lines]
    with open(os.path.join(ROOT, path), "w", encoding="utf-8") as f:
        f.write("\n".join(text))


def compare(results):
    """results: [(segments, actual lines)] (segments as report_difference takes them).
    Returns (the first difference's report, {block: its lines as --update would write them})."""
    problems, new = [], {}
    for segments, actual in results:
        problems = problems or report_difference(segments, actual)
        for block, _, _ in segments:
            new.setdefault(block, list(block.lines))
    for segments, actual in reversed(results):      # from the end, so that indices hold
        expected, owner = [], []
        for n, (block, start, end) in enumerate(segments):
            expected += block.lines[start:end]
            owner += [n] * (end - start)
        pieces = [[] for _ in segments]
        first = owner[0] if owner else 0     # lines before any expected one go to the first with lines
        for line, i in updated(expected, actual):
            pieces[owner[i] if i >= 0 else first].append(line)
        for (block, start, end), piece in reversed(list(zip(segments, pieces))):
            new[block][start:end] = piece
    return problems, new


def continued_blocks(blocks, k):
    """The blocks marked `check: continued` right after blocks[k] (only prose and other
    blocks without a command between): the rest of its last command's output."""
    out = []
    for b in blocks[k + 1:]:
        if b.marker == "check" and "continued" in b.options:
            out.append(b)
        elif any(l.startswith(PROMPTS) for l in b.lines) or b.marker == "check":
            break
    return out


def check_file(path, blocks, after_test, report):
    """Checks one file's blocks in order. Returns [(block, problems, {block: new lines})]."""
    out, monitor = [], None
    try:
        for k, b in enumerate(blocks):
            if b.marker != "check" or "continued" in b.options:
                continue
            o = b.options
            if bool(after_test) != ("after-test" in o or "make-test" in o):
                continue
            if "make-test" in o:
                results = [(1, len(b.lines), clean(report))]
                commands = [l for l in b.lines if l.startswith("$ ")]
                if commands != ["$ make test"] or b.lines[0] != "$ make test":
                    out.append((b, ["%s: a make-test block shows `$ make test` and its report" % b.where()], None))
                    continue
            elif "monitor" in o or ("gdb" in o and o["gdb"] == "monitor"):
                if monitor is None:
                    monitor = Monitor()
                if "gdb" in o:
                    results = check_gdb_in_monitor(b, monitor)
                else:
                    results = [(0, len(b.lines), check_monitor_block(b, monitor))]
            elif "gdb" in o:
                results = check_gdb_block(b)
            else:
                results = check_shell_block(b)
            segments = [([(b, start, end)], actual) for start, end, actual in results]
            more = continued_blocks(blocks, k)
            if more and segments:           # the last command's output goes on below
                segments[-1][0].extend((c, 0, len(c.lines)) for c in more)
            problems, new = compare(segments)
            out.append((b, problems, new))
    finally:
        if monitor:
            monitor.close()
    return out


def kernel_runs_of(block):
    """{run name: command} for each kernel run the block shows (its build/test/NAME.* files)."""
    runs = {}
    for _, text, _, _ in commands_of(block.lines):
        if not KERNEL_RUN.match(text):
            continue
        m = re.search(r"--name[ =]([A-Za-z0-9_.-]+)", text)
        if m:
            runs[m.group(1)] = text
            continue
        m = re.search(r"(qemu-kernel|qemu-iso|bochs)\s+--\s+(.*)$", text)
        if m:
            mode, args = m.group(1), m.group(2)
        else:                           # make ktest ARGS=...
            mode, args = "qemu-kernel", re.search(r"ARGS=(\S*)", text).group(1) if "ARGS=" in text else "test"
        runs[mode + "-" + re.sub(r"[^A-Za-z0-9.-]", "_", args.strip())[:40]] = text
    return runs


def main(argv):
    update, after_test, report, jobs, files = False, False, "", os.cpu_count() or 2, []
    listings_only = False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--update":
            update = True
        elif a == "--after-test":
            after_test = True
            i += 1
            with open(argv[i], encoding="utf-8", errors="replace") as f:
                report = f.read()
        elif a == "--listings":
            listings_only = True
        elif a == "-j":
            i += 1
            jobs = int(argv[i])
        elif a.startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            files.append(os.path.relpath(os.path.abspath(a), ROOT))
        i += 1
    files = files or FILES
    blocks = {f: read_blocks(f) for f in files}

    n, failed, illustrative, lines = 0, 0, 0, []

    def case(ok, what, detail=()):
        nonlocal n, failed
        n += 1
        failed += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", n, what))
        for d in detail:
            print("#   " + d)

    # Every transcript is marked, placeholders are only where a check reads them, and no
    # run name is given to two commands.
    owners = {}
    for f in files if not after_test else []:      # the run before the end of make test did these
        for b in blocks[f]:
            if b.marker != "check" and any(PLACEHOLDER.search(l) for l in b.lines):
                case(False, "%s: placeholders in a block that is not checked (a reader would take them"
                     " for the output)" % b.where())
            if b.marker == "illustrative":
                illustrative += b.is_transcript()
                if not b.marker_text.strip():
                    case(False, "%s: illustrative, but says not why" % b.where())
            elif b.marker is None and b.is_transcript():
                case(False, "%s: a command and its output, but no <!-- check --> or <!-- illustrative: why -->"
                     % b.where())
            elif b.marker is None and b.language in SOURCE_LANGUAGES:
                case(False, "%s: a block of %s, but no <!-- listing: PATH --> or <!-- sketch: why -->"
                     " (or check, illustrative)" % (b.where(), b.language))
            if b.marker == "sketch" and not b.marker_text.strip():
                case(False, "%s: a sketch, but says not why" % b.where())
            if b.marker == "listing":
                problems = check_listing(b)
                case(not problems, "%s: %s" % (b.where(), "quotes %s as it is" % b.marker_text
                                               if not problems else "a listing that differs from its file"),
                     problems)
            if b.marker == "check":
                for name, text in kernel_runs_of(b).items():
                    owners.setdefault(name, {}).setdefault(text, []).append(b.where())
    for name, runs in sorted(owners.items()):
        if len(runs) > 1:           # the same command is run once and shared; two would overwrite each other
            case(False, "run name %s is used by different commands: %s" % (
                name, "; ".join(" and ".join(w) for w in runs.values())))

    if listings_only:
        print("1..%d" % n)
        return 1 if failed else 0

    results, threads, sem = {}, [], threading.Semaphore(jobs)

    def worker(f):
        with sem:
            try:
                results[f] = check_file(f, blocks[f], after_test, report)
            except Exception as e:     # a bug here must fail the check, not hide it
                results[f] = [(Block(f, 0, "", [], None, ""), ["%s: the checker failed: %r" % (f, e)], None)]
    start = time.monotonic()
    for f in files:
        t = threading.Thread(target=worker, args=(f,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()

    for f in files:
        changed = {}
        for b, problems, new in results.get(f, []):
            case(not problems, "%s: %s" % (b.where(), "as the run printed it" if not problems else "differs"), problems)
            for block, lines in (new or {}).items():
                if problems and lines != block.lines:
                    changed[block] = lines
        if update and changed:
            rewrite(f, changed)
            print("# rewrote %d block(s) in %s: review with git diff" % (len(changed), f))
    print("# %d illustrative transcript(s) not run; %.0f s" % (illustrative, time.monotonic() - start))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
