/*
 * The exception table: (instruction, fixup) pairs collected by the linker
 * into .ex_table.  Unsorted and searched linearly: it is consulted only on
 * faults taken in hypervisor context, which are rare.
 */
#include <asm/extable.h>

struct ex_entry {
    unsigned long insn, fixup;
};

extern const struct ex_entry __start_ex_table[], __stop_ex_table[];

unsigned long search_exception_table(unsigned long rip)
{
    const struct ex_entry *e;

    for ( e = __start_ex_table; e < __stop_ex_table; e++ )
        if ( e->insn == rip )
            return e->fixup;
    return 0;
}
