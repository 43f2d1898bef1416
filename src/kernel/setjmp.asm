; setjmp/longjmp for the kernel, used to recover from a fault a test
; expects: the trap handler longjmps back to the test (include/setjmp.h).
; A jmp_buf holds the callee-saved registers, the stack pointer and the
; return address: six words.

section .text
global setjmp, longjmp

; int setjmp(jmp_buf env)
setjmp:
	mov eax, [esp + 4]          ; env
	mov [eax + 0], ebx
	mov [eax + 4], esi
	mov [eax + 8], edi
	mov [eax + 12], ebp
	lea ecx, [esp + 4]          ; the caller's esp after we return
	mov [eax + 16], ecx
	mov ecx, [esp]              ; our return address
	mov [eax + 20], ecx
	xor eax, eax                ; 0: the direct return
	ret

; void longjmp(jmp_buf env, int value): setjmp returns again, with value
; (or 1 if value is 0).
longjmp:
	mov edx, [esp + 4]          ; env
	mov eax, [esp + 8]          ; value
	test eax, eax
	jnz .nonzero
	inc eax
.nonzero:
	mov ebx, [edx + 0]
	mov esi, [edx + 4]
	mov edi, [edx + 8]
	mov ebp, [edx + 12]
	mov esp, [edx + 16]
	jmp [edx + 20]
