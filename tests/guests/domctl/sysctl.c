/*
 * domctl, sysctl part: the struct (version, bad pointer, unknown
 * commands), physinfo, sched_id, getdomaininfolist, the CPU pool, the
 * console ring (whole, piecewise with incremental indices, a stale
 * index, clearing), and no memory lost over 20 create/destroy rounds.
 *
 * Xen: dom0's own console output does not go to the ring (no
 * console_to_ring); Keel's does, so the ring checks never depend on
 * what dom0 prints.
 */
#include "domctl.h"

#define RING_BUF    (64 * 1024)

long sc(uint32_t cmd, struct xen_sysctl *op)
{
    op->cmd = cmd;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return HYPERVISOR_sysctl(op);
}

void check_sysctl(void)
{
    struct xen_domctl_getdomaininfo list[8];
    struct xen_sysctl op;
    struct xen_sysctl_physinfo *pi = &op.u.physinfo;
    domid_t a, b;
    unsigned int i;
    bool seen_a = false, seen_b = false;

    CHECK_RC(-XEN_EFAULT, HYPERVISOR_sysctl((void *)0x1000));
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_physinfo;
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION - 1;
    CHECK_RC(-XEN_EACCES, HYPERVISOR_sysctl(&op));
    op.cmd = 0x12345;
    op.interface_version = 0;
    CHECK_RC(-XEN_EACCES, HYPERVISOR_sysctl(&op));
    memset(&op, 0, sizeof(op));
    CHECK_RC(-XEN_ENOSYS, sc(0, &op));
    CHECK_RC(-XEN_ENOSYS, sc(13, &op));             /* retired */
    CHECK_RC(-XEN_ENOSYS, sc(999, &op));

    memset(&op, 0xee, sizeof(op));
    CHECK_RC(0, sc(XEN_SYSCTL_physinfo, &op));
    CHECK(pi->nr_cpus >= 1);
    CHECK(pi->max_cpu_id >= pi->nr_cpus - 1);
    CHECK(pi->threads_per_core >= 1);
    CHECK(pi->cores_per_socket >= 1);
    CHECK(pi->nr_nodes >= 1);
    CHECK(pi->max_node_id >= pi->nr_nodes - 1);
    CHECK(pi->cpu_khz > 0);
    CHECK(pi->total_pages > 0);
    CHECK(pi->free_pages > 0 && pi->free_pages <= pi->total_pages);
    CHECK_EQ(0, pi->scrub_pages);
    CHECK_EQ(0, pi->outstanding_pages);
    CHECK(pi->max_mfn >= pi->total_pages - 1);
    CHECK(pi->capabilities & XEN_SYSCTL_PHYSCAP_pv);
    CHECK(pi->hw_cap[0] != 0);                      /* CPUID 1 edx */
    printf("physinfo: %u CPUs, %u kHz, %lu/%lu pages free, caps %#x\n",
           pi->nr_cpus, pi->cpu_khz, (unsigned long)pi->free_pages,
           (unsigned long)pi->total_pages, pi->capabilities);

    memset(&op, 0, sizeof(op));
    CHECK_RC(0, sc(XEN_SYSCTL_sched_id, &op));
    CHECK_EQ(XEN_SCHEDULER_CREDIT2, op.u.sched_id.sched_id);

    /* The one CPU pool: every domain, the host's scheduler. */
    memset(&op, 0, sizeof(op));
    op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
    CHECK_RC(0, sc(XEN_SYSCTL_cpupool_op, &op));
    CHECK_EQ(0, op.u.cpupool_op.cpupool_id);
    CHECK_EQ(XEN_SCHEDULER_CREDIT2, op.u.cpupool_op.sched_id);
    CHECK(op.u.cpupool_op.n_dom >= 1);
    memset(&op, 0, sizeof(op));
    op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
    op.u.cpupool_op.cpupool_id = 1;
    CHECK_RC(-XEN_ENOENT, sc(XEN_SYSCTL_cpupool_op, &op));

    /* getdomaininfolist around two new domains. */
    if ( create(0, &a) || create(0, &b) )
    {
        test_fail("getdomaininfolist", "cannot create domains");
        return;
    }
    memset(&op, 0, sizeof(op));
    op.u.getdomaininfolist.first_domain = 0;
    op.u.getdomaininfolist.max_domains = 8;
    op.u.getdomaininfolist.buffer.p = list;
    CHECK_RC(0, sc(XEN_SYSCTL_getdomaininfolist, &op));
    CHECK(op.u.getdomaininfolist.num_domains >= 3);
    CHECK_EQ(0, list[0].domain);
    for ( i = 0; i < op.u.getdomaininfolist.num_domains && i < 8; i++ )
    {
        seen_a |= list[i].domain == a;
        seen_b |= list[i].domain == b;
        if ( i )
            CHECK(list[i].domain > list[i - 1].domain);
    }
    CHECK(seen_a && seen_b);
    op.u.getdomaininfolist.first_domain = a;
    op.u.getdomaininfolist.max_domains = 1;
    memset(list, 0, sizeof(list));
    CHECK_RC(0, sc(XEN_SYSCTL_getdomaininfolist, &op));
    CHECK_EQ(1, op.u.getdomaininfolist.num_domains);
    CHECK_EQ(a, list[0].domain);
    CHECK_EQ(XEN_DOMINF_paused | 0xffff0000u, list[0].flags);
    op.u.getdomaininfolist.max_domains = 0;
    CHECK_RC(0, sc(XEN_SYSCTL_getdomaininfolist, &op));
    CHECK_EQ(0, op.u.getdomaininfolist.num_domains);
    op.u.getdomaininfolist.first_domain = 0x7000;
    op.u.getdomaininfolist.max_domains = 8;
    CHECK_RC(0, sc(XEN_SYSCTL_getdomaininfolist, &op));
    CHECK_EQ(0, op.u.getdomaininfolist.num_domains);
    op.u.getdomaininfolist.first_domain = 0;
    op.u.getdomaininfolist.buffer.p = (void *)0x1000;
    CHECK_RC(-XEN_EFAULT, sc(XEN_SYSCTL_getdomaininfolist, &op));
    CHECK_RC(0, destroy(a));
    CHECK_RC(0, destroy(b));
}

static long readcon(char *buf, uint32_t count, bool clear, bool incr,
                    uint32_t *index, uint32_t *got)
{
    struct xen_sysctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.u.readconsole.clear = clear;
    op.u.readconsole.incremental = incr;
    op.u.readconsole.index = *index;
    op.u.readconsole.buffer.p = buf;
    op.u.readconsole.count = count;
    rc = sc(XEN_SYSCTL_readconsole, &op);
    if ( !rc )
    {
        *index = op.u.readconsole.index;
        *got = op.u.readconsole.count;
    }
    return rc;
}

void check_readconsole(void)
{
    static char all[RING_BUF + 1], part[64], after[RING_BUF + 1];
    char banner[41];
    uint32_t idx = 0, n = 0, idx2, n2;

    CHECK_RC(0, readcon(all, RING_BUF, false, false, &idx, &n));
    all[n] = 0;
    CHECK(n > 64);
    CHECK(strstr(all, "(XEN)") || strstr(all, "(KEEL)"));

    /* Piecewise: 16 bytes, then the next 16 from the index returned. */
    idx2 = 0;
    CHECK_RC(0, readcon(part, 16, false, false, &idx2, &n2));
    CHECK_EQ(16, n2);
    CHECK(!memcmp(part, all, 16));
    CHECK_RC(0, readcon(part, 16, false, true, &idx2, &n2));
    CHECK_EQ(16, n2);
    CHECK(!memcmp(part, all + 16, 16));
    /* An index outside the ring: from the oldest byte again. */
    idx2 += 0x40000000u;
    CHECK_RC(0, readcon(part, 16, false, true, &idx2, &n2));
    CHECK_EQ(16, n2);
    CHECK(!memcmp(part, all, 16));
    /* A zero-sized read reads nothing. */
    CHECK_RC(0, readcon(part, 0, false, false, &idx2, &n2));
    CHECK_EQ(0, n2);
    /* A buffer that cannot be written. */
    CHECK_RC(-XEN_EFAULT, readcon((char *)0x1000, 16, false, false, &idx2,
                                  &n2));

    /* Clearing: what was read is gone from the next full read. */
    memcpy(banner, all, 40);
    banner[40] = 0;
    idx2 = 0;
    CHECK_RC(0, readcon(after, RING_BUF, true, false, &idx2, &n2));
    CHECK_RC(0, readcon(after, RING_BUF, false, false, &idx2, &n2));
    after[n2] = 0;
    CHECK(n2 < n);
    CHECK(!strstr(after, banner));
}

static uint64_t free_pages(void)
{
    struct xen_sysctl op;

    memset(&op, 0, sizeof(op));
    if ( sc(XEN_SYSCTL_physinfo, &op) )
        return 0;
    return op.u.physinfo.free_pages;
}

/*
 * Free pages once they stop changing.  Xen: a destroyed domain's last
 * pages go after an RCU grace period, so wait for that (bounded).
 */
static uint64_t settled_free_pages(void)
{
    uint64_t prev = free_pages(), now = prev;
    unsigned int tries, same = 0;

    for ( tries = 0; tries < 400 && same < 20; tries++ )
    {
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        now = free_pages();
        same = now == prev ? same + 1 : 0;
        prev = now;
    }
    return now;
}

void check_leaks(void)
{
    uint64_t before, now;
    unsigned int i;
    domid_t d;

    /* Warm up any per-size caches, then measure. */
    if ( create(0, &d) == 0 )
    {
        set_max_vcpus(d, 1);
        destroy(d);
    }
    before = settled_free_pages();
    for ( i = 0; i < 20; i++ )
    {
        if ( create(0, &d) || set_max_vcpus(d, 1) )
        {
            test_fail("leaks", "create %u failed", i);
            return;
        }
        if ( destroy(d) )
        {
            test_fail("leaks", "destroy d%u failed", d);
            return;
        }
    }
    now = settled_free_pages();
    CHECK_EQ(before, now);
}
