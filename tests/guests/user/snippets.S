/*
 * user: the instruction sequences whose exact state the tests check.
 *
 * Each us_* function is run in guest user mode by pv_run_user() (called
 * as fn(arg) on the user stack); it records what it needs in us_rsp /
 * us_rflags, then executes the instruction under test at the global label
 * us_*_insn, followed by ud2 at us_*_after.  Every one leaves user mode
 * through that instruction (or the trap it raises), never by returning.
 *
 * iret_raw(ctx) issues the iret hypercall with the 9-quadword frame at
 * CTX (struct iret_context) and returns 0 if the iret lands at
 * iret_raw_landed (kernel mode), 2 if it lands at iret_raw_user_landed
 * in user mode (with iret_raw_user_cb as the syscall callback), or 1 if a
 * handler sent the kernel to iret_raw_resume instead (a fault at the
 * target).
 */
    .text
    .code64

.macro record
    mov   %rsp, us_rsp(%rip)
    pushfq
    popq  us_rflags(%rip)
.endm

/* SYSCALL with known registers. */
    .globl us_syscall
us_syscall:
    record
    mov   $0x1234, %eax
    mov   $0x5555, %ecx
    mov   $0x6666, %r11d
    mov   $0x7777, %edi
    mov   $0x8888, %r8d
    .globl us_syscall_insn
us_syscall_insn:
    syscall
    .globl us_syscall_after
us_syscall_after:
    ud2

/* MOV SS, then SYSCALL in its shadow. */
    .globl us_movss_syscall
us_movss_syscall:
    record
    mov   %ss, %eax
    mov   %eax, %ss
    .globl us_movss_insn
us_movss_insn:
    syscall
    ud2

/* The same with the selector loaded from memory (us_ss_var, watched by
 * a data breakpoint in one case). */
    .globl us_movss_mem_syscall
us_movss_mem_syscall:
    record
    mov   $0x99, %eax
    mov   us_ss_var(%rip), %ss
    .globl us_movss_mem_insn
us_movss_mem_insn:
    syscall
    .globl us_movss_mem_after
us_movss_mem_after:
    ud2

    .globl us_sysenter
us_sysenter:
    record
    mov   $0x4444, %ecx
    .globl us_sysenter_insn
us_sysenter_insn:
    sysenter
    ud2

    .globl us_ud2
us_ud2:
    record
    mov   $0x1111, %ecx
    mov   $0x2222, %r11d
    .globl us_ud2_insn
us_ud2_insn:
    ud2

    .globl us_int0
us_int0:
    record
    .globl us_int0_insn
us_int0_insn:
    int   $0
    .globl us_int0_after
us_int0_after:
    ud2

    .globl us_int21
us_int21:
    record
    .globl us_int21_insn
us_int21_insn:
    int   $0x21
    ud2

    .globl us_int80
us_int80:
    record
    .globl us_int80_insn
us_int80_insn:
    int   $0x80
    .globl us_int80_after
us_int80_after:
    ud2

    .globl us_int3
us_int3:
    record
    int3
    .globl us_int3_after
us_int3_after:
    ud2

    .globl us_intn3
us_intn3:
    record
    int   $3
    .globl us_intn3_after
us_intn3_after:
    ud2

    .globl us_div0
us_div0:
    record
    xor   %ecx, %ecx
    mov   $1, %eax
    xor   %edx, %edx
    .globl us_div0_insn
us_div0_insn:
    div   %ecx
    ud2

    .globl us_hlt
us_hlt:
    record
    .globl us_hlt_insn
us_hlt_insn:
    hlt
    ud2

    .globl us_fnop
us_fnop:
    record
    .globl us_fnop_insn
us_fnop_insn:
    fnop
    mov   $0x77, %edi
    syscall
    ud2

/* Read a quadword at ARG; hand it back by SYSCALL (rdi). */
    .globl us_read
us_read:
    record
    .globl us_read_insn
us_read_insn:
    mov   (%rdi), %rdi
    syscall
    ud2

/* Write ARG to itself. */
    .globl us_write
us_write:
    record
    .globl us_write_insn
us_write_insn:
    mov   %rdi, (%rdi)
    syscall
    ud2

/* %gs:0 and %fs:0, back in rdi and rsi. */
    .globl us_segs
us_segs:
    mov   %gs:0, %rdi
    mov   %fs:0, %rsi
    syscall
    ud2

/* ---- kernel mode ------------------------------------------------------ */
    .globl iret_raw
iret_raw:
    push  %rbx
    push  %rbp
    push  %r12
    push  %r13
    push  %r14
    push  %r15
    mov   %rsp, iret_raw_sp(%rip)
    sub   $128, %rsp
    and   $~0xf, %rsp
    mov   $9, %ecx
    mov   %rsp, %rax
1:  mov   (%rdi), %rdx
    mov   %rdx, (%rax)
    add   $8, %rdi
    add   $8, %rax
    dec   %ecx
    jnz   1b
    mov   $23, %eax
    syscall
    ud2
    .globl iret_raw_landed
iret_raw_landed:
    mov   iret_raw_sp(%rip), %rsp
    xor   %eax, %eax
    jmp   2f
    /* Target for irets to user mode: if one lands, its SYSCALL reaches
     * iret_raw_user_cb (set as the syscall callback meanwhile) in kernel
     * mode, and iret_raw returns 2. */
    .globl iret_raw_user_landed
iret_raw_user_landed:
    syscall
    ud2
    .globl iret_raw_user_cb
iret_raw_user_cb:
    mov   iret_raw_sp(%rip), %rsp
    mov   $2, %eax
    jmp   2f
    .globl iret_raw_resume
iret_raw_resume:
    mov   iret_raw_sp(%rip), %rsp
    mov   $1, %eax
2:  pop   %r15
    pop   %r14
    pop   %r13
    pop   %r12
    pop   %rbp
    pop   %rbx
    ret

/* A hypercall (xen_version 0) issued in the shadow of MOV SS. */
    .globl k_movss_hypercall
k_movss_hypercall:
    push  %rbx
    mov   $17, %eax                     /* __HYPERVISOR_xen_version */
    xor   %edi, %edi
    xor   %esi, %esi
    mov   us_ss_var(%rip), %ss
    .globl k_movss_insn
k_movss_insn:
    syscall
    pop   %rbx
    ret

    .data
    .balign 8
    .globl us_ss_var
us_ss_var:
    .quad 0xe02b
    .globl iret_raw_sp
iret_raw_sp:
    .quad 0

    .section .note.GNU-stack, "", @progbits
