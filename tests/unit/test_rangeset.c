/*
 * Host tests for common/lib/rangeset.c: merging, splitting, containment,
 * the edges of the 64-bit range, the fixed capacity (a failed call
 * changes nothing), and a model check against a plain bitmap.
 */
#include "harness.h"

#include <keel/errno.h>
#include <keel/rangeset.h>

static struct rangeset rs;

/* The set is sorted, disjoint and not adjacent. */
static bool well_formed(const struct rangeset *r)
{
    unsigned int i;

    for ( i = 0; i < r->nr; i++ )
    {
        if ( r->r[i].s > r->r[i].e )
            return false;
        if ( i && r->r[i - 1].e + 1 >= r->r[i].s )
            return false;
    }
    return true;
}

TEST(add_and_merge)
{
    rangeset_init(&rs);
    CHECK(rangeset_is_empty(&rs));
    CHECK_EQ(rangeset_add_range(&rs, 10, 20), 0);
    CHECK_EQ(rangeset_add_range(&rs, 30, 40), 0);
    CHECK_EQ(rs.nr, 2);
    CHECK_EQ(rangeset_add_range(&rs, 21, 29), 0);   /* bridges both */
    CHECK_EQ(rs.nr, 1);
    CHECK_EQ(rs.r[0].s, 10);
    CHECK_EQ(rs.r[0].e, 40);
    CHECK_EQ(rangeset_add_range(&rs, 5, 9), 0);     /* adjacent below */
    CHECK_EQ(rangeset_add_range(&rs, 41, 41), 0);   /* adjacent above */
    CHECK_EQ(rs.nr, 1);
    CHECK_EQ(rs.r[0].s, 5);
    CHECK_EQ(rs.r[0].e, 41);
    CHECK_EQ(rangeset_add_range(&rs, 0, 100), 0);   /* swallows */
    CHECK_EQ(rs.nr, 1);
    CHECK_EQ(rangeset_add_range(&rs, 200, 300), 0);
    CHECK_EQ(rangeset_add_range(&rs, 150, 160), 0); /* between, sorted */
    CHECK_EQ(rs.nr, 3);
    CHECK_EQ(rs.r[1].s, 150);
    CHECK(well_formed(&rs));
    CHECK_EQ(rangeset_add_range(&rs, 5, 4), -EINVAL);
}

TEST(remove_and_split)
{
    rangeset_init(&rs);
    CHECK_EQ(rangeset_add_range(&rs, 0, 99), 0);
    CHECK_EQ(rangeset_remove_range(&rs, 40, 59), 0);    /* split */
    CHECK_EQ(rs.nr, 2);
    CHECK_EQ(rs.r[0].e, 39);
    CHECK_EQ(rs.r[1].s, 60);
    CHECK_EQ(rangeset_remove_range(&rs, 30, 70), 0);    /* tails */
    CHECK_EQ(rs.r[0].e, 29);
    CHECK_EQ(rs.r[1].s, 71);
    CHECK_EQ(rangeset_remove_range(&rs, 0, 29), 0);     /* whole */
    CHECK_EQ(rs.nr, 1);
    CHECK_EQ(rangeset_remove_range(&rs, 500, 600), 0);  /* nothing there */
    CHECK_EQ(rs.nr, 1);
    CHECK_EQ(rangeset_remove_range(&rs, 0, UINT64_MAX), 0);
    CHECK(rangeset_is_empty(&rs));
    CHECK_EQ(rangeset_remove_range(&rs, 2, 1), -EINVAL);
}

TEST(contains_and_overlaps)
{
    rangeset_init(&rs);
    rangeset_add_range(&rs, 10, 20);
    rangeset_add_range(&rs, 30, 40);
    CHECK(rangeset_contains_range(&rs, 10, 20));
    CHECK(rangeset_contains_range(&rs, 12, 12));
    CHECK(!rangeset_contains_range(&rs, 15, 35));   /* spans a hole */
    CHECK(!rangeset_contains_range(&rs, 9, 10));
    CHECK(!rangeset_contains_range(&rs, 20, 19));
    CHECK(rangeset_overlaps_range(&rs, 15, 35));
    CHECK(rangeset_overlaps_range(&rs, 0, 10));
    CHECK(!rangeset_overlaps_range(&rs, 21, 29));
    CHECK(!rangeset_overlaps_range(&rs, 41, UINT64_MAX));
}

TEST(edges_of_the_range)
{
    rangeset_init(&rs);
    CHECK_EQ(rangeset_add_range(&rs, UINT64_MAX - 5, UINT64_MAX), 0);
    CHECK_EQ(rangeset_add_range(&rs, 0, 0), 0);
    CHECK_EQ(rs.nr, 2);
    CHECK(rangeset_contains_range(&rs, UINT64_MAX, UINT64_MAX));
    CHECK_EQ(rangeset_add_range(&rs, 1, UINT64_MAX - 6), 0);
    CHECK_EQ(rs.nr, 1);
    CHECK(rangeset_contains_range(&rs, 0, UINT64_MAX));
    CHECK_EQ(rangeset_remove_range(&rs, UINT64_MAX, UINT64_MAX), 0);
    CHECK_EQ(rangeset_remove_range(&rs, 0, 0), 0);
    CHECK_EQ(rs.nr, 1);
    CHECK_EQ(rs.r[0].s, 1);
    CHECK_EQ(rs.r[0].e, UINT64_MAX - 1);
    CHECK(well_formed(&rs));
}

TEST(capacity_is_bounded_and_atomic)
{
    struct rangeset before;
    unsigned int i;

    rangeset_init(&rs);
    for ( i = 0; i < RANGESET_MAX_RANGES; i++ )
        CHECK_EQ(rangeset_add_range(&rs, i * 10, i * 10 + 1), 0);
    CHECK_EQ(rs.nr, RANGESET_MAX_RANGES);
    before = rs;
    CHECK_EQ(rangeset_add_range(&rs, 100000, 100001), -ENOSPC);
    CHECK(!memcmp(&before, &rs, sizeof(rs)));
    /* Splitting needs room too. */
    CHECK_EQ(rangeset_add_range(&rs, 0, 5), 0);     /* still 64: merged */
    before = rs;
    CHECK_EQ(rangeset_remove_range(&rs, 2, 3), -ENOSPC);
    CHECK(!memcmp(&before, &rs, sizeof(rs)));
    /* Merging frees room. */
    CHECK_EQ(rangeset_add_range(&rs, 0, 1000), 0);
    CHECK(rs.nr < RANGESET_MAX_RANGES);
    CHECK(well_formed(&rs));
}

TEST(model_check)
{
    static bool model[256];
    unsigned int seed = 12345, i, round;

    rangeset_init(&rs);
    memset(model, 0, sizeof(model));
    for ( round = 0; round < 20000; round++ )
    {
        unsigned int a, b, v;
        int rc;

        seed = seed * 1103515245u + 12345u;
        a = (seed >> 8) % 256;
        seed = seed * 1103515245u + 12345u;
        b = a + (seed >> 8) % 8;
        if ( b > 255 )
            b = 255;
        if ( (seed >> 20) & 1 )
        {
            rc = rangeset_add_range(&rs, a, b);
            if ( !rc )
                for ( v = a; v <= b; v++ )
                    model[v] = true;
        }
        else
        {
            rc = rangeset_remove_range(&rs, a, b);
            if ( !rc )
                for ( v = a; v <= b; v++ )
                    model[v] = false;
        }
        CHECK(rc == 0 || rc == -ENOSPC);
        CHECK(well_formed(&rs));
        for ( i = 0; i < 256; i++ )
            if ( model[i] != rangeset_contains_range(&rs, i, i) )
            {
                CHECK(!"model and set disagree");
                return;
            }
    }
}

int main(void)
{
    RUN(add_and_merge);
    RUN(remove_and_split);
    RUN(contains_and_overlaps);
    RUN(edges_of_the_range);
    RUN(capacity_is_bounded_and_atomic);
    RUN(model_check);
    HARNESS_EXIT();
}
