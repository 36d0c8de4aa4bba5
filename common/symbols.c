/*
 * Symbol lookup over the sorted table that the second link pass embeds
 * (tools/build/mksyms): addresses ascending, names as consecutive
 * NUL-terminated strings in the same order.
 */
#include <keel/lib.h>
#include <keel/symbols.h>

extern const unsigned long keel_symtab_count;
extern const unsigned long keel_symtab_addrs[];
extern const char keel_symtab_names[];
extern const char __text_start[], __text_end[];

const char *symbols_lookup(unsigned long addr, unsigned long *offset,
                           unsigned long *size)
{
    unsigned long lo = 0, hi = keel_symtab_count, i;
    const char *name = keel_symtab_names;

    if ( addr < (unsigned long)__text_start ||
         addr >= (unsigned long)__text_end || !hi )
        return NULL;

    /* Last symbol whose address is <= addr. */
    while ( hi - lo > 1 )
    {
        unsigned long mid = lo + (hi - lo) / 2;

        if ( keel_symtab_addrs[mid] <= addr )
            lo = mid;
        else
            hi = mid;
    }
    if ( keel_symtab_addrs[lo] > addr )
        return NULL;

    for ( i = 0; i < lo; i++ )
        name += strlen(name) + 1;
    *offset = addr - keel_symtab_addrs[lo];
    *size = (lo + 1 < keel_symtab_count ? keel_symtab_addrs[lo + 1]
                                        : (unsigned long)__text_end)
            - keel_symtab_addrs[lo];
    return name;
}

void print_symbol(const char *prefix, unsigned long addr)
{
    unsigned long off, size;
    const char *name = symbols_lookup(addr, &off, &size);

    if ( name )
        printk("%s[<%016lx>] %s+%#lx/%#lx\n", prefix, addr, name, off, size);
    else
        printk("%s[<%016lx>] ???\n", prefix, addr);
}
