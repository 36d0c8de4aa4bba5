/* Placeholder symbol table for the first link pass (see tools/build/mksyms). */
        .section .keel_symtab, "a", @progbits
        .balign 8
        .globl keel_symtab_count, keel_symtab_addrs, keel_symtab_names
keel_symtab_count:  .quad 0
keel_symtab_addrs:
keel_symtab_names:  .byte 0
