/*
 * XSM: the policy check every privileged operation makes before any side
 * effect (xsm/hooks.c, policy chosen by xsm= in xsm/xsm_core.c).
 *
 * Every hook is named after the operation it guards and takes the domain
 * asking (src: the caller's domain, never NULL) first, then the domains
 * the operation touches.  Each returns 0 (allowed) or -EPERM (-ESRCH
 * where Xen's policy does: SILO's check of a remote domain that does not
 * exist).  Hooks only judge: they never change state, take no lock and
 * reach no guest memory, so callers may call them wherever the arguments
 * are known, and must call them before they change anything.
 *
 * Policies (Xen's, option xsm=):
 *   dummy  the default: the control domain (dom0) may do everything; any
 *          other domain only what concerns itself (XSM_TARGET) or what
 *          needs no privilege (XSM_HOOK).
 *   silo   dummy, and in addition two unprivileged domains may not talk
 *          to each other: an interdomain event channel, an unbound port
 *          reserved for another domU, a grant map or copy between two
 *          domUs are refused.  Everything to or from dom0 still works.
 * The memory hooks at the end are the same under both (as in Xen).
 */
#ifndef XSM_XSM_H
#define XSM_XSM_H

#include <keel/domain.h>
#include <keel/errno.h>

enum xsm_default {
    XSM_HOOK,       /* anyone: no check beyond the handler's own */
    XSM_TARGET,     /* the domain itself, or a privileged domain */
    XSM_PRIV,       /* only a privileged domain (dom0) */
};

static inline int xsm_default_action(enum xsm_default action,
                                     const struct domain *src,
                                     const struct domain *target)
{
    switch ( action )
    {
    case XSM_HOOK:
        return 0;
    case XSM_TARGET:
        if ( src == target )
            return 0;
        /* fall through */
    case XSM_PRIV:
        return src->is_privileged ? 0 : -EPERM;
    }
    return -EPERM;
}

/* ---- policy ------------------------------------------------------------ */

enum xsm_policy {
    XSM_POLICY_DUMMY,
    XSM_POLICY_SILO,
};

/* (c) written by the xsm= parser at boot (and by host tests). */
extern enum xsm_policy xsm_policy;

/* Boot: report the policy in force. */
void xsm_init(void);
const char *xsm_policy_name(enum xsm_policy p);

/* ---- domctl (common/domctl.c): each command's own hook ------------------ */

/*
 * First check of every domctl, before the command is looked at further
 * (Xen's xsm_domctl): the control domain only.  d may be NULL (commands
 * that name no existing domain).
 */
int xsm_domctl(const struct domain *src, const struct domain *d,
               unsigned int cmd);
int xsm_domain_create(const struct domain *src, uint32_t ssidref);
int xsm_domain_destroy(const struct domain *src, const struct domain *d);
int xsm_domain_pause(const struct domain *src, const struct domain *d);
int xsm_domain_unpause(const struct domain *src, const struct domain *d);
int xsm_getdomaininfo(const struct domain *src, const struct domain *d);
int xsm_max_mem(const struct domain *src, const struct domain *d);
int xsm_max_vcpus(const struct domain *src, const struct domain *d);
int xsm_setvcpucontext(const struct domain *src, const struct domain *d);
int xsm_getvcpucontext(const struct domain *src, const struct domain *d);
int xsm_vcpuaffinity(const struct domain *src, const struct domain *d);
int xsm_getvcpuinfo(const struct domain *src, const struct domain *d);
int xsm_settimeoffset(const struct domain *src, const struct domain *d);
int xsm_setdomainhandle(const struct domain *src, const struct domain *d);
int xsm_address_size(const struct domain *src, const struct domain *d);
int xsm_domctl_scheduler_op(const struct domain *src, const struct domain *d,
                            unsigned int op);
/* Resource grants: [first, last] inclusive, allow or revoke. */
int xsm_iomem_permission(const struct domain *src, const struct domain *d,
                         uint64_t first, uint64_t last, bool allow);
int xsm_ioport_permission(const struct domain *src, const struct domain *d,
                          uint32_t first, uint32_t last, bool allow);
int xsm_irq_permission(const struct domain *src, const struct domain *d,
                       uint32_t irq, bool allow);

/* ---- sysctl (common/sysctl.c) ------------------------------------------- */

/* First check of every sysctl (Xen's xsm_sysctl): control domain only. */
int xsm_sysctl(const struct domain *src, unsigned int cmd);
int xsm_readconsole(const struct domain *src, bool clear);
int xsm_physinfo(const struct domain *src);
int xsm_sched_id(const struct domain *src);
int xsm_cpupool_op(const struct domain *src, unsigned int op);

/* ---- sched_op ------------------------------------------------------------ */

/* SCHEDOP_remote_shutdown of d. */
int xsm_schedop_shutdown(const struct domain *src, const struct domain *d);

/* ---- event channels (common/event/) -------------------------------------- */

/*
 * alloc_unbound: a port in d that remote (NULL: no such domain) may bind.
 * d must be src or src privileged; SILO: src, d or remote is dom0, or
 * d == remote; a missing remote is -ESRCH under SILO.
 */
int xsm_evtchn_unbound(const struct domain *src, const struct domain *d,
                       const struct domain *remote);
/* bind_interdomain: src binds to a port rd reserved for it. */
int xsm_evtchn_interdomain(const struct domain *src, const struct domain *rd);
int xsm_evtchn_send(const struct domain *src, const struct domain *d);
int xsm_evtchn_status(const struct domain *src, const struct domain *d);
int xsm_evtchn_reset(const struct domain *src, const struct domain *d);

/* ---- grant tables (common/grant/) ---------------------------------------- */

/* src (the mapper, ld) maps a grant of rd. */
int xsm_grant_mapref(const struct domain *src, const struct domain *rd,
                     uint32_t flags);
int xsm_grant_unmapref(const struct domain *src, const struct domain *rd);
/* src asks a copy from sd to dd. */
int xsm_grant_copy(const struct domain *src, const struct domain *sd,
                   const struct domain *dd);
/* setup_table, get_status_frames of d. */
int xsm_grant_setup(const struct domain *src, const struct domain *d);
/* query_size, get_version of d. */
int xsm_grant_query_size(const struct domain *src, const struct domain *d);

/* ---- memory (arch/x86/mm/mmu-ops.c, common/memory.c) --------------------- */

/*
 * Page-table and memory hooks: src acting on another domain's page tables
 * or memory.  The same under every policy, so kept inline here.
 */
static inline int xsm_mmu_update(const struct domain *src,
                                 const struct domain *pt_owner,
                                 const struct domain *pg_owner)
{
    int rc = xsm_default_action(XSM_TARGET, src, pt_owner);

    return rc ? rc : xsm_default_action(XSM_TARGET, src, pg_owner);
}

static inline int xsm_mmuext_op(const struct domain *src,
                                const struct domain *target)
{
    return xsm_default_action(XSM_TARGET, src, target);
}

static inline int xsm_update_va_mapping(const struct domain *src,
                                        const struct domain *pg_owner)
{
    return xsm_default_action(XSM_TARGET, src, pg_owner);
}

static inline int xsm_memory_adjust_reservation(const struct domain *src,
                                                const struct domain *target)
{
    return xsm_default_action(XSM_TARGET, src, target);
}

#endif /* XSM_XSM_H */
