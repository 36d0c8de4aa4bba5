/*
 * The toolstack's view of the scheduler: which scheduler Keel presents
 * (sched=), XEN_DOMCTL_scheduler_op (weight and cap), vCPU affinity and
 * vCPU information for XEN_DOMCTL_{set,get}vcpuaffinity and getvcpuinfo.
 *
 * Keel has one scheduler (common/sched/sched.c: proportional share by
 * weight, caps in percent of one CPU, hard and soft affinity).  Xen's
 * toolstack insists that a domain's parameters be read and written in
 * the format of the scheduler its CPU pool runs (`xl sched-credit` needs
 * XEN_SCHEDULER_CREDIT, `xl sched-credit2` XEN_SCHEDULER_CREDIT2), and
 * both formats carry exactly Keel's two parameters.  So sched= chooses
 * the one Keel presents, with that scheduler's rules for putinfo:
 *   credit2 (Xen 4.17's default): cap 0 removes the cap, a cap above 100
 *           per vCPU is -EINVAL (the weight given with it is still taken);
 *   credit: cap 0xffff leaves the cap alone, any other value is taken.
 * Weight 0 leaves the weight alone in both.  Other names (null, rtds,
 * arinc653) are reported and credit2 is used, as Xen does with a name it
 * does not know.
 */
#include <keel/domctl.h>
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/lib.h>
#include <keel/misc_params.h>
#include <keel/nospec.h>
#include <keel/sched-if.h>
#include <asm/percpu.h>
#include <public/vcpu.h>
#include <xsm/xsm.h>

/* Bytes of a guest bitmap Keel writes at most (zero padding included). */
#define BITMAP_MAX_BYTES   (64 * SCHED_CPUMASK_WORDS * 8)

unsigned int sched_id(void)
{
    return !strcmp(opt_sched, "credit") ? XEN_SCHEDULER_CREDIT
                                        : XEN_SCHEDULER_CREDIT2;
}

const char *sched_name(void)
{
    static bool warned;

    if ( strcmp(opt_sched, "credit") && strcmp(opt_sched, "credit2") &&
         !warned )
    {
        warned = true;
        printk(KLOG_WARNING "Could not find scheduler: %s (Keel presents "
               "credit or credit2); using credit2\n", opt_sched);
    }
    return sched_id() == XEN_SCHEDULER_CREDIT ? "credit" : "credit2";
}

/* ---- weight and cap -------------------------------------------------- */

int sched_domctl_adjust(struct domain *cur, struct domain *d,
                        struct xen_domctl_scheduler_op *op)
{
    unsigned int weight, cap;
    int rc;

    if ( op->sched_id != sched_id() )
        return -EINVAL;
    if ( op->cmd != XEN_DOMCTL_SCHEDOP_putinfo &&
         op->cmd != XEN_DOMCTL_SCHEDOP_getinfo &&
         op->cmd != XEN_DOMCTL_SCHEDOP_putvcpuinfo &&
         op->cmd != XEN_DOMCTL_SCHEDOP_getvcpuinfo )
        return -EINVAL;
    if ( (rc = xsm_domctl_scheduler_op(cur, d, op->cmd)) != 0 )
        return rc;

    switch ( op->cmd )
    {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        spin_lock(&d->lock);
        /* credit and credit2 lay weight and cap out alike. */
        op->u.credit.weight = d->sched_weight;
        op->u.credit.cap = d->sched_cap;
        spin_unlock(&d->lock);
        return 0;

    case XEN_DOMCTL_SCHEDOP_putinfo:
        spin_lock(&d->lock);
        weight = d->sched_weight;
        cap = d->sched_cap;
        rc = domctl_sched_putinfo(op->sched_id, op->u.credit.weight,
                                  op->u.credit.cap,
                                  d->vcpus_published ? d->max_vcpus : 0,
                                  &weight, &cap);
        d->sched_weight = weight;           /* as judged, error or not */
        d->sched_cap = cap;
        spin_unlock(&d->lock);
        return rc;
    }
    /* Neither scheduler has per-vCPU parameters (Xen: -EINVAL). */
    return -EINVAL;
}

/* ---- affinity -------------------------------------------------------- */

/* CPUs a vCPU may be placed on: the online ones (Keel's only pool). */
static void online_mask(cpumask_t *m)
{
    unsigned int cpu;

    memset(m, 0, sizeof(*m));
    for ( cpu = 0; cpu < nr_cpus_online && cpu < 64 * SCHED_CPUMASK_WORDS;
          cpu++ )
        m->bits[cpu / 64] |= 1ULL << (cpu % 64);
}

static void mask_and(cpumask_t *d, const cpumask_t *a, const cpumask_t *b)
{
    unsigned int i;

    for ( i = 0; i < SCHED_CPUMASK_WORDS; i++ )
        d->bits[i] = a->bits[i] & b->bits[i];
}

static bool mask_empty(const cpumask_t *m)
{
    unsigned int i;

    for ( i = 0; i < SCHED_CPUMASK_WORDS; i++ )
        if ( m->bits[i] )
            return false;
    return true;
}

/* A guest xenctl_bitmap as a mask of the online CPUs' ids. */
static int bitmap_in(const struct xenctl_bitmap *b, cpumask_t *m)
{
    uint8_t bytes[BITMAP_MAX_BYTES];
    size_t guest = ((size_t)b->nr_bits + 7) / 8;
    size_t n = MIN(guest, (size_t)(nr_cpus_online + 7) / 8);

    if ( n && copy_from_guest(bytes, xen_guest_handle_addr(b->bitmap), n) )
        return -EFAULT;
    domctl_bytes_to_cpumask(bytes, n, b->nr_bits, nr_cpus_online, m);
    return 0;
}

/*
 * m into a guest bitmap: the bytes Keel has, then zeros up to the guest's
 * size.  Xen: zeros to the end however large nr_bits is; Keel stops at
 * BITMAP_MAX_BYTES (a bound on the work a caller can ask for).
 */
static int bitmap_out(const struct xenctl_bitmap *b, const cpumask_t *m)
{
    uint8_t bytes[BITMAP_MAX_BYTES];
    size_t guest = MIN(((size_t)b->nr_bits + 7) / 8, sizeof(bytes));

    memset(bytes, 0, sizeof(bytes));
    domctl_cpumask_to_bytes(m, nr_cpus_online, bytes);
    BUILD_BUG_ON(sizeof(bytes) < (64 * SCHED_CPUMASK_WORDS + 7) / 8);
    if ( guest && copy_to_guest(xen_guest_handle_addr(b->bitmap), bytes,
                                guest) )
        return -EFAULT;
    return 0;
}

int sched_domctl_vcpuaffinity(struct domain *d, uint32_t cmd,
                              struct xen_domctl_vcpuaffinity *a)
{
    cpumask_t online, hard, soft, eff;
    struct vcpu *v;
    int rc;

    if ( a->vcpu >= d->max_vcpus )
        return -EINVAL;
    if ( (v = domctl_vcpu(d, a->vcpu)) == NULL )
        return -ESRCH;
    if ( (rc = domctl_check_vcpuaffinity(a)) != 0 )
        return rc;

    if ( cmd == XEN_DOMCTL_getvcpuaffinity )
    {
        if ( (a->flags & XEN_VCPUAFFINITY_HARD) &&
             (rc = bitmap_out(&a->cpumap_hard, &v->sched.hard)) )
            return rc;
        if ( a->flags & XEN_VCPUAFFINITY_SOFT )
            rc = bitmap_out(&a->cpumap_soft, &v->sched.soft);
        return rc;
    }

    /* Decode both maps and judge them before anything changes. */
    online_mask(&online);
    hard = v->sched.hard;
    soft = v->sched.soft;
    if ( (a->flags & XEN_VCPUAFFINITY_HARD) &&
         (rc = bitmap_in(&a->cpumap_hard, &hard)) )
        return rc;
    if ( (a->flags & XEN_VCPUAFFINITY_SOFT) &&
         (rc = bitmap_in(&a->cpumap_soft, &soft)) )
        return rc;
    mask_and(&eff, &hard, &online);
    if ( (a->flags & XEN_VCPUAFFINITY_HARD) && mask_empty(&eff) )
        return -EINVAL;                 /* nowhere to run */

    sched_set_affinity(v, &hard, &soft);

    /* Report what is in effect: hard and soft within the online CPUs. */
    if ( a->flags & XEN_VCPUAFFINITY_HARD )
    {
        mask_and(&eff, &hard, &online);
        if ( (rc = bitmap_out(&a->cpumap_hard, &eff)) )
            return rc;
    }
    if ( a->flags & XEN_VCPUAFFINITY_SOFT )
    {
        mask_and(&eff, &soft, &online);
        mask_and(&eff, &eff, &hard);
        rc = bitmap_out(&a->cpumap_soft, &eff);
    }
    return rc;
}

/* ---- vCPU information -------------------------------------------------- */

int sched_domctl_getvcpuinfo(struct domain *d,
                             struct xen_domctl_getvcpuinfo *info)
{
    struct vcpu_runstate_info rs;
    struct vcpu *v;

    if ( info->vcpu >= d->max_vcpus )
        return -EINVAL;
    if ( (v = domctl_vcpu(d, info->vcpu)) == NULL )
        return -ESRCH;
    sched_get_runstate(v, &rs, true);
    info->online = v->is_up;
    info->blocked = rs.state == RUNSTATE_blocked;
    info->running = vcpu_is_running(v);
    info->cpu_time = rs.time[RUNSTATE_running];
    info->cpu = v->processor;
    return 0;
}
