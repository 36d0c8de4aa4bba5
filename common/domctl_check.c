/*
 * The pure argument checks of domain and system control (declared in
 * include/keel/domctl.h): each judges copied-in arguments against
 * constants and gives Xen 4.17's answer for the same input, with no side
 * effect, so the dispatchers in common/domctl.c and common/sysctl.c can
 * call them before anything changes and tests/unit/test_domctl.c can
 * exercise every rule on the host.
 */
#include <keel/domctl.h>
#include <keel/errno.h>
#include <keel/lib.h>
#include <keel/domain.h>
#include <keel/grant_table.h>

#define IOPORT_LIMIT        0x10000u
#define CDF_KNOWN           (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap |     \
                             XEN_DOMCTL_CDF_s3_integrity |                 \
                             XEN_DOMCTL_CDF_oos_off |                      \
                             XEN_DOMCTL_CDF_xs_domain |                    \
                             XEN_DOMCTL_CDF_iommu |                        \
                             XEN_DOMCTL_CDF_nested_virt |                  \
                             XEN_DOMCTL_CDF_vpmu)
#define CREDIT_CAP_KEEP     0xffffu     /* credit: cap left unchanged */
#define CAP_PER_VCPU        100

int domctl_check_createdomain(const struct xen_domctl_createdomain *c,
                              const struct domctl_limits *lim)
{
    uint32_t version = XEN_DOMCTL_GRANT_version(c->grant_opts);

    /* sanitise_domain_config(), in Xen's order. */
    if ( c->flags & ~CDF_KNOWN )
        return -EINVAL;
    if ( c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask )
        return -EINVAL;
    if ( c->max_vcpus < 1 )
        return -EINVAL;
    if ( (c->flags & XEN_DOMCTL_CDF_hap) && !(c->flags & XEN_DOMCTL_CDF_hvm) )
        return -EINVAL;
    if ( c->flags & XEN_DOMCTL_CDF_iommu )
    {
        if ( (c->iommu_opts & ~XEN_DOMCTL_IOMMU_no_sharept) || !lim->iommu )
            return -EINVAL;
    }
    else if ( c->iommu_opts )
        return -EINVAL;
    if ( c->vmtrace_size )              /* no processor tracing */
        return -EINVAL;
    if ( c->flags & XEN_DOMCTL_CDF_vpmu )   /* no vPMU */
        return -EINVAL;

    /* arch_sanitise_domain_config(): PV only, so no HVM, HAP or nesting. */
    if ( c->flags & XEN_DOMCTL_CDF_hvm )
        return -EINVAL;
    if ( c->max_vcpus > lim->max_vcpus )
        return -EINVAL;
    if ( c->flags & XEN_DOMCTL_CDF_s3_integrity )   /* no tboot */
        return -EINVAL;
    if ( c->flags & XEN_DOMCTL_CDF_nested_virt )    /* needs HAP */
        return -EINVAL;
    if ( c->arch.misc_flags & ~XEN_X86_MSR_RELAXED )
        return -EINVAL;

    /* arch_domain_create(): a PV domain may only ask for a PIT. */
    if ( c->arch.emulation_flags & ~XEN_X86_EMU_ALL )
        return -EINVAL;
    if ( c->arch.emulation_flags && c->arch.emulation_flags != XEN_X86_EMU_PIT )
        return -EOPNOTSUPP;

    /* grant_table_init(). */
    if ( version < 1 || version > lim->max_grant_version )
        return -EINVAL;
    if ( c->max_grant_frames >= 0 &&
         ((uint32_t)c->max_grant_frames < GNTTAB_INITIAL_FRAMES ||
          (uint32_t)c->max_grant_frames > lim->max_grant_frames) )
        return -EINVAL;
    if ( c->max_maptrack_frames >= 0 &&
         (uint32_t)c->max_maptrack_frames > lim->max_maptrack_frames )
        return -EINVAL;

    /* sched_init_domain(): the only CPU pool is pool 0. */
    if ( c->cpupool_id != 0 )
        return -ESRCH;
    return 0;
}

int domctl_check_ioport_range(uint32_t first, uint32_t nr)
{
    uint32_t end = first + nr;

    if ( end <= first || end > IOPORT_LIMIT )
        return -EINVAL;
    return 0;
}

int domctl_check_iomem_range(uint64_t first, uint64_t nr)
{
    /* Xen: (mfn + nr - 1) < mfn, which nr == 0 fails too. */
    if ( first + nr - 1 < first )
        return -EINVAL;
    return 0;
}

int domctl_check_vcpuaffinity(const struct xen_domctl_vcpuaffinity *a)
{
    if ( !a->flags ||
         ((a->flags & XEN_VCPUAFFINITY_HARD) &&
          !xen_guest_handle_addr(a->cpumap_hard.bitmap)) ||
         ((a->flags & XEN_VCPUAFFINITY_SOFT) &&
          !xen_guest_handle_addr(a->cpumap_soft.bitmap)) )
        return -EINVAL;
    return 0;
}

void domctl_bytes_to_cpumask(const uint8_t *bytes, size_t nbytes,
                             uint32_t nr_bits, unsigned int nbits,
                             cpumask_t *m)
{
    unsigned int cpu;

    memset(m, 0, sizeof(*m));
    for ( cpu = 0; cpu < nbits && cpu < 64 * SCHED_CPUMASK_WORDS; cpu++ )
    {
        if ( cpu / 8 >= nbytes || cpu >= nr_bits )
            break;
        if ( (bytes[cpu / 8] >> (cpu % 8)) & 1 )
            m->bits[cpu / 64] |= 1ULL << (cpu % 64);
    }
}

void domctl_cpumask_to_bytes(const cpumask_t *m, unsigned int nbits,
                             uint8_t *bytes)
{
    unsigned int cpu;

    memset(bytes, 0, (nbits + 7) / 8);
    for ( cpu = 0; cpu < nbits; cpu++ )
        if ( cpumask_test(m, cpu) )
            bytes[cpu / 8] |= 1u << (cpu % 8);
}

int domctl_sched_putinfo(unsigned int sched_id, uint16_t new_weight,
                         uint16_t new_cap, unsigned int nr_vcpus,
                         unsigned int *weight, unsigned int *cap)
{
    switch ( sched_id )
    {
    case XEN_SCHEDULER_CREDIT:
        if ( new_weight )
            *weight = new_weight;
        if ( new_cap != CREDIT_CAP_KEEP )
            *cap = new_cap;
        return 0;

    case XEN_SCHEDULER_CREDIT2:
        /* Xen: the weight is taken even when the cap is then refused. */
        if ( new_weight )
            *weight = new_weight;
        if ( new_cap > CAP_PER_VCPU * nr_vcpus )
            return -EINVAL;
        *cap = new_cap;
        return 0;
    }
    return -EINVAL;
}

uint32_t domctl_dominf_flags(const struct domctl_dominf_state *s)
{
    uint32_t flags = 0;

    if ( s->nr_online_vcpus )
        flags = (s->all_blocked ? XEN_DOMINF_blocked : 0) |
                (s->any_running ? XEN_DOMINF_running : 0);
    if ( s->dead )
        flags |= XEN_DOMINF_dying;
    if ( s->shut_down )
        flags |= XEN_DOMINF_shutdown;
    if ( s->controller_pause_count )
        flags |= XEN_DOMINF_paused;
    /* Xen shifts its whole code in, ~0u included: bits 16-31 all set. */
    flags |= s->shutdown_code << XEN_DOMINF_shutdownshift;
    return flags;
}

uint32_t sysctl_readconsole_start(uint32_t cons, uint32_t prod,
                                  bool incremental, uint32_t idx)
{
    if ( incremental &&
         (cons <= prod ? (cons < idx && idx <= prod)
                       : (cons < idx || idx <= prod)) )
        return idx;
    return cons;
}
