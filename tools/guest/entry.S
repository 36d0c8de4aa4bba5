/*
 * Entry and exit paths of the PV guest runtime.
 *
 * Xen delivers an exception by writing a bounce frame on the guest kernel
 * stack, lowest address first: RCX, R11, [error code], RIP, CS, RFLAGS,
 * RSP, SS, and jumping to the trap table entry.  Each vector has a 32-byte
 * stub here that normalises the frame (an error code of 0 is inserted for
 * vectors without one), pushes the vector number, and joins
 * pv_trap_common, which saves the other registers as struct pv_regs and
 * calls pv_trap_dispatch().  The event, failsafe, syscall and sysenter
 * callbacks enter the same path with pseudo-vectors 256 and up.
 *
 * The way back is always the iret hypercall: the frame becomes
 * RAX, R11, RCX, flags, RIP, CS, RFLAGS, RSP, SS in place.  It is issued
 * inline or through the hypercall page's iret stub, following
 * pv_hypercall_mode, so both paths are exercised.
 */
#define HC_IRET     23
#define VEC_EVENT   256
#define VEC_FAILSAFE 257
#define VEC_SYSCALL 258
#define VEC_SYSCALL32 259
#define VEC_SYSENTER 260

    .text
    .code64

/* ---- exception stubs ---------------------------------------------------- */
.macro no_err_frame vec
    pop   %rcx
    pop   %r11
    push  $0
    push  %r11
    push  %rcx
    push  $\vec
    jmp   pv_trap_common
.endm

    .balign 32
    .globl pv_trap_stubs
pv_trap_stubs:
    .set vec, 0
    .rept 256
    .balign 32
    .if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    push  $vec
    jmp   pv_trap_common
    .else
    no_err_frame vec
    .endif
    .set vec, vec + 1
    .endr

    .balign 32
    .globl pv_entry_event
pv_entry_event:
    no_err_frame VEC_EVENT

    .balign 32
    .globl pv_entry_failsafe
pv_entry_failsafe:
    /* RCX, R11, DS, ES, FS, GS, RIP, ...: keep the selectors aside
     * (pv_failsafe_sels) and drop them from the frame. */
    pop   %rcx
    pop   %r11
    popq  pv_failsafe_sels(%rip)
    popq  pv_failsafe_sels+8(%rip)
    popq  pv_failsafe_sels+16(%rip)
    popq  pv_failsafe_sels+24(%rip)
    push  $0
    push  %r11
    push  %rcx
    push  $VEC_FAILSAFE
    jmp   pv_trap_common

    .balign 32
    .globl pv_entry_syscall
pv_entry_syscall:
    no_err_frame VEC_SYSCALL

    .balign 32
    .globl pv_entry_syscall32
pv_entry_syscall32:
    no_err_frame VEC_SYSCALL32

    .balign 32
    .globl pv_entry_sysenter
pv_entry_sysenter:
    no_err_frame VEC_SYSENTER

/* ---- common path -------------------------------------------------------- */
pv_trap_common:
    push  %rax
    push  %rdi
    push  %rsi
    push  %rdx
    push  %r8
    push  %r9
    push  %r10
    push  %rbx
    push  %rbp
    push  %r12
    push  %r13
    push  %r14
    push  %r15
    cld
    mov   %rsp, %rdi
    mov   %rsp, %rbx
    and   $~0xf, %rsp
    call  pv_trap_dispatch
    mov   %rbx, %rdi
    /* fall through */

/* void pv_iret_to(struct pv_regs *regs): resume the state in REGS. */
    .globl pv_iret_to
pv_iret_to:
    mov   %rdi, %rsp
    pop   %r15
    pop   %r14
    pop   %r13
    pop   %r12
    pop   %rbp
    pop   %rbx
    pop   %r10
    pop   %r9
    pop   %r8
    pop   %rdx
    pop   %rsi
    pop   %rdi
    pop   %rax
    /* [vector][rcx][r11][error][rip][cs][rflags][rsp][ss] */
    cmpl  $0, pv_hypercall_mode(%rip)
    jne   1f
    /* Through the hypercall page: it pushes rcx, r11 and rax itself. */
    mov   8(%rsp), %rcx
    mov   16(%rsp), %r11
    movq  $0, 24(%rsp)
    add   $24, %rsp
    jmp   hypercall_page + HC_IRET * 32
1:  /* Inline: lay out rax, r11, rcx, flags in place. */
    mov   %rax, (%rsp)
    mov   8(%rsp), %rax
    xchg  16(%rsp), %rax
    mov   %rax, 8(%rsp)
    movq  $0, 24(%rsp)
    mov   $HC_IRET, %eax
    syscall
    ud2

/* ---- hypercalls --------------------------------------------------------- */
/* long pv_hypercall_inline(nr, a1, a2, a3, a4, a5) */
    .globl pv_hypercall_inline
pv_hypercall_inline:
    mov   %rdi, %rax
    mov   %rsi, %rdi
    mov   %rdx, %rsi
    mov   %rcx, %rdx
    mov   %r8, %r10
    mov   %r9, %r8
    syscall
    ret

/* long pv_hypercall_page(nr, a1, a2, a3, a4, a5); nr < 128 */
    .globl pv_hypercall_page
pv_hypercall_page:
    mov   %rdi, %rax
    shl   $5, %rax
    lea   hypercall_page(%rip), %r11
    add   %r11, %rax
    mov   %rsi, %rdi
    mov   %rdx, %rsi
    mov   %rcx, %rdx
    mov   %r8, %r10
    mov   %r9, %r8
    jmp   *%rax                         /* the stub returns to our caller */

/* ---- user mode ---------------------------------------------------------- */
/*
 * void pv_user_enter(unsigned long *ctx, rip, rsp, fn, arg): save the
 * callee-saved registers and rsp in ctx[0..6], then iret to user mode at
 * RIP on RSP with rcx = FN and rax = ARG (the iret frame restores those
 * two, where other argument registers may be clobbered by a debug
 * hypervisor).  pv_user_resume(ctx) comes back.
 */
    .globl pv_user_enter
pv_user_enter:
    mov   %rbx, 0(%rdi)
    mov   %rbp, 8(%rdi)
    mov   %r12, 16(%rdi)
    mov   %r13, 24(%rdi)
    mov   %r14, 32(%rdi)
    mov   %r15, 40(%rdi)
    mov   %rsp, 48(%rdi)
    push  $0xe02b                       /* ss: FLAT_USER_SS */
    push  %rdx                          /* rsp */
    push  $0x202                        /* rflags: IF, so events unmasked */
    push  $0xe033                       /* cs: FLAT_USER_CS, RPL 3 */
    push  %rsi                          /* rip */
    push  $0                            /* flags: not in syscall */
    push  %rcx                          /* rcx: fn */
    push  $0x202                        /* r11 */
    push  %r8                           /* rax: arg */
    mov   $HC_IRET, %eax
    syscall
    ud2

/* void pv_user_resume(unsigned long *ctx) */
    .globl pv_user_resume
pv_user_resume:
    mov   0(%rdi), %rbx
    mov   8(%rdi), %rbp
    mov   16(%rdi), %r12
    mov   24(%rdi), %r13
    mov   32(%rdi), %r14
    mov   40(%rdi), %r15
    mov   48(%rdi), %rsp
    ret

/* User-mode trampoline: call fn(arg), then hand rax back by SYSCALL. */
    .globl pv_user_trampoline
pv_user_trampoline:
    and   $~0xf, %rsp
    mov   %rax, %rdi
    call  *%rcx
    mov   %rax, %rdi
    syscall
    ud2

    .section .note.GNU-stack, "", @progbits
