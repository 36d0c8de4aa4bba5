/*
 * A do-nothing 64-bit PV kernel, built only as a fuzzing seed for
 * fuzz_elf (and, gzipped, fuzz_inflate): real GNU as/ld output with the
 * Xen notes a Linux kernel carries, written the way Linux writes them,
 * linked by pvkernel.lds at 0xffffffff81000000 with p_paddr = p_vaddr -
 * VIRT_BASE.  Never run.
 */
#define XEN_NOTE(type, desctype, descdata...)                         \
    .pushsection .note.Xen, "a", @note;                               \
    .balign 4;                                                        \
    .long 2f - 1f;                                                    \
    .long 4f - 3f;                                                    \
    .long type;                                                       \
1:  .asciz "Xen";                                                     \
2:  .balign 4;                                                        \
3:  desctype descdata;                                                \
4:  .balign 4;                                                        \
    .popsection

    .text
    .globl start
start:
    hlt
    jmp start

    .balign 4096
hypercall_page:
    .fill 4096, 1, 0xcc

    .data
    .quad 1

    .bss
    .fill 65536, 1, 0

XEN_NOTE(6, .asciz, "linux")                    /* GUEST_OS */
XEN_NOTE(7, .asciz, "2.6")                      /* GUEST_VERSION */
XEN_NOTE(5, .asciz, "xen-3.0")                  /* XEN_VERSION */
XEN_NOTE(3, .quad, 0xffffffff80000000)          /* VIRT_BASE */
XEN_NOTE(4, .quad, 0)                           /* PADDR_OFFSET */
XEN_NOTE(1, .quad, start)                       /* ENTRY */
XEN_NOTE(2, .quad, hypercall_page)              /* HYPERCALL_PAGE */
XEN_NOTE(10, .asciz, "!writable_page_tables|pae_pgdir_above_4gb")
XEN_NOTE(17, .long, 1 << 11)                    /* SUPPORTED_FEATURES: dom0 */
XEN_NOTE(9, .asciz, "yes")                      /* PAE_MODE */
XEN_NOTE(8, .asciz, "generic")                  /* LOADER */
XEN_NOTE(13, .quad, 1; .quad 1)                 /* L1_MFN_VALID */
XEN_NOTE(14, .long, 1)                          /* SUSPEND_CANCEL */
XEN_NOTE(16, .long, 1)                          /* MOD_START_PFN */
