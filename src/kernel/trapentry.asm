; Entry points for all 256 interrupt vectors. Each stub pushes a zero
; where the CPU pushes no error code (so every trap frame has the same
; shape) and its vector number, then joins trap_common, which saves the
; rest of the registers as a struct trapframe (include/trap.h) and calls
; trap_dispatch(frame).

%include "gdt.inc"
%include "mmu.inc"

section .text
extern trap_dispatch

; Vectors for which the CPU pushes an error code itself.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%assign vector 0
%rep 256
trap_stub_ %+ vector:
%if !HAS_ERROR(vector)
	push dword 0
%endif
	push dword vector
	jmp trap_common
%assign vector vector + 1
%endrep

trap_common:
	; The kernel runs with EFLAGS.AC clear, whatever the interrupted code
	; left there: with SMAP, AC set would let every kernel access to a
	; user page through, and ring 3 may set AC with popf. iret puts the
	; interrupted code's own flags back. (clac does the same, but only on
	; a CPU with SMAP; elsewhere it is an invalid opcode.)
	pushfd
	and dword [esp], ~EFLAGS_AC
	popfd
	push ds
	push es
	push fs
	push gs
	pusha
	mov ax, SEG_KERNEL_DATA
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	cld                         ; C code expects the direction flag clear
	push esp                    ; the struct trapframe *
	call trap_dispatch
	add esp, 4
global trap_return
trap_return:                    ; also where a new user process starts
	popa
	pop gs
	pop fs
	pop es
	pop ds
	add esp, 8                  ; the vector and the error code
	iret

; The stubs' addresses, for idt.c.
section .rodata
global trap_stubs
trap_stubs:
%assign vector 0
%rep 256
	dd trap_stub_ %+ vector
%assign vector vector + 1
%endrep
