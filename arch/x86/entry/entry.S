/*
 * Exception, interrupt and SYSCALL entry, and the way back to a guest.
 *
 * Every entry saves the general registers as a struct cpu_user_regs
 * (asm/regs.h).  When the CPU was running a PV guest (CPL 3), that frame
 * sits at a fixed place: just below the CPU's struct cpu_info at the top
 * of its stack (TSS.rsp0 points there), so C code finds the guest's
 * registers with guest_cpu_user_regs().  SYSCALL does not switch stacks,
 * so its entry builds the same frame by hand, reaching the per-CPU stack
 * top through the hypervisor's GS base (kept in MSR_SHADOW_GS_BASE while
 * a guest runs and swapped in for the three instructions that need it).
 *
 * One 16-byte stub per IDT vector pushes a zero error code where the CPU
 * does not, records the vector in the upper half of the error-code slot,
 * and joins common_entry.
 */
#include <asm/regs.h>
#include <asm/x86-defs.h>
#include <asm-offsets.h>
#include <asm/extable.h>

#define TRAP_syscall 256
#define TRAP_sysenter 257

.macro SAVE_ALL
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
.endm

.macro RESTORE_ALL
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
.endm

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
        SAVE_ALL
        mov     %rsp, %rdi
        call    do_trap
        /* Back to a guest through the exit path, if this is its frame. */
        testb   $3, UREGS_cs(%rsp)
        jz      1f
        mov     %rsp, %rax
        or      $(STACK_SIZE - 1), %rax
        sub     $(CPU_INFO_SIZE + UREGS_size - 1), %rax
        cmp     %rax, %rsp
        je      return_to_guest
1:      RESTORE_ALL
        iretq

/*
 * SYSCALL from a PV guest (kernel mode: a hypercall; user mode: the
 * guest's syscall callback).  Interrupts are off (SFMASK clears IF).
 * `cs` is the selector the guest ran with: 64-bit or 32-bit user code.
 */
.macro SYSCALL_ENTRY cs
        swapgs
        movq    %rsp, %gs:CPUINFO_syscall_scratch
        movq    %gs:CPUINFO_stack_top, %rsp
        pushq   $FLAT_RING3_DS              /* ss */
        pushq   %gs:CPUINFO_syscall_scratch /* rsp */
        swapgs
        pushq   %r11                        /* rflags */
        pushq   $\cs                        /* cs */
        pushq   %rcx                        /* rip */
        pushq   $0
        movl    $TRAP_syscall, 4(%rsp)
        SAVE_ALL
        sti
        mov     %rsp, %rdi
        call    do_guest_syscall
        jmp     return_to_guest
.endm

        .globl syscall_entry, syscall32_entry, sysenter_entry
syscall_entry:
        SYSCALL_ENTRY FLAT_RING3_CS64
syscall32_entry:
        SYSCALL_ENTRY FLAT_RING3_CS32

/*
 * SYSENTER from guest user mode: the CPU loaded rsp from SYSENTER_ESP (the
 * top of this CPU's guest frame) and saved nothing, as the ABI expects;
 * the guest's sysenter callback gets a frame with rip and rsp zero.
 */
sysenter_entry:
        pushq   $FLAT_RING3_DS              /* ss */
        pushq   $0                          /* rsp */
        pushfq
        orl     $X86_EFLAGS_IF, (%rsp)
        pushq   $FLAT_RING3_CS32            /* cs */
        pushq   $0                          /* rip */
        pushq   $0
        movl    $TRAP_sysenter, 4(%rsp)
        SAVE_ALL
        sti
        mov     %rsp, %rdi
        call    do_guest_sysenter
        jmp     return_to_guest

/*
 * Leave for the guest whose frame is at the top of this stack (rsp
 * points at it).  pv_exit_to_guest() runs softirqs and delivers pending
 * events; it returns with interrupts disabled, so nothing new can become
 * pending between the check and the iret.
 */
        .globl return_to_guest
return_to_guest:
        cli
        mov     %rsp, %rdi
        call    pv_exit_to_guest
        /*
         * After a SYSCALL the guest's rcx and r11 are dead (the ABI's
         * frames carry them where a handler needs them), so SYSRET can
         * return: rcx = rip, r11 = rflags.  Only for the flat 64-bit
         * selectors and a canonical rip (SYSRET to a non-canonical rip
         * would fault in ring 0 on the guest's stack: XSA-7).
         */
        cmpl    $TRAP_syscall, UREGS_entry_vector(%rsp)
        jne     1f
        cmpq    $FLAT_RING3_CS64, UREGS_cs(%rsp)
        jne     1f
        cmpq    $FLAT_RING3_DS, UREGS_ss(%rsp)
        jne     1f
        mov     UREGS_rip(%rsp), %rcx
        mov     %rcx, %r11
        shl     $16, %r11
        sar     $16, %r11
        cmp     %rcx, %r11
        jne     1f
        RESTORE_ALL
        mov     (%rsp), %rcx                /* rip */
        mov     16(%rsp), %r11              /* rflags */
        mov     24(%rsp), %rsp              /* the guest's stack */
        sysretq
1:      RESTORE_ALL
iret_to_guest:
        iretq

/*
 * The iretq above faulted in ring 0: the guest asked (with the iret
 * hypercall) for a selector or rip the CPU refuses.  The fault left the
 * guest frame intact at the top of the stack and the guest's registers
 * loaded: rebuild the register frame and let the guest handle the fault
 * (#GP with the CPU's error code), as Xen does.
 */
iret_fault:
        sub     $8, %rsp                    /* error code + vector slot */
        movq    $0, (%rsp)
        SAVE_ALL
        mov     %rsp, %rdi
        call    pv_iret_fault
        jmp     return_to_guest
        _ASM_EXTABLE(iret_to_guest, iret_fault)

/* Discard the current stack and enter the guest frame given in rdi. */
        .globl enter_guest_frame
enter_guest_frame:
        mov     %rdi, %rsp
        jmp     return_to_guest

/* Discard the current stack (rsi = its top) and call rdi; never returns. */
        .globl reset_stack_and_call
reset_stack_and_call:
        mov     %rsi, %rsp
        xor     %ebp, %ebp
        call    *%rdi
2:      hlt
        jmp     2b
