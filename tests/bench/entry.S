/*
 * pvbench: a null system call handler for the user_syscall metric.
 *
 * Registered as the syscall callback while the metric runs.  The
 * hypervisor enters it on the kernel stack with RCX, R11, RIP, CS,
 * RFLAGS, RSP, SS (lowest address first).  A SYSCALL with RAX =
 * BENCH_SYSCALL_NR goes straight back to user mode: RCX and R11 come off,
 * and the iret_context (RAX, R11, RCX, flags = VGCF_in_syscall, then the
 * RIP..SS already there) is completed in place for HYPERVISOR_iret, issued
 * inline.  Any other SYSCALL is the runtime's (the end of pv_run_user).
 */
#define BENCH_SYSCALL_NR    0x5ca11
#define HC_IRET             23
#define VGCF_IN_SYSCALL     0x100

    .text
    .code64
    .balign 32
    .globl bench_syscall_entry
bench_syscall_entry:
    cmp   $BENCH_SYSCALL_NR, %rax
    jne   pv_entry_syscall
    pop   %rcx
    pop   %r11
    push  $VGCF_IN_SYSCALL
    push  %rcx
    push  %r11
    push  %rax
    mov   $HC_IRET, %eax
    syscall
    ud2

    .section .note.GNU-stack, "", @progbits
