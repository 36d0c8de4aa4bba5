/*
 * events: 2-level event channels for a 64-bit PV kernel.
 *
 * Cases:
 *  - CALLBACKOP_register of our own event callback (pv_evt_entry).
 *  - Loopback: alloc_unbound(DOMID_SELF, DOMID_SELF) then
 *    bind_interdomain to it; ports are non-zero and distinct; status of
 *    both ends names the other.  A send with upcalls masked sets the
 *    peer's pending bit, its selector bit and evtchn_upcall_pending, and
 *    nothing else; unmasking (plus any hypercall) delivers one upcall with
 *    the mask set on entry, the selector taken, CS 0xe030 and the saved
 *    mask 0 in the frame, IF set; afterwards pending, selector and
 *    upcall_pending are clear and the mask is back to 0.  With upcalls
 *    unmasked the upcall arrives on the way back from the send itself.  A
 *    send to an already pending port is not delivered twice.
 *  - Port mask bits: a masked port gets its pending bit only (no
 *    selector, no upcall); clearing the mask bit from the guest delivers
 *    nothing; EVTCHNOP_unmask of a pending masked port sets the selector
 *    and upcall_pending (upcall at once when unmasked); of an unpending
 *    one does nothing.  Xen: EVTCHNOP_unmask of a port whose mask bit is
 *    already clear does not set the selector even if it is pending.
 *  - status for closed, unbound (u.unbound.dom = our id), interdomain,
 *    virq and ipi ports, by DOMID_SELF and by our id.
 *  - bind_virq: VIRQ_TIMER (per-vCPU) and a global VIRQ (VIRQ_DOM_EXC);
 *    -EEXIST binding either twice; a global VIRQ on vCPU 1 -EINVAL;
 *    VIRQ_TIMER on another vCPU gets its own port; send on a VIRQ port
 *    -EINVAL; close and rebind.
 *  - bind_ipi on vCPU 0, send to self delivered; on vCPU 1 (when there
 *    is one) the event lands in vCPU 1's selector, not ours.
 *  - bind_vcpu: interdomain, unbound and global VIRQ ports move; IPI and
 *    per-vCPU VIRQ ports -EINVAL; a moved interdomain port notifies the
 *    new vCPU.
 *  - close: the peer becomes unbound (status), the closed port is closed;
 *    send on it -EINVAL, close again -EINVAL; send on an unbound port is
 *    dropped (0, nothing pending).
 *  - hostile arguments (hostile.c), exhaustion, storm, reset and FIFO
 *    (storm.c), SCHEDOP_poll and SCHEDOP_block (poll.c).
 *  - with two or more vCPUs, last, all of them brought up (smp.c): IPIs
 *    between them, bind_vcpu, block and poll on secondaries, races and a
 *    storm over all ports from every vCPU.  Up to then the secondaries are
 *    down, so the cases above see events bound to vCPU 1 left pending.
 * All with the default periodic timer and any single-shot timer stopped,
 * so that no VIRQ_TIMER arrives unasked.
 */
#include "events.h"

const char test_name[] = "events";

unsigned int nr_vcpus;
domid_t self_id;

void clear_upcall_state(unsigned int v)
{
    struct vcpu_info *vi = &pv_shared_info->vcpu_info[v];

    vi->evtchn_upcall_pending = 0;
    __atomic_store_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
}

long loopback_quiet(evtchn_port_t *a, evtchn_port_t *b)
{
    long rc = pv_evtchn_loopback(a, b);

    if ( !rc )
    {
        pv_evtchn_clear_pending(*b);
        clear_upcall_state(0);
    }
    return rc;
}

void check_status(evtchn_port_t port, uint32_t status, uint32_t vcpu)
{
    struct evtchn_status st;

    if ( !CHECK_RC(0, pv_evtchn_status(DOMID_SELF, port, &st)) )
        return;
    CHECK_EQ(status, st.status);
    if ( status != EVTCHNSTAT_closed )
        CHECK_EQ(vcpu, st.vcpu);
}

static void check_loopback(void)
{
    struct vcpu_info *vi = pv_vcpu_info;
    struct evtchn_status st;
    evtchn_port_t a, b;
    unsigned long upcalls;

    pv_evt_disable();
    CHECK_RC(0, pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &a));
    CHECK(a != 0 && a < PV_EVT_NR_PORTS);
    CHECK_RC(0, pv_evtchn_status(DOMID_SELF, a, &st));
    CHECK_EQ(EVTCHNSTAT_unbound, st.status);
    CHECK_EQ(0, st.vcpu);
    self_id = st.u.unbound.dom;
    printf("loopback: unbound port %u for domain %u\n", a, self_id);
    CHECK(self_id < DOMID_FIRST_RESERVED);

    clear_upcall_state(0);
    CHECK_RC(0, pv_evtchn_bind_interdomain(DOMID_SELF, a, &b));
    CHECK(b != 0 && b != a && b < PV_EVT_NR_PORTS);
    /*
     * Xen: binding raises an event on the new local port (notifications
     * sent to the unbound end may have been lost); the unbound end's
     * owner gets nothing.
     */
    CHECK(pv_evtchn_is_pending(b));
    CHECK(!pv_evtchn_is_pending(a));
    CHECK(pv_evtchn_sel_bit(0, b / 64));
    CHECK_EQ(1, vi->evtchn_upcall_pending);
    pv_evtchn_clear_pending(b);
    CHECK_RC(0, pv_evtchn_status(DOMID_SELF, a, &st));
    CHECK_EQ(EVTCHNSTAT_interdomain, st.status);
    CHECK_EQ(self_id, st.u.interdomain.dom);
    CHECK_EQ(b, st.u.interdomain.port);
    CHECK_RC(0, pv_evtchn_status(self_id, b, &st));
    CHECK_EQ(EVTCHNSTAT_interdomain, st.status);
    CHECK_EQ(self_id, st.u.interdomain.dom);
    CHECK_EQ(a, st.u.interdomain.port);
    CHECK_EQ(0, st.vcpu);

    /* Masked: the bits only. */
    pv_evtchn_clear_mask(a);
    pv_evtchn_clear_mask(b);
    clear_upcall_state(0);
    pv_evt_reset_counts();
    CHECK_RC(0, pv_evtchn_send(b));
    CHECK(pv_evtchn_is_pending(a));
    CHECK(!pv_evtchn_is_pending(b));
    CHECK(pv_evtchn_sel_bit(0, a / 64));
    CHECK_EQ(1, vi->evtchn_upcall_pending);
    CHECK_EQ(0, pv_evt_nr_upcalls);

    /* Unmasked: one upcall, made with events masked. */
    pv_evt_enable();
    CHECK_EQ(1, pv_evt_nr_upcalls);
    CHECK_EQ(1, pv_evt_count[a]);
    CHECK_EQ(0, pv_evt_count[b]);
    CHECK_EQ(1, pv_evt_nr_ports);
    CHECK_EQ(1UL << (a / 64), pv_evt_last_sel);
    CHECK_EQ(1, pv_evt_last_mask);
    CHECK_EQ(1, pv_evt_last_pending);
    CHECK_EQ(0xe030, pv_evt_last_frame.cs);     /* saved mask 0 above it */
    CHECK_EQ(0x200, pv_evt_last_frame.rflags & 0x200);
    CHECK_EQ(0xe02b, pv_evt_last_frame.ss);
    CHECK(!pv_evtchn_is_pending(a));
    CHECK_EQ(0, vi->evtchn_upcall_pending);
    CHECK_EQ(0, vi->evtchn_pending_sel);
    CHECK_EQ(0, vcpu_mask());

    /* Upcalls enabled: delivered on the way back from the send. */
    CHECK_RC(0, pv_evtchn_send(a));
    CHECK_EQ(1, pv_evt_count[b]);
    CHECK_EQ(2, pv_evt_nr_upcalls);
    CHECK(!pv_evtchn_is_pending(b));

    /* Twice while masked: pending once, delivered once. */
    pv_evt_disable();
    CHECK_RC(0, pv_evtchn_send(b));
    CHECK_RC(0, pv_evtchn_send(b));
    upcalls = pv_evt_nr_upcalls;
    pv_evt_enable();
    CHECK_EQ(upcalls + 1, pv_evt_nr_upcalls);
    CHECK_EQ(2, pv_evt_count[a]);

    /* Mask bits. */
    pv_evt_disable();
    pv_evtchn_mask(a);
    CHECK_RC(0, pv_evtchn_send(b));
    CHECK(pv_evtchn_is_pending(a));
    CHECK(!pv_evtchn_sel_bit(0, a / 64));
    CHECK_EQ(0, vi->evtchn_upcall_pending);
    pv_evt_enable();
    HYPERVISOR_xen_version(XENVER_version, NULL);
    CHECK_EQ(2, pv_evt_count[a]);

    /* The guest clearing the mask bit itself: still nothing. */
    pv_evtchn_clear_mask(a);
    HYPERVISOR_xen_version(XENVER_version, NULL);
    CHECK_EQ(2, pv_evt_count[a]);
    CHECK(pv_evtchn_is_pending(a));
    CHECK(!pv_evtchn_sel_bit(0, a / 64));

    /* EVTCHNOP_unmask with upcalls masked: selector and upcall_pending. */
    pv_evt_disable();
    pv_evtchn_mask(a);
    CHECK_RC(0, pv_evtchn_unmask(a));
    CHECK(!pv_evtchn_is_masked(a));
    CHECK(pv_evtchn_sel_bit(0, a / 64));
    CHECK_EQ(1, vi->evtchn_upcall_pending);
    CHECK_EQ(2, pv_evt_count[a]);
    pv_evt_enable();
    CHECK_EQ(3, pv_evt_count[a]);
    CHECK(!pv_evtchn_is_pending(a));

    /* EVTCHNOP_unmask with upcalls enabled: the upcall comes with it. */
    pv_evt_disable();
    pv_evtchn_mask(a);
    CHECK_RC(0, pv_evtchn_send(b));
    pv_evt_enable();
    CHECK_EQ(3, pv_evt_count[a]);
    CHECK_RC(0, pv_evtchn_unmask(a));
    CHECK_EQ(4, pv_evt_count[a]);

    /* EVTCHNOP_unmask of a masked port that is not pending. */
    pv_evt_disable();
    pv_evtchn_mask(a);
    CHECK_RC(0, pv_evtchn_unmask(a));
    CHECK(!pv_evtchn_is_masked(a));
    CHECK(!pv_evtchn_sel_bit(0, a / 64));
    CHECK_EQ(0, vi->evtchn_upcall_pending);

    /*
     * Xen: EVTCHNOP_unmask of a port whose mask bit is already clear does
     * nothing, even with the port pending and the selector taken.
     */
    CHECK_RC(0, pv_evtchn_send(b));
    CHECK(pv_evtchn_sel_bit(0, a / 64));
    clear_upcall_state(0);
    CHECK_RC(0, pv_evtchn_unmask(a));
    CHECK(!pv_evtchn_sel_bit(0, a / 64));
    CHECK_EQ(0, vi->evtchn_upcall_pending);
    CHECK(pv_evtchn_is_pending(a));
    pv_evtchn_clear_pending(a);

    /* Close one end: the other becomes unbound, for our domain. */
    CHECK_RC(0, pv_evtchn_close(b));
    CHECK_RC(0, pv_evtchn_status(DOMID_SELF, a, &st));
    CHECK_EQ(EVTCHNSTAT_unbound, st.status);
    CHECK_EQ(self_id, st.u.unbound.dom);
    check_status(b, EVTCHNSTAT_closed, 0);
    CHECK_RC(-XEN_EINVAL, pv_evtchn_send(b));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_close(b));
    /* Send on an unbound port: dropped. */
    CHECK_RC(0, pv_evtchn_send(a));
    CHECK(!pv_evtchn_is_pending(a));
    CHECK(!pv_evtchn_is_pending(b));
    CHECK_EQ(0, vi->evtchn_upcall_pending);
    /* ... and it can be bound again. */
    CHECK_RC(0, pv_evtchn_bind_interdomain(DOMID_SELF, a, &b));
    CHECK_RC(0, pv_evtchn_close(a));
    CHECK_RC(0, pv_evtchn_status(DOMID_SELF, b, &st));
    CHECK_EQ(EVTCHNSTAT_unbound, st.status);
    CHECK_RC(0, pv_evtchn_close(b));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_send(a));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_close(a));
    check_status(a, EVTCHNSTAT_closed, 0);
}

static void check_virq(void)
{
    struct evtchn_status st;
    evtchn_port_t t, t1, g, g2;

    CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_TIMER, 0, &t));
    CHECK(t != 0);
    CHECK_RC(0, pv_evtchn_status(DOMID_SELF, t, &st));
    CHECK_EQ(EVTCHNSTAT_virq, st.status);
    CHECK_EQ(VIRQ_TIMER, st.u.virq);
    CHECK_EQ(0, st.vcpu);
    CHECK_RC(-XEN_EEXIST, pv_evtchn_bind_virq(VIRQ_TIMER, 0, &t1));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_send(t));
    /* Per-vCPU VIRQs stay on their vCPU. */
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_vcpu(t, 0));

    CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_GLOBAL, 0, &g));
    CHECK(g != 0 && g != t);
    CHECK_RC(0, pv_evtchn_status(DOMID_SELF, g, &st));
    CHECK_EQ(EVTCHNSTAT_virq, st.status);
    CHECK_EQ(VIRQ_GLOBAL, st.u.virq);
    CHECK_EQ(0, st.vcpu);
    CHECK_RC(-XEN_EEXIST, pv_evtchn_bind_virq(VIRQ_GLOBAL, 0, &g2));
    CHECK_RC(0, pv_evtchn_bind_vcpu(g, 0));

    if ( nr_vcpus > 1 )
    {
        /* Global VIRQs are bound on vCPU 0 only, then moved. */
        CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_virq(VIRQ_GLOBAL, 1, &g2));
        CHECK_RC(0, pv_evtchn_bind_vcpu(g, 1));
        check_status(g, EVTCHNSTAT_virq, 1);
        /* Still bound: -EEXIST on vCPU 0 after the move. */
        CHECK_RC(-XEN_EEXIST, pv_evtchn_bind_virq(VIRQ_GLOBAL, 0, &g2));
        CHECK_RC(0, pv_evtchn_bind_vcpu(g, 0));

        CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_TIMER, 1, &t1));
        CHECK(t1 != t && t1 != g && t1 != 0);
        check_status(t1, EVTCHNSTAT_virq, 1);
        CHECK_RC(-XEN_EEXIST, pv_evtchn_bind_virq(VIRQ_TIMER, 1, &g2));
        CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_vcpu(t1, 0));
        CHECK_RC(0, pv_evtchn_close(t1));
    }
    else
        test_skip("VIRQs on vCPU 1", "one vCPU");

    /* Close and bind again. */
    CHECK_RC(0, pv_evtchn_close(t));
    check_status(t, EVTCHNSTAT_closed, 0);
    CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_TIMER, 0, &t1));
    CHECK_EQ(t, t1);                    /* the lowest free port again */
    CHECK_RC(0, pv_evtchn_close(t1));
    CHECK_RC(0, pv_evtchn_close(g));
    CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_GLOBAL, 0, &g));
    CHECK_RC(0, pv_evtchn_close(g));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_close(g));
}

static void check_ipi(void)
{
    struct vcpu_info *vi1;
    evtchn_port_t p, q;

    clear_upcall_state(0);
    CHECK_RC(0, pv_evtchn_bind_ipi(0, &p));
    CHECK(p != 0);
    check_status(p, EVTCHNSTAT_ipi, 0);
    /* Binding raises nothing. */
    CHECK(!pv_evtchn_is_pending(p));
    CHECK_EQ(0, pv_vcpu_info->evtchn_upcall_pending);
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_vcpu(p, 0));

    pv_evt_reset_counts();
    pv_evt_enable();
    CHECK_RC(0, pv_evtchn_send(p));
    CHECK_EQ(1, pv_evt_count[p]);
    CHECK_EQ(1, pv_evt_nr_upcalls);
    pv_evt_disable();
    CHECK_RC(0, pv_evtchn_send(p));
    CHECK(pv_evtchn_is_pending(p));
    CHECK_EQ(1, pv_evt_count[p]);
    pv_evt_enable();
    CHECK_EQ(2, pv_evt_count[p]);
    pv_evt_disable();

    if ( nr_vcpus > 1 )
    {
        vi1 = &pv_shared_info->vcpu_info[1];
        clear_upcall_state(1);
        CHECK_RC(0, pv_evtchn_bind_ipi(1, &q));
        check_status(q, EVTCHNSTAT_ipi, 1);
        CHECK_RC(0, pv_evtchn_send(q));
        CHECK(pv_evtchn_is_pending(q));
        CHECK(pv_evtchn_sel_bit(1, q / 64));
        CHECK_EQ(1, vi1->evtchn_upcall_pending);
        CHECK(!pv_evtchn_sel_bit(0, q / 64));
        CHECK_EQ(0, pv_vcpu_info->evtchn_upcall_pending);
        pv_evt_enable();
        CHECK_EQ(0, pv_evt_count[q]);
        pv_evt_disable();
        /* Closing clears the pending bit. */
        CHECK_RC(0, pv_evtchn_close(q));
        CHECK(!pv_evtchn_is_pending(q));
        clear_upcall_state(1);
    }
    else
        test_skip("IPI to vCPU 1", "one vCPU");

    CHECK_RC(0, pv_evtchn_close(p));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_send(p));
}

static void check_bind_vcpu(void)
{
    struct evtchn_status st;
    evtchn_port_t a, b, u;

    CHECK_RC(0, loopback_quiet(&a, &b));
    CHECK_RC(0, pv_evtchn_bind_vcpu(a, 0));
    CHECK_RC(0, pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &u));
    CHECK_RC(0, pv_evtchn_bind_vcpu(u, 0));
    CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_vcpu(a, nr_vcpus));
    CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_vcpu(a, ~0u));

    if ( nr_vcpus > 1 )
    {
        pv_evt_disable();
        clear_upcall_state(0);
        clear_upcall_state(1);
        CHECK_RC(0, pv_evtchn_bind_vcpu(a, 1));
        check_status(a, EVTCHNSTAT_interdomain, 1);
        CHECK_RC(0, pv_evtchn_send(b));
        CHECK(pv_evtchn_is_pending(a));
        CHECK(pv_evtchn_sel_bit(1, a / 64));
        CHECK(!pv_evtchn_sel_bit(0, a / 64));
        CHECK_EQ(0, pv_vcpu_info->evtchn_upcall_pending);
        pv_evtchn_clear_pending(a);
        clear_upcall_state(1);

        /* An unbound port keeps its vCPU once bound. */
        CHECK_RC(0, pv_evtchn_bind_vcpu(u, 1));
        CHECK_RC(0, pv_evtchn_status(DOMID_SELF, u, &st));
        CHECK_EQ(EVTCHNSTAT_unbound, st.status);
        CHECK_EQ(1, st.vcpu);

        /* Back to vCPU 0: delivered to us again. */
        CHECK_RC(0, pv_evtchn_bind_vcpu(a, 0));
        pv_evt_reset_counts();
        pv_evt_enable();
        CHECK_RC(0, pv_evtchn_send(b));
        CHECK_EQ(1, pv_evt_count[a]);
        pv_evt_disable();
    }
    else
        test_skip("bind_vcpu to vCPU 1", "one vCPU");

    CHECK_RC(0, pv_evtchn_close(u));
    CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_vcpu(u, 0));
    CHECK_RC(0, pv_evtchn_close(a));
    CHECK_RC(0, pv_evtchn_close(b));
}

static void stop_timers(void)
{
    unsigned int v;

    for ( v = 0; v < nr_vcpus; v++ )
    {
        CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, v, NULL));
        if ( v == 0 )
            CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, v,
                                           NULL));
    }
}

/*
 * Grow the port table to its limit and close every port again: the
 * hypervisor keeps a domain's port buckets for its lifetime (as Xen
 * does), so memory is compared from a full table on.
 */
static void grow_port_table(void)
{
    static evtchn_port_t ports[PV_EVT_NR_PORTS];
    unsigned int n = 0;

    while ( n < PV_EVT_NR_PORTS &&
            pv_evtchn_alloc_unbound(DOMID_SELF, 0, &ports[n]) == 0 )
        n++;
    while ( n )
        pv_evtchn_close(ports[--n]);
}

void test_main(void)
{
    unsigned long host_before, host_after;

    nr_vcpus = pv_nr_vcpus();
    printf("events: %u vCPU(s)\n", nr_vcpus);
    CHECK(nr_vcpus >= 1);
    stop_timers();
    CHECK_RC(0, pv_evt_init());
    pv_evt_disable();

    check_loopback();
    /* The hostile cases want ports past the table: before it grows. */
    host_before = pv_host_free_pages();
    test_hostile();
    host_after = pv_host_free_pages();
    CHECK_EQ(host_before, host_after);
    /* From here every case must give back the host's memory exactly. */
    grow_port_table();
    host_before = pv_host_free_pages();
    check_virq();
    check_ipi();
    check_bind_vcpu();
    test_poll();
    test_storm();
    test_hostile_after_exhaustion();
    test_reset();
    test_fifo();

    /* The same basics through the inline hypercall path. */
    pv_hypercall_mode = PV_HC_INLINE;
    check_loopback();
    check_ipi();
    pv_hypercall_mode = PV_HC_PAGE;

    test_smp();

    pv_evt_disable();
    CHECK_RC(0, pv_evt_fini());
    host_after = pv_host_free_pages();
    printf("host free pages %lu before, %lu after\n", host_before,
           host_after);
    CHECK_EQ(host_before, host_after);
}
