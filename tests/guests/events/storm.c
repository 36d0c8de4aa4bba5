/*
 * events: port exhaustion, the event storm, EVTCHNOP_reset and FIFO.
 *
 * Cases:
 *  - alloc_unbound until it fails: -ENOSPC after ports 1 .. 4095 (the
 *    2-level limit of a 64-bit guest; Xen 4.17's dom0 has no lower
 *    max_evtchn_port), each port once, the lowest free port first; all
 *    closed again.
 *  - the storm: loopback pairs until -ENOSPC (2047 pairs, the last
 *    bind_interdomain -ENOSPC), then with upcalls masked a send on both
 *    ends of every pair, twice: every port's pending bit set once, all 64
 *    selector bits, nothing else.  Half the ports masked; unmasking
 *    upcalls delivers each unmasked port exactly once; EVTCHNOP_unmask of
 *    each masked one delivers it exactly once, at once.  Then one send per
 *    port with upcalls enabled, each delivered once on the way back.
 *    Closing them all; the lowest free port is 1 again.
 *  - close clears a pending bit and leaves the mask bit: a port
 *    allocated again comes back masked.
 *  - EVTCHNOP_reset of DOMID_SELF and of our own id: every kind of port
 *    closed (status closed, VIRQ rebindable, allocation from 1 again).
 *  - FIFO: init_control with a bad gfn -EINVAL, a nonexistent vCPU
 *    -ENOENT, a misaligned offset or one crossing the page end -EINVAL;
 *    expand_array while 2-level -EOPNOTSUPP; the domain still uses the
 *    2-level bitmaps afterwards.  A good init_control: Xen switches to
 *    FIFO (0, link_bits 17; expand_array with a bad gfn is then -EINVAL)
 *    and EVTCHNOP_reset returns the domain to 2-level; a hypervisor
 *    without FIFO answers -ENOSYS and stays 2-level.
 */
#include "events.h"

static evtchn_port_t ports[PV_EVT_NR_PORTS];
static evtchn_port_t peer[PV_EVT_NR_PORTS];

static unsigned int popcount(unsigned long x)
{
    unsigned int n = 0;

    for ( ; x; x &= x - 1 )
        n++;
    return n;
}

static unsigned int alloc_all(long *last_rc)
{
    unsigned int n = 0;
    long rc;

    for ( ;; )
    {
        rc = pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &ports[n]);
        if ( rc || ++n == PV_EVT_NR_PORTS )
            break;
    }
    *last_rc = rc;
    return n;
}

static void check_exhaustion(void)
{
    static uint8_t seen[PV_EVT_NR_PORTS];
    unsigned int i, n, bad = 0, bad_order = 0, max = 0;
    long rc;

    n = alloc_all(&rc);
    printf("alloc_unbound: %u ports, then %ld\n", n, rc);
    CHECK_RC(-XEN_ENOSPC, rc);
    CHECK_EQ(PV_EVT_NR_PORTS - 1, n);
    memset(seen, 0, sizeof(seen));
    for ( i = 0; i < n; i++ )
    {
        if ( ports[i] == 0 || ports[i] >= PV_EVT_NR_PORTS || seen[ports[i]] )
            bad++;
        else
            seen[ports[i]] = 1;
        if ( i && ports[i] < ports[i - 1] )
            bad_order++;
        if ( ports[i] > max )
            max = ports[i];
    }
    CHECK_EQ(0, bad);
    CHECK_EQ(0, bad_order);
    printf("highest port %u\n", max);
    CHECK_EQ(PV_EVT_NR_PORTS - 1, max);
    /* Still full. */
    CHECK_RC(-XEN_ENOSPC, pv_evtchn_bind_ipi(0, NULL));
    CHECK_RC(-XEN_ENOSPC, pv_evtchn_bind_virq(VIRQ_TIMER, 0, NULL));

    for ( i = 0, bad = 0; i < n; i++ )
        if ( pv_evtchn_close(ports[i]) )
            bad++;
    CHECK_EQ(0, bad);
}

static void check_storm(void)
{
    unsigned int i, n, bad, bad_sel, pending;
    unsigned long upcalls;
    evtchn_port_t p, q;
    long rc;

    /* Pairs until the table is full. */
    for ( n = 0; ; n++ )
    {
        rc = loopback_quiet(&ports[n], &peer[n]);
        if ( rc )
            break;
    }
    printf("storm: %u loopback pairs, then %ld\n", n, rc);
    CHECK_RC(-XEN_ENOSPC, rc);
    CHECK_EQ((PV_EVT_NR_PORTS - 1) / 2, n);

    pv_evt_disable();
    clear_upcall_state(0);
    pv_evt_reset_counts();
    for ( i = 0; i < n; i++ )
    {
        pv_evtchn_clear_mask(ports[i]);
        pv_evtchn_clear_mask(peer[i]);
    }

    /* Everything twice, upcalls masked. */
    for ( i = 0, bad = 0; i < 2 * n; i++ )
        if ( pv_evtchn_send(ports[i % n]) || pv_evtchn_send(peer[i % n]) )
            bad++;
    CHECK_EQ(0, bad);
    for ( i = 0, pending = 0; i < PV_EVT_WORDS; i++ )
        pending += popcount(pv_shared_info->evtchn_pending[i]);
    CHECK_EQ(2 * n, pending);
    for ( i = 0, bad = 0; i < n; i++ )
        if ( !pv_evtchn_is_pending(ports[i]) || !pv_evtchn_is_pending(peer[i]) )
            bad++;
    CHECK_EQ(0, bad);
    CHECK_EQ(~0UL, pv_vcpu_info->evtchn_pending_sel);
    CHECK_EQ(1, pv_vcpu_info->evtchn_upcall_pending);
    CHECK_EQ(0, pv_evt_nr_upcalls);

    /* Mask the peers of the odd pairs, then let the upcalls in. */
    for ( i = 1; i < n; i += 2 )
        pv_evtchn_mask(peer[i]);
    pv_evt_enable();
    printf("storm: %lu upcall(s) for %lu ports\n", pv_evt_nr_upcalls,
           pv_evt_nr_ports);
    CHECK(pv_evt_nr_upcalls >= 1);
    for ( i = 0, bad = 0; i < n; i++ )
        if ( pv_evt_count[ports[i]] != 1 ||
             pv_evt_count[peer[i]] != ((i & 1) ? 0 : 1) ||
             pv_evtchn_is_pending(ports[i]) ||
             pv_evtchn_is_pending(peer[i]) != (i & 1) )
            bad++;
    CHECK_EQ(0, bad);
    CHECK_EQ(2 * n - n / 2, pv_evt_nr_ports);

    /* EVTCHNOP_unmask of each masked pending port: one upcall each. */
    for ( i = 1, bad = 0; i < n; i += 2 )
    {
        upcalls = pv_evt_nr_upcalls;
        if ( pv_evtchn_unmask(peer[i]) || pv_evt_count[peer[i]] != 1 ||
             pv_evt_nr_upcalls != upcalls + 1 || pv_evtchn_is_masked(peer[i]) )
            bad++;
    }
    CHECK_EQ(0, bad);
    CHECK_EQ(2 * n, pv_evt_nr_ports);
    for ( i = 0, pending = 0; i < PV_EVT_WORDS; i++ )
        pending += popcount(pv_shared_info->evtchn_pending[i]);
    CHECK_EQ(0, pending);

    /* One at a time with upcalls enabled: each delivered on return. */
    for ( i = 0, bad = 0, bad_sel = 0; i < n; i++ )
    {
        if ( pv_evtchn_send(peer[i]) || pv_evt_count[ports[i]] != 2 )
            bad++;
        if ( pv_evt_last_sel != 1UL << (ports[i] / 64) )
            bad_sel++;
        if ( pv_evtchn_send(ports[i]) || pv_evt_count[peer[i]] != 2 )
            bad++;
    }
    CHECK_EQ(0, bad);
    CHECK_EQ(0, bad_sel);
    CHECK_EQ(4 * n, pv_evt_nr_ports);
    CHECK_EQ(0, pv_evt_nr_empty);
    pv_evt_disable();

    for ( i = 0, bad = 0; i < n; i++ )
        if ( pv_evtchn_close(peer[i]) || pv_evtchn_close(ports[i]) )
            bad++;
    CHECK_EQ(0, bad);
    for ( i = 0, bad = 0; i < n; i++ )
    {
        struct evtchn_status st;

        if ( pv_evtchn_status(DOMID_SELF, ports[i], &st) ||
             st.status != EVTCHNSTAT_closed ||
             pv_evtchn_status(DOMID_SELF, peer[i], &st) ||
             st.status != EVTCHNSTAT_closed )
            bad++;
    }
    CHECK_EQ(0, bad);

    /* Close clears pending, keeps the mask bit. */
    CHECK_RC(0, loopback_quiet(&p, &q));
    CHECK_EQ(1, p);
    CHECK_EQ(2, q);
    pv_evtchn_mask(q);
    CHECK_RC(0, pv_evtchn_send(p));
    CHECK(pv_evtchn_is_pending(q));
    CHECK_RC(0, pv_evtchn_close(q));
    CHECK(!pv_evtchn_is_pending(q));
    CHECK(pv_evtchn_is_masked(q));
    CHECK_RC(0, pv_evtchn_bind_interdomain(DOMID_SELF, p, &q));
    CHECK_EQ(2, q);
    CHECK(pv_evtchn_is_masked(q));
    pv_evtchn_clear_mask(q);
    CHECK_RC(0, pv_evtchn_close(p));
    CHECK_RC(0, pv_evtchn_close(q));
}

void test_storm(void)
{
    check_exhaustion();
    check_storm();
}

void test_reset(void)
{
    evtchn_port_t a, b, t, i, u, p;

    CHECK_RC(0, loopback_quiet(&a, &b));
    CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_TIMER, 0, &t));
    CHECK_RC(0, pv_evtchn_bind_ipi(0, &i));
    CHECK_RC(0, pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &u));
    pv_evt_disable();
    CHECK_RC(0, pv_evtchn_send(a));
    CHECK(pv_evtchn_is_pending(b));

    CHECK_RC(0, pv_evtchn_reset(DOMID_SELF));
    check_status(a, EVTCHNSTAT_closed, 0);
    check_status(b, EVTCHNSTAT_closed, 0);
    check_status(t, EVTCHNSTAT_closed, 0);
    check_status(i, EVTCHNSTAT_closed, 0);
    check_status(u, EVTCHNSTAT_closed, 0);
    CHECK(!pv_evtchn_is_pending(b));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_send(a));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_close(i));
    /* Port 0 stays reserved. */
    CHECK_RC(-XEN_EINVAL, pv_evtchn_close(0));

    CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_TIMER, 0, &p));
    CHECK_EQ(1, p);
    CHECK_RC(0, pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p));
    CHECK_EQ(2, p);

    /* By our own id, and with nothing to close. */
    CHECK_RC(0, pv_evtchn_reset(self_id));
    check_status(1, EVTCHNSTAT_closed, 0);
    check_status(2, EVTCHNSTAT_closed, 0);
    CHECK_RC(0, pv_evtchn_reset(DOMID_SELF));
    CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_TIMER, 0, &p));
    CHECK_EQ(1, p);
    CHECK_RC(0, pv_evtchn_close(p));
}

/* The 2-level bitmaps still carry a loopback event. */
static void check_still_2l(const char *when)
{
    evtchn_port_t a, b;

    printf("2-level after %s\n", when);
    if ( !CHECK_RC(0, loopback_quiet(&a, &b)) )
        return;
    pv_evt_disable();
    clear_upcall_state(0);
    pv_evt_reset_counts();
    CHECK_RC(0, pv_evtchn_send(a));
    CHECK(pv_evtchn_is_pending(b));
    CHECK(pv_evtchn_sel_bit(0, b / 64));
    pv_evt_enable();
    CHECK_EQ(1, pv_evt_count[b]);
    pv_evt_disable();
    CHECK_RC(0, pv_evtchn_close(a));
    CHECK_RC(0, pv_evtchn_close(b));
}

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu,
                         uint8_t *link_bits)
{
    struct evtchn_init_control ic = {
        .control_gfn = gfn, .offset = offset, .vcpu = vcpu,
    };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic);

    if ( link_bits )
        *link_bits = ic.link_bits;
    return rc;
}

static long expand_array(uint64_t gfn)
{
    struct evtchn_expand_array ea = { .array_gfn = gfn };

    return HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &ea);
}

void test_fifo(void)
{
    void *page = pv_alloc_page();
    unsigned long mfn;
    const uint64_t bad_gfn = 0xfffffffffffULL;
    uint8_t link_bits = 0;
    long rc;

    if ( !page )
        test_abort("no free page for the FIFO control block");
    mfn = virt_to_mfn(page);

    CHECK_RC(-XEN_EINVAL, init_control(bad_gfn, 0, 0, NULL));
    CHECK_RC(-XEN_EINVAL, init_control(~0ULL, 0, 0, NULL));
    CHECK_RC(-XEN_ENOENT, init_control(bad_gfn, 0, nr_vcpus, NULL));
    CHECK_RC(-XEN_ENOENT, init_control(mfn, 0, ~0u, NULL));
    CHECK_RC(-XEN_EINVAL, init_control(mfn, 4, 0, NULL));
    CHECK_RC(-XEN_EINVAL, init_control(mfn, PAGE_SIZE - 64, 0, NULL));
    CHECK_RC(-XEN_EINVAL, init_control(mfn, 0xfffffff8, 0, NULL));
    /* A frame that is not ours to write: a page table (our L4). */
    CHECK_RC(-XEN_EINVAL, init_control(pv_kernel_l4_mfn, 0, 0, NULL));
    CHECK_RC(-XEN_EOPNOTSUPP, expand_array(bad_gfn));
    CHECK_RC(-XEN_EOPNOTSUPP, expand_array(mfn));
    check_still_2l("bad init_control");

    rc = init_control(mfn, 0, 0, &link_bits);
    printf("init_control, good frame: %ld, link_bits %u\n", rc, link_bits);
    if ( rc == -XEN_ENOSYS )
    {
        test_pass("init_control: no FIFO support (-ENOSYS)");
        check_still_2l("init_control -ENOSYS");
        return;
    }
    if ( !CHECK_RC(0, rc) )
        return;
    CHECK_EQ(EVTCHN_FIFO_LINK_BITS, link_bits);
    /* Once per vCPU. */
    CHECK_RC(-XEN_EINVAL, init_control(mfn, 0, 0, NULL));
    CHECK_RC(-XEN_EINVAL, expand_array(bad_gfn));
    CHECK_RC(0, pv_evtchn_reset(DOMID_SELF));
    check_still_2l("FIFO and EVTCHNOP_reset");
}
