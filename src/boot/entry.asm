; The first code that runs. GRUB (or QEMU's -kernel) loads the image at
; 1 MiB and jumps here in 32-bit protected mode with paging off, EAX holding
; the Multiboot magic and EBX the physical address of the info structure.
; This file's code sits in .boot, linked where it is loaded; the rest of the
; kernel is linked in the higher half (src/kernel.ld), so until paging is
; on, every address of a kernel symbol must have KERNEL_BASE taken off it.

%include "layout.inc"
%include "mmu.inc"
%include "multiboot.inc"

; ---------------------------------------------------------------------------
; The Multiboot header: the loader searches the first 8 KiB of the file for
; it, so the linker script puts this section first. No address fields
; (flag bit 16, the "a.out kludge"): GRUB then loads the kernel as ELF and
; passes its section headers (info flag bit 5), and with them the symbol
; table that src/kernel/symbols.c reads. QEMU's -kernel loader does not.
MB_FLAGS equ MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO

section .multiboot
align 4
	dd MULTIBOOT_HEADER_MAGIC
	dd MB_FLAGS
	dd -(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)   ; the three words sum to zero

; ---------------------------------------------------------------------------
; The page directory, the kernel half's page tables and the boot stack, in
; .bss (zeroed by the loader). All 255 kernel page tables exist from the
; start and never move: mapping a kernel page never needs memory, and every
; address space shares them by copying directory entries 768..1022.
section .bss
align PAGE_SIZE
global kernel_page_directory, kernel_page_tables
kernel_page_directory:
	resb PAGE_SIZE
kernel_page_tables:             ; table i maps KERNEL_BASE + i * 4 MiB
	resb KERNEL_PAGE_TABLES * PAGE_SIZE
global boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:               ; paging unmaps this page: an overflow faults
	resb PAGE_SIZE
boot_stack:
	resb BOOT_STACK_SIZE
boot_stack_top:

%define PHYS(sym) ((sym) - KERNEL_BASE)

section .boot progbits alloc exec write align=16
global _start
extern kmain, kernel_end
_start:
	cli
	cld                         ; the loader need not leave DF clear; C expects it
	mov esp, early_stack_top    ; nor a stack: this one is in the loaded image
	call check_fits

	; Fill the first kernel page table: entry i maps physical page i, so
	; the first 4 MiB (low memory and the kernel image) appear at
	; KERNEL_BASE.
	mov edi, PHYS(kernel_page_tables)
	xor ecx, ecx
.fill:
	mov edx, ecx
	shl edx, PAGE_SHIFT
	or edx, PTE_PRESENT | PTE_WRITABLE
	mov [edi + ecx * 4], edx
	inc ecx
	cmp ecx, ENTRIES_PER_TABLE
	jne .fill

	; Directory entries 768..1022 point at the kernel page tables.
	mov edi, PHYS(kernel_page_directory) + KERNEL_PDE_FIRST * 4
	mov edx, PHYS(kernel_page_tables) + (PTE_PRESENT | PTE_WRITABLE)
	mov ecx, KERNEL_PAGE_TABLES
.link:
	mov [edi], edx
	add edi, 4
	add edx, PAGE_SIZE
	loop .link

	; The first table also at 0 (identity), so the next instruction fetch
	; still works once paging is on; paging_init() removes it. The last
	; directory entry points at the directory itself: the recursive
	; mapping (include/mmu.h).
	mov edx, PHYS(kernel_page_tables) + (PTE_PRESENT | PTE_WRITABLE)
	mov [PHYS(kernel_page_directory)], edx
	mov edx, PHYS(kernel_page_directory) + (PTE_PRESENT | PTE_WRITABLE)
	mov [PHYS(kernel_page_directory) + RECURSIVE_PDE * 4], edx

	mov edx, PHYS(kernel_page_directory)
	mov cr3, edx
	mov edx, cr0
	or edx, CR0_PG | CR0_WP
	mov cr0, edx

	; An absolute jump: from here on EIP is a higher-half address.
	mov edx, higher_half
	jmp edx

; A machine whose RAM ends before the image does would fault on the page
; tables in .bss: a triple fault, with no word said. So, before touching
; .bss: if the loader gave the memory size (info flag bit 0) and it is too
; small, say so in one line on the screen, COM1 and COM2 (where the test
; runner reads verdicts), and halt. Runs with paging off, on the small
; stack below; keeps eax and ebx for kmain.
COM1            equ 0x3F8
COM2            equ 0x2F8
SERIAL_LSR      equ 5               ; line status, from the port's base
LSR_THR_EMPTY   equ 0x20
VGA_TEXT        equ 0xB8000
VGA_GREY        equ 0x0700

check_fits:
	cmp eax, MULTIBOOT_BOOTLOADER_MAGIC
	jne .fits                   ; kmain says what is wrong with the loader
	test dword [ebx], MULTIBOOT_INFO_MEMORY
	jz .fits
	mov ecx, [ebx + 8]          ; mem_upper: KiB of RAM from 1 MiB up
	add ecx, 1024               ; where that RAM ends, in KiB
	mov edx, PHYS(kernel_end) + 1023
	shr edx, 10                 ; where the image ends, in KiB
	cmp ecx, edx
	jb .too_small
.fits:
	ret
.too_small:
	mov edi, VGA_TEXT
	mov esi, msg_needs
	call early_puts
	mov eax, edx
	call early_putu
	mov esi, msg_has
	call early_puts
	mov eax, ecx
	call early_putu
	mov esi, msg_halting
	call early_puts
.halt:
	hlt
	jmp .halt

; Prints the NUL-terminated string at esi on COM1 and at edi on the screen.
early_puts:
	lodsb
	test al, al
	jz .done
	call early_putc
	jmp early_puts
.done:
	ret

; Prints eax in decimal.
early_putu:
	push ecx
	push edx
	mov ecx, 10
	push 0                      ; end marker under the digits
.digit:
	xor edx, edx
	div ecx
	add dl, '0'
	push edx
	test eax, eax
	jnz .digit
.out:
	pop eax
	test al, al
	jz .printed
	call early_putc
	jmp .out
.printed:
	pop edx
	pop ecx
	ret

; Sends al to the serial port at dx (an absent one reads 0xFF: no wait).
early_serial:
	push eax
	add dx, SERIAL_LSR
.wait:
	in al, dx
	test al, LSR_THR_EMPTY
	jz .wait
	sub dx, SERIAL_LSR
	pop eax
	out dx, al
	ret

; Prints the character in al; keeps every register but edi (the screen).
early_putc:
	push edx
	mov dx, COM1
	call early_serial
	mov dx, COM2
	call early_serial
	cmp al, 10
	je .newline                 ; the screen needs no newline: one line
	mov ah, VGA_GREY >> 8
	mov [edi], ax
	add edi, 2
.newline:
	pop edx
	ret

msg_needs:   db "Cairn does not fit: its image ends at ", 0
msg_has:     db " KiB, but RAM from 1 MiB up ends at ", 0
msg_halting: db " KiB. Halting.", 13, 10, 0

align 4
	times 64 dd 0
early_stack_top:

section .text
higher_half:
	mov esp, boot_stack_top
	xor ebp, ebp                ; the end of the frame-pointer chain
	push ebx                    ; multiboot info (physical)
	push eax                    ; multiboot magic
	call kmain
	; kmain never returns; stop here if it does.
.hang:
	cli
	hlt
	jmp .hang
