/*
 * memop, part 2: XENMEM_exchange.
 *
 * Cases:
 *  - one frame for one: nr_exchanged 1, the new frame in the output list
 *    with its M2P entry set to the gpfn given there, zeroed; the old frame
 *    is no longer ours; the page count is unchanged; we map and use it.
 *  - two order-0 frames for one order-1 extent (an aligned pair, both M2P
 *    entries set) and that pair back for two order-0 frames.
 *  - nr_exchanged set on entry (as a continuation leaves it): the
 *    extents before it are skipped, untouched.
 *  - a failure part way (a frame still mapped cannot be taken): the
 *    error, nr_exchanged counting the extents done, their frames in the
 *    output list, the rest left as they were.
 *  - hostile: bad argument pointers; nr_exchanged past nr_extents;
 *    in.domid != out.domid; sizes that do not match; orders too large;
 *    counts whose size overflows; lists in the hypervisor's range or
 *    non-canonical; XSA-212: a valid list base with nr_exchanged (or
 *    nr_extents) taking the element read or written into the hypervisor's
 *    range, and a list whose second element is unmapped; a frame of the
 *    hypervisor's as input; foreign and reserved domain ids; address_bits
 *    of 12; a start extent in the command; nr_extents 0; the argument in
 *    a read-only page (the exchange happens, nr_exchanged cannot be
 *    written back).
 *
 * Xen: see the notes by each case.
 */
#include "memop.h"

static struct xen_memory_exchange *ex;
static xen_pfn_t *in, *out;

static void setup(unsigned long nin, unsigned int oin, unsigned long nout,
                  unsigned int oout)
{
    memset(ex, 0, sizeof(*ex));
    set_xen_guest_handle(ex->in.extent_start, in);
    ex->in.nr_extents = nin;
    ex->in.extent_order = oin;
    ex->in.domid = DOMID_SELF;
    set_xen_guest_handle(ex->out.extent_start, out);
    ex->out.nr_extents = nout;
    ex->out.extent_order = oout;
    ex->out.domid = DOMID_SELF;
}

static long exchange(void)
{
    return HYPERVISOR_memory_op(XENMEM_exchange, ex);
}

static bool page_is_zero(const void *va)
{
    const unsigned long *p = va;
    unsigned int i;

    for ( i = 0; i < PAGE_SIZE / sizeof(*p); i++ )
        if ( p[i] )
            return false;
    return true;
}

/* Put MFN at the pfn of VA and map it writable there. */
static bool install(void *va, unsigned long mfn)
{
    unsigned long pfn = virt_to_pfn(va);

    pv_p2m[pfn] = mfn;
    return CHECK_RC(0, pv_map_va((unsigned long)va, mfn, PTE_RW));
}

static void check_one_for_one(void)
{
    volatile unsigned long *p = new_page();
    unsigned long pfn = virt_to_pfn((void *)p), old, new;
    long before;

    p[3] = 0x33;
    old = release_page((void *)p);
    before = cur_pages();
    setup(1, 0, 1, 0);
    in[0] = old;
    out[0] = pfn;
    CHECK_RC(0, exchange());
    CHECK_EQ(1, ex->nr_exchanged);
    new = out[0];
    printf("exchange: mfn %#lx for %#lx at pfn %#lx\n", new, old, pfn);
    CHECK(new != old && new != pfn);
    CHECK_EQ(old, in[0]);
    CHECK_EQ(pfn, pv_m2p[new]);
    CHECK_EQ(before, cur_pages());
    CHECK_RC(-XEN_EBUSY, try_map_slot(0, old, false));
    if ( install((void *)p, new) )
    {
        CHECK(page_is_zero((void *)p));
        p[3] = 0x44;
        CHECK_EQ(0x44, p[3]);
    }
}

static void check_orders(void)
{
    unsigned long *a = new_page(), *b = new_page();
    unsigned long pa = virt_to_pfn(a), pair;
    long before;

    if ( virt_to_pfn(b) != pa + 1 )
        test_abort("boot pages not contiguous");
    /* Two order-0 frames for an order-1 extent. */
    setup(2, 0, 1, 1);
    in[0] = release_page(a);
    in[1] = release_page(b);
    out[0] = pa;
    before = cur_pages();
    CHECK_RC(0, exchange());
    CHECK_EQ(2, ex->nr_exchanged);
    pair = out[0];
    CHECK_EQ(0, pair & 1);
    CHECK_EQ(pa, pv_m2p[pair]);
    CHECK_EQ(pa + 1, pv_m2p[pair + 1]);
    CHECK_EQ(before, cur_pages());
    install(a, pair);
    install(b, pair + 1);
    a[0] = 1;
    b[0] = 2;
    CHECK_EQ(2, *(volatile unsigned long *)map_slot(0, pair + 1, false));
    unmap_slot(0);

    /* And the pair back for two order-0 frames. */
    setup(1, 1, 2, 0);
    release_page(a);
    release_page(b);
    in[0] = pair;
    out[0] = pa;
    out[1] = pa + 1;
    CHECK_RC(0, exchange());
    CHECK_EQ(1, ex->nr_exchanged);
    CHECK_EQ(pa, pv_m2p[out[0]]);
    CHECK_EQ(pa + 1, pv_m2p[out[1]]);
    CHECK_EQ(before, cur_pages());
    install(a, out[0]);
    install(b, out[1]);
    CHECK_RC(-XEN_EBUSY, try_map_slot(0, pair, false));
}

static void check_nr_exchanged(void)
{
    unsigned long *c = new_page(), *d = new_page(), *e = new_page();
    unsigned long *f = new_page();
    unsigned long mc, mf;

    /* Started at extent 1: extent 0 is not looked at. */
    mc = release_page(c);
    setup(2, 0, 2, 0);
    in[0] = 0xdeadbeefUL;
    in[1] = release_page(d);
    out[0] = 0xdead;
    out[1] = virt_to_pfn(d);
    ex->nr_exchanged = 1;
    CHECK_RC(0, exchange());
    CHECK_EQ(2, ex->nr_exchanged);
    CHECK_EQ(0xdead, out[0]);
    CHECK_EQ(0xdeadbeefUL, in[0]);
    install(d, out[1]);
    install(c, mc);

    /*
     * A frame that is still mapped cannot be taken.  Xen: -EINVAL, with
     * the extents before it done and counted in nr_exchanged.
     */
    setup(3, 0, 3, 0);
    mf = virt_to_mfn(f);
    in[0] = release_page(e);
    in[1] = mf;
    in[2] = 0x1234;
    out[0] = virt_to_pfn(e);
    out[1] = 0x5555;
    out[2] = 0x6666;
    CHECK_RC(-XEN_EINVAL, exchange());
    CHECK_EQ(1, ex->nr_exchanged);
    CHECK(out[0] != virt_to_pfn(e));
    CHECK_EQ(virt_to_pfn(e), pv_m2p[out[0]]);
    CHECK_EQ(0x5555, out[1]);
    CHECK_EQ(0x6666, out[2]);
    install(e, out[0]);
    f[0] = 9;
    CHECK_EQ(mf, virt_to_mfn(f));
    CHECK_EQ(9, *(volatile unsigned long *)map_slot(0, mf, false));
    unmap_slot(0);

    /* Xen: a frame of the hypervisor's: -EINVAL, nothing done. */
    setup(1, 0, 1, 0);
    in[0] = xen_mfn;
    out[0] = 0x7777;
    CHECK_RC(-XEN_EINVAL, exchange());
    CHECK_EQ(0, ex->nr_exchanged);
    CHECK_EQ(0x7777, out[0]);
    /* Past RAM. */
    in[0] = (1UL << 40) - 1;
    CHECK_RC(-XEN_EINVAL, exchange());
    CHECK_EQ(0, ex->nr_exchanged);
}

/* A boot page given up (unmapped, out of the p2m): its frame. */
static unsigned long spare(void **va)
{
    *va = new_page();
    return release_page(*va);
}

static void check_hostile(void)
{
    static const domid_t doms[] = { 77, DOMID_IO, DOMID_XEN, DOMID_IDLE };
    xen_pfn_t *edge = (xen_pfn_t *)((char *)page_before_hole() +
                                    PAGE_SIZE) - 1;
    unsigned long k, mine;
    unsigned int i;
    long before = cur_pages();
    void *va, *vb;

    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_exchange, NULL));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_exchange, BAD_PTR_LOW));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_exchange, BAD_PTR_XEN));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_exchange,
                                               BAD_PTR_NONCANON));
    /* Xen: a start extent in the command is -EINVAL for exchange. */
    setup(1, 0, 1, 0);
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_memory_op(XENMEM_exchange |
                                               (1 << XENMEMOP_EXTENT_SHIFT),
                                               ex));

    /* Each of these must leave in[0] (ours) alone. */
    mine = spare(&va);
    in[0] = mine;
    out[0] = virt_to_pfn(va);
    setup(1, 0, 1, 0);
    ex->nr_exchanged = 2;
    CHECK_RC(-XEN_EINVAL, exchange());
    CHECK_EQ(2, ex->nr_exchanged);
    setup(1, 0, 1, 0);
    ex->out.domid = 0;
    CHECK_RC(-XEN_EINVAL, exchange());
    setup(1, 0, 2, 0);
    CHECK_RC(-XEN_EINVAL, exchange());
    setup(2, 0, 1, 0);
    CHECK_RC(-XEN_EINVAL, exchange());
    setup(1, 1, 1, 0);
    CHECK_RC(-XEN_EINVAL, exchange());
    /* Xen: an order past the maximum is -EPERM, even on one side. */
    setup(1, 21, 1, 21);
    CHECK_RC(-XEN_EPERM, exchange());
    setup(1, 0, 1, 21);
    CHECK_RC(-XEN_EPERM, exchange());
    setup(1, 0xffffffff, 1, 0);
    CHECK_RC(-XEN_EPERM, exchange());
    /* nr_extents << order overflowing. */
    setup(1UL << 60, 4, 1UL << 60, 4);
    CHECK_RC(-XEN_EINVAL, exchange());
    /* Lists in the hypervisor's range, non-canonical, low. */
    setup(1, 0, 1, 0);
    set_xen_guest_handle(ex->in.extent_start, (xen_pfn_t *)BAD_PTR_XEN);
    CHECK_RC(-XEN_EFAULT, exchange());
    setup(1, 0, 1, 0);
    set_xen_guest_handle(ex->out.extent_start, (xen_pfn_t *)BAD_PTR_XEN);
    CHECK_RC(-XEN_EFAULT, exchange());
    setup(1, 0, 1, 0);
    set_xen_guest_handle(ex->in.extent_start,
                         (xen_pfn_t *)BAD_PTR_NONCANON);
    CHECK_RC(-XEN_EFAULT, exchange());
    setup(1, 0, 1, 0);
    set_xen_guest_handle(ex->in.extent_start, (xen_pfn_t *)BAD_PTR_LOW);
    CHECK_RC(-XEN_EFAULT, exchange());
    CHECK_EQ(0, ex->nr_exchanged);
    /* Xen: no such domain (or a reserved id): -ESRCH. */
    for ( i = 0; i < ARRAY_SIZE(doms); i++ )
    {
        setup(1, 0, 1, 0);
        ex->in.domid = ex->out.domid = doms[i];
        CHECK_RC(-XEN_ESRCH, exchange());
    }
    /*
     * Xen: address_bits of 12: the input is taken, no frame below 4 KiB
     * is found, the input is given back: -ENOMEM.
     */
    setup(1, 0, 1, 0);
    ex->out.mem_flags = XENMEMF_address_bits(12);
    CHECK_RC(-XEN_ENOMEM, exchange());
    CHECK_EQ(0, ex->nr_exchanged);
    /* Nothing to do. */
    setup(0, 0, 0, 0);
    CHECK_RC(0, exchange());
    CHECK_EQ(0, ex->nr_exchanged);

    /*
     * XSA-212: the list base is valid, but the element at nr_exchanged
     * (the first one used) wraps around into the hypervisor's range.
     */
    k = ((unsigned long)BAD_PTR_XEN - (unsigned long)in) / sizeof(xen_pfn_t);
    setup(k + 1, 0, k + 1, 0);
    ex->nr_exchanged = k;
    CHECK_RC(-XEN_EFAULT, exchange());
    CHECK_EQ(k, ex->nr_exchanged);
    /* The same for the output list: input element k is in[0]. */
    k = ((unsigned long)BAD_PTR_XEN - (unsigned long)out) / sizeof(xen_pfn_t);
    setup(k + 1, 0, k + 1, 0);
    set_xen_guest_handle(ex->in.extent_start,
                         (xen_pfn_t *)((unsigned long)in - k * 8));
    ex->nr_exchanged = k;
    CHECK_RC(-XEN_EFAULT, exchange());
    CHECK_EQ(k, ex->nr_exchanged);
    CHECK_EQ(before, cur_pages());
    CHECK_EQ(mine, in[0]);
    CHECK_EQ(virt_to_pfn(va), out[0]);

    /*
     * A count whose list would wrap around the address space, from
     * element 0.  Xen reads each element as it goes: the first is
     * exchanged, the second is no frame (-EINVAL, nr_exchanged 1); it
     * never gets near the end of the range.
     */
    k = ((unsigned long)BAD_PTR_XEN - (unsigned long)in) / sizeof(xen_pfn_t);
    setup(k + 1, 0, k + 1, 0);
    in[1] = (1UL << 40) - 1;
    CHECK_RC(-XEN_EINVAL, exchange());
    CHECK_EQ(1, ex->nr_exchanged);
    CHECK(out[0] != virt_to_pfn(va));
    CHECK_EQ(virt_to_pfn(va), pv_m2p[out[0]]);
    install(va, out[0]);

    /*
     * The second input element is in an unmapped page.  Xen: the first
     * extent is exchanged, then -EFAULT with nr_exchanged 1.
     */
    mine = spare(&vb);
    setup(2, 0, 2, 0);
    set_xen_guest_handle(ex->in.extent_start, edge);
    *edge = mine;
    out[0] = virt_to_pfn(vb);
    out[1] = 0x4242;
    CHECK_RC(-XEN_EFAULT, exchange());
    CHECK_EQ(1, ex->nr_exchanged);
    CHECK_EQ(virt_to_pfn(vb), pv_m2p[out[0]]);
    CHECK_EQ(0x4242, out[1]);
    CHECK_EQ(before, cur_pages());
    install(vb, out[0]);
}

static void check_read_only_arg(void)
{
    struct xen_memory_exchange *rex = new_page();
    void *va = new_page();
    unsigned long pfn = virt_to_pfn(va), mfn = release_page(va);

    in[0] = mfn;
    out[0] = pfn;
    set_xen_guest_handle(rex->in.extent_start, in);
    rex->in.nr_extents = 1;
    rex->in.domid = DOMID_SELF;
    set_xen_guest_handle(rex->out.extent_start, out);
    rex->out.nr_extents = 1;
    rex->out.domid = DOMID_SELF;
    if ( pv_set_page_ro(rex) )
        test_abort("making the exchange argument read-only");
    /*
     * Xen: the exchange is done; only nr_exchanged cannot be written
     * back: -EFAULT.
     */
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_memory_op(XENMEM_exchange, rex));
    CHECK(out[0] != pfn);
    CHECK_EQ(pfn, pv_m2p[out[0]]);
    CHECK_EQ(0, rex->nr_exchanged);
    install(va, out[0]);
}

void test_exchange(void)
{
    ex = new_page();
    in = new_page();
    out = new_page();
    check_one_for_one();
    check_orders();
    check_nr_exchanged();
    check_hostile();
    check_read_only_arg();
}
