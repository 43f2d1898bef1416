; The program's first instruction: the kernel jumps to _start with ESP at
; the top of an empty, 16-byte-aligned stack. It calls main() and hands
; its return value to exit(), which flushes stdout and never returns.

section .text
global _start
extern main
extern exit

_start:
	xor ebp, ebp            ; a zero frame pointer ends every backtrace here
	call main               ; ESP was 16-byte aligned at the call, as the ABI wants
	sub esp, 12             ; keep it so for exit: 12 + the 4-byte argument
	push eax
	call exit
	ud2                     ; exit does not return; if it did, fault loudly

; No executable stack (without this note, ld assumes one and warns).
section .note.GNU-stack noalloc noexec nowrite progbits
