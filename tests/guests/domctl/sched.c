/*
 * domctl, scheduling part: XEN_DOMCTL_scheduler_op (getinfo/putinfo of
 * weight and cap in the format of the scheduler the host reports with
 * XEN_SYSCTL_sched_id, credit2 by default on Xen 4.17 and Keel, with
 * that scheduler's rules), and vCPU affinity (set/get round trip, what
 * comes back, an empty hard map, bad parameters).
 */
#include "domctl.h"

static uint32_t host_sched(void)
{
    struct xen_sysctl op;

    memset(&op, 0, sizeof(op));
    if ( sc(XEN_SYSCTL_sched_id, &op) )
        return 0;
    return op.u.sched_id.sched_id;
}

static long sched_op(domid_t d, uint32_t id, uint32_t cmd, uint16_t *weight,
                     uint16_t *cap)
{
    struct xen_domctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.u.scheduler_op.sched_id = id;
    op.u.scheduler_op.cmd = cmd;
    op.u.scheduler_op.u.credit2.weight = *weight;
    op.u.scheduler_op.u.credit2.cap = *cap;
    rc = dc(XEN_DOMCTL_scheduler_op, d, &op);
    *weight = op.u.scheduler_op.u.credit2.weight;
    *cap = op.u.scheduler_op.u.credit2.cap;
    return rc;
}

void check_sched(domid_t d)
{
    uint32_t id = host_sched();
    uint16_t w, c;

    CHECK_EQ(XEN_SCHEDULER_CREDIT2, id);            /* both defaults */
    if ( id != XEN_SCHEDULER_CREDIT2 )
        return;
    w = c = 0;
    CHECK_RC(0, sched_op(d, id, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c));
    CHECK_EQ(256, w);
    CHECK_EQ(0, c);

    w = 512, c = 50;
    CHECK_RC(0, sched_op(d, id, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c));
    w = c = 0;
    CHECK_RC(0, sched_op(d, id, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c));
    CHECK_EQ(512, w);
    CHECK_EQ(50, c);
    /* Weight 0 keeps the weight; the bounds are those of a uint16. */
    w = 0, c = 100;
    CHECK_RC(0, sched_op(d, id, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c));
    w = c = 0;
    CHECK_RC(0, sched_op(d, id, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c));
    CHECK_EQ(512, w);
    CHECK_EQ(100, c);
    w = 65535, c = 0;
    CHECK_RC(0, sched_op(d, id, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c));
    w = 1, c = 0;
    CHECK_RC(0, sched_op(d, id, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c));
    CHECK_EQ(65535, w);
    CHECK_EQ(0, c);                                 /* credit2: 0 lifts it */
    /* credit2: at most 100% per vCPU (one vCPU here). */
    w = 9, c = 101;
    CHECK_RC(-XEN_EINVAL, sched_op(d, id, XEN_DOMCTL_SCHEDOP_putinfo, &w,
                                   &c));
    w = c = 0;
    CHECK_RC(0, sched_op(d, id, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c));
    /* Xen: credit2 took the weight before it refused the cap. */
    CHECK_EQ(9, w);
    CHECK_EQ(0, c);
    w = 1, c = 0;
    CHECK_RC(0, sched_op(d, id, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c));
    w = 256, c = 0;
    CHECK_RC(0, sched_op(d, id, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c));

    /* Another scheduler's id, an unknown command: -EINVAL. */
    w = c = 0;
    CHECK_RC(-XEN_EINVAL, sched_op(d, XEN_SCHEDULER_CREDIT,
                                   XEN_DOMCTL_SCHEDOP_getinfo, &w, &c));
    CHECK_RC(-XEN_EINVAL, sched_op(d, 0, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c));
    CHECK_RC(-XEN_EINVAL, sched_op(d, id, 7, &w, &c));
    /* Neither credit nor credit2 has per-vCPU parameters. */
    CHECK_RC(-XEN_EINVAL, sched_op(d, id, XEN_DOMCTL_SCHEDOP_getvcpuinfo, &w,
                                   &c));
    CHECK_RC(-XEN_ESRCH, sched_op(0x7123, id, XEN_DOMCTL_SCHEDOP_getinfo, &w,
                                  &c));
}

static long affinity(domid_t d, uint32_t cmd, uint32_t vcpu, uint32_t flags,
                     uint8_t *hard, uint8_t *soft, uint32_t nr_bits)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.flags = flags;
    op.u.vcpuaffinity.cpumap_hard.bitmap.p = hard;
    op.u.vcpuaffinity.cpumap_hard.nr_bits = nr_bits;
    op.u.vcpuaffinity.cpumap_soft.bitmap.p = soft;
    op.u.vcpuaffinity.cpumap_soft.nr_bits = nr_bits;
    return dc(cmd, d, &op);
}

void check_affinity(domid_t d)
{
    const uint32_t H = XEN_VCPUAFFINITY_HARD, S = XEN_VCPUAFFINITY_SOFT;
    struct xen_sysctl op;
    uint8_t hard[8], soft[8];
    unsigned int ncpu;
    uint8_t all;

    memset(&op, 0, sizeof(op));
    CHECK_RC(0, sc(XEN_SYSCTL_physinfo, &op));
    ncpu = op.u.physinfo.nr_cpus;
    if ( ncpu == 0 || ncpu > 8 )
    {
        test_skip("affinity", "needs 1 to 8 CPUs");
        return;
    }
    all = (uint8_t)((1u << ncpu) - 1);

    /* A new vCPU may run anywhere. */
    memset(hard, 0xee, sizeof(hard));
    memset(soft, 0xee, sizeof(soft));
    CHECK_RC(0, affinity(d, XEN_DOMCTL_getvcpuaffinity, 0, H | S, hard, soft,
                         64));
    CHECK_EQ(all, hard[0] & all);
    CHECK_EQ(all, soft[0] & all);
    CHECK_EQ(0, hard[7]);                           /* zero-padded */

    /* Pin to the last CPU; what is in effect comes back. */
    memset(hard, 0, sizeof(hard));
    hard[0] = (uint8_t)(1u << (ncpu - 1)) | 0x80;   /* + a CPU that is not */
    CHECK_RC(0, affinity(d, XEN_DOMCTL_setvcpuaffinity, 0, H, hard, soft, 8));
    CHECK_EQ(1u << (ncpu - 1), hard[0]);
    memset(hard, 0xee, sizeof(hard));
    CHECK_RC(0, affinity(d, XEN_DOMCTL_getvcpuaffinity, 0, H, hard, soft, 8));
    CHECK_EQ(1u << (ncpu - 1), hard[0] & all);

    /* Xen: a hard map with no online CPU is -EINVAL, and changes nothing. */
    memset(hard, 0, sizeof(hard));
    CHECK_RC(-XEN_EINVAL, affinity(d, XEN_DOMCTL_setvcpuaffinity, 0, H, hard,
                                   soft, 8));
    hard[0] = 0x80;                                 /* only CPUs not there */
    if ( ncpu < 8 )
        CHECK_RC(-XEN_EINVAL, affinity(d, XEN_DOMCTL_setvcpuaffinity, 0, H,
                                       hard, soft, 8));
    memset(hard, 0xee, sizeof(hard));
    CHECK_RC(0, affinity(d, XEN_DOMCTL_getvcpuaffinity, 0, H, hard, soft, 8));
    CHECK_EQ(1u << (ncpu - 1), hard[0] & all);
    /* nr_bits 0: nothing read, so nothing online: -EINVAL too. */
    hard[0] = all;
    CHECK_RC(-XEN_EINVAL, affinity(d, XEN_DOMCTL_setvcpuaffinity, 0, H, hard,
                                   soft, 0));

    /* An empty soft map is allowed. */
    memset(soft, 0, sizeof(soft));
    CHECK_RC(0, affinity(d, XEN_DOMCTL_setvcpuaffinity, 0, S, hard, soft, 8));
    CHECK_EQ(0, soft[0]);
    soft[0] = all;
    CHECK_RC(0, affinity(d, XEN_DOMCTL_setvcpuaffinity, 0, S, hard, soft, 8));
    /* Soft comes back within hard. */
    CHECK_EQ(1u << (ncpu - 1), soft[0]);

    /* Back to anywhere. */
    hard[0] = all;
    CHECK_RC(0, affinity(d, XEN_DOMCTL_setvcpuaffinity, 0, H, hard, soft, 8));
    CHECK_EQ(all, hard[0]);

    /* Bad parameters. */
    CHECK_RC(-XEN_EINVAL, affinity(d, XEN_DOMCTL_setvcpuaffinity, 0, 0, hard,
                                   soft, 8));
    CHECK_RC(-XEN_EINVAL, affinity(d, XEN_DOMCTL_setvcpuaffinity, 0, H, NULL,
                                   soft, 8));
    CHECK_RC(-XEN_EINVAL, affinity(d, XEN_DOMCTL_getvcpuaffinity, 0, S, hard,
                                   NULL, 8));
    CHECK_RC(-XEN_EINVAL, affinity(d, XEN_DOMCTL_setvcpuaffinity, 1, H, hard,
                                   soft, 8));
    CHECK_RC(-XEN_EFAULT, affinity(d, XEN_DOMCTL_setvcpuaffinity, 0, H,
                                   (uint8_t *)0x1000, soft, 8));
    CHECK_RC(-XEN_EFAULT, affinity(d, XEN_DOMCTL_getvcpuaffinity, 0, H,
                                   (uint8_t *)0x1000, soft, 8));
}
