/*
 * Keel public ABI: grant tables, HYPERVISOR_grant_table_op(cmd, uops, count).
 *
 * A domain grants another domain access to one of its frames by filling an
 * entry of its grant table (pages shared with the hypervisor); the grantee
 * names the entry by (granting domain, grant reference) to map or copy
 * the frame.  Numbers, layouts and status codes are Xen 4.17's.
 *
 * grant_table_op works on an array of @count structures of the sub-op's
 * type.  The hypercall returns 0 once the array was processed (each
 * element's own result is in its status field, a GNTST_* code), or a
 * negative error for the call as a whole: -XEN_EFAULT (array not
 * accessible), -XEN_EINVAL (bad count, e.g. setup_table with count != 1),
 * -XEN_ENOSYS (unknown cmd).  Long arrays may be continued.
 *
 * Privilege: a domain manages its own table; setup_table, query_size,
 * get_version, get_status_frames and dump_table on another domain need
 * privilege over it.  Mapping or copying needs only a valid grant.
 */
#ifndef KEEL_PUBLIC_GRANT_TABLE_H
#define KEEL_PUBLIC_GRANT_TABLE_H

#include "xen.h"

/* Index of an entry in a grant table. */
typedef uint32_t grant_ref_t;

/*
 * Version 1 entry, 8 bytes.  The granting domain writes domid and frame,
 * then flags (with a write barrier in between); the hypervisor sets the
 * GTF_reading/GTF_writing bits while the frame is mapped or copied.  To
 * revoke, the granter clears flags with a compare-exchange that fails if
 * either busy bit is set.
 */
struct grant_entry_v1 {
    uint16_t flags;             /* GTF_* */
    domid_t  domid;             /* domain being granted access */
    uint32_t frame;             /* frame granted (or to transfer into) */
};
typedef struct grant_entry_v1 grant_entry_v1_t;
XEN_ABI_CHECK_SIZE(struct grant_entry_v1, 8);
XEN_ABI_CHECK_OFFSET(struct grant_entry_v1, domid, 2);
XEN_ABI_CHECK_OFFSET(struct grant_entry_v1, frame, 4);

/* The first entries survive a grant-table version change; 0 and 1 are
 * filled by the domain builder for the console and xenstore rings. */
#define GNTTAB_NR_RESERVED_ENTRIES     8
#define GNTTAB_RESERVED_CONSOLE        0
#define GNTTAB_RESERVED_XENSTORE       1

/* grant entry flags: type in bits 0-1 ... */
#define GTF_invalid         (0u << 0)   /* no grant */
#define GTF_permit_access   (1u << 0)   /* domid may map/copy frame */
#define GTF_accept_transfer (2u << 0)   /* domid may transfer a page in */
#define GTF_transitive      (3u << 0)   /* v2: re-grant of another grant */
#define GTF_type_mask       (3u << 0)
/* ... then, for GTF_permit_access: */
#define _GTF_readonly       2
#define GTF_readonly        (1u << _GTF_readonly)   /* read-only access */
#define _GTF_reading        3
#define GTF_reading         (1u << _GTF_reading)    /* hv: in use for reads */
#define _GTF_writing        4
#define GTF_writing         (1u << _GTF_writing)    /* hv: in use for writes */
#define _GTF_PWT            5
#define GTF_PWT             (1u << _GTF_PWT)        /* cache attributes */
#define _GTF_PCD            6
#define GTF_PCD             (1u << _GTF_PCD)        /* of the mapping */
#define _GTF_PAT            7
#define GTF_PAT             (1u << _GTF_PAT)
#define _GTF_sub_page       8
#define GTF_sub_page        (1u << _GTF_sub_page)   /* v2: byte range only */
/* ... or, for GTF_accept_transfer: */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed  (1u << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed  (1u << _GTF_transfer_completed)

/* Version 2 entries (16 bytes), with status kept in separate frames. */
struct grant_entry_header {
    uint16_t flags;             /* GTF_* */
    domid_t  domid;
};
typedef struct grant_entry_header grant_entry_header_t;
XEN_ABI_CHECK_SIZE(struct grant_entry_header, 4);

union grant_entry_v2 {
    grant_entry_header_t hdr;
    struct {                    /* whole frame (permit or accept) */
        grant_entry_header_t hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;
    struct {                    /* GTF_sub_page: [page_off, +length) */
        grant_entry_header_t hdr;
        uint16_t page_off;
        uint16_t length;
        uint64_t frame;
    } sub_page;
    struct {                    /* GTF_transitive: use trans_domid's gref */
        grant_entry_header_t hdr;
        domid_t trans_domid;
        uint16_t pad0;
        grant_ref_t gref;
    } transitive;
    uint32_t __spacer[4];
};
typedef union grant_entry_v2 grant_entry_v2_t;
XEN_ABI_CHECK_SIZE(union grant_entry_v2, 16);
XEN_ABI_CHECK_OFFSET(union grant_entry_v2, full_page.frame, 8);
XEN_ABI_CHECK_OFFSET(union grant_entry_v2, transitive.gref, 8);

typedef uint16_t grant_status_t;

#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9
#define GNTTABOP_get_version          10
#define GNTTABOP_swap_grant_ref       11
#define GNTTABOP_cache_flush          12

/* A mapping made by map_grant_ref, for unmapping it later. */
typedef uint32_t grant_handle_t;

/*
 * GNTTABOP_map_grant_ref: map grant @ref of domain @dom.  With
 * GNTMAP_host_map, at virtual address @host_addr of the current page
 * tables (or, with GNTMAP_contains_pte, through the PTE at machine address
 * @host_addr); with GNTMAP_device_map, for device DMA (dev_bus_addr).
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;         /* IN */
    uint32_t flags;             /* IN: GNTMAP_* */
    grant_ref_t ref;            /* IN */
    domid_t  dom;               /* IN: granting domain */
    int16_t  status;            /* OUT: GNTST_* */
    grant_handle_t handle;      /* OUT: for unmap */
    uint64_t dev_bus_addr;      /* OUT: bus address for device_map */
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_map_grant_ref_t);
XEN_ABI_CHECK_SIZE(struct gnttab_map_grant_ref, 32);
XEN_ABI_CHECK_OFFSET(struct gnttab_map_grant_ref, flags, 8);
XEN_ABI_CHECK_OFFSET(struct gnttab_map_grant_ref, ref, 12);
XEN_ABI_CHECK_OFFSET(struct gnttab_map_grant_ref, dom, 16);
XEN_ABI_CHECK_OFFSET(struct gnttab_map_grant_ref, status, 18);
XEN_ABI_CHECK_OFFSET(struct gnttab_map_grant_ref, handle, 20);
XEN_ABI_CHECK_OFFSET(struct gnttab_map_grant_ref, dev_bus_addr, 24);

/* GNTTABOP_unmap_grant_ref: undo a mapping; host_addr / dev_bus_addr 0
 * skips that side. */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;         /* IN */
    uint64_t dev_bus_addr;      /* IN */
    grant_handle_t handle;      /* IN */
    int16_t  status;            /* OUT: GNTST_* */
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t);
XEN_ABI_CHECK_SIZE(struct gnttab_unmap_grant_ref, 24);
XEN_ABI_CHECK_OFFSET(struct gnttab_unmap_grant_ref, handle, 16);
XEN_ABI_CHECK_OFFSET(struct gnttab_unmap_grant_ref, status, 20);

/*
 * GNTTABOP_setup_table: grow @dom's table to @nr_frames frames and return
 * their MFNs in frame_list (a PV guest then maps them with mmu_update).
 * count must be 1.  status GNTST_general_error when nr_frames is above
 * the domain's limit.
 */
struct gnttab_setup_table {
    domid_t  dom;               /* IN */
    uint32_t nr_frames;         /* IN */
    int16_t  status;            /* OUT: GNTST_* */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* OUT */
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);
XEN_ABI_CHECK_SIZE(struct gnttab_setup_table, 24);
XEN_ABI_CHECK_OFFSET(struct gnttab_setup_table, nr_frames, 4);
XEN_ABI_CHECK_OFFSET(struct gnttab_setup_table, status, 8);
XEN_ABI_CHECK_OFFSET(struct gnttab_setup_table, frame_list, 16);

/* GNTTABOP_dump_table: print @dom's table on the hypervisor console. */
struct gnttab_dump_table {
    domid_t dom;                /* IN */
    int16_t status;             /* OUT: GNTST_* */
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_dump_table_t);
XEN_ABI_CHECK_SIZE(struct gnttab_dump_table, 4);

/*
 * GNTTABOP_transfer: give page @mfn to @domid, into the entry @ref it
 * offered with GTF_accept_transfer.  Defined for completeness; Keel does
 * not implement page transfer and fails the call with -XEN_ENOSYS.
 */
struct gnttab_transfer {
    xen_pfn_t     mfn;          /* IN */
    domid_t       domid;        /* IN */
    grant_ref_t   ref;          /* IN */
    int16_t       status;       /* OUT: GNTST_* */
};
typedef struct gnttab_transfer gnttab_transfer_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_transfer_t);
XEN_ABI_CHECK_SIZE(struct gnttab_transfer, 24);
XEN_ABI_CHECK_OFFSET(struct gnttab_transfer, domid, 8);
XEN_ABI_CHECK_OFFSET(struct gnttab_transfer, ref, 12);
XEN_ABI_CHECK_OFFSET(struct gnttab_transfer, status, 16);

/*
 * GNTTABOP_copy: copy @len bytes between two frames, each named either
 * by grant reference (GNTCOPY_*_gref set) or, for the caller's own
 * memory, by frame number.  Neither side may cross a page boundary
 * (GNTST_bad_copy_arg).
 */
#define _GNTCOPY_source_gref      0
#define GNTCOPY_source_gref       (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref        1
#define GNTCOPY_dest_gref         (1 << _GNTCOPY_dest_gref)
struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;        /* with GNTCOPY_*_gref */
        xen_pfn_t   gmfn;       /* otherwise: the caller's frame */
    } u;
    domid_t  domid;             /* owner (the caller for gmfn) */
    uint16_t offset;            /* byte offset in the frame */
};
XEN_ABI_CHECK_SIZE(struct gnttab_copy_ptr, 16);
XEN_ABI_CHECK_OFFSET(struct gnttab_copy_ptr, domid, 8);
XEN_ABI_CHECK_OFFSET(struct gnttab_copy_ptr, offset, 10);

struct gnttab_copy {
    struct gnttab_copy_ptr source, dest;    /* IN */
    uint16_t      len;          /* IN: bytes */
    uint16_t      flags;        /* IN: GNTCOPY_* */
    int16_t       status;       /* OUT: GNTST_* */
};
typedef struct gnttab_copy gnttab_copy_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_copy_t);
XEN_ABI_CHECK_SIZE(struct gnttab_copy, 40);
XEN_ABI_CHECK_OFFSET(struct gnttab_copy, dest, 16);
XEN_ABI_CHECK_OFFSET(struct gnttab_copy, len, 32);
XEN_ABI_CHECK_OFFSET(struct gnttab_copy, flags, 34);
XEN_ABI_CHECK_OFFSET(struct gnttab_copy, status, 36);

/* GNTTABOP_query_size: current and maximum frames of @dom's table. */
struct gnttab_query_size {
    domid_t  dom;               /* IN */
    uint32_t nr_frames;         /* OUT */
    uint32_t max_nr_frames;     /* OUT */
    int16_t  status;            /* OUT: GNTST_* */
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);
XEN_ABI_CHECK_SIZE(struct gnttab_query_size, 16);
XEN_ABI_CHECK_OFFSET(struct gnttab_query_size, nr_frames, 4);
XEN_ABI_CHECK_OFFSET(struct gnttab_query_size, max_nr_frames, 8);
XEN_ABI_CHECK_OFFSET(struct gnttab_query_size, status, 12);

/*
 * GNTTABOP_unmap_and_replace: unmap the grant mapped at @host_addr and put
 * the mapping currently at @new_addr there instead (new_addr's own PTE is
 * cleared).  Host mappings only.
 */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;         /* IN */
    uint64_t new_addr;          /* IN */
    grant_handle_t handle;      /* IN */
    int16_t  status;            /* OUT: GNTST_* */
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t);
XEN_ABI_CHECK_SIZE(struct gnttab_unmap_and_replace, 24);
XEN_ABI_CHECK_OFFSET(struct gnttab_unmap_and_replace, handle, 16);
XEN_ABI_CHECK_OFFSET(struct gnttab_unmap_and_replace, status, 20);

/*
 * GNTTABOP_set_version: choose entry format 1 or 2 for the caller's table
 * (version is IN, and OUT as the version in force).  -XEN_EINVAL for other
 * values, -XEN_EBUSY while grants are in use, -XEN_ENOSYS for 2 when the
 * hypervisor offers only version 1.
 */
struct gnttab_set_version {
    uint32_t version;           /* IN/OUT */
};
typedef struct gnttab_set_version gnttab_set_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_set_version_t);
XEN_ABI_CHECK_SIZE(struct gnttab_set_version, 4);

/* GNTTABOP_get_status_frames: machine frames of the v2 status array. */
struct gnttab_get_status_frames {
    uint32_t nr_frames;         /* IN */
    domid_t  dom;               /* IN */
    int16_t  status;            /* OUT: GNTST_* */
    XEN_GUEST_HANDLE(uint64_t) frame_list;  /* OUT */
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_status_frames_t);
XEN_ABI_CHECK_SIZE(struct gnttab_get_status_frames, 16);
XEN_ABI_CHECK_OFFSET(struct gnttab_get_status_frames, dom, 4);
XEN_ABI_CHECK_OFFSET(struct gnttab_get_status_frames, status, 6);
XEN_ABI_CHECK_OFFSET(struct gnttab_get_status_frames, frame_list, 8);

/* GNTTABOP_get_version: entry format used by @dom. */
struct gnttab_get_version {
    domid_t dom;                /* IN */
    uint16_t pad;
    uint32_t version;           /* OUT */
};
typedef struct gnttab_get_version gnttab_get_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_version_t);
XEN_ABI_CHECK_SIZE(struct gnttab_get_version, 8);
XEN_ABI_CHECK_OFFSET(struct gnttab_get_version, version, 4);

/* GNTTABOP_swap_grant_ref: exchange two unused entries of the caller. */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;          /* IN */
    grant_ref_t ref_b;          /* IN */
    int16_t status;             /* OUT: GNTST_* */
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_swap_grant_ref_t);
XEN_ABI_CHECK_SIZE(struct gnttab_swap_grant_ref, 12);

/* GNTTABOP_cache_flush: clean/invalidate caches over part of a granted
 * (or, with dev_bus_addr, the caller's own) frame.  Needed on Arm; x86 is
 * coherent. */
struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;  /* caller's own memory */
        grant_ref_t ref;        /* with GNTTAB_CACHE_SOURCE_GREF */
    } a;
    uint16_t offset;            /* from the start of the frame */
    uint16_t length;            /* bytes, within the frame */
#define GNTTAB_CACHE_CLEAN          (1u << 0)
#define GNTTAB_CACHE_INVAL          (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF    (1u << 31)
    uint32_t op;                /* GNTTAB_CACHE_* */
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_cache_flush_t);
XEN_ABI_CHECK_SIZE(struct gnttab_cache_flush, 16);
XEN_ABI_CHECK_OFFSET(struct gnttab_cache_flush, offset, 8);
XEN_ABI_CHECK_OFFSET(struct gnttab_cache_flush, op, 12);

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)   /* for DMA */
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)     /* for the CPU */
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)     /* map read-only */
/* host_map: also usable by guest user mode (else kernel only). */
#define _GNTMAP_application_map 3
#define GNTMAP_application_map  (1 << _GNTMAP_application_map)
/* host_addr is the machine address of the PTE to write, not a VA. */
#define _GNTMAP_contains_pte    4
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)
/* Bits 16-31 are copied into the PTE's guest-available bits. */
#define _GNTMAP_guest_avail0    16
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Per-operation status codes. */
#define GNTST_okay              (0)   /* done */
#define GNTST_general_error     (-1)  /* anything not listed below */
#define GNTST_bad_domain        (-2)  /* no such domain */
#define GNTST_bad_gntref        (-3)  /* bad or unusable grant reference */
#define GNTST_bad_handle        (-4)  /* bad mapping handle */
#define GNTST_bad_virt_addr     (-5)  /* address cannot be mapped there */
#define GNTST_bad_dev_addr      (-6)  /* bad device address to unmap */
#define GNTST_no_device_space   (-7)  /* IOMMU out of space */
#define GNTST_permission_denied (-8)  /* grant does not allow this */
#define GNTST_bad_page          (-9)  /* frame unusable for this */
#define GNTST_bad_copy_arg      (-10) /* copy would cross a page */
#define GNTST_address_too_big   (-11) /* transfer: address too large */
#define GNTST_eagain            (-12) /* not done, try again */
#define GNTST_no_space          (-13) /* out of handles or similar */

/* Short description of a GNTST_* code, for messages. */
static inline const char *gnttab_status_name(int status)
{
    static const char *const names[] = {
        "okay", "general error", "bad domain", "bad grant reference",
        "bad handle", "bad virtual address", "bad device address",
        "no IOMMU space", "permission denied", "bad page",
        "copy crosses a page", "address too big", "try again", "no space",
    };

    if ( status > 0 || status < GNTST_no_space )
        return "unknown status";
    return names[-status];
}

#endif /* KEEL_PUBLIC_GRANT_TABLE_H */
