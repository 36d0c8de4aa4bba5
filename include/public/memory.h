/*
 * Keel public ABI: HYPERVISOR_memory_op(cmd, arg).
 *
 * A domain's memory reservation (allocate, free, exchange frames), the
 * machine-to-phys table, the physical memory maps, and the mapping of
 * special frames.  Sub-op numbers and layouts are Xen 4.17's.
 *
 * The cmd argument carries the sub-op in bits 0-5; bits 6 and up are a
 * continuation cursor (the extent to resume at) that guests leave 0.
 *
 * Privilege: a domain may act on itself (DOMID_SELF or its own id);
 * acting on another domain needs privilege over it (the control domain,
 * or a device model for its target).  Common errors: -XEN_EFAULT (arg not
 * accessible), -XEN_ESRCH (no such domain), -XEN_EPERM (no privilege over
 * it), -XEN_ENOSYS (unknown sub-op).
 */
#ifndef KEEL_PUBLIC_MEMORY_H
#define KEEL_PUBLIC_MEMORY_H

#include "xen.h"
#include "physdev.h"

#define XENMEMOP_CMD_MASK       0x3f
#define XENMEMOP_EXTENT_SHIFT   6

/*
 * XENMEM_increase_reservation, XENMEM_decrease_reservation,
 * XENMEM_populate_physmap: arg = struct xen_memory_reservation.
 *
 *   increase:  allocate nr_extents extents; their MFNs are written to
 *              extent_start (if not NULL)
 *   decrease:  free the extents whose frames extent_start lists
 *   populate:  give memory to the PFNs listed in extent_start; each entry
 *              is replaced by the MFN allocated, and for a PV guest the
 *              M2P entry is set to that PFN
 *
 * Returns the number of extents done, which is less than nr_extents when
 * memory ran out or an entry was bad; -XEN_EINVAL for an extent_order or
 * mem_flags the caller may not use, plus the common errors.  Long lists
 * are continued through the cmd cursor.
 */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap     6

/* mem_flags: bits 0-7 = highest machine address bit allowed (0 = any). */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
/* bits 8-15 = NUMA node + 1 to allocate from (0 = any). */
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
/* Populate with populate-on-demand entries (HVM only). */
#define XENMEMF_populate_on_demand  (1 << 16)
/* Allocate only from the node given, never fall back. */
#define XENMEMF_exact_node_request  (1 << 17)
#define XENMEMF_exact_node(n) \
    (XENMEMF_node(n) | XENMEMF_exact_node_request)
/* The node given is a virtual (vNUMA) node. */
#define XENMEMF_vnode               (1 << 18)

struct xen_memory_reservation {
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;   /* IN/OUT: see above */
    xen_ulong_t    nr_extents;      /* number of extents */
    unsigned int   extent_order;    /* each extent is 2^order pages */
    unsigned int   mem_flags;       /* XENMEMF_* */
    domid_t        domid;           /* domain whose memory changes */
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);
XEN_ABI_CHECK_SIZE(struct xen_memory_reservation, 32);
XEN_ABI_CHECK_OFFSET(struct xen_memory_reservation, nr_extents, 8);
XEN_ABI_CHECK_OFFSET(struct xen_memory_reservation, extent_order, 16);
XEN_ABI_CHECK_OFFSET(struct xen_memory_reservation, mem_flags, 20);
XEN_ABI_CHECK_OFFSET(struct xen_memory_reservation, domid, 24);

/*
 * XENMEM_exchange: arg = struct xen_memory_exchange.  Frees the extents in
 * @in and allocates the same amount of memory as the extents described by
 * @out (typically to get frames below an address limit).  in.domid must
 * equal out.domid, both sides must cover the same number of pages, and the
 * two lists may not overlap.  out.extent_start lists the PFNs to fill and
 * receives the new MFNs.  Returns 0 when everything was exchanged;
 * otherwise an error, with nr_exchanged telling how many input extents
 * were done (those and the matching outputs are final, the rest are
 * untouched).  Errors: -XEN_EINVAL (mismatched or bad arguments),
 * -XEN_ENOMEM, -XEN_EFAULT, -XEN_ESRCH, -XEN_EPERM.
 */
#define XENMEM_exchange             11
struct xen_memory_exchange {
    struct xen_memory_reservation in;   /* IN: extents to give up */
    struct xen_memory_reservation out;  /* IN/OUT: extents to receive */
    xen_ulong_t nr_exchanged;           /* OUT; caller must set it to 0 */
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_exchange_t);
XEN_ABI_CHECK_SIZE(struct xen_memory_exchange, 72);
XEN_ABI_CHECK_OFFSET(struct xen_memory_exchange, out, 32);
XEN_ABI_CHECK_OFFSET(struct xen_memory_exchange, nr_exchanged, 64);

/* XENMEM_maximum_ram_page: arg unused; returns the highest machine frame
 * number of RAM.  Any domain. */
#define XENMEM_maximum_ram_page     2

/*
 * XENMEM_current_reservation, XENMEM_maximum_reservation,
 * XENMEM_maximum_gpfn: arg = domid_t; return the pages the domain owns,
 * its page limit, or its highest guest frame number.
 */
#define XENMEM_current_reservation  3
#define XENMEM_maximum_reservation  4
#define XENMEM_maximum_gpfn         14
struct xen_memory_domain {
    domid_t domid;
};
XEN_ABI_CHECK_SIZE(struct xen_memory_domain, 2);

/*
 * XENMEM_machphys_mfn_list: arg = struct xen_machphys_mfn_list.  Lists the
 * MFNs backing the M2P table, one per 2 MiB of table (0 for a hole).  Any
 * domain.
 */
#define XENMEM_machphys_mfn_list    5
struct xen_machphys_mfn_list {
    unsigned int max_extents;               /* IN: room in extent_start */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start; /* OUT: the MFNs */
    unsigned int nr_extents;                /* OUT: entries written */
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mfn_list_t);
XEN_ABI_CHECK_SIZE(struct xen_machphys_mfn_list, 24);
XEN_ABI_CHECK_OFFSET(struct xen_machphys_mfn_list, extent_start, 8);
XEN_ABI_CHECK_OFFSET(struct xen_machphys_mfn_list, nr_extents, 16);

/* As above, for the 32-bit guests' table (unused by Keel). */
#define XENMEM_machphys_compat_mfn_list 25

/*
 * XENMEM_machphys_mapping: arg = struct xen_machphys_mapping.  Where the
 * read-only M2P is mapped in the guest's address space.  Any domain.
 */
#define XENMEM_machphys_mapping     12
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end; /* virtual range of the table */
    xen_ulong_t max_mfn;        /* highest MFN it covers */
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mapping_t);
XEN_ABI_CHECK_SIZE(struct xen_machphys_mapping, 24);
XEN_ABI_CHECK_OFFSET(struct xen_machphys_mapping, max_mfn, 16);

/* Spaces for XENMEM_add_to_physmap{,_batch}. */
#define XENMAPSPACE_shared_info  0  /* the shared_info page */
#define XENMAPSPACE_grant_table  1  /* a grant-table frame; idx has
                                       XENMAPIDX_grant_table_status set
                                       for a v2 status frame */
#define XENMAPSPACE_gmfn         2  /* move a guest frame */
#define XENMAPSPACE_gmfn_range   3  /* move @size guest frames */
#define XENMAPSPACE_gmfn_foreign 4  /* a frame of another domain (batch) */
#define XENMAPSPACE_dev_mmio     5  /* device MMIO (Arm only) */

/*
 * XENMEM_add_to_physmap: arg = struct xen_add_to_physmap.  Makes a special
 * frame appear at guest frame @gpfn.  Only for translated (HVM/PVH)
 * domains: a PV domain gets an error (it maps such frames with
 * mmu_update), -XEN_EACCES.  Other errors: -XEN_EINVAL (bad space or idx).
 */
#define XENMEM_add_to_physmap      7
struct xen_add_to_physmap {
    domid_t domid;              /* domain whose physmap changes */
    uint16_t size;              /* frames, for XENMAPSPACE_gmfn_range */
    unsigned int space;         /* XENMAPSPACE_* */
#define XENMAPIDX_grant_table_status 0x80000000
    xen_ulong_t idx;            /* index within the space */
    xen_pfn_t gpfn;             /* where it should appear */
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);
XEN_ABI_CHECK_SIZE(struct xen_add_to_physmap, 24);
XEN_ABI_CHECK_OFFSET(struct xen_add_to_physmap, space, 4);
XEN_ABI_CHECK_OFFSET(struct xen_add_to_physmap, idx, 8);
XEN_ABI_CHECK_OFFSET(struct xen_add_to_physmap, gpfn, 16);

/* XENMEM_add_to_physmap_batch: @size frames at once, with per-frame
 * errors.  Translated domains only. */
#define XENMEM_add_to_physmap_batch 23
struct xen_add_to_physmap_batch {
    domid_t domid;              /* IN: domain whose physmap changes */
    uint16_t space;             /* IN: XENMAPSPACE_* */
    uint16_t size;              /* IN: number of frames */
    union xen_add_to_physmap_batch_extra {
        domid_t foreign_domid;  /* IN: owner, for XENMAPSPACE_gmfn_foreign */
        uint16_t res0;          /* must be 0 for other spaces */
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs; /* IN: indexes in the space */
    XEN_GUEST_HANDLE(xen_pfn_t) gpfns;  /* IN: where each should appear */
    XEN_GUEST_HANDLE(int) errs;         /* OUT: per-frame error code */
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);
XEN_ABI_CHECK_SIZE(struct xen_add_to_physmap_batch, 32);
XEN_ABI_CHECK_OFFSET(struct xen_add_to_physmap_batch, u, 6);
XEN_ABI_CHECK_OFFSET(struct xen_add_to_physmap_batch, idxs, 8);
XEN_ABI_CHECK_OFFSET(struct xen_add_to_physmap_batch, errs, 24);

/* XENMEM_remove_from_physmap: unmap guest frame @gpfn (translated domains). */
#define XENMEM_remove_from_physmap  15
struct xen_remove_from_physmap {
    domid_t domid;
    xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);
XEN_ABI_CHECK_SIZE(struct xen_remove_from_physmap, 16);
XEN_ABI_CHECK_OFFSET(struct xen_remove_from_physmap, gpfn, 8);

/* 8 was XENMEM_translate_gpfn_list: removed. */

/*
 * Memory maps, in the BIOS INT 15h/E820 format (struct xen_e820_entry).
 *
 * XENMEM_memory_map: arg = struct xen_memory_map; the calling domain's
 *   pseudo-physical map as set by its builder.  Any domain.  -XEN_ENOSYS
 *   when none was set (the guest then assumes one RAM range of nr_pages).
 * XENMEM_machine_memory_map: the host's machine memory map.  Hardware
 *   domain only (-XEN_EPERM otherwise).
 * XENMEM_set_memory_map: arg = struct xen_foreign_memory_map; set another
 *   domain's pseudo-physical map.  Privilege over that domain.
 *   -XEN_EINVAL for more than 128 entries.
 *
 * nr_entries is IN: room in buffer, OUT: entries written.
 */
#define XENMEM_memory_map           9
#define XENMEM_machine_memory_map   10
#define XENMEM_set_memory_map       13
struct xen_memory_map {
    unsigned int nr_entries;
    XEN_GUEST_HANDLE(void) buffer;  /* array of struct xen_e820_entry */
};
typedef struct xen_memory_map xen_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_map_t);
XEN_ABI_CHECK_SIZE(struct xen_memory_map, 16);
XEN_ABI_CHECK_OFFSET(struct xen_memory_map, buffer, 8);

struct xen_foreign_memory_map {
    domid_t domid;                  /* domain whose map is set */
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_foreign_memory_map_t);
XEN_ABI_CHECK_SIZE(struct xen_foreign_memory_map, 24);
XEN_ABI_CHECK_OFFSET(struct xen_foreign_memory_map, map, 8);

/* One memory map entry, exactly as the BIOS returns it: 20 bytes. */
struct xen_e820_entry {
    uint64_t addr;                  /* start of the range */
    uint64_t size;                  /* length in bytes */
    uint32_t type;                  /* XEN_E820_* */
} __attribute__((__packed__));
XEN_ABI_CHECK_SIZE(struct xen_e820_entry, 20);
XEN_ABI_CHECK_OFFSET(struct xen_e820_entry, type, 16);
#define XEN_E820_RAM        1
#define XEN_E820_RESERVED   2
#define XEN_E820_ACPI       3
#define XEN_E820_NVS        4
#define XEN_E820_UNUSABLE   5
#define XEN_E820_MAX_ENTRIES 128    /* limit of XENMEM_set_memory_map */

/* Populate-on-demand target (HVM; privileged).  Not used by PV guests. */
#define XENMEM_set_pod_target       16
#define XENMEM_get_pod_target       17
struct xen_pod_target {
    uint64_t target_pages;          /* IN */
    uint64_t tot_pages;             /* OUT */
    uint64_t pod_cache_pages;       /* OUT */
    uint64_t pod_entries;           /* OUT */
    domid_t domid;                  /* IN */
};
typedef struct xen_pod_target xen_pod_target_t;
XEN_ABI_CHECK_SIZE(struct xen_pod_target, 40);
XEN_ABI_CHECK_OFFSET(struct xen_pod_target, domid, 32);

/* Tool-only sub-ops for memory sharing, paging and access control.  Keel
 * answers -XEN_ENOSYS. */
#define XENMEM_get_sharing_freed_pages  18
#define XENMEM_get_sharing_shared_pages 19
#define XENMEM_paging_op                20
#define XENMEM_access_op                21
#define XENMEM_sharing_op               22

/*
 * XENMEM_claim_pages: arg = struct xen_memory_reservation with
 * extent_start NULL and extent_order 0; reserve nr_extents pages for
 * domid ahead of populating it (0 cancels).  Control domain only.
 * Errors: -XEN_EINVAL, -XEN_ENOMEM, -XEN_EPERM.
 */
#define XENMEM_claim_pages          24

/* XENMEM_get_vnumainfo: the calling domain's virtual NUMA layout. */
#define XENMEM_get_vnumainfo        26
struct xen_vmemrange {
    uint64_t start, end;            /* [start, end) guest-physical */
    unsigned int flags;             /* reserved, 0 */
    unsigned int nid;               /* virtual node */
};
typedef struct xen_vmemrange xen_vmemrange_t;
DEFINE_XEN_GUEST_HANDLE(xen_vmemrange_t);
XEN_ABI_CHECK_SIZE(struct xen_vmemrange, 24);

/*
 * IN: domid and the sizes of the three arrays; OUT: the real sizes and the
 * arrays.  -XEN_ENOBUFS (sizes updated) when an array is too small,
 * -XEN_EOPNOTSUPP when the domain has no vNUMA layout.
 */
struct xen_vnuma_topology_info {
    domid_t domid;                  /* IN */
    uint16_t pad;
    unsigned int nr_vnodes;         /* IN/OUT */
    unsigned int nr_vcpus;          /* IN/OUT */
    unsigned int nr_vmemranges;     /* IN/OUT */
    union {
        XEN_GUEST_HANDLE(uint) h;   /* OUT: nr_vnodes^2 distances */
        uint64_t pad;
    } vdistance;
    union {
        XEN_GUEST_HANDLE(uint) h;   /* OUT: node of each vCPU */
        uint64_t pad;
    } vcpu_to_vnode;
    union {
        XEN_GUEST_HANDLE(xen_vmemrange_t) h;    /* OUT: memory ranges */
        uint64_t pad;
    } vmemrange;
};
typedef struct xen_vnuma_topology_info xen_vnuma_topology_info_t;
DEFINE_XEN_GUEST_HANDLE(xen_vnuma_topology_info_t);
XEN_ABI_CHECK_SIZE(struct xen_vnuma_topology_info, 40);
XEN_ABI_CHECK_OFFSET(struct xen_vnuma_topology_info, vdistance, 16);
XEN_ABI_CHECK_OFFSET(struct xen_vnuma_topology_info, vmemrange, 32);

/*
 * XENMEM_reserved_device_memory_map: regions the IOMMU keeps for devices
 * (RMRRs).  Privileged.  -XEN_ERANGE with nr_entries set to the number
 * needed when the buffer is too small.
 */
#define XENMEM_reserved_device_memory_map 27
struct xen_reserved_device_memory {
    xen_pfn_t start_pfn;
    xen_ulong_t nr_pages;
};
typedef struct xen_reserved_device_memory xen_reserved_device_memory_t;
DEFINE_XEN_GUEST_HANDLE(xen_reserved_device_memory_t);
XEN_ABI_CHECK_SIZE(struct xen_reserved_device_memory, 16);

struct xen_reserved_device_memory_map {
#define XENMEM_RDM_ALL 1            /* all regions, ignore @dev */
    uint32_t flags;                 /* IN */
    unsigned int nr_entries;        /* IN/OUT */
    XEN_GUEST_HANDLE(xen_reserved_device_memory_t) buffer; /* OUT */
    union {
        struct physdev_pci_device pci;  /* IN: regions of this device */
    } dev;
};
typedef struct xen_reserved_device_memory_map xen_reserved_device_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_reserved_device_memory_map_t);
XEN_ABI_CHECK_SIZE(struct xen_reserved_device_memory_map, 24);
XEN_ABI_CHECK_OFFSET(struct xen_reserved_device_memory_map, dev, 16);

/*
 * XENMEM_acquire_resource: map frames of a resource of domid (grant table,
 * ioreq server, trace buffer) into the caller.  Privilege over domid.
 * nr_frames == 0 with frame_list NULL asks for the resource's size.  For a
 * PV caller frame_list receives MFNs.  Errors: -XEN_EINVAL, -XEN_EOPNOTSUPP
 * (unknown type), -XEN_E2BIG (too many frames), -XEN_EIO (partly mapped).
 */
#define XENMEM_acquire_resource 28
struct xen_mem_acquire_resource {
    domid_t domid;                  /* IN: owner of the resource */
    uint16_t type;                  /* IN: XENMEM_resource_* */
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table  1
#define XENMEM_resource_vmtrace_buf  2
    uint32_t id;                    /* IN: type-specific id, else 0 */
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
    uint32_t nr_frames;             /* IN/OUT: frames to map / size */
    uint32_t pad;                   /* must be 0 */
    uint64_t frame;                 /* IN: first frame of the resource */
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* IN/OUT */
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_acquire_resource_t);
XEN_ABI_CHECK_SIZE(struct xen_mem_acquire_resource, 32);
XEN_ABI_CHECK_OFFSET(struct xen_mem_acquire_resource, nr_frames, 8);
XEN_ABI_CHECK_OFFSET(struct xen_mem_acquire_resource, frame, 16);
XEN_ABI_CHECK_OFFSET(struct xen_mem_acquire_resource, frame_list, 24);

/* The next free sub-op number is 29. */

#endif /* KEEL_PUBLIC_MEMORY_H */
