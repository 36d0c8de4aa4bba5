/*
 * Exception and interrupt entry.  One 16-byte stub per vector pushes a
 * zero error code where the CPU does not, records the vector in the upper
 * half of the error-code slot, and joins common_entry, which saves the
 * general registers as a struct cpu_user_regs (asm/regs.h) and calls
 * do_trap().  The IDT is filled from idt_stubs + vector * 16.
 */
#include <asm/regs.h>

        .text
        .balign 16
        .globl idt_stubs
idt_stubs:
        .set    vec, 0
        .rept   256
        .balign 16
        /* Vectors where the CPU pushes an error code. */
        .if vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30
        .else
        push    $0
        .endif
        movl    $vec, 4(%rsp)
        jmp     common_entry
        .set    vec, vec + 1
        .endr

common_entry:
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        cld
        mov     %rsp, %rdi
        call    do_trap
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
        add     $8, %rsp                    /* error code + vector */
        iretq
