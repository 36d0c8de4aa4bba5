/*
 * xenstored's platform for PV kernels on the guest runtime (see
 * xenstored-pv.h).  Not part of the portable core: XSD_SRCS leaves it
 * out; the guest build adds it.
 */
#include <pvguest/lib.h>
#include <pvguest/event.h>
#include <xenstored-pv.h>

static struct xenstore_domain_interface *pv_map(void *ctx,
                                                unsigned int domid,
                                                uint64_t mfn)
{
    return pv_foreign_map_window((uint16_t)domid, mfn, true);
}

static void pv_unmap(void *ctx, unsigned int domid,
                     struct xenstore_domain_interface *ring)
{
    pv_foreign_unmap_window(ring);
}

static int pv_bind(void *ctx, unsigned int domid, unsigned int rport)
{
    evtchn_port_t local;
    long rc = pv_evtchn_bind_interdomain((domid_t)domid, rport, &local);

    if ( rc )
        return (int)rc;
    pv_evtchn_unmask(local);
    return (int)local;
}

static void pv_unbind(void *ctx, unsigned int local)
{
    pv_evtchn_close(local);
}

static void pv_notify(void *ctx, unsigned int local)
{
    pv_evtchn_send(local);
}

static void pv_mb(void *ctx)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void pv_log(void *ctx, const char *line)
{
    printf("xenstored: %s\n", line);
}

const struct xsd_ops pv_xsd_ops = {
    .map_ring = pv_map,
    .unmap_ring = pv_unmap,
    .bind_evtchn = pv_bind,
    .unbind_evtchn = pv_unbind,
    .notify = pv_notify,
    .mb = pv_mb,
    .log = pv_log,
};
