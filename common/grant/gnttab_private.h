/*
 * Grant tables: structures shared by common/grant/.  Not for use
 * outside common/grant (the API is include/keel/grant_table.h).
 *
 *   struct domain            struct grant_table (gt)
 *   +--------------+         +-------------------------------------------+
 *   | grant_table -+-------> | shared[f]   -> 512 grant_entry_v1 (guest) |
 *   +--------------+ d->lock | active[f]   -> 512 active_grant_entry     |
 *                            | maptrack[m] -> 128 grant_mapping          |
 *                            +-------------------------------------------+
 *
 *   maptrack entry (handle h of the mapping domain ld):
 *     { ref, flags, domid, rd (domain ref), rgt } --pins--> rgt active[ref]
 *
 * Lifetime of a table's contents: gt->refs counts the owner (until
 * grant_table_destroy()), every operation in flight on the table, and
 * every active entry with a non-zero pin.  The last put frees the
 * contents and the struct; d->grant_table is NULL by then (it is cleared
 * before the owner's reference goes), so new users cannot find it.
 *
 * Pins (act->pin): four 8-bit counts, as in Xen.  A host mapping counts
 * in hstr/hstw, a device mapping in devr/devw, a copy in flight in
 * hstr/hstw while it runs.  The guest-visible GTF_reading flag is set
 * while any pin is held, GTF_writing while a writable pin is.
 */
#ifndef COMMON_GRANT_GNTTAB_PRIVATE_H
#define COMMON_GRANT_GNTTAB_PRIVATE_H

#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/grant_table.h>
#include <keel/nospec.h>
#include <keel/spinlock.h>
#include <public/grant_table.h>
#include <xsm/xsm.h>

/* The hypercall's cmd: sub-op in the low 12 bits, continuation state above
 * (cache_flush only).  Part of the ABI: a continued call must mean the same
 * to any hypervisor. */
#define GNTTABOP_CONT_SHIFT     12
#define GNTTABOP_CMD_MASK       ((1u << GNTTABOP_CONT_SHIFT) - 1)
#define GNTTABOP_ARG_MASK       (~GNTTABOP_CMD_MASK)

#define GNTTAB_ENTRIES_PER_FRAME \
    ((unsigned int)(PAGE_SIZE / sizeof(struct grant_entry_v1)))

/* ---- active entries -------------------------------------------------- */

#define GNTPIN_hstw_shift   0
#define GNTPIN_hstr_shift   8
#define GNTPIN_devw_shift   16
#define GNTPIN_devr_shift   24
#define GNTPIN_hstw_inc     (1u << GNTPIN_hstw_shift)
#define GNTPIN_hstr_inc     (1u << GNTPIN_hstr_shift)
#define GNTPIN_devw_inc     (1u << GNTPIN_devw_shift)
#define GNTPIN_devr_inc     (1u << GNTPIN_devr_shift)
#define GNTPIN_hstw_mask    (0xffu << GNTPIN_hstw_shift)
#define GNTPIN_hstr_mask    (0xffu << GNTPIN_hstr_shift)
#define GNTPIN_devw_mask    (0xffu << GNTPIN_devw_shift)
#define GNTPIN_devr_mask    (0xffu << GNTPIN_devr_shift)
#define GNTPIN_write_mask   (GNTPIN_hstw_mask | GNTPIN_devw_mask)
/* A count at 128 refuses further pins, so no count can overflow. */
#define GNTPIN_overflow     0x80808080u

struct active_grant_entry {
    spinlock_t lock;
    uint32_t pin;                   /* [lock] GNTPIN_* counts */
    domid_t domid;                  /* [lock] grantee, while pinned */
    mfn_t mfn;                      /* [lock] granted frame, while pinned */
};

/* ---- maptrack -------------------------------------------------------- */

struct grant_mapping {
    uint32_t ref;                   /* grant ref; when free: next free */
    uint16_t flags;                 /* GNTMAP_* (low 16 bits); 0: unused.
                                       [rgt act lock of ref] */
    domid_t domid;                  /* granting domain */
    struct domain *rd;              /* [maptrack_lock] holds a reference */
    struct grant_table *rgt;        /* [maptrack_lock] pinned through ref */
    uint64_t pad;
};
BUILD_BUG_ON(sizeof(struct grant_mapping) != 32);

#define MAPTRACK_PER_FRAME \
    ((unsigned int)(PAGE_SIZE / sizeof(struct grant_mapping)))
#define MAPTRACK_NONE       UINT32_MAX      /* end of the free list */
#define GNTMAP_KIND_MASK    (GNTMAP_host_map | GNTMAP_device_map)

/* ---- the table ------------------------------------------------------- */

struct grant_table {
    struct domain *domain;          /* (c) owner */
    unsigned int refs;              /* [atomic] see the header comment */
    unsigned int max_frames;        /* (c) */
    unsigned int max_maptrack;      /* (c) maptrack frames */

    spinlock_t lock;
    unsigned int nr_frames;         /* [lock] written; read with acquire */
    struct grant_entry_v1 **shared; /* (c) array of max_frames; [lock] */
    mfn_t *shared_mfn;              /* (c) array of max_frames; [lock] */
    struct active_grant_entry **active; /* (c) array; [lock] */

    spinlock_t maptrack_lock;
    unsigned int maptrack_limit;    /* [maptrack_lock] handles; read atomic */
    unsigned int maptrack_free;     /* [maptrack_lock] free list head */
    unsigned int maptrack_tail;     /* [maptrack_lock] free list tail */
    unsigned int maptrack_used;     /* [maptrack_lock] */
    unsigned int release_cursor;    /* teardown progress */
    struct grant_mapping **maptrack;    /* (c) array; [maptrack_lock] */
};

/* ---- grant_table.c: lookup and lifetime ------------------------------ */

/* d's table with a reference taken, or NULL (none, or being destroyed). */
struct grant_table *gnttab_get(struct domain *d);
/* Take one more reference on a table the caller holds a reference to. */
void gnttab_hold(struct grant_table *gt);
void gnttab_put(struct grant_table *gt);

/* Entries in use: nr_frames * 512, read once (acquire). */
unsigned int gnttab_nr_entries(struct grant_table *gt);
/* The shared and active entries of ref (< gnttab_nr_entries()). */
struct grant_entry_v1 *gnttab_shared(struct grant_table *gt, grant_ref_t ref);
struct active_grant_entry *gnttab_active(struct grant_table *gt,
                                         grant_ref_t ref);

/* Maptrack: a free handle (its entry's flags are 0), or MAPTRACK_NONE. */
unsigned int gnttab_maptrack_get(struct grant_table *lgt);
void gnttab_maptrack_put(struct grant_table *lgt, unsigned int handle);
/* The entry of a handle < maptrack_limit. */
struct grant_mapping *gnttab_maptrack_entry(struct grant_table *lgt,
                                            unsigned int handle);

/* ---- gnttab_map.c / gnttab_copy.c: per-element sub-ops ---------------- */

/* Per-call state shared by the elements of one grant_table_op. */
struct gnttab_call {
    struct vcpu *v;                 /* the caller */
    struct domain *ld;              /* its domain */
    struct grant_table *lgt;        /* its table (a reference is held) */
    unsigned int opaque;            /* cmd bits above the sub-op */
};

int gnttab_op_map(struct gnttab_call *c, void *arg);
int gnttab_op_unmap(struct gnttab_call *c, void *arg);
int gnttab_op_unmap_and_replace(struct gnttab_call *c, void *arg);
int gnttab_op_copy(struct gnttab_call *c, void *arg);
int gnttab_op_swap(struct gnttab_call *c, void *arg);
int gnttab_op_cache_flush(struct gnttab_call *c, void *arg);

/* Drop the pin a mapping (flags) or a copy holds on act; clears GTF
 * flags as needed.  Returns true when the entry's last pin went (the
 * caller then drops the table reference that pin held). */
bool gnttab_unpin(struct grant_table *gt, grant_ref_t ref,
                  struct active_grant_entry *act, uint32_t pin_dec, bool ro);

/* ---- gnttab_check.c: the pure core (host-tested) ---------------------- */

/* map_grant_ref flags: GNTST_okay, or GNTST_bad_gntref without a kind. */
int16_t gnttab_check_map_flags(uint32_t flags);
/* May ldom add a pin to an entry with these pins (held by act_domid)? */
int16_t gnttab_check_pin(uint32_t pin, domid_t act_domid, domid_t ldom);
/* The pins a mapping with these GNTMAP_* flags holds. */
uint32_t gnttab_map_pins(uint32_t flags);
/* The pin a copy holds: readonly for a source, writable for a target. */
uint32_t gnttab_copy_pin(bool readonly);
/* Must the shared entry's flags be checked and updated for this pin? */
bool gnttab_needs_status(uint32_t pin, bool readonly);
/*
 * Set GTF_reading (and GTF_writing unless readonly) in the shared entry
 * at *e, checking it grants ldom access (unless already pinned) and does
 * not forbid writing.  A guest may race us: five compare-exchanges, then
 * give up.  GNTST_okay or GNTST_general_error.
 */
int16_t gnttab_v1_set_status(struct grant_entry_v1 *e, bool pinned,
                             bool readonly, bool mapping, domid_t ldom);
/* The GTF_* bits to clear once pins are down to `pin` after dropping a
 * pin of this kind (readonly or not). */
uint16_t gnttab_status_to_clear(uint32_t pin, bool readonly);
void gnttab_v1_clear_status(struct grant_entry_v1 *e, uint16_t mask);
/* GNTTABOP_copy: the frame form only for DOMID_SELF. */
int16_t gnttab_check_copy_ptr(const struct gnttab_copy_ptr *p, bool is_gref);
/* GNTTABOP_copy: both ranges inside a page. */
int16_t gnttab_check_copy_range(const struct gnttab_copy *op);
/* GNTTABOP_cache_flush: -EINVAL, 0 (go on), or 1 (nothing to do). */
int gnttab_check_cache_flush(const struct gnttab_cache_flush *op);

#endif /* COMMON_GRANT_GNTTAB_PRIVATE_H */
