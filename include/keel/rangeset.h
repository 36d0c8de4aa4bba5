/*
 * Range sets (common/lib/rangeset.c): a sorted set of disjoint, inclusive
 * [s, e] ranges of 64-bit values, as Xen keeps a domain's I/O memory
 * frames, I/O ports and IRQs it may use (XEN_DOMCTL_*_permission).
 *
 * The set lives in a fixed array, so every operation costs at most
 * RANGESET_MAX_RANGES steps and never allocates; an operation that would
 * need more ranges fails with -ENOSPC and changes nothing.  Adjacent and
 * overlapping ranges are merged, so the set is always minimal.
 *
 * Pure code with no locking: the owner serialises access (a domain's
 * sets: d->lock).
 */
#ifndef KEEL_RANGESET_H
#define KEEL_RANGESET_H

#include <keel/types.h>

#define RANGESET_MAX_RANGES 64

struct rangeset_range {
    uint64_t s, e;                      /* inclusive, s <= e */
};

struct rangeset {
    unsigned int nr;                    /* ranges in use */
    struct rangeset_range r[RANGESET_MAX_RANGES];   /* sorted, disjoint,
                                                       not adjacent */
};

void rangeset_init(struct rangeset *rs);
/* Add [s, e]: 0, -EINVAL (s > e) or -ENOSPC. */
int rangeset_add_range(struct rangeset *rs, uint64_t s, uint64_t e);
/* Remove [s, e] (parts not in the set are ignored): 0, -EINVAL, -ENOSPC. */
int rangeset_remove_range(struct rangeset *rs, uint64_t s, uint64_t e);
/* Is all of [s, e] in the set?  (false for s > e) */
bool rangeset_contains_range(const struct rangeset *rs, uint64_t s,
                             uint64_t e);
/* Is any of [s, e] in the set? */
bool rangeset_overlaps_range(const struct rangeset *rs, uint64_t s,
                             uint64_t e);
bool rangeset_is_empty(const struct rangeset *rs);

#endif /* KEEL_RANGESET_H */
