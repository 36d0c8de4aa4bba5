/*
 * Speculation-safe indexing with guest-controlled indices.
 *
 * A bounds check is a branch, and the CPU may run ahead past it with the
 * out-of-range index before the check retires (Spectre v1).  After
 * checking idx < size, index with array_index_nospec(idx, size): it is
 * idx when idx < size and 0 otherwise, computed with arithmetic only, so
 * a mispredicted check cannot load from outside the array.
 *
 * Pure C (no inline assembly), so host unit tests use it unchanged.
 * size must be non-zero and at most LONG_MAX.
 */
#ifndef KEEL_NOSPEC_H
#define KEEL_NOSPEC_H

#include <keel/types.h>

/* ~0UL when idx < size, else 0; no branch. */
static inline unsigned long array_index_mask_nospec(unsigned long idx,
                                                    unsigned long size)
{
    /*
     * idx < size: neither idx nor size - 1 - idx has the top bit set, so
     * the complement of their OR does, and the arithmetic shift spreads
     * it over the word.  idx >= size: size - 1 - idx wraps and sets it.
     */
    return (unsigned long)(~(long)(idx | (size - 1 - idx)) >>
                           (sizeof(long) * 8 - 1));
}

static inline unsigned long array_index_nospec(unsigned long idx,
                                               unsigned long size)
{
    return idx & array_index_mask_nospec(idx, size);
}

#endif /* KEEL_NOSPEC_H */
