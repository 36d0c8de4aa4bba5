/*
 * pvbench: an event sent to ourselves.
 *
 *  evtchn_send_self  EVTCHNOP_send on one end of a loopback interdomain
 *                    channel (EVTCHNOP_alloc_unbound with DOMID_SELF on
 *                    both sides, then EVTCHNOP_bind_interdomain to it),
 *                    with events unmasked: the hypercall marks the other
 *                    end pending, and on its way out the hypervisor makes
 *                    the upcall to the guest's event callback, whose
 *                    handler (the runtime's) acknowledges it and returns
 *                    with HYPERVISOR_iret.  Timed from before the send to
 *                    after the return from the upcall; clearing the port's
 *                    pending bit for the next round is not timed.
 *
 * Unsupported when event_channel_op answers -ENOSYS.
 */
#include "bench.h"

#define METRIC "evtchn_send_self"
#define BITS   (sizeof(xen_ulong_t) * 8)

static long evtchn_op(unsigned int cmd, void *arg)
{
    return pv_hypercall(__HYPERVISOR_event_channel_op, cmd,
                        (unsigned long)arg, 0, 0, 0);
}

static void close_port(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };

    evtchn_op(EVTCHNOP_close, &c);
}

static void port_bit_clear(xen_ulong_t *array, evtchn_port_t port)
{
    __atomic_fetch_and(&array[port / BITS], ~(1UL << (port % BITS)),
                       __ATOMIC_SEQ_CST);
}

void bench_evtchn(void)
{
    struct evtchn_alloc_unbound au = {
        .dom = DOMID_SELF, .remote_dom = DOMID_SELF,
    };
    struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
    struct evtchn_send send;
    unsigned int i, n = bench_reps, warm = bench_warmup;
    unsigned long upcalls;
    uint64_t t0, t1;
    long rc;

    rc = evtchn_op(EVTCHNOP_alloc_unbound, &au);
    if ( rc == -XEN_ENOSYS )
    {
        bench_unsupported(METRIC, "EVTCHNOP_alloc_unbound: %s",
                          bench_errname(rc));
        return;
    }
    if ( rc )
    {
        bench_error(METRIC, "EVTCHNOP_alloc_unbound: %s", bench_errname(rc));
        return;
    }
    bi.remote_port = au.port;
    if ( (rc = evtchn_op(EVTCHNOP_bind_interdomain, &bi)) )
    {
        bench_error(METRIC, "EVTCHNOP_bind_interdomain: %s",
                    bench_errname(rc));
        close_port(au.port);
        return;
    }
    /* Sending on our end raises the unbound end's port. */
    send.port = bi.local_port;
    port_bit_clear(pv_shared_info->evtchn_mask, au.port);
    port_bit_clear(pv_shared_info->evtchn_pending, au.port);

    vcpu_set_mask(0);
    for ( i = 0; i < warm + n; i++ )
    {
        upcalls = pv_nr_upcalls;
        t0 = bench_tsc();
        rc = evtchn_op(EVTCHNOP_send, &send);
        t1 = bench_tsc();
        if ( rc || pv_nr_upcalls == upcalls )
            break;
        port_bit_clear(pv_shared_info->evtchn_pending, au.port);
        if ( i >= warm )
            bench_samples[i - warm] = t1 - t0;
    }
    vcpu_set_mask(1);
    close_port(bi.local_port);
    close_port(au.port);

    if ( rc )
        bench_error(METRIC, "EVTCHNOP_send (ports %u -> %u): %s",
                    bi.local_port, au.port, bench_errname(rc));
    else if ( i < warm + n )
        bench_error(METRIC, "no upcall after send %u (ports %u -> %u)", i,
                    bi.local_port, au.port);
    else
        bench_report(METRIC, bench_samples, n);
}
