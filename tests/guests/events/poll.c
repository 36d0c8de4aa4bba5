/*
 * events: SCHEDOP_poll and SCHEDOP_block with event channels.
 *
 * Cases (upcalls masked unless said otherwise):
 *  - more than 128 ports -EINVAL; a port past the 2-level limit (4096,
 *    0xffffffff) -EINVAL; a bad port array or sched_poll pointer -EFAULT.
 *  - only ports in use are polled: port 0 and free ports (never used,
 *    or closed) -EINVAL, also among other ports; unbound, interdomain,
 *    VIRQ and IPI ports are fine.
 *  - a timeout on a port that never becomes pending: returns 0 after the
 *    timeout (system time from pvclock at or past it), nothing pending.
 *  - a pending port: returns 0 at once (before a far timeout), the port
 *    still pending; also as the last of 128 ports, and with no timeout.
 *  - the port becoming pending wakes the poller: VIRQ_TIMER from
 *    set_timer_op, with the port masked (Xen wakes pollers whatever the
 *    mask bit): returns at or after the timer's deadline, before the
 *    poll's, the pending bit set and no selector bit.
 *  - no ports and a timeout: returns after the timeout.
 *  - SCHEDOP_block with an event pending returns at once, clears the
 *    upcall mask and the upcall is delivered; the same through
 *    sched_op_compat (hypercall 6), which also has yield but not poll
 *    (-ENOSYS).
 */
#include "events.h"

#define FAR_TIMEOUT     PV_MS(20000)

static evtchn_port_t many[129];

static void check_poll_args(evtchn_port_t a)
{
    evtchn_port_t p;
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(many); i++ )
        many[i] = a;
    CHECK_RC(-XEN_EINVAL, pv_poll(many, 129, pv_now() + PV_MS(1)));
    CHECK_RC(-XEN_EINVAL, pv_poll(many, ~0u, pv_now() + PV_MS(1)));

    p = 4096;
    CHECK_RC(-XEN_EINVAL, pv_poll(&p, 1, pv_now() + PV_MS(1)));
    p = 0xffffffff;
    CHECK_RC(-XEN_EINVAL, pv_poll(&p, 1, pv_now() + PV_MS(1)));
    many[127] = 4096;
    CHECK_RC(-XEN_EINVAL, pv_poll(many, 128, pv_now() + PV_MS(1)));
    many[127] = a;

    CHECK_RC(-XEN_EFAULT, pv_poll(BAD_PTR_LOW, 1, pv_now() + PV_MS(1)));
    CHECK_RC(-XEN_EFAULT, pv_poll(BAD_PTR_XEN, 1, pv_now() + PV_MS(1)));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_sched_op(SCHEDOP_poll, BAD_PTR_LOW));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_sched_op(SCHEDOP_poll, BAD_PTR_XEN));
}

/* Poll PORTS until DEADLINE, expecting a timeout. */
static void check_times_out(evtchn_port_t *ports, unsigned int nr,
                            uint64_t len)
{
    uint64_t start = pv_now(), deadline = start + len, end;

    CHECK_RC(0, pv_poll(ports, nr, deadline));
    end = pv_now();
    printf("poll %u port(s), timeout +%lu us: back after %lu us\n", nr,
           (unsigned long)(len / 1000), (unsigned long)((end - start) / 1000));
    CHECK(end >= deadline);
}

/* Poll PORT alone for up to 1 ms: the result. */
static long poll1(evtchn_port_t p)
{
    return pv_poll(&p, 1, pv_now() + PV_MS(1));
}

/*
 * Xen 4.17 polls only ports in use: the reserved port 0 and free ports
 * (never allocated, or closed) are -EINVAL even inside an allocated
 * bucket, where status answers "closed"; unbound, interdomain (also with
 * the peer closed), VIRQ and IPI ports are polled.
 */
static void check_unallocated(void)
{
    evtchn_port_t u, v, i, a, b, free_port;

    CHECK_RC(-XEN_EINVAL, poll1(0));
    CHECK_RC(0, pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &u));
    CHECK_RC(0, pv_evtchn_close(u));
    free_port = u;
    check_status(free_port, EVTCHNSTAT_closed, 0);
    CHECK_RC(-XEN_EINVAL, poll1(free_port));
    CHECK_RC(-XEN_EINVAL, poll1(63));
    CHECK_RC(-XEN_EINVAL, poll1(4095));

    CHECK_RC(0, pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &u));
    CHECK_RC(0, poll1(u));
    CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_GLOBAL, 0, &v));
    CHECK_RC(0, poll1(v));
    CHECK_RC(0, pv_evtchn_bind_ipi(0, &i));
    CHECK_RC(0, poll1(i));
    CHECK_RC(0, loopback_quiet(&a, &b));
    CHECK_RC(0, poll1(a));
    /* A free port anywhere in the set fails the call. */
    many[0] = u;
    many[1] = v;
    many[2] = free_port == u ? 63 : free_port;
    CHECK_RC(-XEN_EINVAL, pv_poll(many, 3, pv_now() + PV_MS(1)));
    CHECK_RC(0, pv_evtchn_close(a));
    CHECK_RC(-XEN_EINVAL, poll1(a));
    CHECK_RC(0, poll1(b));              /* unbound again */
    CHECK_RC(0, pv_evtchn_close(b));
    CHECK_RC(0, pv_evtchn_close(u));
    CHECK_RC(0, pv_evtchn_close(v));
    CHECK_RC(0, pv_evtchn_close(i));
    CHECK_RC(-XEN_EINVAL, poll1(i));
}

static void check_pending(evtchn_port_t a, evtchn_port_t b)
{
    uint64_t deadline;
    unsigned int i;

    CHECK_RC(0, pv_evtchn_send(b));
    CHECK(pv_evtchn_is_pending(a));
    deadline = pv_now() + FAR_TIMEOUT;
    CHECK_RC(0, pv_poll(&a, 1, deadline));
    CHECK(pv_now() < deadline);
    CHECK(pv_evtchn_is_pending(a));
    CHECK_RC(0, pv_poll(&a, 1, 0));     /* no timeout: fine when pending */

    for ( i = 0; i < 128; i++ )
        many[i] = i == 127 ? a : b;
    deadline = pv_now() + FAR_TIMEOUT;
    CHECK_RC(0, pv_poll(many, 128, deadline));
    CHECK(pv_now() < deadline);

    pv_evtchn_clear_pending(a);
    clear_upcall_state(0);
}

static void check_wakes(void)
{
    evtchn_port_t t;
    uint64_t timer, deadline, end;

    if ( !CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_TIMER, 0, &t)) )
        return;
    pv_evtchn_mask(t);
    timer = pv_now() + PV_MS(5);
    deadline = timer + FAR_TIMEOUT;
    CHECK_RC(0, HYPERVISOR_set_timer_op(timer));
    CHECK_RC(0, pv_poll(&t, 1, deadline));
    end = pv_now();
    printf("poll woken by a masked VIRQ_TIMER port after %lu us\n",
           (unsigned long)((end - (timer - PV_MS(5))) / 1000));
    CHECK(end >= timer);
    CHECK(end < deadline);
    CHECK(pv_evtchn_is_pending(t));
    CHECK(!pv_evtchn_sel_bit(0, t / 64));
    pv_evtchn_clear_pending(t);
    pv_evtchn_clear_mask(t);
    CHECK_RC(0, pv_evtchn_close(t));
}

static void check_block(evtchn_port_t a, evtchn_port_t b)
{
    pv_evt_disable();
    pv_evt_reset_counts();
    CHECK_RC(0, pv_evtchn_send(b));
    CHECK_RC(0, pv_block());
    CHECK_EQ(1, pv_evt_count[a]);
    CHECK_EQ(0, vcpu_mask());
    pv_evt_disable();

    /* sched_op_compat (hypercall 6): the same numbers, arg by value. */
    CHECK_RC(0, HC(sched_op_compat, SCHEDOP_yield, 0, 0, 0, 0));
    CHECK_RC(0, pv_evtchn_send(b));
    CHECK_RC(0, HC(sched_op_compat, SCHEDOP_block, 0, 0, 0, 0));
    CHECK_EQ(2, pv_evt_count[a]);
    CHECK_EQ(0, vcpu_mask());
    pv_evt_disable();
    CHECK_RC(-XEN_ENOSYS, HC(sched_op_compat, SCHEDOP_poll, 0, 0, 0, 0));
    CHECK_RC(-XEN_ENOSYS, HC(sched_op_compat, 99, 0, 0, 0, 0));
}

void test_poll(void)
{
    evtchn_port_t a, b;

    if ( !CHECK_RC(0, loopback_quiet(&a, &b)) )
        return;
    pv_evt_disable();
    clear_upcall_state(0);

    check_poll_args(a);
    check_unallocated();
    check_times_out(&a, 1, PV_MS(10));
    CHECK(!pv_evtchn_is_pending(a));
    check_times_out(NULL, 0, PV_MS(5));
    check_pending(a, b);
    check_wakes();
    check_block(a, b);

    CHECK_RC(0, pv_evtchn_close(a));
    CHECK_RC(0, pv_evtchn_close(b));
}
