/*
 * Host tests for the pure checks of domain and system control
 * (common/domctl_check.c): createdomain's configuration with Xen 4.17's
 * errno for each rule, the I/O port and memory ranges (wrap-around), the
 * affinity parameters and bitmap conversion, the scheduler putinfo rules
 * of credit and credit2, getdomaininfo's flags, and readconsole's start.
 */
#include "harness.h"

#include <keel/domctl.h>
#include <keel/domain.h>
#include <keel/errno.h>

struct vcpu *get_current(void) { return NULL; }
void set_current(struct vcpu *v) { (void)v; }

static const struct domctl_limits lim = {
    .max_vcpus = 32, .max_grant_frames = 64, .max_maptrack_frames = 1024,
    .max_grant_version = 2, .iommu = false,
};

static struct xen_domctl_createdomain good(void)
{
    return (struct xen_domctl_createdomain){
        .max_vcpus = 1, .max_evtchn_port = 1023, .max_grant_frames = -1,
        .max_maptrack_frames = -1, .grant_opts = 1,
    };
}

TEST(createdomain_accepts_pv)
{
    struct xen_domctl_createdomain c = good();

    CHECK_EQ(domctl_check_createdomain(&c, &lim), 0);
    c.flags = XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain;
    CHECK_EQ(domctl_check_createdomain(&c, &lim), 0);
    c.max_vcpus = 32;
    c.max_grant_frames = 64;
    c.max_maptrack_frames = 0;
    c.grant_opts = 2;
    c.arch.emulation_flags = XEN_X86_EMU_PIT;
    c.arch.misc_flags = XEN_X86_MSR_RELAXED;
    CHECK_EQ(domctl_check_createdomain(&c, &lim), 0);
}

TEST(createdomain_rejects_like_xen)
{
    struct xen_domctl_createdomain c;

#define EXPECT(field_setup, err) do {                                       \
        c = good();                                                         \
        field_setup;                                                        \
        CHECK_EQ(domctl_check_createdomain(&c, &lim), err);                 \
    } while ( 0 )
    EXPECT(c.flags = 1u << 8, -EINVAL);                 /* unknown flag */
    EXPECT(c.flags = XEN_DOMCTL_CDF_hvm, -EINVAL);      /* PV only */
    EXPECT(c.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap, -EINVAL);
    EXPECT(c.flags = XEN_DOMCTL_CDF_hap, -EINVAL);      /* HAP without HVM */
    EXPECT(c.flags = XEN_DOMCTL_CDF_iommu, -EINVAL);    /* no IOMMU */
    EXPECT(c.iommu_opts = XEN_DOMCTL_IOMMU_no_sharept, -EINVAL);
    EXPECT(c.flags = XEN_DOMCTL_CDF_s3_integrity, -EINVAL);
    EXPECT(c.flags = XEN_DOMCTL_CDF_nested_virt, -EINVAL);
    EXPECT(c.flags = XEN_DOMCTL_CDF_vpmu, -EINVAL);
    EXPECT(c.grant_opts = 0x10 | 1, -EINVAL);           /* unknown option */
    EXPECT(c.grant_opts = 0, -EINVAL);                  /* version 0 */
    EXPECT(c.grant_opts = 3, -EINVAL);                  /* past max */
    EXPECT(c.max_vcpus = 0, -EINVAL);
    EXPECT(c.max_vcpus = 33, -EINVAL);
    EXPECT(c.max_vcpus = 0xffffffffu, -EINVAL);
    EXPECT(c.vmtrace_size = 4096, -EINVAL);
    EXPECT(c.arch.misc_flags = 2, -EINVAL);
    EXPECT(c.arch.emulation_flags = 1u << 11, -EINVAL);   /* past ALL */
    EXPECT(c.arch.emulation_flags = XEN_X86_EMU_LAPIC, -EOPNOTSUPP);
    EXPECT(c.arch.emulation_flags = XEN_X86_EMU_ALL, -EOPNOTSUPP);
    EXPECT(c.max_grant_frames = 0, -EINVAL);            /* below initial */
    EXPECT(c.max_grant_frames = 65, -EINVAL);           /* past the limit */
    EXPECT(c.max_maptrack_frames = 1025, -EINVAL);
    EXPECT(c.cpupool_id = 1, -ESRCH);
    /* Xen's order: the flags are judged before the vCPU count. */
    EXPECT((c.flags = XEN_DOMCTL_CDF_hvm, c.cpupool_id = 7), -EINVAL);
    EXPECT((c.arch.emulation_flags = XEN_X86_EMU_VGA, c.grant_opts = 0),
           -EOPNOTSUPP);
#undef EXPECT
}

TEST(port_and_memory_ranges)
{
    CHECK_EQ(domctl_check_ioport_range(0, 1), 0);
    CHECK_EQ(domctl_check_ioport_range(0, 0x10000), 0);
    CHECK_EQ(domctl_check_ioport_range(0xffff, 1), 0);
    CHECK_EQ(domctl_check_ioport_range(0xffff, 2), -EINVAL);
    CHECK_EQ(domctl_check_ioport_range(0x60, 0), -EINVAL);      /* empty */
    CHECK_EQ(domctl_check_ioport_range(0xfffffff0u, 0x20), -EINVAL);
    CHECK_EQ(domctl_check_ioport_range(1, 0xffffffffu), -EINVAL);   /* wraps */
    CHECK_EQ(domctl_check_iomem_range(0x100, 1), 0);
    CHECK_EQ(domctl_check_iomem_range(0x100, 0), -EINVAL);
    CHECK_EQ(domctl_check_iomem_range(UINT64_MAX, 1), 0);
    CHECK_EQ(domctl_check_iomem_range(UINT64_MAX, 2), -EINVAL);
    CHECK_EQ(domctl_check_iomem_range(2, UINT64_MAX), -EINVAL);
}

TEST(affinity_params)
{
    struct xen_domctl_vcpuaffinity a;
    uint8_t buf[2];

    memset(&a, 0, sizeof(a));
    CHECK_EQ(domctl_check_vcpuaffinity(&a), -EINVAL);       /* no flag */
    a.flags = XEN_VCPUAFFINITY_HARD;
    CHECK_EQ(domctl_check_vcpuaffinity(&a), -EINVAL);       /* no map */
    a.cpumap_hard.bitmap.p = buf;
    CHECK_EQ(domctl_check_vcpuaffinity(&a), 0);
    a.flags |= XEN_VCPUAFFINITY_SOFT;
    CHECK_EQ(domctl_check_vcpuaffinity(&a), -EINVAL);
    a.cpumap_soft.bitmap.p = buf;
    CHECK_EQ(domctl_check_vcpuaffinity(&a), 0);
}

TEST(bitmap_conversion)
{
    uint8_t in[3] = { 0xff, 0x05, 0xff }, out[16];
    cpumask_t m;

    /* nr_bits 10: bits 8 and 9 of byte 1 count, bit 10 does not. */
    domctl_bytes_to_cpumask(in, 2, 10, 16, &m);
    CHECK_EQ(m.bits[0], 0x1ff);
    /* Only nbits CPUs exist. */
    domctl_bytes_to_cpumask(in, 3, 24, 4, &m);
    CHECK_EQ(m.bits[0], 0xf);
    /* Fewer bytes copied than bits claimed: the rest is empty. */
    domctl_bytes_to_cpumask(in, 1, 24, 24, &m);
    CHECK_EQ(m.bits[0], 0xff);
    domctl_bytes_to_cpumask(in, 0, 0, 24, &m);
    CHECK_EQ(m.bits[0], 0);

    m.bits[0] = 0x8005;
    m.bits[1] = 0;
    memset(out, 0xaa, sizeof(out));
    domctl_cpumask_to_bytes(&m, 12, out);
    CHECK_EQ(out[0], 0x05);
    CHECK_EQ(out[1], 0x00);                 /* CPU 15 is past nbits */
    CHECK_EQ(out[2], 0xaa);                 /* untouched */
}

TEST(sched_putinfo_credit)
{
    unsigned int w = 256, cap = 0;

    CHECK_EQ(domctl_sched_putinfo(XEN_SCHEDULER_CREDIT, 512, 50, 1, &w, &cap),
             0);
    CHECK_EQ(w, 512);
    CHECK_EQ(cap, 50);
    /* weight 0 and cap 0xffff leave them alone. */
    CHECK_EQ(domctl_sched_putinfo(XEN_SCHEDULER_CREDIT, 0, 0xffff, 1, &w,
                                  &cap), 0);
    CHECK_EQ(w, 512);
    CHECK_EQ(cap, 50);
    /* cap 0 removes it; credit does not bound the cap. */
    CHECK_EQ(domctl_sched_putinfo(XEN_SCHEDULER_CREDIT, 1, 0, 1, &w, &cap), 0);
    CHECK_EQ(w, 1);
    CHECK_EQ(cap, 0);
    CHECK_EQ(domctl_sched_putinfo(XEN_SCHEDULER_CREDIT, 65535, 400, 1, &w,
                                  &cap), 0);
    CHECK_EQ(w, 65535);
    CHECK_EQ(cap, 400);
}

TEST(sched_putinfo_credit2)
{
    unsigned int w = 256, cap = 0;

    CHECK_EQ(domctl_sched_putinfo(XEN_SCHEDULER_CREDIT2, 0, 25, 1, &w, &cap),
             0);
    CHECK_EQ(w, 256);
    CHECK_EQ(cap, 25);
    CHECK_EQ(domctl_sched_putinfo(XEN_SCHEDULER_CREDIT2, 300, 0, 1, &w, &cap),
             0);
    CHECK_EQ(w, 300);
    CHECK_EQ(cap, 0);                       /* 0 removes the cap */
    CHECK_EQ(domctl_sched_putinfo(XEN_SCHEDULER_CREDIT2, 9, 101, 1, &w, &cap),
             -EINVAL);
    CHECK_EQ(w, 9);                         /* Xen: the weight stays set */
    CHECK_EQ(cap, 0);                       /* the cap does not */
    CHECK_EQ(domctl_sched_putinfo(XEN_SCHEDULER_CREDIT2, 300, 1, 0, &w, &cap),
             -EINVAL);                      /* no vCPUs yet: no cap */
    CHECK_EQ(domctl_sched_putinfo(XEN_SCHEDULER_CREDIT2, 9, 200, 2, &w, &cap),
             0);
    CHECK_EQ(cap, 200);
    CHECK_EQ(domctl_sched_putinfo(XEN_SCHEDULER_RTDS, 9, 0, 1, &w, &cap),
             -EINVAL);
}

TEST(dominf_flags)
{
    struct domctl_dominf_state s = { .shutdown_code = SHUTDOWN_CODE_INVALID,
                                     .controller_pause_count = 1 };

    /* A new domain: paused by the toolstack, no online vCPU, and Xen's
     * ~0u shutdown code shifted into bits 16-31. */
    CHECK_EQ(domctl_dominf_flags(&s), XEN_DOMINF_paused | 0xffff0000u);
    s.controller_pause_count = 0;
    s.nr_online_vcpus = 1;
    s.all_blocked = true;
    CHECK_EQ(domctl_dominf_flags(&s), XEN_DOMINF_blocked | 0xffff0000u);
    s.all_blocked = false;
    s.any_running = true;
    CHECK_EQ(domctl_dominf_flags(&s), XEN_DOMINF_running | 0xffff0000u);
    s.any_running = false;
    s.shut_down = true;
    s.shutdown_code = 0;                    /* SHUTDOWN_poweroff */
    CHECK_EQ(domctl_dominf_flags(&s), XEN_DOMINF_shutdown);
    s.shutdown_code = 3;                    /* SHUTDOWN_crash */
    s.dead = true;
    s.nr_online_vcpus = 0;
    s.all_blocked = true;                   /* ignored without vCPUs */
    CHECK_EQ(domctl_dominf_flags(&s), XEN_DOMINF_shutdown | XEN_DOMINF_dying |
                                      (3u << XEN_DOMINF_shutdownshift));
}

TEST(readconsole_start)
{
    /* Not incremental: from the oldest byte. */
    CHECK_EQ(sysctl_readconsole_start(10, 50, false, 30), 10);
    /* Incremental inside (cons, prod]. */
    CHECK_EQ(sysctl_readconsole_start(10, 50, true, 30), 30);
    CHECK_EQ(sysctl_readconsole_start(10, 50, true, 50), 50);
    CHECK_EQ(sysctl_readconsole_start(10, 50, true, 10), 10);
    CHECK_EQ(sysctl_readconsole_start(10, 50, true, 51), 10);  /* past prod */
    CHECK_EQ(sysctl_readconsole_start(10, 50, true, 5), 10);   /* overwritten */
    /* Wrapped 32-bit indices. */
    CHECK_EQ(sysctl_readconsole_start(0xfffffff0u, 0x10, true, 0xfffffff8u),
             0xfffffff8u);
    CHECK_EQ(sysctl_readconsole_start(0xfffffff0u, 0x10, true, 0x8), 0x8);
    CHECK_EQ(sysctl_readconsole_start(0xfffffff0u, 0x10, true, 0x20),
             0xfffffff0u);
}

int main(void)
{
    RUN(createdomain_accepts_pv);
    RUN(createdomain_rejects_like_xen);
    RUN(port_and_memory_ranges);
    RUN(affinity_params);
    RUN(bitmap_conversion);
    RUN(sched_putinfo_credit);
    RUN(sched_putinfo_credit2);
    RUN(dominf_flags);
    RUN(readconsole_start);
    HARNESS_EXIT();
}
