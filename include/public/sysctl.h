/*
 * Keel public ABI: HYPERVISOR_sysctl(struct xen_sysctl *).
 *
 * Host-wide queries and controls for the toolstack: the hypervisor console,
 * physical host information, the list of domains, CPU topology.  One
 * hypercall takes a struct xen_sysctl naming the command and the interface
 * version, with a 128-byte union for the argument; results are copied back
 * into it.  Command numbers, the interface version and the layouts are
 * Xen 4.17's; commands Keel does not implement answer -XEN_ENOSYS.
 *
 * Privilege: the control domain.  Errors for every command: -XEN_EACCES
 * (interface_version is not XEN_SYSCTL_INTERFACE_VERSION), -XEN_EFAULT,
 * -XEN_EPERM, -XEN_ENOSYS; -XEN_EINVAL for rejected arguments.
 */
#ifndef KEEL_PUBLIC_SYSCTL_H
#define KEEL_PUBLIC_SYSCTL_H

#include "xen.h"
#include "domctl.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

/*
 * XEN_SYSCTL_readconsole: copy the hypervisor's console ring.  Without
 * @incremental, reading starts at the oldest byte kept; with it, at
 * @index (from the previous call's OUT value).  @clear empties the ring
 * afterwards.
 */
struct xen_sysctl_readconsole {
    uint8_t clear;                      /* IN: non-zero = clear after */
    uint8_t incremental;                /* IN: start at @index */
    uint8_t pad0, pad1;
    uint32_t index;                     /* IN: start; OUT: next index */
    XEN_GUEST_HANDLE_64(char) buffer;   /* IN: where to write */
    uint32_t count;                     /* IN: buffer size; OUT: written */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_readconsole, 24);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_readconsole, index, 4);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_readconsole, buffer, 8);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_readconsole, count, 16);

/* XEN_SYSCTL_physinfo: the host. */
/* capabilities: HVM guests, PV guests, IOMMU passthrough, hardware-assisted
 * paging, shadow paging, IOMMU sharing the HAP page tables, ... */
#define _XEN_SYSCTL_PHYSCAP_hvm          0
#define XEN_SYSCTL_PHYSCAP_hvm           (1u << _XEN_SYSCTL_PHYSCAP_hvm)
#define _XEN_SYSCTL_PHYSCAP_pv           1
#define XEN_SYSCTL_PHYSCAP_pv            (1u << _XEN_SYSCTL_PHYSCAP_pv)
#define _XEN_SYSCTL_PHYSCAP_directio     2
#define XEN_SYSCTL_PHYSCAP_directio      (1u << _XEN_SYSCTL_PHYSCAP_directio)
#define _XEN_SYSCTL_PHYSCAP_hap          3
#define XEN_SYSCTL_PHYSCAP_hap           (1u << _XEN_SYSCTL_PHYSCAP_hap)
#define _XEN_SYSCTL_PHYSCAP_shadow       4
#define XEN_SYSCTL_PHYSCAP_shadow        (1u << _XEN_SYSCTL_PHYSCAP_shadow)
#define _XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share 5
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share \
    (1u << _XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share)
#define XEN_SYSCTL_PHYSCAP_vmtrace       (1u << 6)  /* processor tracing */
#define XEN_SYSCTL_PHYSCAP_vpmu          (1u << 7)  /* virtual PMU */
#define XEN_SYSCTL_PHYSCAP_gnttab_v1     (1u << 8)  /* grant table v1 */
#define XEN_SYSCTL_PHYSCAP_gnttab_v2     (1u << 9)  /* grant table v2 */
#define XEN_SYSCTL_PHYSCAP_MAX           XEN_SYSCTL_PHYSCAP_gnttab_v2
struct xen_sysctl_physinfo {
    uint32_t threads_per_core;          /* OUT */
    uint32_t cores_per_socket;          /* OUT */
    uint32_t nr_cpus;                   /* OUT: CPUs online */
    uint32_t max_cpu_id;                /* OUT: highest possible CPU id */
    uint32_t nr_nodes;                  /* OUT: NUMA nodes online */
    uint32_t max_node_id;               /* OUT: highest possible node id */
    uint32_t cpu_khz;                   /* OUT: TSC frequency */
    uint32_t capabilities;              /* OUT: XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities;         /* OUT: none defined on x86 */
    uint32_t pad;
    uint64_aligned_t total_pages;       /* OUT: RAM pages */
    uint64_aligned_t free_pages;        /* OUT: unallocated pages */
    uint64_aligned_t scrub_pages;       /* OUT: pages waiting to be scrubbed */
    uint64_aligned_t outstanding_pages; /* OUT: claimed, not yet allocated */
    uint64_aligned_t max_mfn;           /* OUT: highest possible MFN */
    uint32_t hw_cap[8];                 /* OUT: CPUID feature words */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_physinfo, 112);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_physinfo, capabilities, 28);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_physinfo, total_pages, 40);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_physinfo, free_pages, 48);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_physinfo, max_mfn, 72);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_physinfo, hw_cap, 80);

/* XEN_SYSCTL_sched_id: the scheduler of the default CPU pool. */
struct xen_sysctl_sched_id {
    uint32_t sched_id;                  /* OUT: XEN_SCHEDULER_* */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_sched_id, 4);

/*
 * XEN_SYSCTL_getdomaininfolist: getdomaininfo for up to @max_domains
 * domains with ids >= @first_domain, in id order.
 */
struct xen_sysctl_getdomaininfolist {
    domid_t first_domain;               /* IN */
    uint32_t max_domains;               /* IN: room in buffer */
    XEN_GUEST_HANDLE_64(xen_domctl_getdomaininfo_t) buffer; /* OUT */
    uint32_t num_domains;               /* OUT: entries written */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_getdomaininfolist, 24);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_getdomaininfolist, max_domains, 4);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_getdomaininfolist, buffer, 8);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_getdomaininfolist, num_domains, 16);

/* XEN_SYSCTL_debug_keys: act as if these keys were typed on the console. */
struct xen_sysctl_debug_keys {
    XEN_GUEST_HANDLE_64(const_char) keys;   /* IN */
    uint32_t nr_keys;                   /* IN */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_debug_keys, 16);

/* XEN_SYSCTL_getcpuinfo: idle time of each physical CPU. */
struct xen_sysctl_cpuinfo {
    uint64_aligned_t idletime;          /* ns */
};
typedef struct xen_sysctl_cpuinfo xen_sysctl_cpuinfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_cpuinfo_t);
XEN_ABI_CHECK_SIZE(struct xen_sysctl_cpuinfo, 8);

struct xen_sysctl_getcpuinfo {
    uint32_t max_cpus;                  /* IN: room in info */
    XEN_GUEST_HANDLE_64(xen_sysctl_cpuinfo_t) info; /* OUT */
    uint32_t nr_cpus;                   /* OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_getcpuinfo, 24);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_getcpuinfo, nr_cpus, 16);

/* XEN_SYSCTL_availheap: free memory between two address widths. */
struct xen_sysctl_availheap {
    uint32_t min_bitwidth;              /* IN: 0 = no lower limit */
    uint32_t max_bitwidth;              /* IN: 0 = no upper limit */
    int32_t  node;                      /* IN: NUMA node, -1 = all */
    uint64_aligned_t avail_bytes;       /* OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_availheap, 24);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_availheap, avail_bytes, 16);

/*
 * XEN_SYSCTL_cputopoinfo: core, socket and node of each CPU.  With a NULL
 * cputopo, num_cpus returns the number of entries needed; CPUs that are
 * not present read as XEN_INVALID_*_ID.
 */
#define XEN_INVALID_CORE_ID     (~0u)
#define XEN_INVALID_SOCKET_ID   (~0u)
#define XEN_INVALID_NODE_ID     (~0u)
struct xen_sysctl_cputopo {
    uint32_t core;
    uint32_t socket;
    uint32_t node;
};
typedef struct xen_sysctl_cputopo xen_sysctl_cputopo_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_cputopo_t);
XEN_ABI_CHECK_SIZE(struct xen_sysctl_cputopo, 12);

struct xen_sysctl_cputopoinfo {
    uint32_t num_cpus;                  /* IN: room; OUT: CPUs described */
    XEN_GUEST_HANDLE_64(xen_sysctl_cputopo_t) cputopo;  /* OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_cputopoinfo, 16);

/* XEN_SYSCTL_numainfo: memory of each node and the node distances
 * (distance[i * num_nodes + j]). */
#define XEN_INVALID_MEM_SZ     (~0u)
#define XEN_INVALID_NODE_DIST  (~0u)
struct xen_sysctl_meminfo {
    uint64_t memsize;                   /* bytes */
    uint64_t memfree;                   /* bytes */
};
typedef struct xen_sysctl_meminfo xen_sysctl_meminfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_meminfo_t);
XEN_ABI_CHECK_SIZE(struct xen_sysctl_meminfo, 16);

struct xen_sysctl_numainfo {
    uint32_t num_nodes;                 /* IN: room; OUT: nodes described */
    XEN_GUEST_HANDLE_64(xen_sysctl_meminfo_t) meminfo;  /* OUT */
    XEN_GUEST_HANDLE_64(uint32) distance;               /* OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_numainfo, 24);

/*
 * XEN_SYSCTL_get_cpu_policy: one of the host's CPU policies (CPUID leaves
 * and MSRs).  NULL arrays ask for the counts; -XEN_ENOBUFS when too small.
 */
struct xen_sysctl_cpu_policy {
#define XEN_SYSCTL_cpu_policy_raw          0
#define XEN_SYSCTL_cpu_policy_host         1
#define XEN_SYSCTL_cpu_policy_pv_max       2
#define XEN_SYSCTL_cpu_policy_hvm_max      3
#define XEN_SYSCTL_cpu_policy_pv_default   4
#define XEN_SYSCTL_cpu_policy_hvm_default  5
    uint32_t index;                     /* IN: XEN_SYSCTL_cpu_policy_* */
    uint32_t nr_leaves;                 /* IN/OUT */
    uint32_t nr_msrs;                   /* IN/OUT */
    uint32_t _rsvd;                     /* must be 0 */
    XEN_GUEST_HANDLE_64(xen_cpuid_leaf_t) leaves;   /* OUT */
    XEN_GUEST_HANDLE_64(xen_msr_entry_t)  msrs;     /* OUT */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_cpu_policy, 32);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_cpu_policy, leaves, 16);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_cpu_policy, msrs, 24);

/*
 * XEN_SYSCTL_cpupool_op: CPU pools.  Keel has one pool (0) holding every
 * CPU: INFO describes it (the first pool with an id >= @cpupool_id,
 * -XEN_ENOENT past it), FREEINFO gives the CPUs in no pool (none); the
 * operations that change pools are not available.
 */
#define XEN_SYSCTL_CPUPOOL_OP_CREATE                1  /* C */
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY               2  /* D */
#define XEN_SYSCTL_CPUPOOL_OP_INFO                  3  /* I */
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU                4  /* A */
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU                 5  /* R */
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN            6  /* M */
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO              7  /* F */
#define XEN_SYSCTL_CPUPOOL_PAR_ANY     0xFFFFFFFF
struct xen_sysctl_cpupool_op {
    uint32_t op;                        /* IN: XEN_SYSCTL_CPUPOOL_OP_* */
    uint32_t cpupool_id;                /* IN: CDIARM; OUT: CI */
    uint32_t sched_id;                  /* IN: C; OUT: I (XEN_SCHEDULER_*) */
    uint32_t domid;                     /* IN: M */
    uint32_t cpu;                       /* IN: AR */
    uint32_t n_dom;                     /* OUT: I, domains in the pool */
    struct xenctl_bitmap cpumap;        /* OUT: IF */
};
XEN_ABI_CHECK_SIZE(struct xen_sysctl_cpupool_op, 40);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_cpupool_op, n_dom, 20);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl_cpupool_op, cpumap, 24);

struct xen_sysctl {
    uint32_t cmd;
#define XEN_SYSCTL_readconsole                    1
#define XEN_SYSCTL_tbuf_op                        2
#define XEN_SYSCTL_physinfo                       3
#define XEN_SYSCTL_sched_id                       4
#define XEN_SYSCTL_perfc_op                       5
#define XEN_SYSCTL_getdomaininfolist              6
#define XEN_SYSCTL_debug_keys                     7
#define XEN_SYSCTL_getcpuinfo                     8
#define XEN_SYSCTL_availheap                      9
#define XEN_SYSCTL_get_pmstat                    10
#define XEN_SYSCTL_cpu_hotplug                   11
#define XEN_SYSCTL_pm_op                         12
/* 13: retired */
#define XEN_SYSCTL_page_offline_op               14
#define XEN_SYSCTL_lockprof_op                   15
#define XEN_SYSCTL_cputopoinfo                   16
#define XEN_SYSCTL_numainfo                      17
#define XEN_SYSCTL_cpupool_op                    18
#define XEN_SYSCTL_scheduler_op                  19
#define XEN_SYSCTL_coverage_op                   20
#define XEN_SYSCTL_psr_cmt_op                    21
#define XEN_SYSCTL_pcitopoinfo                   22
#define XEN_SYSCTL_psr_alloc                     23
/* 24: retired (tmem_op) */
#define XEN_SYSCTL_get_cpu_levelling_caps        25
#define XEN_SYSCTL_get_cpu_featureset            26
#define XEN_SYSCTL_livepatch_op                  27
/* 28: retired (set_parameter) */
#define XEN_SYSCTL_get_cpu_policy                29
    uint32_t interface_version;         /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole       readconsole;
        struct xen_sysctl_physinfo          physinfo;
        struct xen_sysctl_sched_id          sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_debug_keys        debug_keys;
        struct xen_sysctl_getcpuinfo        getcpuinfo;
        struct xen_sysctl_availheap         availheap;
        struct xen_sysctl_cputopoinfo       cputopoinfo;
        struct xen_sysctl_numainfo          numainfo;
        struct xen_sysctl_cpu_policy        cpu_policy;
        struct xen_sysctl_cpupool_op        cpupool_op;
        uint8_t                             pad[128];   /* fixes the size */
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_t);
XEN_ABI_CHECK_SIZE(struct xen_sysctl, 136);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl, interface_version, 4);
XEN_ABI_CHECK_OFFSET(struct xen_sysctl, u, 8);

#endif /* KEEL_PUBLIC_SYSCTL_H */
