/*
 * Secondary-CPU trampoline, copied to TRAMPOLINE_PHYS (below 1 MiB) and
 * entered in real mode by the STARTUP IPI (CS = TRAMPOLINE_PHYS >> 4).
 * It walks the CPU through protected mode into long mode on the shared
 * hypervisor page tables (which identity-map the low 2 MiB while CPUs
 * start), then jumps to the upper half with the stack the boot CPU left
 * in tramp_stack.  The boot CPU fills tramp_cr3, tramp_efer, tramp_stack
 * and tramp_entry before each STARTUP IPI.
 */
#include <asm/smp.h>
#include <asm/x86-defs.h>

#define TRAMP(x) (TRAMPOLINE_PHYS + (x) - trampoline_start)

        .section .rodata.trampoline, "a", @progbits
        .globl trampoline_start, trampoline_end
        .globl tramp_cr3, tramp_efer, tramp_stack, tramp_entry
        .code16
trampoline_start:
        cli
        cld
        mov     %cs, %ax
        mov     %ax, %ds
        lgdtl   tramp_gdtr - trampoline_start
        mov     %cr0, %eax
        or      $X86_CR0_PE, %eax
        mov     %eax, %cr0
        ljmpl   $0x08, $TRAMP(tramp32)

        .code32
tramp32:
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        mov     %cr4, %eax
        or      $X86_CR4_PAE, %eax
        mov     %eax, %cr4
        mov     TRAMP(tramp_cr3), %eax
        mov     %eax, %cr3
        mov     $MSR_EFER, %ecx
        rdmsr
        or      TRAMP(tramp_efer), %eax
        wrmsr
        mov     $(X86_CR0_PG | X86_CR0_PE | X86_CR0_WP | X86_CR0_NE | X86_CR0_MP), %eax
        mov     %eax, %cr0
        ljmp    $0x18, $TRAMP(tramp64)

        .code64
tramp64:
        mov     TRAMP(tramp_stack), %rsp
        mov     TRAMP(tramp_entry), %rax
        xor     %ebp, %ebp
        jmp     *%rax

        .balign 8
tramp_gdt:
        .quad   0
        .quad   0x00cf9a000000ffff          /* 0x08: 32-bit code */
        .quad   0x00cf92000000ffff          /* 0x10: data */
        .quad   0x00af9a000000ffff          /* 0x18: 64-bit code */
tramp_gdtr:
        .short  tramp_gdtr - tramp_gdt - 1
        .long   TRAMP(tramp_gdt)
        .balign 8
tramp_cr3:      .quad 0
tramp_efer:     .quad 0
tramp_stack:    .quad 0
tramp_entry:    .quad 0
trampoline_end:
