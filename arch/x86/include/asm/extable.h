/*
 * Exception fixups.  An instruction that may fault on purpose (a guest
 * memory access, a guest-controlled MSR write) is listed with the address
 * to resume at; a fault there resumes at the fixup instead of being fatal.
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#ifdef __ASSEMBLY__
#define _ASM_EXTABLE(from, to)           \
    .pushsection .ex_table, "a";         \
    .balign 8;                           \
    .quad from, to;                      \
    .popsection
#else
#define _ASM_EXTABLE(from, to)           \
    ".pushsection .ex_table, \"a\"\n\t"  \
    ".balign 8\n\t"                      \
    ".quad " #from ", " #to "\n\t"       \
    ".popsection\n\t"

#include <keel/types.h>

/* Fixup address for a faulting rip, or 0. */
unsigned long search_exception_table(unsigned long rip);
#endif

#endif /* ASM_EXTABLE_H */
