/*
 * Grant tables, version 1 (common/grant/, arch/x86/mm/grant.c).
 *
 * A domain shares one of its frames with another domain by filling an
 * entry ("grant reference") of its grant table, frames of 512 8-byte
 * struct grant_entry_v1 that it maps with mmu_update.  The grantee maps
 * the frame (map_grant_ref), or has the hypervisor copy to or from it
 * (GNTTABOP_copy), naming it by (granting domain, reference).
 *
 * What this subsystem owns, per domain (struct grant_table):
 *   - the shared frames (hypervisor pages given to the domain, grown on
 *     demand by setup_table up to a per-domain limit);
 *   - one active entry per reference: how often the grant is pinned (host
 *     and device mappings, read-only and writable, and copies in flight),
 *     by which domain, and the frame it resolved to;
 *   - the maptrack table: the mappings this domain made of other domains'
 *     grants (self-maps included), indexed by the handle map_grant_ref
 *     returned.
 *
 * References: a host mapping's general reference (and, if writable, its
 * writable type reference) on the granted frame belongs to the page-table
 * entry, exactly as if mmu_update had written it, so page-table teardown
 * drops it; a device mapping's references belong to the maptrack entry.
 * A pinned active entry keeps the granting table alive, and every
 * maptrack entry in use holds a reference on the granting domain, so the
 * granting domain, its table and its frames outlive every mapping.
 *
 * Locks (docs/locking.md): d->lock guards d->grant_table (the pointer);
 * gt->lock table growth; act->lock one active entry (and the flags of the
 * maptrack entries that name it); gt->maptrack_lock the maptrack free
 * list and growth.  Order: act->lock (two at most, of one table, lower
 * reference first) -> d->page_alloc_lock -> heap_lock; gt->lock and
 * gt->maptrack_lock -> heap_lock, xmalloc_lock.  d->lock is taken with
 * no grant lock held.  No lock is held across a guest copy.
 */
#ifndef KEEL_GRANT_TABLE_H
#define KEEL_GRANT_TABLE_H

#include <keel/types.h>

struct domain;
struct vcpu;

/* Shared frames per domain unless configured otherwise (Xen's default). */
#define GNTTAB_DEFAULT_MAX_FRAMES       64
/* Maptrack frames per domain (Xen's gnttab_max_maptrack_frames). */
#define GNTTAB_DEFAULT_MAX_MAPTRACK     1024
/* Frames a new table starts with (Xen's INITIAL_NR_GRANT_FRAMES). */
#define GNTTAB_INITIAL_FRAMES           1

/* (c) limits for tables created from now on (boot configuration). */
extern unsigned int opt_gnttab_max_frames;
extern unsigned int opt_gnttab_max_maptrack_frames;

/*
 * Give d an empty version-1 table of GNTTAB_INITIAL_FRAMES frames.
 * 0 or -ENOMEM (d must then be torn down; grant_table_destroy() copes
 * with a table that was never set up).
 */
int grant_table_init(struct domain *d);

/*
 * Lower a new table's limits to the toolstack's (createdomain's
 * max_grant_frames / max_maptrack_frames, already checked against the
 * boot limits); a negative value keeps the default.  0 or -EINVAL (no
 * table).
 */
int grant_table_set_limits(struct domain *d, int max_frames,
                           int max_maptrack);

/*
 * Release every mapping d made of other domains' (or its own) grants:
 * pins drop, device-mapping references drop; host-mapping references
 * belong to d's page tables and go with them.  For a dying domain whose
 * vCPUs no longer run.  0 when done, -ERESTART when preempted (call again).
 */
int gnttab_release_mappings(struct domain *d);

/*
 * Domain teardown (d's vCPUs no longer run; call before the domain's
 * memory is relinquished): release d's own mappings, then detach d's
 * table.  The table itself, and its frames, go once no other domain has
 * a grant of d's pinned.  No-op without a table.
 */
void grant_table_destroy(struct domain *d);

/* Per-domain figures, for leak checks and the debug key. */
struct gnttab_usage {
    unsigned int nr_frames;         /* shared frames */
    unsigned int maptrack_frames;   /* maptrack frames allocated */
    unsigned int maptrack_in_use;   /* handles in use */
    unsigned int active_pinned;     /* active entries with pins */
};
/* false when d has no table. */
bool gnttab_usage(struct domain *d, struct gnttab_usage *u);

/* Print d's pinned grants and mappings (debug key). */
void gnttab_dump(struct domain *d);

/* ---- arch hooks (arch/x86/mm/grant.c) --------------------------------- */

/*
 * Put a grant mapping of mfn into v's page tables: at linear address
 * addr, or, with GNTMAP_contains_pte in flags, in the L1 entry at machine
 * address addr (8-byte aligned: XSA-227).  The entry gets P, A, D, NX,
 * RW unless GNTMAP_readonly, U with GNTMAP_application_map, and flags'
 * guest-available bits.  The caller already holds the references the
 * entry will own; whatever the entry held before is dropped (after a TLB
 * flush).  GNTST_okay or GNTST_general_error (no L1 entry there, not an
 * L1 table of v's domain in use, misaligned).
 */
int arch_gnttab_map_create(struct vcpu *v, uint64_t addr, mfn_t mfn,
                           unsigned int flags);

/*
 * Take a grant mapping of mfn out of v's page tables (addr, flags as at
 * creation).  The entry must map mfn, present, with the RW bit the grant
 * implies (XSA-234); it then holds new_addr's entry (moved there:
 * unmap_and_replace, linear addresses only) or nothing, and the domain's
 * TLBs are flushed.  The references the grant entry owned pass to the
 * caller.  GNTST_okay or GNTST_general_error (nothing changed at addr;
 * new_addr's entry, if taken, is dropped).
 */
int arch_gnttab_map_destroy(struct vcpu *v, uint64_t addr, mfn_t mfn,
                            uint64_t new_addr, unsigned int flags);

/*
 * GNTTABOP_cache_flush on [offset, offset + len) of mfn (range checked by
 * the caller): 0, or -EOPNOTSUPP for an invalidate without a clean (x86
 * caches are coherent; only write-back makes sense).
 */
int arch_gnttab_cache_flush(mfn_t mfn, unsigned int offset, unsigned int len,
                            unsigned int op);

/* Flush d's TLBs after grant mappings were removed. */
void arch_gnttab_flush_tlb(struct domain *d);

#endif /* KEEL_GRANT_TABLE_H */
