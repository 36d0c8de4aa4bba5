/*
 * Start of day for a 64-bit PV guest kernel: the Xen ELF notes that tell
 * the domain builder how to load us, the hypercall page the builder fills
 * in, and the entry point.
 *
 * The builder enters _start in guest kernel mode with rsi = the virtual
 * address of start_info, on a stack page of its own; we move to our own
 * stack, zero .bss (the loader should already have; doing it again costs
 * nothing and makes no assumption) and call pv_start() in setup.c.
 */
#include <pvguest/layout.h>

/* One Xen note: name "Xen", TYPE, and the descriptor given as assembler. */
.macro xen_note type, directive, value
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f                       /* namesz */
    .long 4f - 3f                       /* descsz */
    .long \type
1:  .asciz "Xen"
2:  .balign 4
3:  \directive \value
4:  .balign 4
    .popsection
.endm

/* The same with a string descriptor (the quotes do not survive .macro). */
.macro xen_note_str type, value
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f
    .long 4f - 3f
    .long \type
1:  .asciz "Xen"
2:  .balign 4
3:  .asciz "\value"
4:  .balign 4
    .popsection
.endm

    xen_note_str 6,  Keel-PV-test             /* GUEST_OS */
    xen_note_str 7,  1                        /* GUEST_VERSION */
    xen_note_str 5,  xen-3.0                  /* XEN_VERSION */
    xen_note 3,  .quad,  PV_VIRT_BASE               /* VIRT_BASE */
    xen_note 4,  .quad,  PV_VIRT_BASE               /* PADDR_OFFSET */
    xen_note 1,  .quad,  _start                     /* ENTRY */
    xen_note 2,  .quad,  hypercall_page             /* HYPERCALL_PAGE */
    xen_note_str 10, !writable_page_tables|pae_pgdir_above_4gb /* FEATURES */
    xen_note 17, .long,  (1 << 11)                  /* SUPPORTED_FEATURES: dom0 */
    xen_note_str 8,  generic                  /* LOADER */

    .section .text.head, "ax", @progbits
    .code64
    .globl _start
_start:
    cld
    mov   %rsi, %r12                    /* start_info */
    lea   __bss_start(%rip), %rdi
    lea   __bss_end(%rip), %rcx
    sub   %rdi, %rcx
    xor   %eax, %eax
    rep stosb
    lea   pv_boot_stack_top(%rip), %rsp
    xor   %ebp, %ebp
    mov   %r12, %rdi
    call  pv_start
    ud2

/*
 * The hypercall page: the builder writes one 32-byte stub per hypercall.
 * It starts full of int3 so that a builder that failed to fill it traps.
 */
    .section .text.hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

    .section .bss.stack, "aw", @nobits
    .balign 4096
    .globl pv_boot_stack
pv_boot_stack:
    .skip PV_BOOT_STACK_SIZE
    .globl pv_boot_stack_top
pv_boot_stack_top:
    .globl pv_user_kstack
pv_user_kstack:
    .skip PV_BOOT_STACK_SIZE
    .globl pv_user_kstack_end
pv_user_kstack_end:

    .section .note.GNU-stack, "", @progbits
