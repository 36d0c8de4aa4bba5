/*
 * misc: user-mode instruction sequences run by pv_run_user().  Each one
 * executes the instruction under test at its global label NAME_insn and
 * reports by SYSCALL (rdi = a result); a fault ends user mode instead.
 */
    .text
    .code64

/* inb from port ARG; the byte in rdi. */
    .globl mu_inb
mu_inb:
    mov   %edi, %edx
    mov   $0x5a, %eax
    .globl mu_inb_insn
mu_inb_insn:
    inb   %dx, %al
    movzbl %al, %edi
    syscall
    ud2

    .globl mu_cli
mu_cli:
    .globl mu_cli_insn
mu_cli_insn:
    cli
    mov   $0xc1, %edi
    syscall
    ud2

    .globl mu_rdtsc
mu_rdtsc:
    .globl mu_rdtsc_insn
mu_rdtsc_insn:
    rdtsc
    mov   %eax, %edi
    syscall
    ud2

/* rdtscp: TSC_AUX (ecx) in rdi. */
    .globl mu_rdtscp
mu_rdtscp:
    .globl mu_rdtscp_insn
mu_rdtscp_insn:
    rdtscp
    mov   %ecx, %edi
    syscall
    ud2

    .section .note.GNU-stack, "", @progbits
