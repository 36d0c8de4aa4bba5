/*
 * Included first in every hypervisor compilation unit (-include).  The
 * image lives at 0xffff82d080000000, outside the top 2 GiB, so code is
 * compiled position-independent (RIP-relative); hidden visibility tells
 * the compiler every symbol is local, so no GOT indirection is emitted.
 */
#ifndef KEEL_COMPILER_H
#define KEEL_COMPILER_H

#ifndef __ASSEMBLY__
#pragma GCC visibility push(hidden)
#endif

#endif
