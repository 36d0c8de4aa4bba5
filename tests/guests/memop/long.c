/*
 * memop, part 4: operations long enough that the hypervisor must be able
 * to preempt them (SECURITY.md: no long operation holds a CPU).  With one
 * vCPU there is nobody else to schedule, so these only check that each
 * completes, with the right result, through however many continuations
 * it takes.
 *
 * Cases:
 *  - a deep tree: an L4 with two L3s, four L2s and 1024 L1s of 512
 *    entries each (half a million entries to validate), pinned as an L4
 *    and unpinned; while pinned a table of it cannot be mapped writable,
 *    after the unpin it can (all of it was de-validated).
 *  - decrease_reservation of every frame of that tree while it is pinned,
 *    one call (Xen: done, but the pin keeps the tree), then the unpin,
 *    which frees all of it.
 *  - populate_physmap of all those pfns again, one call; their M2P
 *    entries; decrease_reservation of them all, unpinned this time, and
 *    populate_physmap once more.
 */
#include "memop.h"

#define NR_L3   2
#define NR_L2   4               /* two per L3 */
#define NR_L1   1024            /* 256 per L2 */
#define NR_TREE (1 + NR_L3 + NR_L2 + NR_L1)

static unsigned long tree_pfn[NR_TREE];     /* L4, L3s, L2s, L1s */
static xen_pfn_t *biglist;

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile ( "rdtsc" : "=a" (lo), "=d" (hi) );
    return ((uint64_t)hi << 32) | lo;
}

static unsigned long tmfn(unsigned int i)
{
    return pv_p2m[tree_pfn[i]];
}

static uint64_t table_entry(unsigned int i)
{
    return (tmfn(i) << PAGE_SHIFT) | PTE_TABLE;
}

/* Fill every table of the tree through scratch slot 3. */
static void build_tree(void)
{
    unsigned int i, j, first_l3 = 1, first_l2 = 1 + NR_L3;
    unsigned int first_l1 = first_l2 + NR_L2;
    unsigned long nr_data = pv_first_free_pfn;
    uint64_t *t;

    for ( i = 0; i < NR_TREE; i++ )
        tree_pfn[i] = take_pfn();
    for ( i = 0; i < NR_TREE; i++ )
    {
        t = map_slot(3, tmfn(i), true);
        memset(t, 0, PAGE_SIZE);
        if ( i == 0 )
            for ( j = 0; j < NR_L3; j++ )
                t[j] = table_entry(first_l3 + j);
        else if ( i < first_l2 )
            for ( j = 0; j < NR_L2 / NR_L3; j++ )
                t[j] = table_entry(first_l2 + (i - first_l3) *
                                   (NR_L2 / NR_L3) + j);
        else if ( i < first_l1 )
            for ( j = 0; j < NR_L1 / NR_L2; j++ )
                t[j] = table_entry(first_l1 + (i - first_l2) *
                                   (NR_L1 / NR_L2) + j);
        else
            /* Read-only mappings of the kernel's own boot frames. */
            for ( j = 0; j < 512; j++ )
                t[j] = (pv_p2m[(i * 512 + j) % nr_data] << PAGE_SHIFT) |
                       PTE_RO;
    }
    unmap_slot(3);
}

static void check_deep_pin(void)
{
    unsigned long last_l1 = tmfn(NR_TREE - 1);
    uint64_t t0, t1, t2;

    t0 = rdtsc();
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L4_TABLE, tmfn(0)));
    t1 = rdtsc();
    /* In use as an L1: no writable mapping (Xen: -EBUSY). */
    CHECK_RC(-XEN_EBUSY, try_map_slot(4, last_l1, true));
    CHECK_RC(0, pv_unpin(tmfn(0)));
    /* De-validated, all of it: the L1 takes a writable mapping again. */
    CHECK_RC(0, try_map_slot(4, last_l1, true));
    t2 = rdtsc();
    unmap_slot(4);
    printf("deep tree of %u tables: pin %lu Mcycles, unpin %lu Mcycles\n",
           NR_TREE, (unsigned long)((t1 - t0) >> 20),
           (unsigned long)((t2 - t1) >> 20));
}

/* decrease_reservation of the whole tree in one call. */
static void decrease_tree(bool pinned)
{
    long before = cur_pages(), rc;
    unsigned int i;
    uint64_t t0 = rdtsc();

    for ( i = 0; i < NR_TREE; i++ )
        biglist[i] = tmfn(i);
    rc = reservation(XENMEM_decrease_reservation, biglist, NR_TREE, 0, 0,
                     DOMID_SELF);
    printf("decrease_reservation of %u frames (%s): %ld, %lu Mcycles\n",
           NR_TREE, pinned ? "a pinned tree" : "unpinned", rc,
           (unsigned long)((rdtsc() - t0) >> 20));
    CHECK_RC(NR_TREE, rc);
    if ( pinned )
    {
        /*
         * Xen: the extents count as done, but the pin stays and, through
         * the references of the tables to one another, holds every frame
         * (still counted, still ours to map read-only).  The unpin frees
         * the lot.
         */
        CHECK_EQ(before, cur_pages());
        CHECK_RC(0, try_map_slot(4, tmfn(NR_TREE - 1), false));
        unmap_slot(4);
        t0 = rdtsc();
        CHECK_RC(0, pv_unpin(tmfn(0)));
        CHECK_RC(0, pv_mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0));
        printf("unpin of the given-back tree: %lu Mcycles\n",
               (unsigned long)((rdtsc() - t0) >> 20));
    }
    CHECK_EQ(before - NR_TREE, cur_pages());
    /* Xen: a frame that is not ours any more: -EBUSY. */
    CHECK_RC(-XEN_EBUSY, try_map_slot(4, tmfn(0), false));
    CHECK_RC(-XEN_EBUSY, try_map_slot(4, tmfn(NR_TREE - 1), false));
    for ( i = 0; i < NR_TREE; i++ )
        pv_p2m[tree_pfn[i]] = P2M_INVALID;
}

static void populate_tree(void)
{
    long before = cur_pages(), rc;
    unsigned int i, bad = 0;

    for ( i = 0; i < NR_TREE; i++ )
        biglist[i] = tree_pfn[i];
    rc = reservation(XENMEM_populate_physmap, biglist, NR_TREE, 0, 0,
                     DOMID_SELF);
    CHECK_RC(NR_TREE, rc);
    CHECK_EQ(before + NR_TREE, cur_pages());
    for ( i = 0; i < NR_TREE; i++ )
    {
        if ( pv_m2p[biglist[i]] != tree_pfn[i] )
            bad++;
        pv_p2m[tree_pfn[i]] = biglist[i];
    }
    CHECK_EQ(0, bad);
    /* One of them, mapped and used. */
    *(volatile unsigned long *)map_slot(4, tmfn(NR_TREE / 2), true) = 7;
    CHECK_EQ(7, *(volatile unsigned long *)map_slot(5, tmfn(NR_TREE / 2),
                                                    false));
    unmap_slot(4);
    unmap_slot(5);
}

void test_long(void)
{
    char *p = new_page(), *q = new_page(), *r = new_page();

    if ( q != p + PAGE_SIZE || r != q + PAGE_SIZE )
        test_abort("boot pages not contiguous");
    biglist = (xen_pfn_t *)p;
    build_tree();
    check_deep_pin();

    /* Pinned again, then given back whole. */
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L4_TABLE, tmfn(0)));
    decrease_tree(true);
    populate_tree();
    decrease_tree(false);
    populate_tree();
}
