/*
 * Range sets: a sorted array of disjoint, non-adjacent inclusive ranges
 * (include/keel/rangeset.h).  Every operation first works out the result
 * and checks it fits, then rewrites the array, so a failed call leaves
 * the set as it was.  Bounds: RANGESET_MAX_RANGES entries, no allocation,
 * no recursion; the "+ 1" of adjacency tests never overflows because an
 * end of UINT64_MAX is checked first.
 */
#include <keel/errno.h>
#include <keel/lib.h>
#include <keel/rangeset.h>

void rangeset_init(struct rangeset *rs)
{
    memset(rs, 0, sizeof(*rs));
}

bool rangeset_is_empty(const struct rangeset *rs)
{
    return rs->nr == 0;
}

/* Do a (which ends at ae) and a range starting at bs touch or overlap? */
static bool touches(uint64_t ae, uint64_t bs)
{
    return ae == UINT64_MAX || bs <= ae + 1;
}

int rangeset_add_range(struct rangeset *rs, uint64_t s, uint64_t e)
{
    unsigned int first, last, i;

    if ( s > e )
        return -EINVAL;
    /* first: the first range that ends at or after s - 1 (touches it). */
    for ( first = 0; first < rs->nr; first++ )
        if ( touches(rs->r[first].e, s) )
            break;
    /* last: one past the last range that starts at or before e + 1. */
    for ( last = first; last < rs->nr; last++ )
        if ( !touches(e, rs->r[last].s) )
            break;

    if ( first == last )
    {
        /* Nothing to merge with: insert at first. */
        if ( rs->nr == RANGESET_MAX_RANGES )
            return -ENOSPC;
        for ( i = rs->nr; i > first; i-- )
            rs->r[i] = rs->r[i - 1];
        rs->r[first].s = s;
        rs->r[first].e = e;
        rs->nr++;
        return 0;
    }

    /* Merge [first, last) and [s, e] into entry first. */
    rs->r[first].s = MIN(rs->r[first].s, s);
    rs->r[first].e = MAX(rs->r[last - 1].e, e);
    for ( i = last; i < rs->nr; i++ )
        rs->r[first + 1 + i - last] = rs->r[i];
    rs->nr -= last - first - 1;
    return 0;
}

int rangeset_remove_range(struct rangeset *rs, uint64_t s, uint64_t e)
{
    unsigned int i, j;

    if ( s > e )
        return -EINVAL;
    /* A range strictly containing [s, e] splits in two: room needed. */
    for ( i = 0; i < rs->nr; i++ )
        if ( rs->r[i].s < s && rs->r[i].e > e )
        {
            if ( rs->nr == RANGESET_MAX_RANGES )
                return -ENOSPC;
            for ( j = rs->nr; j > i + 1; j-- )
                rs->r[j] = rs->r[j - 1];
            rs->r[i + 1].s = e + 1;
            rs->r[i + 1].e = rs->r[i].e;
            rs->r[i].e = s - 1;
            rs->nr++;
            return 0;
        }

    /* Otherwise each range loses a head, a tail, or all of itself. */
    for ( i = j = 0; i < rs->nr; i++ )
    {
        struct rangeset_range r = rs->r[i];

        if ( r.e >= s && r.s <= e )
        {
            if ( r.s >= s && r.e <= e )
                continue;                   /* wholly removed */
            if ( r.s < s )
                r.e = s - 1;                /* keeps its head */
            else
                r.s = e + 1;                /* keeps its tail */
        }
        rs->r[j++] = r;
    }
    rs->nr = j;
    return 0;
}

bool rangeset_contains_range(const struct rangeset *rs, uint64_t s,
                             uint64_t e)
{
    unsigned int i;

    if ( s > e )
        return false;
    for ( i = 0; i < rs->nr; i++ )
        if ( rs->r[i].s <= s && rs->r[i].e >= e )
            return true;
    return false;
}

bool rangeset_overlaps_range(const struct rangeset *rs, uint64_t s,
                             uint64_t e)
{
    unsigned int i;

    if ( s > e )
        return false;
    for ( i = 0; i < rs->nr; i++ )
        if ( rs->r[i].s <= e && rs->r[i].e >= s )
            return true;
    return false;
}
