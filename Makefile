# Cairn's build: an annotated manifest. Every output goes under build/.
# `make help` lists the targets; the README explains them.
#
# Toolchain: gcc -m32 (gcc-multilib) builds the freestanding i386 kernel,
# NASM its assembly, the host gcc and clang the tests and host tools.
# scripts/need-tools.sh installs whatever of that is missing.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDARY:

BUILD   := build
NEED    := scripts/need-tools.sh
# Quiet by default; `make V=1` shows every command.
Q       := $(if $(V),,@)

# ---------------------------------------------------------------- tools
CC      := gcc
NASM    := nasm
LD      := ld
OBJCOPY := objcopy
QEMU    := qemu-system-i386
GDB     := gdb

# --------------------------------------------------------- kernel flags
# Freestanding i386: no host headers or libraries (only gcc's own
# stddef.h/stdint.h/stdarg.h), no SSE/FPU registers in kernel code, frame
# pointers kept for backtraces, 64-bit division from libgcc.
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
# Warnings stop the build; make grade builds with WERROR= (a half-written
# lab function's unused variable must not cost every test: it is shown).
WERROR := -Werror
KERNEL_CFLAGS := -m32 -march=i686 -std=gnu11 -O2 -g \
	-ffreestanding -fno-pie -fno-pic -fno-stack-protector -fno-builtin \
	-fno-omit-frame-pointer -fno-strict-aliasing -mgeneral-regs-only \
	-nostdinc -isystem $(GCC_INCLUDE) -Iinclude -Iinclude/libc \
	-Wall -Wextra $(WERROR) -Wno-unused-parameter -MMD -MP
KERNEL_LDFLAGS := -m32 -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=0x1000 -Wl,--no-warn-rwx-segments
NASMFLAGS := -f elf32 -g -F dwarf -I$(BUILD)/gen/

# ---------------------------------------------------------- host flags
# Host builds of the shared code run under AddressSanitizer and UBSan,
# and any UB report is fatal.
HOST_CC     := gcc
HOST_CFLAGS := -std=gnu11 -g -O1 -Iinclude -DCAIRN_HOST \
	-Wall -Wextra $(WERROR) -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -MMD -MP
HOST_LDLIBS := -lcmocka
FUZZ_CC     := clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Iinclude -DCAIRN_HOST \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

# ------------------------------------------------------ kernel sources
# The shared library: also linked into user programs and host tests.
LIB_SRCS := \
	src/lib/string.c \
	src/lib/format.c \
	src/lib/cmdline.c
# string.c: memcpy, strlen & co.
# format.c: the printf engine
# cmdline.c: boot command-line words and sizes

# The heap allocator core: in the kernel (kmalloc), the user runtime
# (malloc) and the host tests and tools alike.
HEAP_SRCS := src/mm/heap.c             # first fit on the free list: alloc, split, free and its merges, realloc
HEAP_SRCS += src/mm/heapcheck.c        # pointers handed to free; heap_check, the invariants
HEAP_SRCS += src/mm/heaptree.c         # the optional index: the free blocks' treap, first fit in O(log n)
HEAP_SRCS += src/mm/heapbins.c         # the fast index's front: small free blocks in exact-size bins
HEAP_SRCS += src/mm/heapmap.c          # optional: big blocks in regions of their own (host tools only)

# Where kmalloc and malloc keep their free blocks: on the address-ordered
# list, in the treap (tree), or in the fast index (fast: bins, the top and
# a quick cache in front of the treap) (chapter 6). kmalloc keeps the list
# (KHEAP_INDEX), malloc the fast index (UMALLOC_INDEX); `make
# HEAP_INDEX=tree` sets both. kheap.c, malloc.c and heaptrace's `user`
# get theirs as HEAP_INDEX_FLAG; the rules that pass it are with the user
# programs'.
KHEAP_INDEX := list
UMALLOC_INDEX := tree
ifdef HEAP_INDEX
KHEAP_INDEX := $(HEAP_INDEX)
UMALLOC_INDEX := $(HEAP_INDEX)
endif
heap_index_flag = $(or $(if $(filter list,$1),0),$(if $(filter tree,$1),HEAP_TREE_INDEX),$(if $(filter fast,$1),HEAP_FAST_INDEX),$(error HEAP_INDEX is list, tree or fast, not '$1'))
KHEAP_INDEX_FLAG := $(call heap_index_flag,$(KHEAP_INDEX))
UMALLOC_INDEX_FLAG := $(call heap_index_flag,$(UMALLOC_INDEX))

KERNEL_SRCS := src/boot/entry.asm      # Multiboot header, boot page tables, jump high
KERNEL_SRCS += src/kernel/main.c       # kmain: the boot sequence
# The base every layer uses: output, panic, what the boot loader handed over.
KERNEL_SRCS += src/base/serial.c       # COM1 (the console) and COM2 (verdicts)
KERNEL_SRCS += src/base/vga.c          # 80x25 text screen
KERNEL_SRCS += src/base/console.c      # kprintf to serial and screen; kverdict
KERNEL_SRCS += src/base/panic.c        # panic(): message, caller, registers
KERNEL_SRCS += src/base/symbols.c      # function names from the ELF symbol table GRUB passes
KERNEL_SRCS += src/base/backtrace.c    # the saved-ebp chain, named, for reports and panics
KERNEL_SRCS += src/base/multiboot.c    # reading what GRUB hands over
KERNEL_SRCS += src/base/bootargs.c     # the kernel's command-line options
KERNEL_SRCS += src/base/power.c        # leaving the emulator
KERNEL_SRCS += src/base/keyboard.c     # the PS/2 keyboard, polled: scancodes to ASCII
# Memory management: knows nothing of processes, traps or tests.
KERNEL_SRCS += src/mm/memmap.c         # the e820 map, sanitized (also on the host)
KERNEL_SRCS += src/mm/physmem.c        # boot: the map, reservations, starting the PMM
KERNEL_SRCS += src/mm/pmm.c            # the frame allocator: a stack (also on the host)
KERNEL_SRCS += src/mm/paging.c         # kernel mappings in the static kernel page tables
KERNEL_SRCS += src/mm/kmap.c           # temporary windows onto physical frames
KERNEL_SRCS += src/mm/vmm.c            # mappings and address spaces
KERNEL_SRCS += src/mm/fault.c          # the page fault that is no error, and words for the rest
KERNEL_SRCS += src/mm/uaccess.c        # SMEP/SMAP/UMIP and copying to and from user memory
KERNEL_SRCS += $(HEAP_SRCS)            # the first-fit allocator core (also on the host)
KERNEL_SRCS += src/mm/kheap.c          # kmalloc: the core on the kernel heap region
KERNEL_SRCS += src/mm/uspace.c         # a program's memory, and which one is running
KERNEL_SRCS += src/mm/brk.c            # the program break: sbrk/brk, eager or lazy
KERNEL_SRCS += src/mm/cow.c            # copy-on-write: fork's sharing, and the fault that ends it
# The kernel proper: segments, traps, the timer, programs, tests.
KERNEL_SRCS += src/kernel/trapentry.asm # the 256 interrupt stubs and their common path
KERNEL_SRCS += src/kernel/setjmp.asm   # setjmp/longjmp: test fault recovery
KERNEL_SRCS += src/kernel/gdt.c        # segments and the TSS
KERNEL_SRCS += src/kernel/idt.c        # the interrupt descriptor table
KERNEL_SRCS += src/kernel/tss.c        # task-state segments: ring-3 stacks, the double-fault task
KERNEL_SRCS += src/kernel/trap.c       # every trap: one switch, and the decoded report
KERNEL_SRCS += src/kernel/pic.c        # the 8259A interrupt controllers
KERNEL_SRCS += src/kernel/timer.c      # the PIT at 100 Hz: ticks charged to programs
KERNEL_SRCS += src/kernel/fpu.c        # the x87: on, and wiped clean for each program
KERNEL_SRCS += src/kernel/crash.c      # crash=KIND: faults on demand, to see their reports
KERNEL_SRCS += src/kernel/loader.c     # user programs: ELF checked and mapped
KERNEL_SRCS += src/kernel/process.c    # processes: the table, fork, exec, exit, wait, kill
KERNEL_SRCS += src/kernel/sched.c      # the round-robin scheduler, sleep, CPU time
KERNEL_SRCS += src/kernel/swtch.asm    # the context switch
KERNEL_SRCS += src/kernel/runner.c     # run= and beside=: programs as the kernel's children
KERNEL_SRCS += src/kernel/syscall.c    # int 0x80: the system calls
KERNEL_SRCS += src/kernel/monitor.c    # monitor: a prompt on serial and keyboard; its commands
KERNEL_SRCS += src/kernel/monitor_mm.c # the monitor's memory commands: e820, frames, vm, pd, maps, heap
KERNEL_SRCS += src/kernel/demo.c        # demo=NAME: each chapter's point, shown (GRUB: "Chapter N")
KERNEL_SRCS += src/kernel/notests.c    # `test` in the plain kernel: the tests are elsewhere
KERNEL_SRCS += $(LIB_SRCS)

# The test kernel: the same kernel with the KTAP runner and the suites in
# place of notests.c, chosen at boot with test or test=suite,suite.case.
# The plain kernel, the one students boot, carries none of their code.
TEST_KERNEL_SRCS := $(filter-out src/kernel/notests.c,$(KERNEL_SRCS))
TEST_KERNEL_SRCS += src/kernel/ktest.c # the KTAP test framework
TEST_KERNEL_SRCS += $(sort $(wildcard tests/kernel/*_test.c))

KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(basename $(KERNEL_SRCS)))
TEST_KERNEL_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(basename $(TEST_KERNEL_SRCS)))
KERNEL_ELF  := $(BUILD)/kernel.elf
TEST_KERNEL_ELF := $(BUILD)/kernel-test.elf
LINKER_SCRIPT := src/kernel.ld

# ----------------------------------------------------------- the kernel
all: $(KERNEL_ELF) $(TEST_KERNEL_ELF) host-tools user   ## build both kernels, the host tools and the user programs

$(BUILD)/.tools-build: $(NEED)
	@$(NEED) build
	@mkdir -p $(@D) && touch $@

# NASM cannot read C headers: the C compiler computes each object-like
# #define (an expression of others, often) and NASM gets %defines.
$(BUILD)/gen/%.inc: include/%.h $(wildcard include/*.h) scripts/gen-defines.sh | $(BUILD)/.tools-build
	@mkdir -p $(@D)
	$(Q)scripts/gen-defines.sh nasm $< > $@

ASM_INCS := $(BUILD)/gen/layout.inc $(BUILD)/gen/mmu.inc $(BUILD)/gen/multiboot.inc $(BUILD)/gen/gdt.inc

$(BUILD)/kernel/%.o: %.c | $(BUILD)/.tools-build
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.o: %.asm $(ASM_INCS) | $(BUILD)/.tools-build
	@mkdir -p $(@D)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) $< -o $@

# The linker script reads include/layout.h through cpp.
$(BUILD)/kernel.ld: $(LINKER_SCRIPT) include/layout.h
	@mkdir -p $(@D)
	$(Q)$(CC) -E -P -x c -undef -D__ASSEMBLER__ -Iinclude $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) $(BUILD)/kernel.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(KERNEL_LDFLAGS) -T $(BUILD)/kernel.ld $(KERNEL_OBJS) -lgcc -o $@

$(TEST_KERNEL_ELF): $(TEST_KERNEL_OBJS) $(BUILD)/kernel.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(KERNEL_LDFLAGS) -T $(BUILD)/kernel.ld $(TEST_KERNEL_OBJS) -lgcc -o $@

kernel: $(KERNEL_ELF) $(TEST_KERNEL_ELF)   ## build build/kernel.elf and build/kernel-test.elf

# -------------------------------------------------------- user programs
# Every src/user/NAME.c is one program, build/user/NAME.elf: a static
# ELF32 linked at USER_TEXT_BASE (include/layout.h), started at _start by
# the kernel (run=NAME). The runtime, build/user/libc.a, is src/ulib/ plus
# the shared library and the heap core compiled again with the user
# flags: the kernel's freestanding i386 flags (no FPU: the kernel keeps no
# FPU state), with the standard headers of include/libc/ first. It is an
# archive, so a program links only the objects it uses.
# Each program's source says what the kernel should report for it, in a
# line "// expect: exit=0" or "// expect: killed (PATTERN)": a glob
# matched against its "run:" line (scripts/ktest-run.sh --expect). A
# program whose end depends on the CPU (sgdt: UMIP or not) has one such
# line for each outcome it may have.
# -Os: programs are small and many (69), and the ISO must stay under
# 1.25 MiB; none of them measures its own speed.
USER_CFLAGS := $(filter-out -Iinclude -Iinclude/libc,$(KERNEL_CFLAGS)) \
	-Iinclude/libc -Iinclude -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -Os
USER_TEXT_BASE := $(shell scripts/gen-defines.sh make include/layout.h | sed -n 's/^USER_TEXT_BASE := //p')
# One read-only segment (headers, text, rodata) and one writable (data,
# bss), each on pages of its own but packed in the file (no relro, which
# would page-align the data in the file too); unused functions dropped;
# no build-id note, no executable stack.
USER_LDFLAGS := -m32 -nostdlib -static -no-pie -Wl,-Ttext-segment=$(USER_TEXT_BASE) \
	-Wl,--build-id=none -Wl,-z,noexecstack -Wl,-z,max-page-size=0x1000 \
	-Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--gc-sections

ULIB_SRCS := src/ulib/syscall.c    # int $0x80, errno, one wrapper per call
ULIB_SRCS += src/ulib/stdio.c      # printf, puts, putchar; buffered stdout, stderr
ULIB_SRCS += src/ulib/stdlib.c     # exit, abort, assert's report
ULIB_SRCS += src/ulib/malloc.c     # malloc, free, calloc, realloc: the heap core on sbrk
ULIB_SRCS += src/lib/string.c      # shared with the kernel
ULIB_SRCS += src/lib/format.c      # shared with the kernel: the printf engine
ULIB_SRCS += $(HEAP_SRCS)          # shared with the kernel: the allocator core
ULIB_OBJS := $(patsubst %,$(BUILD)/user/obj/%.o,$(basename $(ULIB_SRCS)))
USER_CRT0 := $(BUILD)/user/obj/src/ulib/crt0.o   # _start: main(), then exit()
USER_LIB  := $(BUILD)/user/libc.a

USER_PROGRAMS := $(sort $(patsubst src/user/%.c,%,$(wildcard src/user/*.c)))
USER_ELFS := $(patsubst %,$(BUILD)/user/%.elf,$(USER_PROGRAMS))
USER_EXPECT := $(BUILD)/user/expect.txt   # NAME PATTERN, one line per program

$(BUILD)/user/obj/%.o: %.c | $(BUILD)/.tools-build
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (user)")
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user/obj/%.o: %.asm | $(BUILD)/.tools-build
	@mkdir -p $(@D)
	@$(if $(Q),echo "  NASM    $< (user)")
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) $< -o $@

$(USER_LIB): $(ULIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/user/%.elf: $(BUILD)/user/obj/src/user/%.o $(USER_CRT0) $(USER_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(USER_LDFLAGS) $(USER_EXTRA_LDFLAGS) $(USER_CRT0) $< $(USER_LIB) -lgcc -o $@

# ldtgate's gate page goes where the LDT attack needs it, at 0x1000: the
# loader must refuse the program.
$(BUILD)/user/ldtgate.elf: USER_EXTRA_LDFLAGS := -Wl,--section-start=.lowpage=0x1000

# Rewritten only when the set of programs changes, so that what lists
# them (the expectations, GRUB's programs.cfg) is remade then too.
$(BUILD)/user/programs.list: FORCE
	@mkdir -p $(@D)
	@echo '$(USER_PROGRAMS)' | cmp -s - $@ || echo '$(USER_PROGRAMS)' > $@

$(USER_EXPECT): $(BUILD)/user/programs.list $(patsubst %,src/user/%.c,$(USER_PROGRAMS))
	$(Q)for p in $(USER_PROGRAMS); do \
		sed -n "s|^// expect: *|$$p |p" src/user/$$p.c | grep . || \
			{ echo "src/user/$$p.c: needs an '// expect: ...' line" >&2; exit 1; }; \
	done > $@

user: $(USER_ELFS) $(USER_EXPECT)   ## build the user programs: one ELF for each C file in src/user

FORCE:
.PHONY: user FORCE

# The benchmarks' programs: built as src/user's are, but kept in
# tests/bench/ (with bench.h, what they share) so that run=all, and so
# make test, never runs them: they take seconds, and print cycles, not
# a verdict. scripts/bench-proc.sh boots each alone (make bench-proc).
BENCH_PROGRAMS := forkbench     # fork at 0, 1, 16, 64 MiB of heap; the copy-on-write faults
BENCH_PROGRAMS += switchbench   # getpid, yield alone, yield between two processes
BENCH_PROGRAMS += tickbench     # what the timer tick takes from a program that only computes
BENCH_ELFS := $(patsubst %,$(BUILD)/bench/user/%.elf,$(BENCH_PROGRAMS))

$(BUILD)/bench/user/%.elf: $(BUILD)/user/obj/tests/bench/%.o $(USER_CRT0) $(USER_LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(USER_LDFLAGS) $(USER_CRT0) $< $(USER_LIB) -lgcc -o $@

# HEAP_INDEX's users, rebuilt when it changes: the stamp is rewritten only
# then, as programs.list is. The kernel's and the user runtime's copies of
# the core carry the fast index's code only when they use it
# (HEAP_WITH_FAST_INDEX, src/mm/heapbins.h): a program pays for no bins
# its malloc does not keep. Neither maps big blocks (HEAP_WITH_MAPPING,
# src/mm/heapmap.h): only the host's tools do.
HEAP_INDEX_USERS := $(BUILD)/kernel/src/mm/kheap.o $(BUILD)/user/obj/src/ulib/malloc.o \
	$(BUILD)/host/opt/src/host/heaptrace.o \
	$(patsubst %.c,$(BUILD)/kernel/%.o,$(HEAP_SRCS)) $(patsubst %.c,$(BUILD)/user/obj/%.o,$(HEAP_SRCS))
$(patsubst %.c,$(BUILD)/kernel/%.o,$(HEAP_SRCS)): KERNEL_CFLAGS += \
	-DHEAP_WITH_FAST_INDEX=$(if $(filter fast,$(KHEAP_INDEX)),1,0) -DHEAP_WITH_MAPPING=0
$(patsubst %.c,$(BUILD)/user/obj/%.o,$(HEAP_SRCS)): USER_CFLAGS += \
	-DHEAP_WITH_FAST_INDEX=$(if $(filter fast,$(UMALLOC_INDEX)),1,0) -DHEAP_WITH_MAPPING=0
$(HEAP_INDEX_USERS): $(BUILD)/heap-index
$(BUILD)/kernel/src/mm/kheap.o: KERNEL_CFLAGS += -DHEAP_INDEX_FLAG=$(KHEAP_INDEX_FLAG)
$(BUILD)/user/obj/src/ulib/malloc.o: USER_CFLAGS += -DHEAP_INDEX_FLAG=$(UMALLOC_INDEX_FLAG)
$(BUILD)/host/opt/src/host/heaptrace.o: HOST_OPT_CFLAGS += -DHEAP_INDEX_FLAG=$(UMALLOC_INDEX_FLAG)
$(BUILD)/heap-index: FORCE
	@mkdir -p $(@D)
	@echo '$(KHEAP_INDEX) $(UMALLOC_INDEX)' | cmp -s - $@ || echo '$(KHEAP_INDEX) $(UMALLOC_INDEX)' > $@

# ------------------------------------------------------------------ ISO
# iso/ is the staging tree grub-mkrescue packs; its generated files are
# git-ignored. Only the GRUB modules Cairn uses go in: ~0.6 MB, not 9.5.
# The list is in scripts/grub-modules (the test runner builds ISOs too).
# grub-mkrescue's own start-up config loads every partition module: they
# are all there (a few KiB) or GRUB greets the student with "not found".
# The programs go in gzipped: GRUB's gzio unpacks the modules it loads
# (grub.cfg says insmod gzio), and the ISO stays under 1.25 MiB. The kernel
# does not: GRUB 2.06 reads a gzipped kernel's symbol table wrongly (it
# seeks in it), and fault reports would name the wrong functions.
ISO := $(BUILD)/cairn.iso
ISO_FILES := iso/boot/kernel.elf iso/boot/grub/grub.cfg
# The programs go in as /boot/user/NAME.elf.gz; programs.cfg has a GRUB
# module line for each, which grub.cfg's "run every user program" sources.
USER_ISO_ELFS := $(patsubst %,iso/boot/user/%.elf.gz,$(USER_PROGRAMS))
ISO_FILES += $(USER_ISO_ELFS) iso/boot/grub/programs.cfg

# The ISO's kernel keeps its symbol table (fault reports name functions)
# but not the DWARF debug info, which only gdb reads, from build/kernel.elf.
iso/boot/kernel.elf: $(KERNEL_ELF)
	$(Q)$(OBJCOPY) --strip-debug $< $@

# Programs go in bare: the kernel reports their faults by address, and
# build/user/NAME.elf keeps the symbols and debug info for gdb. These are
# also what the 4 MiB test run loads (QEMU unpacks nothing).
USER_STRIPPED := $(BUILD)/user/stripped
$(USER_STRIPPED)/%.elf: $(BUILD)/user/%.elf
	@mkdir -p $(@D)
	$(Q)$(OBJCOPY) --strip-all --remove-section=.comment $< $@

# -n: no name or time stamp inside, so the same input gives the same ISO.
iso/boot/user/%.elf.gz: $(USER_STRIPPED)/%.elf
	@mkdir -p $(@D)
	$(Q)gzip -9n < $< > $@

iso/boot/grub/grub.cfg: grub.cfg
	@mkdir -p $(@D)
	cp $< $@

# Also removes the ISO copies of programs that no longer exist.
iso/boot/grub/programs.cfg: $(BUILD)/user/programs.list Makefile
	@mkdir -p $(@D)
	$(Q)rm -f $(filter-out $(USER_ISO_ELFS),$(wildcard iso/boot/user/*.elf*))
	$(Q)for p in $(USER_PROGRAMS); do echo "module /boot/user/$$p.elf.gz $$p"; done > $@

$(ISO): $(ISO_FILES) $(NEED) scripts/grub-modules scripts/mkiso.sh
	@$(NEED) build
	$(Q)scripts/mkiso.sh $@ iso || { cat $@.log; exit 1; }
	@echo "ISO: $@, $$(stat -c %s $@) bytes"

iso: $(ISO)   ## build build/cairn.iso (GRUB + kernel)

# --------------------------------------------------------- emulators
QEMU_FLAGS := -m 128M -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04

# ARGS, the kernel's command line for run, run-nox and debug, as typed:
# make would read the `$` of memmap=1M$0x400000 as its variable $0, and a
# shell as its parameter. $(value) keeps it, and the scripts read it
# from the environment, where no shell parses it.
export CAIRN_ARGS := $(value ARGS)

# With ARGS, run and run-nox boot an ISO of their own whose menu boots
# the kernel with them at once (scripts/run-args.sh); without, the ISO.
ARGS_ISO := $(BUILD)/cairn-args.iso
RUN_ISO = $(if $(CAIRN_ARGS),$(ARGS_ISO),$(ISO))

run: $(ISO)   ## boot the ISO in QEMU: a window if there is a display, else serial here (ARGS=kernel options)
	@$(NEED) run
	@$(if $(CAIRN_ARGS),scripts/run-args.sh $(ARGS_ISO) "$$CAIRN_ARGS")
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] && $(QEMU) -display help | grep -qE '^(gtk|sdl)'; then \
		$(QEMU) $(QEMU_FLAGS) -cdrom $(RUN_ISO) -serial stdio; \
	else \
		$(QEMU) $(QEMU_FLAGS) -cdrom $(RUN_ISO) -nographic; \
	fi

run-nox: $(ISO)   ## boot the ISO in QEMU, serial console in this terminal (quit: Ctrl-A x; ARGS=kernel options)
	@$(NEED) run
	@$(if $(CAIRN_ARGS),scripts/run-args.sh $(ARGS_ISO) "$$CAIRN_ARGS")
	$(QEMU) $(QEMU_FLAGS) -cdrom $(RUN_ISO) -nographic

# Bochs writes $(BOCHS_LOGS)-serial.log, -verdicts.log and .log;
# scripts/bochs.sh stops it when make is stopped.
BOCHS_LOGS := $(BUILD)/bochs
bochs: $(ISO)   ## boot the ISO in Bochs (bochsrc in scripts/), text screen in this terminal
	@$(NEED) bochs
	@scripts/bochs.sh $(ISO) $(BOCHS_LOGS)

# QEMU waits for gdb on this user's own port (GDBPORT=N for another),
# gdb loads the symbols and stops at kmain; scripts/debug.sh refuses a
# port someone else has. QEMU's serial output goes to DEBUG_LOG.
DEBUG_LOG := $(BUILD)/debug-serial.log
debug: $(KERNEL_ELF)   ## start QEMU paused with its GDB stub on your port, and gdb with a breakpoint at kmain
	@$(NEED) debug
	@GDB='$(GDB)' scripts/debug.sh $(KERNEL_ELF) $(DEBUG_LOG) $(QEMU) $(QEMU_FLAGS)

# ------------------------------------------------------- the web page
# Cairn in a browser (scripts/web/, docs/09-looking-inside.md): the v86
# emulator (npm, its wasm build) with Debian's SeaBIOS, the kernels, the
# ISO (for the entries that load the user programs as modules), the menu's
# entries as buttons, and for each kernel an index the live panels read
# its memory with: its symbols (nm) and struct fields (gdb, from the
# debug info). Everything lands in build/web/, node_modules too.
WEB := $(BUILD)/web
WEB_PAGE := $(patsubst scripts/web/%,$(WEB)/%,$(wildcard scripts/web/*.html scripts/web/*.css scripts/web/js/*.js))
WEB_FILES := $(WEB_PAGE) $(WEB)/menu.json $(WEB)/kernel.index.json $(WEB)/kernel-test.index.json \
	$(WEB)/kernel.elf $(WEB)/kernel-test.elf $(WEB)/cairn.iso \
	$(WEB)/v86/libv86.mjs $(WEB)/v86/v86.wasm $(WEB)/bios/bios.bin $(WEB)/bios/vgabios-stdvga.bin

$(BUILD)/.tools-web: $(NEED)
	@$(NEED) web
	@mkdir -p $(@D) && touch $@

# npm ci installs exactly the committed lock: v86 and puppeteer-core.
$(WEB)/node_modules/.package-lock.json: scripts/web/package.json scripts/web/package-lock.json | $(BUILD)/.tools-web
	@mkdir -p $(WEB)
	$(Q)cp scripts/web/package.json scripts/web/package-lock.json $(WEB)/
	$(Q)cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB)/v86/%: $(WEB)/node_modules/.package-lock.json
	@mkdir -p $(@D)
	$(Q)cp $(WEB)/node_modules/v86/build/$* $@

$(WEB)/bios/%: | $(BUILD)/.tools-web
	@mkdir -p $(@D)
	$(Q)cp /usr/share/seabios/$* $@

$(WEB)/%: scripts/web/%
	@mkdir -p $(@D)
	$(Q)cp $< $@

$(WEB)/%.elf: $(BUILD)/%.elf
	@mkdir -p $(@D)
	$(Q)cp $< $@

$(WEB)/cairn.iso: $(ISO)
	$(Q)cp $< $@

$(WEB)/menu.json: grub.cfg scripts/web/menu-entries.py | $(BUILD)/.tools-web
	@mkdir -p $(@D)
	$(Q)python3 scripts/web/menu-entries.py $< > $@

$(WEB)/%.index.json: $(BUILD)/%.elf scripts/web/kernel-index.py scripts/gen-defines.sh \
		include/mmu.h include/layout.h include/heap.h | $(BUILD)/.tools-web
	@mkdir -p $(@D)
	@$(if $(Q),echo "  INDEX   $@")
	$(Q)CAIRN_INDEX_OUT=$@ gdb -batch -nx $< -x scripts/web/kernel-index.py

web: $(WEB_FILES)   ## build the web page in build/web/: Cairn in v86, with live panels (serve it, then open it)
	@echo "web: serve it with   python3 -m http.server -d $(WEB) 8000"
	@echo "     then open       http://localhost:8000/"

# ---------------------------------------------------------- host side
HOST_LIB_OBJS := $(patsubst %,$(BUILD)/host/%.o,$(basename $(LIB_SRCS)))

$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

# The shared library's own functions would clash with glibc's on the host:
# its test build renames them (memcpy -> cairn_memcpy) with one header.
$(BUILD)/host/renamed/%.o: %.c tests/host/cairn_names.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $< (renamed)")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -fno-builtin -Iinclude/libc \
		-include tests/host/cairn_names.h -c $< -o $@
HOST_LIB_RENAMED := $(patsubst %,$(BUILD)/host/renamed/%.o,$(basename $(LIB_SRCS)))

# Host tests: tests/host/NAME_test.c links with the sources listed in
# HOST_TEST_SRCS_NAME (renamed library objects for lib_*).
HOST_TEST_SRCS_lib_string  := $(HOST_LIB_RENAMED)
HOST_TEST_SRCS_lib_format  := $(HOST_LIB_RENAMED)
HOST_TEST_SRCS_lib_cmdline := $(HOST_LIB_RENAMED)
# memmap.c runs on glibc's string.h and snprintf: plain host objects.
# src/host/lab.c: lab_missing(), which a lab handout's stubs call.
HOST_LAB := $(BUILD)/host/src/host/lab.o
HOST_TEST_SRCS_memmap := $(BUILD)/host/src/mm/memmap.o $(BUILD)/host/src/lib/cmdline.o $(HOST_LAB)
# The heap core likewise: glibc's memcpy and snprintf.
HOST_TEST_SRCS_heap := $(patsubst %.c,$(BUILD)/host/%.o,$(HEAP_SRCS)) $(HOST_LAB)
# The PMM core likewise: glibc's memset and vsnprintf.
HOST_TEST_SRCS_pmm := $(BUILD)/host/src/mm/pmm.o $(HOST_LAB)
HOST_TEST_SRCS_mmu :=   # include/mmu.h is all inline

HOST_TEST_NAMES := $(patsubst tests/host/%_test.c,%,$(wildcard tests/host/*_test.c))
HOST_TESTS := $(patsubst %,$(BUILD)/host/tests/%_test,$(HOST_TEST_NAMES))

$(BUILD)/host/tests/%_test: $(BUILD)/host/tests/%_test.o
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ $(HOST_LDLIBS) -o $@
$(BUILD)/host/tests/%_test.o: tests/host/%_test.c | $(BUILD)/.tools-test
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -Itests/host -c $< -o $@
.SECONDEXPANSION:
$(HOST_TESTS): $$(HOST_TEST_SRCS_$$(patsubst $(BUILD)/host/tests/%_test,%,$$@))

$(BUILD)/.tools-test: $(NEED)
	@$(NEED) test
	@mkdir -p $(@D) && touch $@

HOST_TOOLS :=
HOST_TOOLS += $(BUILD)/host/e820     # replays a firmware memory map through memmap.c

# e820read.c reads the map's text: shared with tests/fuzz/e820_fuzz.c.
$(BUILD)/host/e820: $(BUILD)/host/src/host/e820.o $(BUILD)/host/src/host/e820read.o \
		$(BUILD)/host/src/mm/memmap.o $(BUILD)/host/src/lib/cmdline.o $(HOST_LAB)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@
-include $(BUILD)/host/src/host/e820.d $(BUILD)/host/src/host/e820read.d $(BUILD)/host/src/mm/memmap.d

HOST_TOOLS += $(BUILD)/host/bootmap   # draws the e820: lines of a boot log as an SVG (docs/pictures/)
HOST_TOOLS += $(BUILD)/host/pictures  # draws the book's other pictures from the headers' constants

# svg.c is the two tools' one palette and SVG writer.
$(BUILD)/host/bootmap: $(BUILD)/host/src/host/bootmap.o $(BUILD)/host/src/host/svg.o \
		$(BUILD)/host/src/mm/memmap.o $(BUILD)/host/src/lib/cmdline.o $(HOST_LAB)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -lm -o $@
PICTURES_SRCS := src/host/pictures.c         # main: the list of pictures, one line each
PICTURES_SRCS += src/host/pictures_boot.c    # the build-to-boot flow
PICTURES_SRCS += src/host/pictures_paging.c  # the address split and walk, the recursive mapping, the layout
PICTURES_SRCS += src/host/pictures_alloc.c   # the PMM's stack and reservoir; a heap block, the four merges
PICTURES_SRCS += src/host/pictures_trap.c    # the trap frame, the path of a system call
PICTURES_SRCS += src/host/svg.c
$(BUILD)/host/pictures: $(patsubst %.c,$(BUILD)/host/%.o,$(PICTURES_SRCS))
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@
-include $(patsubst %.c,$(BUILD)/host/%.d,$(PICTURES_SRCS)) $(BUILD)/host/src/host/bootmap.d

# Host tools that measure speed: optimized and without sanitizers (ASan
# would also replace the very malloc that heaptrace compares against).
HOST_OPT_CFLAGS := -std=gnu11 -g -O2 -Iinclude -DCAIRN_HOST \
	-Wall -Wextra $(WERROR) -Wno-unused-parameter -MMD -MP
$(BUILD)/host/opt/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $< (opt)")
	$(Q)$(HOST_CC) $(HOST_OPT_CFLAGS) -c $< -o $@

HOST_TOOLS += $(BUILD)/host/heaptrace  # replays allocator traces: checks, utilization, speed
HOST_TOOLS += $(BUILD)/host/gentrace   # writes the traces in tests/traces/ from fixed seeds
HOST_TOOLS += $(BUILD)/host/pmmbench   # the PMM's stack against a bitmap allocator: ns and instructions

# trace.c reads and checks the traces: shared with tests/fuzz/trace_fuzz.c.
# krmalloc.c is the K&R allocator heaptrace measures as the baseline (kr).
$(BUILD)/host/heaptrace: $(BUILD)/host/opt/src/host/heaptrace.o $(BUILD)/host/opt/src/host/trace.o \
		$(BUILD)/host/opt/src/host/krmalloc.o \
		$(patsubst %.c,$(BUILD)/host/opt/%.o,$(HEAP_SRCS)) $(BUILD)/host/opt/src/host/lab.o
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOST_CC) $^ -o $@
$(BUILD)/host/gentrace: $(BUILD)/host/opt/src/host/gentrace.o
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOST_CC) $^ -o $@
$(BUILD)/host/pmmbench: $(BUILD)/host/opt/src/host/pmmbench.o $(BUILD)/host/opt/src/mm/pmm.o \
		$(BUILD)/host/opt/src/host/lab.o
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HOST_CC) $^ -o $@
-include $(BUILD)/host/opt/src/host/pmmbench.d $(BUILD)/host/opt/src/mm/pmm.d $(BUILD)/host/src/mm/pmm.d
-include $(BUILD)/host/opt/src/host/heaptrace.d $(BUILD)/host/opt/src/host/trace.d \
	$(BUILD)/host/opt/src/host/krmalloc.d \
	$(BUILD)/host/opt/src/host/gentrace.d \
	$(patsubst %.c,$(BUILD)/host/opt/%.d,$(HEAP_SRCS)) $(patsubst %.c,$(BUILD)/host/%.d,$(HEAP_SRCS))

traces: $(BUILD)/host/gentrace   ## regenerate tests/traces/*.rep (fixed seeds)
	@mkdir -p tests/traces
	$(BUILD)/host/gentrace tests/traces

check-traces: $(BUILD)/host/gentrace   ## check that regenerating gives the shipped traces
	@rm -rf $(BUILD)/traces && mkdir -p $(BUILD)/traces
	@$(BUILD)/host/gentrace $(BUILD)/traces
	@diff -r -q tests/traces $(BUILD)/traces && echo "traces: up to date"

# The book's pictures: docs/pictures/NAME.svg beside what it is drawn
# from. The memory map is drawn from a real boot log committed there
# (e820-128M.log: qemu-system-i386 -m 128M -kernel build/kernel.elf
# -append poweroff -serial stdio); the others from the constants of
# include/ that the pictures tool compiles in.
PICTURE_LOGS := $(wildcard docs/pictures/*.log)
pictures: $(BUILD)/host/pictures $(BUILD)/host/bootmap   ## redraw docs/pictures/*.svg from their sources
	$(Q)$(BUILD)/host/pictures docs/pictures
	$(Q)for log in $(PICTURE_LOGS); do \
		$(BUILD)/host/bootmap $$log > $${log%.log}.svg || exit 1; \
	done

# Redraws them into build/pictures/ and compares; also that each is
# well-formed and shown by a chapter, and each one a chapter shows exists.
check-pictures: $(BUILD)/host/pictures $(BUILD)/host/bootmap   ## check that the committed pictures are what their sources draw
	@scripts/check-pictures.sh

# To look at them as a browser would, without one: librsvg's renderer.
pictures-png:   ## render docs/pictures/*.svg as build/pictures-png/NAME.png (rsvg-convert)
	@$(NEED) pictures
	@mkdir -p $(BUILD)/pictures-png
	$(Q)for svg in docs/pictures/*.svg; do \
		rsvg-convert $$svg -o $(BUILD)/pictures-png/$$(basename $$svg .svg).png || exit 1; \
	done
	@echo "pictures: $(BUILD)/pictures-png/*.png"

# Benchmarks report ratios against a baseline measured in the same run;
# no test asserts a time.
bench: bench-boot bench-pmm bench-heap bench-proc   ## every benchmark: boot time, frame allocator, heap, processes

bench-boot: $(KERNEL_ELF)   ## boot to poweroff at -m 16M, 128M, 3G against the smallest multiboot kernel; -icount instructions
	@$(NEED) run
	@scripts/bench-boot.sh

bench-heap: $(BUILD)/host/heaptrace   ## allocators on the shipped traces vs libc (with and without its top pad): util, cold and hot kops, system calls, instructions
	@$(NEED) bench
	@scripts/bench-heap.sh $(BUILD)/host/heaptrace tests/traces/*.rep

bench-pmm: $(BUILD)/host/pmmbench   ## the PMM's stack vs bitmap allocators (with and without a hint): ns and instructions per alloc+free
	@$(NEED) bench
	@scripts/bench-pmm.sh $(BUILD)/host/pmmbench

bench-proc: $(KERNEL_ELF) $(BENCH_ELFS)   ## fork at 0-64 MiB, COW faults, switch vs getpid, the tick's share: TCG cycles and icount
	@$(NEED) run
	@scripts/bench-proc.sh

.PHONY: traces check-traces pictures check-pictures pictures-png bench bench-boot bench-heap bench-pmm bench-proc

host-tools: $(HOST_TOOLS)   ## build the host tools under build/host/
host-tests: $(HOST_TESTS)   ## build the cmocka host tests

# ---------------------------------------------------------------- fuzzing
# libFuzzer targets: tests/fuzz/NAME_fuzz.c with the sources it checks.
# `make test` runs each for a few seconds; `make fuzz` for FUZZ_SECONDS,
# keeping what it learns in build/fuzz/corpus/NAME_fuzz/. Both start from
# tests/fuzz/NAME_fuzz_seeds/ too, if there is one: inputs of the shapes
# that found bugs, which a few seconds of fuzzing would not come upon.
FUZZ_SECONDS := 60
FUZZERS :=
FUZZERS += $(BUILD)/fuzz/memmap_fuzz   # memmap.c against a brute-force oracle
FUZZERS += $(BUILD)/fuzz/heap_fuzz     # the heap core: operation programs, heap_check after each
FUZZERS += $(BUILD)/fuzz/format_fuzz   # the printf engine: any format string; one conversion against glibc
FUZZERS += $(BUILD)/fuzz/trace_fuzz    # heaptrace's trace reader: what it accepts is valid
FUZZERS += $(BUILD)/fuzz/e820_fuzz     # the e820 tool's map reader: it refuses the bad line, for its reason

$(BUILD)/fuzz/memmap_fuzz: tests/fuzz/memmap_fuzz.c src/mm/memmap.c src/lib/cmdline.c src/host/lab.c \
		include/memmap.h include/multiboot.h include/cmdline.h | $(BUILD)/.tools-test
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@

$(BUILD)/fuzz/heap_fuzz: tests/fuzz/heap_fuzz.c $(HEAP_SRCS) src/host/lab.c \
		include/heap.h src/mm/heapblock.h src/mm/heaptree.h src/mm/heapbins.h src/mm/heapmap.h | $(BUILD)/.tools-test
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@

# format.c's snprintf would clash with glibc's, the fuzzer's reference:
# renamed as for the host tests.
$(BUILD)/fuzz/obj/format.o: src/lib/format.c include/format.h tests/host/cairn_names.h | $(BUILD)/.tools-test
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fno-builtin -Iinclude/libc -include tests/host/cairn_names.h -c $< -o $@

$(BUILD)/fuzz/format_fuzz: tests/fuzz/format_fuzz.c $(BUILD)/fuzz/obj/format.o \
		tests/host/cairn_names.h tests/host/plain_names.h | $(BUILD)/.tools-test
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/host $(filter %.c %.o,$^) -o $@

# The host tools' readers live beside them in src/host/, headers too.
$(BUILD)/fuzz/trace_fuzz: tests/fuzz/trace_fuzz.c src/host/trace.c src/host/trace.h | $(BUILD)/.tools-test
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/host $(filter %.c,$^) -o $@

$(BUILD)/fuzz/e820_fuzz: tests/fuzz/e820_fuzz.c src/host/e820read.c src/mm/memmap.c src/lib/cmdline.c src/host/lab.c \
		src/host/e820read.h include/memmap.h include/cmdline.h | $(BUILD)/.tools-test
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/host $(filter %.c,$^) -o $@

fuzz: $(FUZZERS)   ## run each fuzzer for FUZZ_SECONDS (default 60)
	@for f in $(FUZZERS); do \
		name=$$(basename $$f); \
		mkdir -p $(BUILD)/fuzz/corpus/$$name && \
		$$f -max_total_time=$(FUZZ_SECONDS) $(BUILD)/fuzz/corpus/$$name \
			$$(test -d tests/fuzz/$${name}_seeds && echo tests/fuzz/$${name}_seeds) || exit 1; \
	done

# ----------------------------------------------------------------- book
# docs/ as an HTML book in build/book/ (pandoc; scripts/book/build.sh):
# the contents, previous/next, highlighted code, the pictures, and every
# file and function a page names linked to its source, rendered beside.
# check-book opens every page in headless Chromium, as make test does.
book:   ## render docs/ into an HTML book: build/book/index.html
	@$(NEED) book
	@scripts/book/build.sh $(BUILD)/book

# The check drives Chromium with puppeteer-core: npm ci installs exactly
# the committed lock into build/book-check/.
BOOK_CHECK_NODE := $(BUILD)/book-check/node_modules/.package-lock.json

$(BUILD)/.tools-book-check: $(NEED)
	@$(NEED) book-check
	@mkdir -p $(@D) && touch $@

$(BOOK_CHECK_NODE): scripts/book/package.json scripts/book/package-lock.json | $(BUILD)/.tools-book-check
	@mkdir -p $(BUILD)/book-check
	$(Q)cp scripts/book/package.json scripts/book/package-lock.json $(BUILD)/book-check/
	$(Q)cd $(BUILD)/book-check && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

check-book: $(BOOK_CHECK_NODE)   ## make book, then open every page in Chromium: broken links, missing pictures; screenshots
	@scripts/book/check.sh $(BUILD)/book

.PHONY: book check-book

# ---------------------------------------------------------------- tests
# One line at the end: N passed, N failed, over host and kernel cases.
TEST_NEEDS := $(KERNEL_ELF) $(TEST_KERNEL_ELF) $(ISO) $(HOST_TESTS) $(HOST_TOOLS) $(FUZZERS) \
	$(USER_ELFS) $(USER_EXPECT) $(patsubst %,$(USER_STRIPPED)/%.elf,$(USER_PROGRAMS)) \
	$(BENCH_ELFS)           # built (not run) so that they cannot rot
TEST_NEEDS += $(WEB_FILES)      # the page tests/web/ loads in headless Chromium
TEST_NEEDS += $(BOOK_CHECK_NODE) # what opens the book's pages in Chromium
test: $(TEST_NEEDS)   ## run every test: host, kernel, user programs, and the proof of every lab
	@scripts/test-all.sh

ktest: $(TEST_KERNEL_ELF)   ## run the kernel self-tests once in QEMU (ARGS=test=suite,...)
	@$(NEED) run
	@scripts/ktest-run.sh qemu-kernel -- $${CAIRN_ARGS:-test}   # unquoted: one option a word; no $ expanded

# ----------------------------------------------------------------- labs
# A lab is a piece of this tree students write themselves: its regions
# are marked in the source (/* lab NAME: begin REGION */ ... end), its
# tests, stubs and planted mistakes are in tests/labs/NAME/, its text is
# docs/labs/NAME.md. A handout is this tree minus one lab's code, with
# .lab naming it: there `make grade` needs no LAB.
LAB ?= $(shell cat .lab 2> /dev/null)

handout:   ## make a lab's handout in build/labs/LAB (LAB=NAME, LAB=all, LAB=list)
	@scripts/lab-handout.sh $(or $(LAB),list)

grade:   ## grade a lab: each test, its points, Score: N/M (LAB=NAME; ARGS=--results=FILE for Gradescope)
	@$(NEED) grade
	@scripts/lab-grade.sh $(ARGS) $(LAB)

handin:   ## in a handout: build/handin-LAB.tar.gz, your changes with your grade
	@$(NEED) grade
	@scripts/lab-handin.sh

.PHONY: handout grade handin

compile_commands.json: $(NEED)   ## let clangd see the real flags (uses bear)
	@$(NEED) compdb build
	bear -- $(MAKE) -B $(KERNEL_ELF) $(HOST_TESTS)

clean:   ## remove build/ and the generated ISO tree
	rm -rf $(BUILD) iso/boot/kernel.elf iso/boot/grub/grub.cfg \
		iso/boot/grub/runner.cfg iso/boot/user iso/boot/grub/programs.cfg

help:   ## list the targets
	@grep -hE '^[a-zA-Z_.-]+:.*## ' $(MAKEFILE_LIST) | \
		sed 's/:.*## /\t/' | awk -F'\t' '{ printf "  make %-22s %s\n", $$1, $$2 }'

.PHONY: all kernel iso web run run-nox bochs debug host-tools host-tests fuzz test ktest clean help

-include $(TEST_KERNEL_OBJS:.o=.d) $(BUILD)/kernel/src/kernel/notests.d $(HOST_LIB_OBJS:.o=.d) $(HOST_LIB_RENAMED:.o=.d) $(HOST_TESTS:=.d)
-include $(ULIB_OBJS:.o=.d) $(USER_CRT0:.o=.d) $(patsubst %,$(BUILD)/user/obj/src/user/%.d,$(USER_PROGRAMS))
-include $(patsubst %,$(BUILD)/user/obj/tests/bench/%.d,$(BENCH_PROGRAMS))
