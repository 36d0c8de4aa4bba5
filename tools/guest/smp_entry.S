/*
 * pv_smp_entry: where every secondary vCPU starts (the RIP of the context
 * pv_smp_context() builds for VCPUOP_initialise).
 *
 * The hypervisor enters it in kernel mode with the context's registers:
 * RSP the top of the vCPU's own stack in pv_smp_stacks (which is how
 * pv_smp_id() knows the vCPU).  RDI, RSP, RBX, R15 and RFLAGS are handed
 * unchanged to pv_smp_main(rdi, rsp, rbx, r15, rflags) in smp.c, which
 * records them (a test may check what the context gave) and never
 * returns.
 */
    .text
    .code64

    .balign 16
    .globl pv_smp_entry
pv_smp_entry:
    pushfq
    pop   %r8
    mov   %rsp, %rsi
    mov   %rbx, %rdx
    mov   %r15, %rcx
    xor   %ebp, %ebp
    and   $~0xf, %rsp
    call  pv_smp_main
    ud2

    .section .note.GNU-stack, "", @progbits
