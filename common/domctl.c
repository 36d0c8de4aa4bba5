/*
 * HYPERVISOR_domctl (hypercall 36): the toolstack's domain management.
 *
 * Decode, check, XSM, act.  do_domctl() copies the whole struct
 * xen_domctl in, refuses another interface version (-EACCES, before
 * anything else, as Xen), finds the command in a table (array_index_nospec
 * on the guest's number), looks the target domain up by its exact id
 * (-ESRCH; DOMID_SELF names no domain here, as in Xen), asks the first
 * XSM question (xsm_domctl: the control domain only), takes the domctl
 * lock (trylock: if it is held the call is continued later instead of
 * spinning) and calls the command's handler.  Handlers validate their
 * arguments, ask their own XSM hook, then act; they set c->copyback when
 * Xen copies the struct back, and the dispatcher copies it back (whole,
 * as Xen) once every lock is dropped.  Commands without a handler answer
 * -ENOSYS, as Xen 4.17's arch_do_domctl() does for commands it does not
 * know (after the domain lookup and the XSM check, as there).
 *
 * Long commands (destroydomain) return -ERESTART; the dispatcher turns
 * that into a continuation of the same call.
 *
 * Locks: domctl_lock (a leaf at the top: taken first, nothing waits on
 * it) serialises commands, which makes domain creation, destruction and
 * pause counts race-free against each other.
 */
#include <keel/domctl.h>
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/grant_table.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/nospec.h>
#include <keel/rangeset.h>
#include <keel/spinlock.h>
#include <asm/page.h>
#include <public/domctl.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <xsm/xsm.h>

#define DC_NODOM    1u      /* names no existing domain: no lookup */
#define DC_OPTDOM   2u      /* looked up, but absence is the handler's */
#define DC_MAX_CMD  (XEN_DOMCTL_set_paging_mempool_size + 1)

static DEFINE_SPINLOCK(domctl_lock);

typedef long domctl_fn(struct domctl_call *c);

struct domctl_cmd {
    domctl_fn *fn;
    uint8_t flags;                      /* DC_* */
};

struct vcpu *domctl_vcpu(struct domain *d, uint32_t id)
{
    if ( id >= d->max_vcpus || !d->vcpus_published )
        return NULL;
    return d->vcpu[array_index_nospec(id, d->max_vcpus)];
}

/* ---- lifecycle ------------------------------------------------------------ */

static long domctl_createdomain(struct domctl_call *c)
{
    struct xen_domctl_createdomain *cd = &c->op->u.createdomain;
    const struct domctl_limits lim = {
        .max_vcpus = MAX_VIRT_CPUS,
        .max_grant_frames = opt_gnttab_max_frames,
        .max_maptrack_frames = opt_gnttab_max_maptrack_frames,
        .max_grant_version = 2,     /* Xen's default gnttab_max_version */
        .iommu = false,
    };
    domid_t dom = c->op->domain;
    struct domain_config cfg;
    struct domain *d, *e;
    long rc;

    /* Xen looks at the requested id first: one in use is -EEXIST. */
    if ( dom > 0 && dom < DOMID_FIRST_RESERVED &&
         (e = domain_get_by_exact_id(dom)) != NULL )
    {
        domain_put(e);
        return -EEXIST;
    }
    if ( (rc = domctl_check_createdomain(cd, &lim)) != 0 )
        return rc;
    if ( (rc = xsm_domain_create(c->cur, cd->ssidref)) != 0 )
        return rc;

    cfg = (struct domain_config){
        .max_vcpus = cd->max_vcpus,
        .controller_paused = true,
        .ssidref = cd->ssidref,
        .handle = cd->handle,
        .max_evtchn_port = cd->max_evtchn_port,
        .max_grant_frames = cd->max_grant_frames,
        .max_maptrack_frames = cd->max_maptrack_frames,
    };
    rc = domain_create_config(dom > 0 && dom < DOMID_FIRST_RESERVED
                              ? dom : DOMID_INVALID, &cfg, &d);
    if ( rc )
        return rc;
    c->op->domain = d->domain_id;
    c->copyback = true;
    return 0;
}

static long domctl_destroydomain(struct domctl_call *c)
{
    long rc;

    if ( c->d == c->cur )
        return -EINVAL;
    if ( (rc = xsm_domain_destroy(c->cur, c->d)) != 0 )
        return rc;
    return domain_kill(c->d);
}

static long domctl_pausedomain(struct domctl_call *c)
{
    long rc;

    if ( c->d == c->cur )
        return -EINVAL;
    if ( (rc = xsm_domain_pause(c->cur, c->d)) != 0 )
        return rc;
    return domain_pause_by_controller(c->d);
}

static long domctl_unpausedomain(struct domctl_call *c)
{
    long rc;

    if ( (rc = xsm_domain_unpause(c->cur, c->d)) != 0 )
        return rc;
    return domain_unpause_by_controller(c->d);
}

void domctl_getdomaininfo(struct domain *d,
                          struct xen_domctl_getdomaininfo *info)
{
    struct domctl_dominf_state st = { .all_blocked = true };
    unsigned int i;

    memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu *v = domctl_vcpu(d, i);
        struct vcpu_runstate_info rs;

        if ( !v )
            continue;
        sched_get_runstate(v, &rs, true);
        info->cpu_time += rs.time[RUNSTATE_running];
        info->max_vcpu_id = v->vcpu_id;
        if ( v->is_up )
        {
            st.nr_online_vcpus++;
            if ( rs.state != RUNSTATE_blocked )
                st.all_blocked = false;
            if ( vcpu_is_running(v) )
                st.any_running = true;
        }
    }
    info->nr_online_vcpus = st.nr_online_vcpus;

    spin_lock(&d->lock);
    st.dead = d->state == DOMSTATE_DEAD;
    st.shut_down = d->is_shut_down;
    st.controller_pause_count = d->controller_pause_count;
    st.shutdown_code = d->shutdown_reason;
    memcpy(info->handle, d->handle, sizeof(info->handle));
    spin_unlock(&d->lock);
    info->flags = domctl_dominf_flags(&st);
    info->ssidref = 0;                  /* the dummy policy's label */

    spin_lock(&d->page_alloc_lock);
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    spin_unlock(&d->page_alloc_lock);
    /* A PV guest sees machine frames: the MFN of shared_info. */
    info->shared_info_frame = mfn_x(d->shared_info_mfn);
    info->cpupool = 0;
    info->gpaddr_bits = d->arch.physaddr_bits;
}

static long domctl_getdomaininfo_cmd(struct domctl_call *c)
{
    long rc;

    if ( !c->d )
    {
        /* Xen 4.17: the first domain from that id on; reserved: -EINVAL. */
        if ( c->op->domain >= DOMID_FIRST_RESERVED )
            return -EINVAL;
        if ( (c->d = domain_get_next(c->op->domain)) == NULL )
            return -ESRCH;
    }
    if ( (rc = xsm_getdomaininfo(c->cur, c->d)) != 0 )
        return rc;
    domctl_getdomaininfo(c->d, &c->op->u.getdomaininfo);
    c->op->domain = c->op->u.getdomaininfo.domain;
    c->copyback = true;
    return 0;
}

static long domctl_max_mem(struct domctl_call *c)
{
    uint64_t new_max = c->op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);
    long rc;

    if ( (rc = xsm_max_mem(c->cur, c->d)) != 0 )
        return rc;
    /*
     * As Xen: may go below tot_pages (allocations then fail until pages
     * are freed); Xen's count is 32 bits wide, so is the limit.
     */
    spin_lock(&c->d->page_alloc_lock);
    c->d->max_pages = MIN(new_max, (uint64_t)UINT32_MAX);
    spin_unlock(&c->d->page_alloc_lock);
    return 0;
}

static long domctl_max_vcpus(struct domctl_call *c)
{
    long rc;

    /* Keel creates the vCPUs with the domain: only the same count. */
    if ( c->d == c->cur || c->op->u.max_vcpus.max != c->d->max_vcpus )
        return -EINVAL;
    if ( (rc = xsm_max_vcpus(c->cur, c->d)) != 0 )
        return rc;
    c->d->vcpus_published = true;
    return 0;
}

static long domctl_setdomainhandle(struct domctl_call *c)
{
    long rc;

    if ( (rc = xsm_setdomainhandle(c->cur, c->d)) != 0 )
        return rc;
    spin_lock(&c->d->lock);
    memcpy(c->d->handle, c->op->u.setdomainhandle.handle,
           sizeof(c->d->handle));
    spin_unlock(&c->d->lock);
    return 0;
}

static long domctl_settimeoffset(struct domctl_call *c)
{
    long rc;

    if ( (rc = xsm_settimeoffset(c->cur, c->d)) != 0 )
        return rc;
    domain_set_time_offset(c->d, c->op->u.settimeoffset.time_offset_seconds);
    return 0;
}

/* ---- scheduling ----------------------------------------------------------- */

static long domctl_scheduler_op(struct domctl_call *c)
{
    c->copyback = true;                 /* Xen: whatever the result */
    return sched_domctl_adjust(c->cur, c->d, &c->op->u.scheduler_op);
}

static long domctl_vcpuaffinity(struct domctl_call *c)
{
    long rc;

    if ( (rc = xsm_vcpuaffinity(c->cur, c->d)) != 0 )
        return rc;
    return sched_domctl_vcpuaffinity(c->d, c->op->cmd,
                                     &c->op->u.vcpuaffinity);
}

static long domctl_getvcpuinfo(struct domctl_call *c)
{
    long rc;

    if ( (rc = xsm_getvcpuinfo(c->cur, c->d)) != 0 )
        return rc;
    rc = sched_domctl_getvcpuinfo(c->d, &c->op->u.getvcpuinfo);
    if ( !rc )
        c->copyback = true;
    return rc;
}

/* ---- resource permissions ------------------------------------------------- */

/* Grant or revoke [first, last] of d's set, if cur may reach all of it. */
static long permission_change(struct domctl_call *c, size_t set_offset,
                              uint64_t first, uint64_t last, bool allow)
{
    struct rangeset *mine =
        *(struct rangeset **)((char *)c->cur + set_offset);
    struct rangeset *theirs =
        *(struct rangeset **)((char *)c->d + set_offset);
    bool ok;
    long rc;

    spin_lock(&c->cur->lock);
    ok = rangeset_contains_range(mine, first, last);
    spin_unlock(&c->cur->lock);
    if ( !ok )
        return -EPERM;
    spin_lock(&c->d->lock);
    rc = allow ? rangeset_add_range(theirs, first, last)
               : rangeset_remove_range(theirs, first, last);
    spin_unlock(&c->d->lock);
    /* Xen grows its sets without a bound; Keel's are fixed: -ENOMEM. */
    return rc == -ENOSPC ? -ENOMEM : rc;
}

static long domctl_iomem_permission(struct domctl_call *c)
{
    const struct xen_domctl_iomem_permission *p =
        &c->op->u.iomem_permission;
    uint64_t last = p->first_mfn + p->nr_mfns - 1;

    if ( domctl_check_iomem_range(p->first_mfn, p->nr_mfns) )
        return -EINVAL;
    if ( xsm_iomem_permission(c->cur, c->d, p->first_mfn, last,
                              p->allow_access) )
        return -EPERM;
    return permission_change(c, offsetof(struct domain, iomem_caps),
                             p->first_mfn, last, p->allow_access);
}

long arch_domctl_ioport_permission(struct domctl_call *c)
{
    const struct xen_domctl_ioport_permission *p =
        &c->op->u.ioport_permission;
    uint32_t last = p->first_port + p->nr_ports - 1;

    if ( domctl_check_ioport_range(p->first_port, p->nr_ports) )
        return -EINVAL;
    if ( xsm_ioport_permission(c->cur, c->d, p->first_port, last,
                               p->allow_access) )
        return -EPERM;
    return permission_change(c, offsetof(struct domain, ioport_caps),
                             p->first_port, last, p->allow_access);
}

static long domctl_irq_permission(struct domctl_call *c)
{
    const struct xen_domctl_irq_permission *p = &c->op->u.irq_permission;

    if ( p->pirq >= DOMAIN_NR_PIRQS )
        return -EINVAL;
    /*
     * Keel maps pirq n to IRQ n; pirq 0 names no IRQ (Xen: an unmapped
     * pirq gives IRQ 0, refused with -EPERM).
     */
    if ( !p->pirq || xsm_irq_permission(c->cur, c->d, p->pirq,
                                        p->allow_access) )
        return -EPERM;
    return permission_change(c, offsetof(struct domain, irq_caps),
                             p->pirq, p->pirq, p->allow_access);
}

/* ---- the table ------------------------------------------------------------ */

static const struct domctl_cmd domctl_cmds[DC_MAX_CMD] = {
    [XEN_DOMCTL_createdomain]      = { domctl_createdomain, DC_NODOM },
    [XEN_DOMCTL_destroydomain]     = { domctl_destroydomain, 0 },
    [XEN_DOMCTL_pausedomain]       = { domctl_pausedomain, 0 },
    [XEN_DOMCTL_unpausedomain]     = { domctl_unpausedomain, 0 },
    [XEN_DOMCTL_getdomaininfo]     = { domctl_getdomaininfo_cmd, DC_OPTDOM },
    [XEN_DOMCTL_setvcpuaffinity]   = { domctl_vcpuaffinity, 0 },
    [XEN_DOMCTL_max_mem]           = { domctl_max_mem, 0 },
    [XEN_DOMCTL_setvcpucontext]    = { arch_domctl_setvcpucontext, 0 },
    [XEN_DOMCTL_getvcpucontext]    = { arch_domctl_getvcpucontext, 0 },
    [XEN_DOMCTL_getvcpuinfo]       = { domctl_getvcpuinfo, 0 },
    [XEN_DOMCTL_max_vcpus]         = { domctl_max_vcpus, 0 },
    [XEN_DOMCTL_scheduler_op]      = { domctl_scheduler_op, 0 },
    [XEN_DOMCTL_setdomainhandle]   = { domctl_setdomainhandle, 0 },
    [XEN_DOMCTL_irq_permission]    = { domctl_irq_permission, 0 },
    [XEN_DOMCTL_iomem_permission]  = { domctl_iomem_permission, 0 },
    [XEN_DOMCTL_ioport_permission] = { arch_domctl_ioport_permission, 0 },
    [XEN_DOMCTL_hypercall_init]    = { arch_domctl_hypercall_init, 0 },
    [XEN_DOMCTL_settimeoffset]     = { domctl_settimeoffset, 0 },
    [XEN_DOMCTL_getvcpuaffinity]   = { domctl_vcpuaffinity, 0 },
    [XEN_DOMCTL_set_address_size]  = { arch_domctl_set_address_size, 0 },
    [XEN_DOMCTL_get_address_size]  = { arch_domctl_get_address_size, 0 },
};

static const struct domctl_cmd *domctl_lookup(uint32_t cmd)
{
    if ( cmd >= DC_MAX_CMD )
        return NULL;
    return &domctl_cmds[array_index_nospec(cmd, DC_MAX_CMD)];
}

long do_domctl(unsigned long u_domctl, unsigned long a2, unsigned long a3,
               unsigned long a4, unsigned long a5)
{
    struct xen_domctl op;
    struct domctl_call c = { .cur = current->domain, .op = &op,
                             .u_domctl = u_domctl };
    const struct domctl_cmd *cmd;
    unsigned int flags;
    long rc;

    if ( copy_from_guest(&op, u_domctl, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XEN_DOMCTL_INTERFACE_VERSION )
        return -EACCES;

    cmd = domctl_lookup(op.cmd);
    flags = cmd && cmd->fn ? cmd->flags : 0;
    if ( !(flags & DC_NODOM) )
    {
        c.d = domain_get_by_exact_id(op.domain);
        if ( !c.d && !(flags & DC_OPTDOM) )
            return -ESRCH;
    }
    if ( (rc = xsm_domctl(c.cur, c.d, op.cmd)) != 0 )
        goto out;

    if ( !spin_trylock(&domctl_lock) )
    {
        /* Another command runs: come back later rather than spin. */
        unsigned long args[1] = { u_domctl };

        if ( c.d )
            domain_put(c.d);
        return hypercall_create_continuation(__HYPERVISOR_domctl, 1, args);
    }
    rc = cmd && cmd->fn ? cmd->fn(&c) : -ENOSYS;
    spin_unlock(&domctl_lock);

 out:
    if ( c.d )
        domain_put(c.d);
    if ( rc == -ERESTART )
    {
        unsigned long args[1] = { u_domctl };

        return hypercall_create_continuation(__HYPERVISOR_domctl, 1, args);
    }
    if ( c.copyback && copy_to_guest(u_domctl, &op, sizeof(op)) )
        rc = -EFAULT;
    return rc;
}
