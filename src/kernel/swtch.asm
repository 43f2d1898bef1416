; The context switch: void swtch(struct context **save, struct context *next)
; (include/sched.h). It saves what C expects a call to preserve (EBX,
; ESI, EDI, EBP, and the return address the call pushed) on the current
; stack, stores that stack pointer in *save, and takes up `next`, a stack
; whose top holds the same five words, left there by an earlier swtch (or
; made by hand for a process that has not run yet). The other registers
; a C caller assumes are lost across a call; EFLAGS holds nothing the
; kernel needs (interrupts are off in the kernel, DF is clear). CR3 and
; the TSS's ring-0 stack are the scheduler's to change, before it calls.

section .text
global swtch

swtch:
	mov eax, [esp + 4]          ; save
	mov edx, [esp + 8]          ; next
	push ebp                    ; the struct context, built downward
	push ebx
	push esi
	push edi
	mov [eax], esp              ; *save: where this one stopped
	mov esp, edx                ; the other stack
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret                         ; to where next's swtch was called
