/*
 * libkeelctrl: domctl, sysctl and the other calls the toolstack makes on
 * behalf of other domains (see include/keelctrl.h for the contract).
 *
 * Every call marshals the same way: the argument struct (and anything it
 * points to) is placed in a platform buffer, the hypercall is made, and
 * the struct is copied back whatever the result, as the hypervisor may
 * have written OUT fields of a failing call (e.g. affinity maps).
 */
#include <string.h>
#include <keelctrl.h>
#include <public/errno.h>
#include <public/version.h>

#define ERR(e)  (-(XEN_##e))

static long hcall(struct kc_handle *h, unsigned int nr, unsigned long a1,
                  unsigned long a2, unsigned long a3, unsigned long a4)
{
    return h->plat->hypercall(h->plat->priv, nr, a1, a2, a3, a4, 0);
}

static void *buf_get(struct kc_handle *h, const void *src, size_t len)
{
    void *b = h->plat->buf_alloc(h->plat->priv, len);

    if ( b )
    {
        if ( src )
            memcpy(b, src, len);
        else
            memset(b, 0, len);
    }
    return b;
}

static void buf_put(struct kc_handle *h, void *b, void *dst, size_t len)
{
    if ( dst )
        memcpy(dst, b, len);
    h->plat->buf_free(h->plat->priv, b, len);
}

int kc_domctl(struct kc_handle *h, struct xen_domctl *op)
{
    struct xen_domctl *b;
    long rc;

    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    if ( (b = buf_get(h, op, sizeof(*op))) == NULL )
        return ERR(ENOMEM);
    rc = hcall(h, __HYPERVISOR_domctl, (unsigned long)b, 0, 0, 0);
    buf_put(h, b, op, sizeof(*op));
    return (int)rc;
}

int kc_sysctl(struct kc_handle *h, struct xen_sysctl *op)
{
    struct xen_sysctl *b;
    long rc;

    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    if ( (b = buf_get(h, op, sizeof(*op))) == NULL )
        return ERR(ENOMEM);
    rc = hcall(h, __HYPERVISOR_sysctl, (unsigned long)b, 0, 0, 0);
    buf_put(h, b, op, sizeof(*op));
    return (int)rc;
}

/* A domctl with no argument beyond the domain. */
static int domctl_simple(struct kc_handle *h, unsigned int cmd,
                         domid_t domid)
{
    struct xen_domctl op = { .cmd = cmd, .domain = domid };

    return kc_domctl(h, &op);
}

/* ---- domains ------------------------------------------------------------ */

int kc_domain_create(struct kc_handle *h, uint32_t *domid,
                     const struct xen_domctl_createdomain *cfg)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_createdomain };
    int rc;

    op.domain = (domid_t)*domid;
    op.u.createdomain = *cfg;
    if ( (rc = kc_domctl(h, &op)) == 0 )
        *domid = op.domain;
    return rc;
}

int kc_domain_max_vcpus(struct kc_handle *h, domid_t domid, uint32_t max)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_max_vcpus, .domain = domid };

    op.u.max_vcpus.max = max;
    return kc_domctl(h, &op);
}

int kc_domain_destroy(struct kc_handle *h, domid_t domid)
{
    return domctl_simple(h, XEN_DOMCTL_destroydomain, domid);
}

int kc_domain_pause(struct kc_handle *h, domid_t domid)
{
    return domctl_simple(h, XEN_DOMCTL_pausedomain, domid);
}

int kc_domain_unpause(struct kc_handle *h, domid_t domid)
{
    return domctl_simple(h, XEN_DOMCTL_unpausedomain, domid);
}

int kc_domain_getinfo(struct kc_handle *h, domid_t domid,
                      struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_getdomaininfo,
                             .domain = domid };
    int rc;

    if ( (rc = kc_domctl(h, &op)) != 0 )
        return rc;
    /* The answer is for the first domain at or above the id asked. */
    if ( op.u.getdomaininfo.domain != domid )
        return ERR(ESRCH);
    *info = op.u.getdomaininfo;
    return 0;
}

int kc_domain_setmaxmem(struct kc_handle *h, domid_t domid, uint64_t max_kb)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_max_mem, .domain = domid };

    op.u.max_mem.max_memkb = max_kb;
    return kc_domctl(h, &op);
}

int kc_domain_hypercall_init(struct kc_handle *h, domid_t domid,
                             xen_pfn_t gmfn)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_hypercall_init,
                             .domain = domid };

    op.u.hypercall_init.gmfn = gmfn;
    return kc_domctl(h, &op);
}

int kc_domain_shutdown(struct kc_handle *h, domid_t domid,
                       unsigned int reason)
{
    struct sched_remote_shutdown a = { .domain_id = domid,
                                       .reason = reason };
    struct sched_remote_shutdown *b = buf_get(h, &a, sizeof(a));
    long rc;

    if ( !b )
        return ERR(ENOMEM);
    rc = hcall(h, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
               (unsigned long)b, 0, 0);
    buf_put(h, b, NULL, sizeof(a));
    return (int)rc;
}

/* ---- vCPUs -------------------------------------------------------------- */

int kc_vcpu_setcontext(struct kc_handle *h, domid_t domid, uint32_t vcpu,
                       const struct vcpu_guest_context *ctxt)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_setvcpucontext,
                             .domain = domid };
    void *b = buf_get(h, ctxt, sizeof(*ctxt));
    int rc;

    if ( !b )
        return ERR(ENOMEM);
    op.u.vcpucontext.vcpu = vcpu;
    set_xen_guest_handle(op.u.vcpucontext.ctxt, b);
    rc = kc_domctl(h, &op);
    buf_put(h, b, NULL, sizeof(*ctxt));
    return rc;
}

int kc_vcpu_getinfo(struct kc_handle *h, domid_t domid, uint32_t vcpu,
                    struct xen_domctl_getvcpuinfo *info)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_getvcpuinfo,
                             .domain = domid };
    int rc;

    op.u.getvcpuinfo.vcpu = vcpu;
    if ( (rc = kc_domctl(h, &op)) == 0 )
        *info = op.u.getvcpuinfo;
    return rc;
}

/* flags: XEN_VCPUAFFINITY_FORCE or 0; HARD and SOFT follow the maps. */
static int vcpu_affinity(struct kc_handle *h, unsigned int cmd,
                         domid_t domid, uint32_t vcpu, uint8_t *hard,
                         uint8_t *soft, uint32_t nr_bits, uint32_t flags)
{
    struct xen_domctl op = { .cmd = cmd, .domain = domid };
    size_t len = (nr_bits + 7) / 8;
    uint8_t *bh = NULL, *bs = NULL;
    int rc = ERR(ENOMEM);

    if ( (!hard && !soft && !flags) || !nr_bits )
        return ERR(EINVAL);
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.flags = flags;
    if ( hard )
    {
        if ( (bh = buf_get(h, hard, len)) == NULL )
            goto out;
        op.u.vcpuaffinity.flags |= XEN_VCPUAFFINITY_HARD;
        set_xen_guest_handle(op.u.vcpuaffinity.cpumap_hard.bitmap, bh);
        op.u.vcpuaffinity.cpumap_hard.nr_bits = nr_bits;
    }
    if ( soft )
    {
        if ( (bs = buf_get(h, soft, len)) == NULL )
            goto out;
        op.u.vcpuaffinity.flags |= XEN_VCPUAFFINITY_SOFT;
        set_xen_guest_handle(op.u.vcpuaffinity.cpumap_soft.bitmap, bs);
        op.u.vcpuaffinity.cpumap_soft.nr_bits = nr_bits;
    }
    rc = kc_domctl(h, &op);
 out:
    if ( bh )
        buf_put(h, bh, hard, len);
    if ( bs )
        buf_put(h, bs, soft, len);
    return rc;
}

int kc_vcpu_setaffinity(struct kc_handle *h, domid_t domid, uint32_t vcpu,
                        uint8_t *hard, uint8_t *soft, uint32_t nr_bits)
{
    return vcpu_affinity(h, XEN_DOMCTL_setvcpuaffinity, domid, vcpu, hard,
                         soft, nr_bits, 0);
}

int kc_vcpu_getaffinity(struct kc_handle *h, domid_t domid, uint32_t vcpu,
                        uint8_t *hard, uint8_t *soft, uint32_t nr_bits)
{
    return vcpu_affinity(h, XEN_DOMCTL_getvcpuaffinity, domid, vcpu, hard,
                         soft, nr_bits, 0);
}

int kc_vcpu_setaffinity_force(struct kc_handle *h, domid_t domid,
                              uint32_t vcpu, uint8_t *hard, uint8_t *soft,
                              uint32_t nr_bits)
{
    return vcpu_affinity(h, XEN_DOMCTL_setvcpuaffinity, domid, vcpu, hard,
                         soft, nr_bits, XEN_VCPUAFFINITY_FORCE);
}

/* ---- scheduler ---------------------------------------------------------- */

int kc_sched_id(struct kc_handle *h, uint32_t *sched_id)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_sched_id };
    int rc;

    if ( (rc = kc_sysctl(h, &op)) == 0 )
        *sched_id = op.u.sched_id.sched_id;
    return rc;
}

static int sched_credit(struct kc_handle *h, domid_t domid, uint32_t id,
                        uint32_t cmd, struct xen_domctl_sched_credit *p)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_scheduler_op,
                             .domain = domid };
    int rc;

    if ( id != XEN_SCHEDULER_CREDIT && id != XEN_SCHEDULER_CREDIT2 )
        return ERR(EINVAL);
    op.u.scheduler_op.sched_id = id;
    op.u.scheduler_op.cmd = cmd;
    if ( id == XEN_SCHEDULER_CREDIT )
        op.u.scheduler_op.u.credit = *p;
    else
    {
        op.u.scheduler_op.u.credit2.weight = p->weight;
        op.u.scheduler_op.u.credit2.cap = p->cap;
    }
    if ( (rc = kc_domctl(h, &op)) != 0 )
        return rc;
    if ( id == XEN_SCHEDULER_CREDIT )
        *p = op.u.scheduler_op.u.credit;
    else
    {
        p->weight = op.u.scheduler_op.u.credit2.weight;
        p->cap = op.u.scheduler_op.u.credit2.cap;
    }
    return 0;
}

int kc_sched_credit_get(struct kc_handle *h, domid_t domid,
                        uint32_t sched_id, struct xen_domctl_sched_credit *p)
{
    memset(p, 0, sizeof(*p));
    return sched_credit(h, domid, sched_id, XEN_DOMCTL_SCHEDOP_getinfo, p);
}

int kc_sched_credit_set(struct kc_handle *h, domid_t domid,
                        uint32_t sched_id,
                        const struct xen_domctl_sched_credit *p)
{
    struct xen_domctl_sched_credit c = *p;

    return sched_credit(h, domid, sched_id, XEN_DOMCTL_SCHEDOP_putinfo, &c);
}

/* ---- host ---------------------------------------------------------------- */

int kc_physinfo(struct kc_handle *h, struct xen_sysctl_physinfo *info)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_physinfo };
    int rc;

    if ( (rc = kc_sysctl(h, &op)) == 0 )
        *info = op.u.physinfo;
    return rc;
}

int kc_domain_list(struct kc_handle *h, domid_t first,
                   struct xen_domctl_getdomaininfo *info, uint32_t max)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_getdomaininfolist };
    size_t len = (size_t)max * sizeof(*info);
    void *b;
    int rc;

    if ( !max || max > 1024 )
        return ERR(EINVAL);
    if ( (b = buf_get(h, NULL, len)) == NULL )
        return ERR(ENOMEM);
    op.u.getdomaininfolist.first_domain = first;
    op.u.getdomaininfolist.max_domains = max;
    set_xen_guest_handle(op.u.getdomaininfolist.buffer, b);
    rc = kc_sysctl(h, &op);
    buf_put(h, b, info, len);
    return rc ? rc : (int)op.u.getdomaininfolist.num_domains;
}

int kc_readconsole(struct kc_handle *h, char *buf, uint32_t *len,
                   uint32_t *index, bool incremental, bool clear)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_readconsole };
    char *b;
    int rc;

    if ( !*len )
        return ERR(EINVAL);
    if ( (b = buf_get(h, NULL, *len)) == NULL )
        return ERR(ENOMEM);
    op.u.readconsole.clear = clear;
    op.u.readconsole.incremental = incremental;
    op.u.readconsole.index = *index;
    op.u.readconsole.count = *len;
    set_xen_guest_handle(op.u.readconsole.buffer, b);
    rc = kc_sysctl(h, &op);
    if ( rc == 0 )
    {
        *len = op.u.readconsole.count;
        *index = op.u.readconsole.index;
        memcpy(buf, b, *len);
    }
    buf_put(h, b, NULL, 0);
    return rc;
}

long kc_xen_version(struct kc_handle *h, unsigned int cmd, void *buf,
                    size_t len)
{
    void *b = len ? buf_get(h, NULL, len) : NULL;
    long rc;

    if ( len && !b )
        return ERR(ENOMEM);
    rc = hcall(h, __HYPERVISOR_xen_version, cmd, (unsigned long)b, 0, 0);
    if ( b )
        buf_put(h, b, buf, len);
    return rc;
}

long kc_xen_build_id(struct kc_handle *h, unsigned char *buf, uint32_t len)
{
    size_t size = sizeof(struct xen_build_id) + len;
    struct xen_build_id *b = buf_get(h, NULL, size);
    long rc;

    if ( !b )
        return ERR(ENOMEM);
    b->len = len;
    rc = hcall(h, __HYPERVISOR_xen_version, XENVER_build_id,
               (unsigned long)b, 0, 0);
    if ( rc > 0 && (unsigned long)rc <= len )
        memcpy(buf, b->buf, (size_t)rc);
    buf_put(h, b, NULL, size);
    return rc;
}

int kc_cpupool_freeinfo(struct kc_handle *h, uint8_t *map, uint32_t nr_bits)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_cpupool_op };
    size_t len = (nr_bits + 7) / 8;
    uint8_t *b;
    int rc;

    if ( !nr_bits )
        return ERR(EINVAL);
    if ( (b = buf_get(h, NULL, len)) == NULL )
        return ERR(ENOMEM);
    op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_FREEINFO;
    set_xen_guest_handle(op.u.cpupool_op.cpumap.bitmap, b);
    op.u.cpupool_op.cpumap.nr_bits = nr_bits;
    rc = kc_sysctl(h, &op);
    buf_put(h, b, rc ? NULL : map, len);
    return rc;
}

/* ---- memory and page tables of another domain ------------------------- */

long kc_populate_physmap(struct kc_handle *h, domid_t domid,
                         xen_pfn_t *pfns, unsigned long nr)
{
    struct xen_memory_reservation r = { .nr_extents = nr, .domid = domid };
    struct xen_memory_reservation *br;
    size_t len = nr * sizeof(*pfns);
    xen_pfn_t *bl;
    long rc;

    if ( !nr || nr > (1UL << 20) )
        return ERR(EINVAL);
    if ( (bl = buf_get(h, pfns, len)) == NULL )
        return ERR(ENOMEM);
    set_xen_guest_handle(r.extent_start, bl);
    if ( (br = buf_get(h, &r, sizeof(r))) == NULL )
    {
        buf_put(h, bl, NULL, len);
        return ERR(ENOMEM);
    }
    rc = hcall(h, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
               (unsigned long)br, 0, 0);
    buf_put(h, br, NULL, sizeof(r));
    buf_put(h, bl, pfns, len);
    return rc;
}

int kc_mmuext(struct kc_handle *h, domid_t domid, unsigned int cmd,
              xen_pfn_t mfn)
{
    struct mmuext_op op = { .cmd = cmd };
    struct mmuext_op *b;
    long rc;

    op.arg1.mfn = mfn;
    if ( (b = buf_get(h, &op, sizeof(op))) == NULL )
        return ERR(ENOMEM);
    rc = hcall(h, __HYPERVISOR_mmuext_op, (unsigned long)b, 1, 0, domid);
    buf_put(h, b, NULL, sizeof(op));
    return (int)rc;
}

/* ---- event channels ---------------------------------------------------- */

int kc_evtchn_alloc_unbound(struct kc_handle *h, domid_t domid,
                            domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = domid, .remote_dom = remote };
    struct evtchn_alloc_unbound *b = buf_get(h, &a, sizeof(a));
    long rc;

    if ( !b )
        return ERR(ENOMEM);
    rc = hcall(h, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
               (unsigned long)b, 0, 0);
    buf_put(h, b, &a, sizeof(a));
    if ( rc == 0 )
        *port = a.port;
    return (int)rc;
}
