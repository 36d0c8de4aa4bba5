/*
 * The XSM hooks of both policies (see include/xsm/xsm.h).
 *
 * Each hook states, in one line, which default action guards its
 * operation (Xen's dummy policy: XSM_PRIV for toolstack operations,
 * XSM_TARGET for a domain acting on itself or being acted on by the
 * control domain, XSM_HOOK where the handler's own checks suffice).  The
 * SILO policy adds one rule to the hooks that connect two domains: at
 * least one side (or the caller) must be privileged, or both sides must
 * be the same domain.  Pure functions of the domains' identity and
 * privilege and of xsm_policy, host-tested by tests/unit/test_xsm.c.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <xsm/xsm.h>

enum xsm_policy xsm_policy = XSM_POLICY_DUMMY;

const char *xsm_policy_name(enum xsm_policy p)
{
    return p == XSM_POLICY_SILO ? "silo" : "dummy";
}

/*
 * SILO's rule for a channel between a and b opened by src: allowed if
 * any of them is privileged or a and b are one domain.
 */
static bool silo_allows(const struct domain *src, const struct domain *a,
                        const struct domain *b)
{
    if ( xsm_policy != XSM_POLICY_SILO )
        return true;
    return src->is_privileged || (a && a->is_privileged) ||
           (b && b->is_privileged) || a == b;
}

/* ---- domctl --------------------------------------------------------------- */

int xsm_domctl(const struct domain *src, const struct domain *d,
               unsigned int cmd)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_domain_create(const struct domain *src, uint32_t ssidref)
{
    return xsm_default_action(XSM_PRIV, src, NULL);
}

int xsm_domain_destroy(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_domain_pause(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_domain_unpause(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_getdomaininfo(const struct domain *src, const struct domain *d)
{
    /* Xen: XSM_HOOK behind xsm_domctl's check (xenstored may list too). */
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_max_mem(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_max_vcpus(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_setvcpucontext(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_getvcpucontext(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_vcpuaffinity(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_getvcpuinfo(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_settimeoffset(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_setdomainhandle(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_address_size(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_domctl_scheduler_op(const struct domain *src, const struct domain *d,
                            unsigned int op)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_iomem_permission(const struct domain *src, const struct domain *d,
                         uint64_t first, uint64_t last, bool allow)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_ioport_permission(const struct domain *src, const struct domain *d,
                          uint32_t first, uint32_t last, bool allow)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

int xsm_irq_permission(const struct domain *src, const struct domain *d,
                       uint32_t irq, bool allow)
{
    return xsm_default_action(XSM_PRIV, src, d);
}

/* ---- sysctl --------------------------------------------------------------- */

int xsm_sysctl(const struct domain *src, unsigned int cmd)
{
    return xsm_default_action(XSM_PRIV, src, NULL);
}

int xsm_readconsole(const struct domain *src, bool clear)
{
    return xsm_default_action(XSM_PRIV, src, NULL);
}

int xsm_physinfo(const struct domain *src)
{
    return xsm_default_action(XSM_PRIV, src, NULL);
}

int xsm_sched_id(const struct domain *src)
{
    return xsm_default_action(XSM_PRIV, src, NULL);
}

int xsm_cpupool_op(const struct domain *src, unsigned int op)
{
    return xsm_default_action(XSM_PRIV, src, NULL);
}

/* ---- sched_op ------------------------------------------------------------- */

int xsm_schedop_shutdown(const struct domain *src, const struct domain *d)
{
    /* Xen: XSM_DM_PRIV (a device model's target too); Keel has none. */
    return xsm_default_action(XSM_PRIV, src, d);
}

/* ---- event channels ------------------------------------------------------- */

int xsm_evtchn_unbound(const struct domain *src, const struct domain *d,
                       const struct domain *remote)
{
    int rc = xsm_default_action(XSM_TARGET, src, d);

    if ( rc || xsm_policy != XSM_POLICY_SILO )
        return rc;
    if ( !remote )
        return -ESRCH;
    return silo_allows(src, d, remote) ? 0 : -EPERM;
}

int xsm_evtchn_interdomain(const struct domain *src, const struct domain *rd)
{
    return silo_allows(src, src, rd) ? xsm_default_action(XSM_HOOK, src, rd)
                                     : -EPERM;
}

int xsm_evtchn_send(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_HOOK, src, d);
}

int xsm_evtchn_status(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_TARGET, src, d);
}

int xsm_evtchn_reset(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_TARGET, src, d);
}

/* ---- grant tables --------------------------------------------------------- */

int xsm_grant_mapref(const struct domain *src, const struct domain *rd,
                     uint32_t flags)
{
    return silo_allows(src, src, rd) ? xsm_default_action(XSM_HOOK, src, rd)
                                     : -EPERM;
}

int xsm_grant_unmapref(const struct domain *src, const struct domain *rd)
{
    return xsm_default_action(XSM_HOOK, src, rd);
}

int xsm_grant_copy(const struct domain *src, const struct domain *sd,
                   const struct domain *dd)
{
    return silo_allows(src, sd, dd) ? xsm_default_action(XSM_HOOK, sd, dd)
                                    : -EPERM;
}

int xsm_grant_setup(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_TARGET, src, d);
}

int xsm_grant_query_size(const struct domain *src, const struct domain *d)
{
    return xsm_default_action(XSM_TARGET, src, d);
}
