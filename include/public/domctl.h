/*
 * Keel public ABI: HYPERVISOR_domctl(struct xen_domctl *).
 *
 * Domain management for the toolstack: create, configure, run, inspect and
 * destroy domains.  One hypercall takes a struct xen_domctl naming the
 * command, the interface version and the target domain, with a 128-byte
 * union for the command's argument; results are copied back into the same
 * struct.  Command numbers, the interface version and every layout here
 * are Xen 4.17's, so Xen's toolstack libraries can drive Keel; commands
 * Keel does not implement answer -XEN_ENOSYS.
 *
 * Privilege: the control domain (dom0, or a domain given control
 * privilege); a device-model domain may use the few commands that act on
 * its own target.  Any other caller gets -XEN_EPERM.
 *
 * Errors for every command: -XEN_EACCES (interface_version is not
 * XEN_DOMCTL_INTERFACE_VERSION), -XEN_EFAULT (struct not accessible),
 * -XEN_ESRCH (no such domain), -XEN_EPERM, -XEN_ENOSYS (unknown or
 * unimplemented command); -XEN_EINVAL for rejected arguments unless noted.
 * Commands acting on a domain refuse the caller itself where that makes no
 * sense (pausing or destroying itself: -XEN_EINVAL).
 */
#ifndef KEEL_PUBLIC_DOMCTL_H
#define KEEL_PUBLIC_DOMCTL_H

#include "xen.h"
#include "event_channel.h"
#include "grant_table.h"
#include "memory.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

/*
 * XEN_DOMCTL_createdomain: create a paused, empty domain.  domctl.domain
 * is IN/OUT: 0 or an id >= DOMID_FIRST_RESERVED asks for a free id, which
 * is returned there.  -XEN_EEXIST (id in use), -XEN_EINVAL (unknown flags,
 * max_vcpus 0 or too big), -XEN_ENOMEM.  Keel builds PV domains only:
 * XEN_DOMCTL_CDF_hvm is refused with -XEN_EINVAL.
 */
struct xen_domctl_createdomain {
    uint32_t ssidref;                   /* IN: security label (XSM) */
    xen_domain_handle_t handle;         /* IN: UUID */
#define _XEN_DOMCTL_CDF_hvm           0
#define XEN_DOMCTL_CDF_hvm            (1u << _XEN_DOMCTL_CDF_hvm)
#define _XEN_DOMCTL_CDF_hap           1
#define XEN_DOMCTL_CDF_hap            (1u << _XEN_DOMCTL_CDF_hap)
#define _XEN_DOMCTL_CDF_s3_integrity  2
#define XEN_DOMCTL_CDF_s3_integrity   (1u << _XEN_DOMCTL_CDF_s3_integrity)
#define _XEN_DOMCTL_CDF_oos_off       3
#define XEN_DOMCTL_CDF_oos_off        (1u << _XEN_DOMCTL_CDF_oos_off)
#define _XEN_DOMCTL_CDF_xs_domain     4
#define XEN_DOMCTL_CDF_xs_domain      (1u << _XEN_DOMCTL_CDF_xs_domain)
#define _XEN_DOMCTL_CDF_iommu         5
#define XEN_DOMCTL_CDF_iommu          (1u << _XEN_DOMCTL_CDF_iommu)
#define _XEN_DOMCTL_CDF_nested_virt   6
#define XEN_DOMCTL_CDF_nested_virt    (1u << _XEN_DOMCTL_CDF_nested_virt)
#define XEN_DOMCTL_CDF_vpmu           (1u << 7)
#define XEN_DOMCTL_CDF_MAX            XEN_DOMCTL_CDF_vpmu
    /*
     * hvm: HVM guest (else PV); hap: hardware paging; s3_integrity: tboot
     * check over S3; oos_off: no out-of-sync shadows; xs_domain: runs
     * xenstored; iommu: may get passed-through devices; nested_virt: may
     * run its own hypervisor; vpmu: sees the PMU.
     */
    uint32_t flags;                     /* IN: XEN_DOMCTL_CDF_* */
#define _XEN_DOMCTL_IOMMU_no_sharept  0
#define XEN_DOMCTL_IOMMU_no_sharept   (1u << _XEN_DOMCTL_IOMMU_no_sharept)
#define XEN_DOMCTL_IOMMU_MAX          XEN_DOMCTL_IOMMU_no_sharept
    uint32_t iommu_opts;                /* IN: XEN_DOMCTL_IOMMU_* */
    uint32_t max_vcpus;                 /* IN: vCPUs the domain may have */
    uint32_t max_evtchn_port;           /* IN: highest event channel port */
    int32_t max_grant_frames;           /* IN: grant frames, <0 = default */
    int32_t max_maptrack_frames;        /* IN: maptrack frames, <0 = dflt */
#define XEN_DOMCTL_GRANT_version_mask    0xf
#define XEN_DOMCTL_GRANT_version(v)      ((v) & XEN_DOMCTL_GRANT_version_mask)
    uint32_t grant_opts;                /* IN: max grant version, bits 0-3 */
    uint32_t vmtrace_size;              /* IN: trace bytes/vCPU, 0 = none */
    uint32_t cpupool_id;                /* IN: CPU pool, 0 = default */
    struct xen_arch_domainconfig arch;  /* IN */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_createdomain, 64);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_createdomain, handle, 4);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_createdomain, flags, 20);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_createdomain, max_vcpus, 28);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_createdomain, max_grant_frames, 36);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_createdomain, grant_opts, 44);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_createdomain, cpupool_id, 52);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_createdomain, arch, 56);

/*
 * XEN_DOMCTL_getdomaininfo: state of a domain.  As in Xen 4.17, the answer
 * is for the first existing domain whose id is >= domctl.domain, and
 * domctl.domain and @domain are set to the id reported; -XEN_ESRCH when
 * there is none.
 */
struct xen_domctl_getdomaininfo {
    domid_t  domain;                    /* OUT: id reported */
    uint16_t pad1;
#define _XEN_DOMINF_dying     0
#define XEN_DOMINF_dying      (1u << _XEN_DOMINF_dying)     /* dying */
#define _XEN_DOMINF_hvm_guest 1
#define XEN_DOMINF_hvm_guest  (1u << _XEN_DOMINF_hvm_guest) /* HVM, not PV */
#define _XEN_DOMINF_shutdown  2
#define XEN_DOMINF_shutdown   (1u << _XEN_DOMINF_shutdown)  /* has shut down */
#define _XEN_DOMINF_paused    3
#define XEN_DOMINF_paused     (1u << _XEN_DOMINF_paused)    /* by tools */
#define _XEN_DOMINF_blocked   4
#define XEN_DOMINF_blocked    (1u << _XEN_DOMINF_blocked)   /* all vCPUs wait */
#define _XEN_DOMINF_running   5
#define XEN_DOMINF_running    (1u << _XEN_DOMINF_running)   /* a vCPU runs */
#define _XEN_DOMINF_debugged  6
#define XEN_DOMINF_debugged   (1u << _XEN_DOMINF_debugged)  /* debugged */
#define _XEN_DOMINF_xs_domain 7
#define XEN_DOMINF_xs_domain  (1u << _XEN_DOMINF_xs_domain) /* runs xenstored */
#define _XEN_DOMINF_hap       8
#define XEN_DOMINF_hap        (1u << _XEN_DOMINF_hap)       /* uses HAP */
/* With XEN_DOMINF_shutdown: the SHUTDOWN_* reason in bits 16-23. */
#define XEN_DOMINF_shutdownmask  255
#define XEN_DOMINF_shutdownshift 16
    uint32_t flags;                     /* OUT: XEN_DOMINF_* */
    uint64_aligned_t tot_pages;         /* OUT: pages owned */
    uint64_aligned_t max_pages;         /* OUT: limit (max_mem) */
    uint64_aligned_t outstanding_pages; /* OUT: claimed, not yet allocated */
    uint64_aligned_t shr_pages;         /* OUT: shared pages */
    uint64_aligned_t paged_pages;       /* OUT: paged-out pages */
    uint64_aligned_t shared_info_frame; /* OUT: frame of shared_info */
    uint64_aligned_t cpu_time;          /* OUT: ns of CPU used, all vCPUs */
    uint32_t nr_online_vcpus;           /* OUT: vCPUs up */
#define XEN_INVALID_MAX_VCPU_ID (~0u)   /* the domain has no vCPUs */
    uint32_t max_vcpu_id;               /* OUT: highest vCPU id */
    uint32_t ssidref;                   /* OUT: security label */
    xen_domain_handle_t handle;         /* OUT: UUID */
    uint32_t cpupool;                   /* OUT: CPU pool */
    uint8_t gpaddr_bits;                /* OUT: guest-physical address bits */
    uint8_t pad2[7];
    struct xen_arch_domainconfig arch_config;   /* OUT */
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_getdomaininfo_t);
XEN_ABI_CHECK_SIZE(struct xen_domctl_getdomaininfo, 112);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getdomaininfo, flags, 4);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getdomaininfo, tot_pages, 8);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getdomaininfo, shared_info_frame, 48);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getdomaininfo, cpu_time, 56);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getdomaininfo, nr_online_vcpus, 64);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getdomaininfo, ssidref, 72);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getdomaininfo, handle, 76);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getdomaininfo, cpupool, 92);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getdomaininfo, gpaddr_bits, 96);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getdomaininfo, arch_config, 104);

/*
 * XEN_DOMCTL_getpageframeinfo3: type of each frame in @array (MFNs in,
 * MFN | XEN_DOMCTL_PFINFO_* out), for save and dump tools.
 */
#define XEN_DOMCTL_PFINFO_LTAB_SHIFT 28
#define XEN_DOMCTL_PFINFO_NOTAB   (0x0u << 28)  /* not a page table */
#define XEN_DOMCTL_PFINFO_L1TAB   (0x1u << 28)
#define XEN_DOMCTL_PFINFO_L2TAB   (0x2u << 28)
#define XEN_DOMCTL_PFINFO_L3TAB   (0x3u << 28)
#define XEN_DOMCTL_PFINFO_L4TAB   (0x4u << 28)
#define XEN_DOMCTL_PFINFO_LTABTYPE_MASK (0x7u << 28)
#define XEN_DOMCTL_PFINFO_LPINTAB (0x1u << 31)  /* pinned */
#define XEN_DOMCTL_PFINFO_XTAB    (0xfu << 28)  /* invalid frame */
#define XEN_DOMCTL_PFINFO_XALLOC  (0xeu << 28)  /* allocate-only */
#define XEN_DOMCTL_PFINFO_BROKEN  (0xdu << 28)  /* broken frame */
#define XEN_DOMCTL_PFINFO_LTAB_MASK (0xfu << 28)
struct xen_domctl_getpageframeinfo3 {
    uint64_aligned_t num;                   /* IN: entries in array */
    XEN_GUEST_HANDLE_64(xen_pfn_t) array;   /* IN/OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_getpageframeinfo3, 16);

/*
 * XEN_DOMCTL_shadow_op: shadow paging and log-dirty control (HVM, and PV
 * live migration).
 */
#define XEN_DOMCTL_SHADOW_OP_OFF              0
#define XEN_DOMCTL_SHADOW_OP_ENABLE_TEST      1
#define XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY  2
#define XEN_DOMCTL_SHADOW_OP_CLEAN           11  /* read + reset dirty bitmap */
#define XEN_DOMCTL_SHADOW_OP_PEEK            12  /* read dirty bitmap */
#define XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION  30
#define XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION  31
#define XEN_DOMCTL_SHADOW_OP_ENABLE          32
#define XEN_DOMCTL_SHADOW_ENABLE_REFCOUNT  (1 << 1)
#define XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY (1 << 2)
#define XEN_DOMCTL_SHADOW_ENABLE_TRANSLATE (1 << 3)
#define XEN_DOMCTL_SHADOW_ENABLE_EXTERNAL  (1 << 4)
#define XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL   (1 << 0)
struct xen_domctl_shadow_op_stats {
    uint32_t fault_count;
    uint32_t dirty_count;
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_shadow_op_stats, 8);
struct xen_domctl_shadow_op {
    uint32_t op;                        /* IN: XEN_DOMCTL_SHADOW_OP_* */
    uint32_t mode;                      /* IN: ENABLE_* or LOGDIRTY_* flags */
    uint32_t mb;                        /* IN/OUT: shadow pool size, MiB */
    XEN_GUEST_HANDLE_64(uint8) dirty_bitmap;    /* OUT: one bit per page */
    uint64_aligned_t pages;             /* IN/OUT: bitmap size in pages */
    struct xen_domctl_shadow_op_stats stats;    /* OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_shadow_op, 40);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_shadow_op, dirty_bitmap, 16);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_shadow_op, stats, 32);

/* XEN_DOMCTL_max_mem: set the domain's memory limit. */
struct xen_domctl_max_mem {
    uint64_aligned_t max_memkb;         /* IN: limit in KiB */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_max_mem, 8);

/*
 * XEN_DOMCTL_setvcpucontext / getvcpucontext: a vCPU's full state (struct
 * vcpu_guest_context).  set: the domain must be paused; a NULL ctxt resets
 * the vCPU.  -XEN_EINVAL (bad vcpu or rejected context), -XEN_ENOENT.
 */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;                                  /* IN */
    XEN_GUEST_HANDLE_64(vcpu_guest_context_t) ctxt; /* IN/OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_vcpucontext, 16);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_vcpucontext, ctxt, 8);

/* XEN_DOMCTL_getvcpuinfo: run state of one vCPU.  -XEN_EINVAL, -XEN_ENOENT. */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;                      /* IN */
    uint8_t  online;                    /* OUT: up */
    uint8_t  blocked;                   /* OUT: waiting for an event */
    uint8_t  running;                   /* OUT: on a physical CPU now */
    uint64_aligned_t cpu_time;          /* OUT: ns of CPU used */
    uint32_t cpu;                       /* OUT: physical CPU it is on */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_getvcpuinfo, 24);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getvcpuinfo, online, 4);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getvcpuinfo, cpu_time, 8);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_getvcpuinfo, cpu, 16);

/* XEN_DOMCTL_setnodeaffinity / getnodeaffinity: NUMA nodes preferred for
 * the domain's memory and vCPUs. */
struct xen_domctl_nodeaffinity {
    struct xenctl_bitmap nodemap;       /* IN (set) / OUT (get) */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_nodeaffinity, 16);

/*
 * XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity: physical CPUs a vCPU may
 * (hard) or prefers to (soft) run on, as chosen by @flags.  On set, the
 * maps are IN and OUT: they come back as the affinity actually in effect
 * (intersected with the CPU pool's online CPUs).  -XEN_EINVAL (empty
 * effective hard affinity, no flag), -XEN_ENOENT (no such vCPU).
 */
struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;                      /* IN */
#define _XEN_VCPUAFFINITY_HARD  0
#define XEN_VCPUAFFINITY_HARD   (1u << _XEN_VCPUAFFINITY_HARD)
#define _XEN_VCPUAFFINITY_SOFT  1
#define XEN_VCPUAFFINITY_SOFT   (1u << _XEN_VCPUAFFINITY_SOFT)
#define _XEN_VCPUAFFINITY_FORCE 2
/* FORCE: also end a SCHEDOP_pin_override */
#define XEN_VCPUAFFINITY_FORCE  (1u << _XEN_VCPUAFFINITY_FORCE)
    uint32_t flags;                     /* IN: XEN_VCPUAFFINITY_* */
    struct xenctl_bitmap cpumap_hard;   /* IN/OUT */
    struct xenctl_bitmap cpumap_soft;   /* IN/OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_vcpuaffinity, 40);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_vcpuaffinity, cpumap_hard, 8);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_vcpuaffinity, cpumap_soft, 24);

/* XEN_DOMCTL_max_vcpus: allocate the vCPUs; @max must equal the
 * createdomain max_vcpus (-XEN_EINVAL otherwise). */
struct xen_domctl_max_vcpus {
    uint32_t max;                       /* IN */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_max_vcpus, 4);

/*
 * XEN_DOMCTL_scheduler_op: scheduling parameters of a domain.  @sched_id
 * must name the scheduler of the domain's CPU pool (-XEN_EINVAL otherwise).
 * putinfo/getinfo use the per-scheduler struct; put/getvcpuinfo use the
 * per-vCPU array (schedulers without per-vCPU parameters: -XEN_EINVAL).
 */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9
/* 4 was SEDF, removed. */

struct xen_domctl_sched_credit {
    uint16_t weight;                    /* relative share, 1-65535 */
    uint16_t cap;                       /* % of one CPU at most, 0 = none */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_sched_credit, 4);

struct xen_domctl_sched_credit2 {
    uint16_t weight;
    uint16_t cap;
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_sched_credit2, 4);

struct xen_domctl_sched_rtds {
    uint32_t period;                    /* us */
    uint32_t budget;                    /* us */
#define _XEN_DOMCTL_SCHEDRT_extra   0
/* extra: the vCPU may run beyond its budget when CPUs are idle */
#define XEN_DOMCTL_SCHEDRT_extra    (1u << _XEN_DOMCTL_SCHEDRT_extra)
    uint32_t flags;
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_sched_rtds, 12);

typedef struct xen_domctl_schedparam_vcpu {
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
    } u;
    uint32_t vcpuid;
} xen_domctl_schedparam_vcpu_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_schedparam_vcpu_t);
XEN_ABI_CHECK_SIZE(struct xen_domctl_schedparam_vcpu, 16);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_schedparam_vcpu, vcpuid, 12);

#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3
struct xen_domctl_scheduler_op {
    uint32_t sched_id;                  /* IN: XEN_SCHEDULER_* */
    uint32_t cmd;                       /* IN: XEN_DOMCTL_SCHEDOP_* */
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
        struct {
            XEN_GUEST_HANDLE_64(xen_domctl_schedparam_vcpu_t) vcpus;
            uint32_t nr_vcpus;          /* IN: entries; OUT: entries done */
            uint32_t padding;
        } v;
    } u;                                /* IN/OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_scheduler_op, 24);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_scheduler_op, u, 8);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_scheduler_op, u.v.nr_vcpus, 16);

/* XEN_DOMCTL_setdomainhandle: change the domain's UUID. */
struct xen_domctl_setdomainhandle {
    xen_domain_handle_t handle;         /* IN */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_setdomainhandle, 16);

/* XEN_DOMCTL_setdebugging: mark the domain as being debugged (debug traps
 * pause it instead of reaching the guest). */
struct xen_domctl_setdebugging {
    uint8_t enable;                     /* IN */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_setdebugging, 1);

/* XEN_DOMCTL_irq_permission: allow or deny the domain physical IRQ @pirq
 * (of the caller).  The caller needs access to it itself. */
struct xen_domctl_irq_permission {
    uint32_t pirq;                      /* IN */
    uint8_t allow_access;               /* IN: non-zero = allow */
    uint8_t pad[3];
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_irq_permission, 8);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_irq_permission, allow_access, 4);

/* XEN_DOMCTL_iomem_permission: allow or deny mapping machine frames
 * [first_mfn, first_mfn + nr_mfns).  -XEN_EINVAL for an empty or wrapping
 * range. */
struct xen_domctl_iomem_permission {
    uint64_aligned_t first_mfn;         /* IN */
    uint64_aligned_t nr_mfns;           /* IN: > 0 */
    uint8_t allow_access;               /* IN: non-zero = allow */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_iomem_permission, 24);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_iomem_permission, allow_access, 16);

/* XEN_DOMCTL_ioport_permission: allow or deny I/O ports
 * [first_port, first_port + nr_ports).  -XEN_EINVAL beyond port 65535. */
struct xen_domctl_ioport_permission {
    uint32_t first_port;                /* IN */
    uint32_t nr_ports;                  /* IN */
    uint8_t allow_access;               /* IN: non-zero = allow */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_ioport_permission, 12);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_ioport_permission, allow_access, 8);

/* XEN_DOMCTL_hypercall_init: fill frame @gmfn of the domain with
 * hypercall stubs (the builder's hypercall page). */
struct xen_domctl_hypercall_init {
    uint64_aligned_t gmfn;              /* IN */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_hypercall_init, 8);

/* XEN_DOMCTL_settimeoffset: the domain's wall clock runs this many seconds
 * from the host's. */
struct xen_domctl_settimeoffset {
    int64_aligned_t time_offset_seconds;    /* IN */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_settimeoffset, 8);

/* XEN_DOMCTL_set_address_size / get_address_size: guest word size in bits
 * (64 for every Keel guest; 32 is refused with -XEN_EINVAL). */
struct xen_domctl_address_size {
    uint32_t size;                      /* IN (set) / OUT (get) */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_address_size, 4);

/* XEN_DOMCTL_sendtrigger: inject an event into a vCPU (NMI for PV). */
#define XEN_DOMCTL_SENDTRIGGER_NMI    0
#define XEN_DOMCTL_SENDTRIGGER_RESET  1
#define XEN_DOMCTL_SENDTRIGGER_INIT   2
#define XEN_DOMCTL_SENDTRIGGER_POWER  3
#define XEN_DOMCTL_SENDTRIGGER_SLEEP  4
struct xen_domctl_sendtrigger {
    uint32_t trigger;                   /* IN: XEN_DOMCTL_SENDTRIGGER_* */
    uint32_t vcpu;                      /* IN */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_sendtrigger, 8);

/*
 * XEN_DOMCTL_assign_device / test_assign_device / deassign_device: give a
 * PCI device (through the IOMMU) to the domain, check whether it could be
 * (DOMID_INVALID: whether it is assigned anywhere), or take it back to
 * dom0.  -XEN_EBUSY (assigned elsewhere), -XEN_ENODEV, -XEN_EINVAL.
 */
#define XEN_DOMCTL_DEV_PCI      0
#define XEN_DOMCTL_DEV_DT       1
struct xen_domctl_assign_device {
    uint32_t dev;                       /* IN: XEN_DOMCTL_DEV_* */
#define XEN_DOMCTL_DEV_RDM_RELAXED      1   /* tolerate RMRR conflicts */
    uint32_t flags;                     /* IN */
    union {
        struct {
            uint32_t machine_sbdf;      /* IN: seg << 16 | bus << 8 | devfn */
        } pci;
        struct {
            uint32_t size;              /* IN: length of path */
            XEN_GUEST_HANDLE_64(char) path; /* IN: device-tree node */
        } dt;
    } u;
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_assign_device, 24);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_assign_device, u, 8);

/* XEN_DOMCTL_set_target: let the domain (a device model) control @target. */
struct xen_domctl_set_target {
    domid_t target;                     /* IN */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_set_target, 2);

/* XEN_DOMCTL_gettscinfo / settscinfo: how the domain sees the TSC. */
struct xen_domctl_tsc_info {
    uint32_t tsc_mode;                  /* IN/OUT: 0 default, 1 always
                                           emulate, 2 never emulate */
    uint32_t gtsc_khz;                  /* IN/OUT: guest TSC frequency */
    uint32_t incarnation;               /* IN/OUT: migrations so far */
    uint32_t pad;
    uint64_aligned_t elapsed_nsec;      /* IN/OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_tsc_info, 24);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_tsc_info, elapsed_nsec, 16);

/* XEN_DOMCTL_set_virq_handler: send global VIRQ @virq to this domain
 * instead of the hardware domain. */
struct xen_domctl_set_virq_handler {
    uint32_t virq;                      /* IN */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_set_virq_handler, 4);

/*
 * XEN_DOMCTL_get_cpu_policy / set_cpu_policy: the CPUID leaves and MSRs
 * the domain sees.  On -XEN_ENOBUFS the counts say how many are needed;
 * set reports the offending leaf/MSR in err_* on -XEN_EINVAL.
 */
struct xen_domctl_cpu_policy {
    uint32_t nr_leaves;                 /* IN/OUT */
    uint32_t nr_msrs;                   /* IN/OUT */
    XEN_GUEST_HANDLE_64(xen_cpuid_leaf_t) leaves;   /* IN/OUT */
    XEN_GUEST_HANDLE_64(xen_msr_entry_t)  msrs;     /* IN/OUT */
    uint32_t err_leaf, err_subleaf, err_msr;        /* OUT, set only */
};
typedef struct xen_domctl_cpu_policy xen_domctl_cpu_policy_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_cpu_policy_t);
XEN_ABI_CHECK_SIZE(struct xen_domctl_cpu_policy, 40);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_cpu_policy, leaves, 8);
XEN_ABI_CHECK_OFFSET(struct xen_domctl_cpu_policy, err_leaf, 24);

/* XEN_DOMCTL_get_vcpu_msrs / set_vcpu_msrs: MSR state of one vCPU for
 * save/restore.  -XEN_ENOBUFS (count updated) if msrs is too small. */
struct xen_domctl_vcpu_msr {
    uint32_t index;
    uint32_t reserved;                  /* must be 0 */
    uint64_aligned_t value;
};
typedef struct xen_domctl_vcpu_msr xen_domctl_vcpu_msr_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_vcpu_msr_t);
XEN_ABI_CHECK_SIZE(struct xen_domctl_vcpu_msr, 16);

struct xen_domctl_vcpu_msrs {
    uint32_t vcpu;                      /* IN */
    uint32_t msr_count;                 /* IN/OUT */
    XEN_GUEST_HANDLE_64(xen_domctl_vcpu_msr_t) msrs;    /* IN/OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_vcpu_msrs, 16);

/* XEN_DOMCTL_get_paging_mempool_size / set_paging_mempool_size: memory
 * kept for the domain's paging structures (HVM; 0 for PV). */
struct xen_domctl_paging_mempool {
    uint64_aligned_t size;              /* IN/OUT: bytes */
};
XEN_ABI_CHECK_SIZE(struct xen_domctl_paging_mempool, 8);

/*
 * Commands.  Those without a struct above take no argument:
 *   destroydomain   tear the domain down and free it (a long teardown
 *                   is continued transparently)
 *   pausedomain     stop all its vCPUs (counted: nests with unpause)
 *   unpausedomain   undo one pausedomain; -XEN_EINVAL if the toolstack
 *                   had not paused it
 *   resumedomain    resume after a suspend (SHUTDOWN_suspend)
 *   soft_reset      reset keeping memory
 */
struct xen_domctl {
    uint32_t cmd;
#define XEN_DOMCTL_createdomain                   1
#define XEN_DOMCTL_destroydomain                  2
#define XEN_DOMCTL_pausedomain                    3
#define XEN_DOMCTL_unpausedomain                  4
#define XEN_DOMCTL_getdomaininfo                  5
/* 6, 7, 8: retired */
#define XEN_DOMCTL_setvcpuaffinity                9
#define XEN_DOMCTL_shadow_op                     10
#define XEN_DOMCTL_max_mem                       11
#define XEN_DOMCTL_setvcpucontext                12
#define XEN_DOMCTL_getvcpucontext                13
#define XEN_DOMCTL_getvcpuinfo                   14
#define XEN_DOMCTL_max_vcpus                     15
#define XEN_DOMCTL_scheduler_op                  16
#define XEN_DOMCTL_setdomainhandle               17
#define XEN_DOMCTL_setdebugging                  18
#define XEN_DOMCTL_irq_permission                19
#define XEN_DOMCTL_iomem_permission              20
#define XEN_DOMCTL_ioport_permission             21
#define XEN_DOMCTL_hypercall_init                22
#define XEN_DOMCTL_soft_reset_cont               23  /* hypervisor-internal */
#define XEN_DOMCTL_settimeoffset                 24
#define XEN_DOMCTL_getvcpuaffinity               25
#define XEN_DOMCTL_real_mode_area                26  /* obsolete */
#define XEN_DOMCTL_resumedomain                  27
#define XEN_DOMCTL_sendtrigger                   28
#define XEN_DOMCTL_subscribe                     29
/* 30, 31, 32: retired */
#define XEN_DOMCTL_gethvmcontext                 33
#define XEN_DOMCTL_sethvmcontext                 34
#define XEN_DOMCTL_set_address_size              35
#define XEN_DOMCTL_get_address_size              36
#define XEN_DOMCTL_assign_device                 37
#define XEN_DOMCTL_bind_pt_irq                   38
#define XEN_DOMCTL_memory_mapping                39
#define XEN_DOMCTL_ioport_mapping                40
/* 41: retired */
#define XEN_DOMCTL_set_ext_vcpucontext           42
#define XEN_DOMCTL_get_ext_vcpucontext           43
#define XEN_DOMCTL_set_opt_feature               44  /* obsolete */
#define XEN_DOMCTL_test_assign_device            45
#define XEN_DOMCTL_set_target                    46
#define XEN_DOMCTL_deassign_device               47
#define XEN_DOMCTL_unbind_pt_irq                 48
/* 49: retired */
#define XEN_DOMCTL_get_device_group              50
/* 51, 52, 53: retired */
#define XEN_DOMCTL_debug_op                      54
#define XEN_DOMCTL_gethvmcontext_partial         55
#define XEN_DOMCTL_vm_event_op                   56
#define XEN_DOMCTL_mem_sharing_op                57
/* 58: retired */
#define XEN_DOMCTL_gettscinfo                    59
#define XEN_DOMCTL_settscinfo                    60
#define XEN_DOMCTL_getpageframeinfo3             61
#define XEN_DOMCTL_setvcpuextstate               62
#define XEN_DOMCTL_getvcpuextstate               63
#define XEN_DOMCTL_set_access_required           64
#define XEN_DOMCTL_audit_p2m                     65
#define XEN_DOMCTL_set_virq_handler              66
#define XEN_DOMCTL_set_broken_page_p2m           67
#define XEN_DOMCTL_setnodeaffinity               68
#define XEN_DOMCTL_getnodeaffinity               69
/* 70: retired */
#define XEN_DOMCTL_cacheflush                    71
#define XEN_DOMCTL_get_vcpu_msrs                 72
#define XEN_DOMCTL_set_vcpu_msrs                 73
#define XEN_DOMCTL_setvnumainfo                  74
#define XEN_DOMCTL_psr_cmt_op                    75
/* 76: retired */
#define XEN_DOMCTL_monitor_op                    77
#define XEN_DOMCTL_psr_alloc                     78
#define XEN_DOMCTL_soft_reset                    79
/* 80: retired */
#define XEN_DOMCTL_vuart_op                      81
#define XEN_DOMCTL_get_cpu_policy                82
#define XEN_DOMCTL_set_cpu_policy                83
#define XEN_DOMCTL_vmtrace_op                    84
#define XEN_DOMCTL_get_paging_mempool_size       85
#define XEN_DOMCTL_set_paging_mempool_size       86
#define XEN_DOMCTL_gdbsx_guestmemio            1000
#define XEN_DOMCTL_gdbsx_pausevcpu             1001
#define XEN_DOMCTL_gdbsx_unpausevcpu           1002
#define XEN_DOMCTL_gdbsx_domstatus             1003
    uint32_t interface_version;         /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t  domain;                    /* target domain (IN/OUT for some) */
    uint16_t _pad[3];
    union {
        struct xen_domctl_createdomain      createdomain;
        struct xen_domctl_getdomaininfo     getdomaininfo;
        struct xen_domctl_getpageframeinfo3 getpageframeinfo3;
        struct xen_domctl_nodeaffinity      nodeaffinity;
        struct xen_domctl_vcpuaffinity      vcpuaffinity;
        struct xen_domctl_shadow_op         shadow_op;
        struct xen_domctl_max_mem           max_mem;
        struct xen_domctl_vcpucontext       vcpucontext;
        struct xen_domctl_getvcpuinfo       getvcpuinfo;
        struct xen_domctl_max_vcpus         max_vcpus;
        struct xen_domctl_scheduler_op      scheduler_op;
        struct xen_domctl_setdomainhandle   setdomainhandle;
        struct xen_domctl_setdebugging      setdebugging;
        struct xen_domctl_irq_permission    irq_permission;
        struct xen_domctl_iomem_permission  iomem_permission;
        struct xen_domctl_ioport_permission ioport_permission;
        struct xen_domctl_hypercall_init    hypercall_init;
        struct xen_domctl_settimeoffset     settimeoffset;
        struct xen_domctl_tsc_info          tsc_info;
        struct xen_domctl_address_size      address_size;
        struct xen_domctl_sendtrigger       sendtrigger;
        struct xen_domctl_assign_device     assign_device;
        struct xen_domctl_set_target        set_target;
        struct xen_domctl_cpu_policy        cpu_policy;
        struct xen_domctl_vcpu_msrs         vcpu_msrs;
        struct xen_domctl_set_virq_handler  set_virq_handler;
        struct xen_domctl_paging_mempool    paging_mempool;
        uint8_t                             pad[128];   /* fixes the size */
    } u;
};
typedef struct xen_domctl xen_domctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_t);
XEN_ABI_CHECK_SIZE(struct xen_domctl, 144);
XEN_ABI_CHECK_OFFSET(struct xen_domctl, interface_version, 4);
XEN_ABI_CHECK_OFFSET(struct xen_domctl, domain, 8);
XEN_ABI_CHECK_OFFSET(struct xen_domctl, u, 16);

#endif /* KEEL_PUBLIC_DOMCTL_H */
