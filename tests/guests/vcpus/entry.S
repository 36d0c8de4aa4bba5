/*
 * vcpus: entry points of the secondary vCPUs and the event upcall.
 *
 * vc_secondary_start is the RIP of every context given to
 * VCPUOP_initialise.  The hypervisor starts the vCPU there in kernel mode
 * with RSP, RDI, RBX and R15 as the context had them; they are handed to
 * vc_secondary_main(rdi, rsp, rbx, r15, rflags) unchanged, so that it can
 * check them.  RSP is the top of a VC_STACK_SIZE-aligned stack.
 *
 * vc_evt_entry is the event callback of every vCPU here (vCPU 0 registers
 * it with CALLBACKOP_register, the others get it in their context).  The
 * hypervisor enters it with events masked and RCX, R11, RIP, CS, RFLAGS,
 * RSP, SS on the current kernel stack.  RCX and R11 go back to their
 * registers, an iret flags word (0) takes their place under RIP, the
 * caller-saved registers are kept while vc_upcall() runs on a 16-byte
 * aligned stack, and the way back is the hypercall page's iret stub
 * (which pushes RCX, R11 and RAX itself).  RFLAGS.IF in the frame gives
 * the upcall mask back.
 */
#define HC_IRET     23

    .text
    .code64

    .balign 16
    .globl vc_secondary_start
vc_secondary_start:
    pushfq
    pop   %r8
    mov   %rsp, %rsi
    mov   %rbx, %rdx
    mov   %r15, %rcx
    xor   %ebp, %ebp
    call  vc_secondary_main
    ud2

    .balign 32
    .globl vc_evt_entry
vc_evt_entry:
    pop   %rcx
    pop   %r11
    push  $0                            /* iret flags */
    push  %rax
    push  %rcx
    push  %rdx
    push  %rsi
    push  %rdi
    push  %r8
    push  %r9
    push  %r10
    push  %r11
    push  %rbx
    mov   %rsp, %rbx
    and   $~0xf, %rsp
    cld
    call  vc_upcall
    mov   %rbx, %rsp
    pop   %rbx
    pop   %r11
    pop   %r10
    pop   %r9
    pop   %r8
    pop   %rdi
    pop   %rsi
    pop   %rdx
    pop   %rcx
    pop   %rax
    jmp   hypercall_page + HC_IRET * 32

    .section .note.GNU-stack, "", @progbits
