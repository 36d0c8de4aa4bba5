/*
 * Domain and system control (common/domctl.c, common/sysctl.c,
 * arch/x86/domctl.c): the toolstack's XEN_DOMCTL_* and XEN_SYSCTL_*
 * commands, and the pure argument checks they share
 * (common/domctl_check.c, host-tested by tests/unit/test_domctl.c).
 *
 * The checks take only copied-in arguments and constants, change
 * nothing, and return 0 or the -errno Xen 4.17 gives for the same input.
 */
#ifndef KEEL_DOMCTL_H
#define KEEL_DOMCTL_H

#include <keel/types.h>
#include <keel/sched-if.h>
#include <public/domctl.h>
#include <public/sysctl.h>

struct domain;
struct vcpu;

/* ---- pure checks (common/domctl_check.c) --------------------------------- */

/* What this hypervisor can give a new domain. */
struct domctl_limits {
    unsigned int max_vcpus;             /* per domain */
    unsigned int max_grant_frames;      /* boot limit (gnttab_max_frames) */
    unsigned int max_maptrack_frames;   /* boot limit */
    unsigned int max_grant_version;     /* highest grant version allowed */
    bool iommu;                         /* an IOMMU is in use */
};

/*
 * XEN_DOMCTL_createdomain's configuration, as Xen's sanitise_domain_config
 * and arch_sanitise_domain_config judge it, in their order: unknown flags,
 * grant options, no vCPUs, HAP without HVM, IOMMU options, vmtrace, vPMU,
 * HVM (not available: -EINVAL), too many vCPUs, s3_integrity, misc flags;
 * then the emulation flags (PV: none or the PIT, else -EOPNOTSUPP), the
 * grant version (1..max) and table sizes (-EINVAL), the CPU pool (only 0:
 * -ESRCH).
 */
int domctl_check_createdomain(const struct xen_domctl_createdomain *c,
                              const struct domctl_limits *lim);

/* XEN_DOMCTL_ioport_permission: [first, first + nr) inside 0..0xffff. */
int domctl_check_ioport_range(uint32_t first, uint32_t nr);
/* XEN_DOMCTL_iomem_permission: [first, first + nr) not wrapping, nr != 0. */
int domctl_check_iomem_range(uint64_t first, uint64_t nr);

/* XEN_DOMCTL_{set,get}vcpuaffinity: a flag and a bitmap for each flag. */
int domctl_check_vcpuaffinity(const struct xen_domctl_vcpuaffinity *a);

/*
 * A guest bitmap's first bytes (what was copied: min(guest bytes, bytes
 * for nbits)) as a CPU mask of nbits CPUs; bits past nr_bits are ignored.
 */
void domctl_bytes_to_cpumask(const uint8_t *bytes, size_t nbytes,
                             uint32_t nr_bits, unsigned int nbits,
                             cpumask_t *m);
/* nbits CPUs of m as bytes ((nbits + 7) / 8 of them). */
void domctl_cpumask_to_bytes(const cpumask_t *m, unsigned int nbits,
                             uint8_t *bytes);

/*
 * XEN_DOMCTL_SCHEDOP_putinfo with the rules of the scheduler Keel
 * presents (sched_id): credit: weight 0 keeps it, cap 0xffff keeps it,
 * any other cap is taken; credit2: weight 0 keeps it, cap 0 removes it,
 * a cap over 100 per vCPU is -EINVAL (and, as in Xen, the weight given
 * with it is taken all the same).  *weight and *cap hold the values to
 * apply, error or not; the rules also judge unknown ids (-EINVAL).
 */
int domctl_sched_putinfo(unsigned int sched_id, uint16_t new_weight,
                         uint16_t new_cap, unsigned int nr_vcpus,
                         unsigned int *weight, unsigned int *cap);

/* What getdomaininfo's flags are made of. */
struct domctl_dominf_state {
    unsigned int nr_online_vcpus;
    bool all_blocked;                   /* every online vCPU waits */
    bool any_running;                   /* a vCPU is on a CPU */
    bool dead;                          /* destroyed (zombie) */
    bool shut_down;
    unsigned int controller_pause_count;
    unsigned int shutdown_code;         /* SHUTDOWN_CODE_INVALID: none */
};
uint32_t domctl_dominf_flags(const struct domctl_dominf_state *s);

/*
 * XEN_SYSCTL_readconsole's start: the oldest byte kept (cons) unless
 * incremental and idx lies in (cons, prod] (32-bit, wrapping).
 */
uint32_t sysctl_readconsole_start(uint32_t cons, uint32_t prod,
                                  bool incremental, uint32_t idx);

/* ---- the rest (hypervisor only) ------------------------------------------- */

/*
 * vCPU id of d as the toolstack sees it: NULL past max_vcpus, and before
 * XEN_DOMCTL_max_vcpus (see struct domain.vcpus_published).  The caller
 * has checked id < d->max_vcpus where Xen answers -EINVAL for that.
 */
struct vcpu *domctl_vcpu(struct domain *d, uint32_t id);

/* The XEN_SCHEDULER_* id Keel presents (sched=, common/sched/sched.c). */
unsigned int sched_id(void);
/* Its name ("credit" or "credit2"); warns once about an unknown sched=. */
const char *sched_name(void);
/* XEN_DOMCTL_scheduler_op for d (common/sched/sched_ctl.c). */
int sched_domctl_adjust(struct domain *cur, struct domain *d,
                        struct xen_domctl_scheduler_op *op);
/* XEN_DOMCTL_{set,get}vcpuaffinity. */
int sched_domctl_vcpuaffinity(struct domain *d, uint32_t cmd,
                              struct xen_domctl_vcpuaffinity *a);
/* XEN_DOMCTL_getvcpuinfo. */
int sched_domctl_getvcpuinfo(struct domain *d,
                             struct xen_domctl_getvcpuinfo *info);
/* getdomaininfo of d (XEN_DOMCTL_getdomaininfo, getdomaininfolist). */
void domctl_getdomaininfo(struct domain *d,
                          struct xen_domctl_getdomaininfo *info);

/*
 * One domctl in progress (common/domctl.c): the copied-in struct, the
 * caller's domain, the target (with a reference; NULL for commands that
 * name no existing domain), where the struct lives in the caller, and
 * whether the whole struct goes back to the caller.
 */
struct domctl_call {
    struct domain *cur;
    struct domain *d;
    struct xen_domctl *op;
    uint64_t u_domctl;
    bool copyback;
};

/*
 * The arch commands (arch/x86/domctl.c), each a handler of the domctl
 * table: 0 or -errno; -ERESTART makes the dispatcher continue the call.
 */
long arch_domctl_setvcpucontext(struct domctl_call *c);
long arch_domctl_getvcpucontext(struct domctl_call *c);
long arch_domctl_ioport_permission(struct domctl_call *c);
long arch_domctl_hypercall_init(struct domctl_call *c);
long arch_domctl_set_address_size(struct domctl_call *c);
long arch_domctl_get_address_size(struct domctl_call *c);
/* XEN_SYSCTL_physinfo's arch part: hw_cap and the capabilities. */
void arch_do_physinfo(struct xen_sysctl_physinfo *pi);

#endif /* KEEL_DOMCTL_H */
