/*
 * memop, part 1: XENMEM_increase_reservation, decrease_reservation and
 * populate_physmap for a PV guest, which names machine frames directly.
 *
 * Cases:
 *  - decrease_reservation of an unmapped page: 1 extent, the page count
 *    drops, the frame is no longer ours (mapping it is refused, a second
 *    decrease does nothing); populate_physmap at the same pfn gives a new
 *    frame whose M2P entry is the pfn, zeroed; we map it and use it;
 *    MMU_MACHPHYS_UPDATE works on it.
 *  - increase_reservation: two frames, distinct, zeroed, counted; their
 *    M2P entries set with MMU_MACHPHYS_UPDATE, mapped and used; with no
 *    list (the frame is ours, unnamed); order 1 (an aligned pair) and
 *    back with decrease order 1.
 *  - the start extent in the command (bits 6 and up): only the extents
 *    from there are done and the count returned includes the skipped
 *    ones; a start at or past nr_extents returns the start.
 *  - hostile, each returning the extents done and changing nothing else:
 *    bad argument pointers; a list in the hypervisor's range or
 *    non-canonical; orders too large; foreign and reserved domain ids;
 *    nr_extents too large to encode a continuation; address_bits of 12
 *    or less; node bits.
 *  - every element is validated (XSA-212): a decrease list whose second
 *    element is a frame of the hypervisor's stops there (the third is
 *    untouched); frames past RAM and frame 0; a list whose first element
 *    is the last word of a mapped page and whose second lies in an
 *    unmapped one (one extent done, nr_extents near the maximum); a list
 *    at the top of the lower half running into non-canonical addresses
 *    (nothing done); a populate list that cannot be written back.
 *  - decrease_reservation of a page still mapped, of a pinned page table,
 *    and with the populate-on-demand flag (which only populate_physmap
 *    looks at).
 *
 * Xen: see the notes by each case.
 */
#include "memop.h"

static xen_pfn_t *list;

static bool page_is_zero(const void *va)
{
    const unsigned long *p = va;
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE / sizeof(*p); i++ )
        if ( p[i] )
            return false;
    return true;
}

/* A boot page given back to the hypervisor: its pfn; *mfn the old frame. */
static unsigned long give_back(void **va_out, unsigned long *mfn_out)
{
    void *va = new_page();
    unsigned long pfn = virt_to_pfn(va), mfn = release_page(va);

    list[0] = mfn;
    if ( reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                     DOMID_SELF) != 1 )
        test_abort("decrease_reservation of mfn %#lx failed", mfn);
    if ( va_out )
        *va_out = va;
    if ( mfn_out )
        *mfn_out = mfn;
    return pfn;
}

/* Put MFN at PFN (p2m, M2P) and map it at VA writable. */
static bool install(void *va, unsigned long pfn, unsigned long mfn)
{
    return CHECK_RC(0, set_m2p(mfn, pfn)) &&
           CHECK_EQ(pfn, pv_m2p[mfn]) &&
           CHECK_RC(0, pv_map_va((unsigned long)va, mfn, PTE_RW));
}

static void check_decrease_populate(void)
{
    volatile unsigned long *p = new_page(), *q;
    unsigned long pfn = virt_to_pfn((void *)p), mfn, nmfn;
    long before;

    p[0] = 0x5a5a5a5a;
    mfn = release_page((void *)p);
    before = cur_pages();
    list[0] = mfn;
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before - 1, cur_pages());
    /* Xen: the frame is gone: a mapping of it is refused (-EBUSY)... */
    CHECK_RC(-XEN_EBUSY, try_map_slot(0, mfn, false));
    /* ...and giving it back again does nothing. */
    CHECK_RC(0, reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before - 1, cur_pages());

    list[0] = pfn;
    CHECK_RC(1, reservation(XENMEM_populate_physmap, list, 1, 0, 0,
                            DOMID_SELF));
    nmfn = list[0];
    printf("populate_physmap: pfn %#lx: mfn %#lx (was %#lx)\n", pfn, nmfn,
           mfn);
    CHECK(nmfn != pfn);
    CHECK_EQ(before, cur_pages());
    /* The hypervisor sets the M2P entry of a populated frame itself. */
    CHECK_EQ(pfn, pv_m2p[nmfn]);
    pv_p2m[pfn] = nmfn;
    CHECK_RC(0, pv_map_va((unsigned long)p, nmfn, PTE_RW));
    /*
     * Xen: a frame a live domain gave back is not scrubbed, so this one
     * (often the same frame) need not be zero; nothing is checked.
     */
    printf("populated frame %s\n", page_is_zero((void *)p) ? "zeroed" :
           "not zeroed");
    p[0] = 0x1234;
    p[511] = 0x5678;
    CHECK_EQ(0x1234, p[0]);
    q = map_slot(0, nmfn, false);
    CHECK_EQ(0x1234, q[0]);
    CHECK_EQ(0x5678, q[511]);
    unmap_slot(0);
    /* MMU_MACHPHYS_UPDATE on the new frame. */
    CHECK_RC(0, set_m2p(nmfn, 0x77777));
    CHECK_EQ(0x77777, pv_m2p[nmfn]);
    CHECK_RC(0, set_m2p(nmfn, pfn));
    CHECK_EQ(pfn, pv_m2p[nmfn]);
}

static void check_increase(void)
{
    void *va[2];
    unsigned long pfn[2], got[2];
    unsigned int i;
    long before;

    pfn[0] = give_back(&va[0], NULL);
    pfn[1] = give_back(&va[1], NULL);
    before = cur_pages();
    list[0] = list[1] = 0xdead;
    CHECK_RC(2, reservation(XENMEM_increase_reservation, list, 2, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before + 2, cur_pages());
    got[0] = list[0];
    got[1] = list[1];
    printf("increase_reservation: mfns %#lx %#lx\n", got[0], got[1]);
    CHECK(got[0] != 0xdead && got[1] != 0xdead && got[0] != got[1]);
    for ( i = 0; i < 2; i++ )
    {
        volatile unsigned long *p = va[i];

        if ( !install(va[i], pfn[i], got[i]) )
            continue;
        p[7] = 0xabc0 + i;
        CHECK_EQ(0xabc0 + i, p[7]);
    }

    /* No list: the frame is ours, but nobody is told which. */
    before = cur_pages();
    CHECK_RC(1, reservation(XENMEM_increase_reservation, NULL, 1, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before + 1, cur_pages());

    /* Order 1: an aligned pair, and back the same way. */
    before = cur_pages();
    CHECK_RC(1, reservation(XENMEM_increase_reservation, list, 1, 1, 0,
                            DOMID_SELF));
    CHECK_EQ(0, list[0] & 1);
    CHECK_EQ(before + 2, cur_pages());
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, list, 1, 1, 0,
                            DOMID_SELF));
    CHECK_EQ(before, cur_pages());
}

static void check_start_extent(void)
{
    long before = cur_pages();

    /* Only extent 1 is done; the return value counts extent 0 too. */
    list[0] = 0xdead;
    list[1] = 0xdead;
    CHECK_RC(2, reservation(XENMEM_increase_reservation |
                            (1 << XENMEMOP_EXTENT_SHIFT), list, 2, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(0xdead, list[0]);
    CHECK(list[1] != 0xdead);
    CHECK_EQ(before + 1, cur_pages());
    list[0] = list[1];
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before, cur_pages());
    /* A start at or past the end: the start comes back, nothing done. */
    CHECK_RC(5, reservation(XENMEM_increase_reservation |
                            (5 << XENMEMOP_EXTENT_SHIFT), list, 2, 0, 0,
                            DOMID_SELF));
    CHECK_RC(2, reservation(XENMEM_decrease_reservation |
                            (2 << XENMEMOP_EXTENT_SHIFT), list, 2, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before, cur_pages());
}

static void check_hostile_args(void)
{
    static const domid_t doms[] = {
        77, DOMID_IO, DOMID_XEN, DOMID_COW, DOMID_INVALID, DOMID_IDLE,
        0x7fef, 0xffff,
    };
    static const unsigned int cmds[] = {
        XENMEM_increase_reservation, XENMEM_decrease_reservation,
        XENMEM_populate_physmap,
    };
    long before = cur_pages();
    unsigned int i, c;

    for ( c = 0; c < ARRAY_SIZE(cmds); c++ )
    {
        unsigned int cmd = cmds[c];

        CHECK_RC(0, HYPERVISOR_memory_op(cmd, NULL));
        CHECK_RC(0, HYPERVISOR_memory_op(cmd, BAD_PTR_LOW));
        CHECK_RC(0, HYPERVISOR_memory_op(cmd, BAD_PTR_XEN));
        CHECK_RC(0, HYPERVISOR_memory_op(cmd, BAD_PTR_NONCANON));
        CHECK_RC(0, reservation(cmd, BAD_PTR_XEN, 1, 0, 0, DOMID_SELF));
        CHECK_RC(0, reservation(cmd, BAD_PTR_NONCANON, 1, 0, 0, DOMID_SELF));
        /* Orders: past the maximum, and absurd. */
        list[0] = 0;
        CHECK_RC(0, reservation(cmd, list, 1, 21, 0, DOMID_SELF));
        CHECK_RC(0, reservation(cmd, list, 1, 64, 0, DOMID_SELF));
        CHECK_RC(0, reservation(cmd, list, 1, 0xffffffff, 0, DOMID_SELF));
        /* Xen: no domain, or a reserved id: nothing done. */
        for ( i = 0; i < ARRAY_SIZE(doms); i++ )
            CHECK_RC(0, reservation(cmd, list, 1, 0, 0, doms[i]));
        /* Too many extents to encode a continuation: nothing done. */
        CHECK_RC(0, reservation(cmd, list, 1UL << 26, 0, 0, DOMID_SELF));
        CHECK_RC(0, reservation(cmd, list, ~0UL, 0, 0, DOMID_SELF));
        /* Xen: address_bits of 12 or less cannot be met: nothing done. */
        CHECK_RC(0, reservation(cmd, list, 1, 0, XENMEMF_address_bits(12),
                                DOMID_SELF));
        CHECK_RC(0, reservation(cmd, list, 1, 0, XENMEMF_address_bits(1),
                                DOMID_SELF));
        CHECK_EQ(before, cur_pages());
    }
    /* Order 20 (4 GiB) is allowed for dom0 but not available. */
    CHECK_RC(0, reservation(XENMEM_increase_reservation, list, 1, 20, 0,
                            DOMID_SELF));
    CHECK_EQ(before, cur_pages());
}

/* Increase one page with FLAGS: the extents done; frees what it got. */
static long increase_with(unsigned int flags)
{
    long rc;

    list[0] = 0;
    rc = reservation(XENMEM_increase_reservation, list, 1, 0, flags,
                     DOMID_SELF);
    if ( rc == 1 &&
         reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                     DOMID_SELF) != 1 )
        test_abort("giving back mfn %#lx", list[0]);
    return rc;
}

static void check_mem_flags(void)
{
    long before = cur_pages();
    unsigned long pfn, mfn;
    void *va;

    /* Xen: address_bits of 32 (all of RAM here) and 64 are fine. */
    CHECK_RC(1, increase_with(XENMEMF_address_bits(32)));
    CHECK_RC(1, increase_with(XENMEMF_address_bits(64)));
    /* Xen: a node that may exist is fine; one past MAX_NUMNODES is not. */
    CHECK_RC(1, increase_with(XENMEMF_node(0)));
    CHECK_RC(0, increase_with(XENMEMF_node(200)));
    /* Xen: vnode without a vNUMA layout is ignored. */
    CHECK_RC(1, increase_with(XENMEMF_vnode | XENMEMF_node(3)));
    /* Xen: populate_on_demand only means something to populate_physmap. */
    CHECK_RC(1, increase_with(XENMEMF_populate_on_demand));
    CHECK_EQ(before, cur_pages());

    pfn = give_back(&va, &mfn);
    before = cur_pages();
    list[0] = pfn;
    /* Xen: populate-on-demand on oneself is refused: nothing done. */
    CHECK_RC(0, reservation(XENMEM_populate_physmap, list, 1, 0,
                            XENMEMF_populate_on_demand, DOMID_SELF));
    CHECK_EQ(before, cur_pages());
    CHECK_RC(1, reservation(XENMEM_populate_physmap, list, 1, 0, 0,
                            DOMID_SELF));
    install(va, pfn, list[0]);
    /* ...and decrease_reservation does not look at it. */
    list[0] = release_page(va);
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, list, 1, 0,
                            XENMEMF_populate_on_demand, DOMID_SELF));
    CHECK_EQ(before, cur_pages());
}

/* Map VA 0x00007ffffffff000 (the top page of the lower half): its VA. */
static void *map_top_of_lower_half(void)
{
    uint64_t *l1 = new_page(), *l2 = new_page(), *l3 = new_page();
    void *data = new_page();
    uint64_t l4e = (pv_kernel_l4_mfn << PAGE_SHIFT) + 255 * 8;

    l1[511] = (virt_to_mfn(data) << PAGE_SHIFT) | PTE_RW;
    l2[511] = (virt_to_mfn(l1) << PAGE_SHIFT) | PTE_TABLE;
    l3[511] = (virt_to_mfn(l2) << PAGE_SHIFT) | PTE_TABLE;
    if ( pv_set_page_ro(l1) || pv_set_page_ro(l2) || pv_set_page_ro(l3) ||
         pv_pin(MMUEXT_PIN_L3_TABLE, virt_to_mfn(l3)) ||
         pv_mmu_update1(l4e, (virt_to_mfn(l3) << PAGE_SHIFT) | PTE_TABLE) )
        test_abort("mapping the top page of the lower half");
    return (void *)0x00007ffffffff000UL;
}

static void check_every_element(void)
{
    xen_pfn_t *edge = (xen_pfn_t *)((char *)page_before_hole() +
                                    PAGE_SIZE) - 1;
    xen_pfn_t *top = (xen_pfn_t *)((char *)map_top_of_lower_half() +
                                   PAGE_SIZE);
    unsigned long m1, m2, m3, m4;
    void *va1, *va2, *va3, *va4;
    long before;

    /* Frames of ours, unmapped; the second element is Xen's. */
    va1 = new_page();
    va2 = new_page();
    va3 = new_page();
    va4 = new_page();
    m1 = release_page(va1);
    m2 = release_page(va2);
    m3 = release_page(va3);
    m4 = release_page(va4);
    before = cur_pages();
    list[0] = m1;
    list[1] = xen_mfn;
    list[2] = m2;
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, list, 3, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before - 1, cur_pages());
    /* m2 is still ours. */
    CHECK_RC(0, try_map_slot(1, m2, false));
    unmap_slot(1);
    /* Past RAM, frame 0, a huge number: nothing done. */
    list[0] = (1UL << 40) - 1;
    CHECK_RC(0, reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                            DOMID_SELF));
    list[0] = 0;
    CHECK_RC(0, reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                            DOMID_SELF));
    list[0] = ~0UL;
    CHECK_RC(0, reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before - 1, cur_pages());

    /*
     * The last word of a mapped page, then an unmapped one: the first
     * extent is done, the copy of the second fails, and that is the end,
     * even with nr_extents at the largest a continuation can encode.
     */
    *edge = m2;
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, edge,
                            (1UL << 26) - 1, 0, 0, DOMID_SELF));
    CHECK_EQ(before - 2, cur_pages());
    *edge = virt_to_pfn(va1);
    CHECK_RC(1, reservation(XENMEM_populate_physmap, edge, 2, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before - 1, cur_pages());
    install(va1, virt_to_pfn(va1), *edge);

    /*
     * The top of the lower half: the list runs into non-canonical
     * addresses.  Xen reads each element as it uses it: the readable
     * ones are done, the first that cannot be read ends the call.
     */
    top[-2] = m3;
    top[-1] = m4;
    CHECK_RC(2, reservation(XENMEM_decrease_reservation, top - 2, 3, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before - 3, cur_pages());
    /* From extent 1 (the last readable one). */
    top[-2] = 0x4321;
    top[-1] = virt_to_pfn(va3);
    CHECK_RC(2, reservation(XENMEM_populate_physmap |
                            (1 << XENMEMOP_EXTENT_SHIFT), top - 2, 3, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(0x4321, top[-2]);
    CHECK_EQ(before - 2, cur_pages());
    install(va3, virt_to_pfn(va3), top[-1]);
    top[-1] = virt_to_pfn(va4);
    CHECK_RC(1, reservation(XENMEM_populate_physmap, top - 1, 2, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before - 1, cur_pages());
    install(va4, virt_to_pfn(va4), top[-1]);
    /*
     * Xen: increase_reservation allocates the second extent before it
     * finds it cannot write its number: the domain has it, unnamed.
     */
    top[-1] = 0;
    CHECK_RC(1, reservation(XENMEM_increase_reservation, top - 1, 2, 0, 0,
                            DOMID_SELF));
    CHECK(top[-1] != 0);
    printf("increase_reservation into a list that runs off the lower "
           "half: %ld pages, %ld before\n", cur_pages(), before - 1);
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, top - 1, 1, 0, 0,
                            DOMID_SELF));
}

static void check_decrease_special(void)
{
    volatile unsigned long *p = new_page();
    unsigned long mfn = virt_to_mfn((void *)p), pfn;
    uint64_t *l1;
    long before = cur_pages();

    /*
     * Still mapped.  Xen: the extent counts as done, but the page stays
     * (and counts) for as long as the mapping holds it; it goes once it
     * is unmapped.
     */
    p[0] = 42;
    list[0] = mfn;
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(42, p[0]);
    printf("decrease of a mapped page: %ld pages before, %ld after, "
           "M2P %#lx\n", before, cur_pages(), pv_m2p[mfn]);
    CHECK_EQ(before, cur_pages());
    release_page((void *)p);
    CHECK_EQ(before - 1, cur_pages());
    CHECK_RC(-XEN_EBUSY, try_map_slot(0, mfn, true));

    /*
     * A pinned (unused) L1 table.  Xen: the extent counts as done, but
     * the pin stays and holds the frame (still counted); the unpin frees
     * it.
     */
    pfn = take_pfn();
    l1 = map_slot(2, pv_p2m[pfn], true);
    l1[0] = (virt_to_mfn(list) << PAGE_SHIFT) | PTE_RO;
    unmap_slot(2);
    CHECK_RC(0, pv_pin(MMUEXT_PIN_L1_TABLE, pv_p2m[pfn]));
    list[0] = pv_p2m[pfn];
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(before - 1, cur_pages());
    CHECK_RC(0, pv_unpin(list[0]));
    CHECK_RC(0, pv_mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0));
    CHECK_EQ(before - 2, cur_pages());
    CHECK_RC(-XEN_EINVAL, pv_unpin(list[0]));
    CHECK_RC(-XEN_EBUSY, try_map_slot(0, list[0], false));
    pv_p2m[pfn] = P2M_INVALID;
}

static void check_populate_special(void)
{
    xen_pfn_t *ro = ro_page();
    unsigned long pfn, m;
    void *va;
    long rc;

    /* Order 1: M2P entries for both frames. */
    pfn = give_back(&va, &m);
    list[0] = 0x40000;
    CHECK_RC(1, reservation(XENMEM_populate_physmap, list, 1, 1, 0,
                            DOMID_SELF));
    CHECK_EQ(0, list[0] & 1);
    CHECK_EQ(0x40000, pv_m2p[list[0]]);
    CHECK_EQ(0x40001, pv_m2p[list[0] + 1]);
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, list, 1, 1, 0,
                            DOMID_SELF));

    /* A gpfn far past anything: Xen records it as given. */
    list[0] = 1UL << 50;
    CHECK_RC(1, reservation(XENMEM_populate_physmap, list, 1, 0, 0,
                            DOMID_SELF));
    CHECK_EQ(1UL << 50, pv_m2p[list[0]]);
    CHECK_RC(1, reservation(XENMEM_decrease_reservation, list, 1, 0, 0,
                            DOMID_SELF));

    /* NULL list: nothing. */
    CHECK_RC(0, reservation(XENMEM_populate_physmap, NULL, 1, 0, 0,
                            DOMID_SELF));
    /*
     * A list we can read but the hypervisor cannot write back: the
     * extent does not count as done.
     */
    rc = reservation(XENMEM_populate_physmap, ro, 1, 0, 0, DOMID_SELF);
    CHECK_RC(0, rc);
    rc = reservation(XENMEM_increase_reservation, ro, 1, 0, 0, DOMID_SELF);
    CHECK_RC(0, rc);
    CHECK_EQ(0, ro[0]);

    list[0] = pfn;
    CHECK_RC(1, reservation(XENMEM_populate_physmap, list, 1, 0, 0,
                            DOMID_SELF));
    install(va, pfn, list[0]);
}

void test_reserve(void)
{
    list = new_page();
    check_decrease_populate();
    check_increase();
    check_start_extent();
    check_hostile_args();
    check_mem_flags();
    check_every_element();
    check_decrease_special();
    check_populate_special();
}
