/*
 * pv_evt_entry: the event callback of <pvguest/event.h>.
 *
 * The hypervisor enters with events masked and this bounce frame on the
 * kernel stack, lowest address first: RCX, R11, RIP, CS, RFLAGS, RSP, SS
 * (no error code).  The interrupted RCX and R11 are popped back into
 * their registers, an iret flags word (0: not VGCF_in_syscall) takes the
 * place below RIP, and the caller-saved registers are kept while
 * pv_evt_upcall(frame) runs on a 16-byte aligned stack.  The way back is
 * the hypercall page's iret stub, which pushes RCX, R11 and RAX itself;
 * RFLAGS.IF in the frame restores the upcall mask.
 */
#define HC_IRET     23

    .text
    .code64
    .balign 32
    .globl pv_evt_entry
pv_evt_entry:
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
    lea   11 * 8(%rsp), %rdi            /* the RIP slot */
    mov   %rsp, %rbx
    and   $~0xf, %rsp
    cld
    call  pv_evt_upcall
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
