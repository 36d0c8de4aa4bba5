/* Symbol lookup for stack traces (table built by tools/build/mksyms). */
#ifndef KEEL_SYMBOLS_H
#define KEEL_SYMBOLS_H

#include <keel/types.h>

/*
 * Find the text symbol containing addr.  Returns its name (NULL if none)
 * and sets *offset and *size.
 */
const char *symbols_lookup(unsigned long addr, unsigned long *offset,
                           unsigned long *size);

/* Print "[<addr>] name+off/size" as used in register dumps and traces. */
void print_symbol(const char *prefix, unsigned long addr);

#endif /* KEEL_SYMBOLS_H */
