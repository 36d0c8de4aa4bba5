/*
 * HYPERVISOR_sysctl (hypercall 35): host-wide queries for the toolstack.
 *
 * As in Xen: the whole struct xen_sysctl is copied in, a different
 * interface version is -EACCES, then the first XSM check (xsm_sysctl: the
 * control domain only), then the sysctl lock (on contention the call is
 * continued, not spun on), then the command from a table.  Each handler
 * asks its own hook, acts, and says whether the struct goes back; as in
 * Xen the struct is copied back whole, and only when the command
 * succeeded.  Unknown commands: -ENOSYS.
 *
 * Commands: readconsole (the hypervisor console ring, incremental and
 * clearing, copied out in bounded chunks with no lock held),
 * physinfo, sched_id, getdomaininfolist, cputopoinfo and cpupool_op
 * (Keel's one pool), enough for `xl info`, `xl list`, `xl dmesg` and the
 * scheduler commands.
 */
#include <keel/console.h>
#include <keel/domctl.h>
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/mm.h>
#include <keel/nospec.h>
#include <keel/spinlock.h>
#include <asm/percpu.h>
#include <asm/time.h>
#include <public/sysctl.h>
#include <xsm/xsm.h>

#define SC_MAX_CMD          (XEN_SYSCTL_get_cpu_policy + 1)
#define READCONSOLE_CHUNK   512         /* bytes copied per lock hold */
#define MAX_NUMNODES        64          /* Xen's default node limit */

static DEFINE_SPINLOCK(sysctl_lock);

struct sysctl_call {
    struct domain *cur;
    struct xen_sysctl *op;
    uint64_t u_sysctl;
    bool copyback;                      /* whole struct, on success */
};

typedef long sysctl_fn(struct sysctl_call *c);

/* ---- readconsole ---------------------------------------------------------- */

static long sysctl_readconsole(struct sysctl_call *c)
{
    struct xen_sysctl_readconsole *rc = &c->op->u.readconsole;
    uint64_t buf = xen_guest_handle_addr(rc->buffer);
    char chunk[READCONSOLE_CHUNK];
    uint32_t cons, prod, pos, done = 0;
    long ret;

    if ( (ret = xsm_readconsole(c->cur, rc->clear)) != 0 )
        return ret;
    console_ring_indices(&cons, &prod);
    pos = sysctl_readconsole_start(cons, prod, rc->incremental, rc->index);

    /* Bounded by the ring's size: pos only moves towards prod. */
    while ( pos != prod && done < rc->count )
    {
        size_t n = console_ring_peek(pos, chunk,
                                     MIN(sizeof(chunk),
                                         (size_t)(rc->count - done)));

        if ( !n )
            break;                      /* overwritten meanwhile */
        if ( copy_to_guest(buf + done, chunk, n) )
            return -EFAULT;
        done += n;
        pos += n;
        console_ring_indices(&cons, &prod);
    }
    if ( rc->clear )
        console_ring_clear_to(pos);
    rc->count = done;
    rc->index = pos;
    c->copyback = true;
    return 0;
}

/* ---- host information ------------------------------------------------------ */

static long sysctl_physinfo(struct sysctl_call *c)
{
    struct xen_sysctl_physinfo *pi = &c->op->u.physinfo;
    long rc;

    if ( (rc = xsm_physinfo(c->cur)) != 0 )
        return rc;
    memset(pi, 0, sizeof(*pi));
    /* Keel knows no topology: one socket, one thread per core. */
    pi->threads_per_core = 1;
    pi->cores_per_socket = nr_cpus_online;
    pi->nr_cpus = nr_cpus_online;
    pi->max_cpu_id = nr_cpus_online - 1;
    pi->nr_nodes = 1;
    pi->max_node_id = MAX_NUMNODES - 1;
    pi->cpu_khz = tsc_khz;
    pi->total_pages = total_heap_pages();
    pi->free_pages = total_free_pages();
    pi->scrub_pages = 0;                /* as Xen: always 0 */
    pi->outstanding_pages = 0;
    pi->max_mfn = max_page - 1;
    arch_do_physinfo(pi);
    pi->capabilities |= XEN_SYSCTL_PHYSCAP_gnttab_v1;
    c->copyback = true;
    return 0;
}

static long sysctl_sched_id(struct sysctl_call *c)
{
    long rc;

    if ( (rc = xsm_sched_id(c->cur)) != 0 )
        return rc;
    c->op->u.sched_id.sched_id = sched_id();
    c->copyback = true;
    return 0;
}

static long sysctl_getdomaininfolist(struct sysctl_call *c)
{
    struct xen_sysctl_getdomaininfolist *l = &c->op->u.getdomaininfolist;
    uint64_t buf = xen_guest_handle_addr(l->buffer);
    struct xen_domctl_getdomaininfo info;
    unsigned int id = l->first_domain;
    uint32_t n = 0;
    struct domain *d;

    /* At most max_domains, and each domain once: bounded either way. */
    while ( n < l->max_domains && id < DOMID_FIRST_RESERVED &&
            (d = domain_get_next(id)) != NULL )
    {
        id = d->domain_id + 1u;
        if ( xsm_getdomaininfo(c->cur, d) )
        {
            domain_put(d);
            continue;
        }
        domctl_getdomaininfo(d, &info);
        domain_put(d);
        if ( copy_to_guest_offset(buf, n, &info, sizeof(info)) )
            return -EFAULT;
        n++;
    }
    l->num_domains = n;
    c->copyback = true;
    return 0;
}

static long sysctl_cputopoinfo(struct sysctl_call *c)
{
    struct xen_sysctl_cputopoinfo *ti = &c->op->u.cputopoinfo;
    uint64_t buf = xen_guest_handle_addr(ti->cputopo);
    unsigned int i, num = nr_cpus_online;

    if ( buf )
    {
        num = MIN(num, ti->num_cpus);
        for ( i = 0; i < num; i++ )
        {
            struct xen_sysctl_cputopo t = { .core = i, .socket = 0,
                                            .node = 0 };

            if ( copy_to_guest_offset(buf, i, &t, sizeof(t)) )
                return -EFAULT;
        }
    }
    /* Xen writes back only num_cpus, and only when it changed. */
    if ( ti->num_cpus != num )
    {
        ti->num_cpus = num;
        if ( copy_to_guest(c->u_sysctl + offsetof(struct xen_sysctl,
                                                  u.cputopoinfo.num_cpus),
                           &ti->num_cpus, sizeof(ti->num_cpus)) )
            return -EFAULT;
    }
    return 0;
}

static void count_domain(struct domain *d, void *arg)
{
    (*(unsigned int *)arg)++;
}

/* cpumask of the first nr_cpus_online CPUs (all, or none) to the guest. */
static long put_cpumap(const struct xenctl_bitmap *b, bool all)
{
    uint8_t bytes[64];
    size_t guest = MIN(((size_t)b->nr_bits + 7) / 8, sizeof(bytes));
    unsigned int cpu;

    memset(bytes, 0, sizeof(bytes));
    for ( cpu = 0; all && cpu < nr_cpus_online && cpu / 8 < sizeof(bytes);
          cpu++ )
        bytes[cpu / 8] |= 1u << (cpu % 8);
    if ( guest &&
         copy_to_guest(xen_guest_handle_addr(b->bitmap), bytes, guest) )
        return -EFAULT;
    return 0;
}

static long sysctl_cpupool_op(struct sysctl_call *c)
{
    struct xen_sysctl_cpupool_op *p = &c->op->u.cpupool_op;
    unsigned int n = 0;
    long rc;

    if ( (rc = xsm_cpupool_op(c->cur, p->op)) != 0 )
        return rc;
    switch ( p->op )
    {
    case XEN_SYSCTL_CPUPOOL_OP_INFO:
        if ( p->cpupool_id > 0 )
            return -ENOENT;             /* only pool 0 */
        domain_for_each(count_domain, &n);
        p->cpupool_id = 0;
        p->sched_id = sched_id();
        p->n_dom = n;
        rc = put_cpumap(&p->cpumap, true);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
        rc = put_cpumap(&p->cpumap, false);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_CREATE:
    case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
    case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
    case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
    case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
        return -EOPNOTSUPP;             /* Keel has one pool */
    default:
        return -ENOSYS;
    }
    if ( !rc )
        c->copyback = true;
    return rc;
}

/* ---- dispatch --------------------------------------------------------------- */

static sysctl_fn *const sysctl_cmds[SC_MAX_CMD] = {
    [XEN_SYSCTL_readconsole]       = sysctl_readconsole,
    [XEN_SYSCTL_physinfo]          = sysctl_physinfo,
    [XEN_SYSCTL_sched_id]          = sysctl_sched_id,
    [XEN_SYSCTL_getdomaininfolist] = sysctl_getdomaininfolist,
    [XEN_SYSCTL_cputopoinfo]       = sysctl_cputopoinfo,
    [XEN_SYSCTL_cpupool_op]        = sysctl_cpupool_op,
};

long do_sysctl(unsigned long u_sysctl, unsigned long a2, unsigned long a3,
               unsigned long a4, unsigned long a5)
{
    struct xen_sysctl op;
    struct sysctl_call c = { .cur = current->domain, .op = &op,
                             .u_sysctl = u_sysctl };
    sysctl_fn *fn = NULL;
    long rc;

    if ( copy_from_guest(&op, u_sysctl, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XEN_SYSCTL_INTERFACE_VERSION )
        return -EACCES;
    if ( (rc = xsm_sysctl(c.cur, op.cmd)) != 0 )
        return rc;
    if ( op.cmd < SC_MAX_CMD )
        fn = sysctl_cmds[array_index_nospec(op.cmd, SC_MAX_CMD)];

    if ( !spin_trylock(&sysctl_lock) )
    {
        unsigned long args[1] = { u_sysctl };

        return hypercall_create_continuation(__HYPERVISOR_sysctl, 1, args);
    }
    rc = fn ? fn(&c) : -ENOSYS;
    spin_unlock(&sysctl_lock);

    if ( !rc && c.copyback && copy_to_guest(u_sysctl, &op, sizeof(op)) )
        rc = -EFAULT;
    return rc;
}
