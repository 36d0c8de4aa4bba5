/*
 * Grant mappings: map_grant_ref, unmap_grant_ref, unmap_and_replace, and
 * the release of a dying domain's mappings.
 *
 * A mapping is a maptrack entry of the mapping domain (ld) naming (rd,
 * ref), plus pins on rd's active entry, plus page references on the
 * granted frame:
 *
 *   kind            general ref   writable type ref   owned by
 *   host, r/o       1             -                   the PTE (ld's L1)
 *   host, r/w       1             1                   the PTE
 *   device, r/o     1             -                   the maptrack entry
 *   device, r/w     1             1                   the maptrack entry
 *
 * A host mapping's references belong to the page-table entry, as if the
 * guest had written it with mmu_update: if the guest overwrites the
 * entry, or its page tables are torn down, those references go with it
 * (the pins stay until the handle is unmapped or ld dies).  Unmapping
 * checks that the entry still maps the frame with the grant's
 * permissions before taking the references back (XSA-234).  A writable
 * mapping holds the frame's writable type, so the frame cannot become a
 * page table or descriptor page while mapped, and holding any reference
 * keeps the frame from being freed: it goes back to its owner's heap only
 * after the last mapping is gone.
 *
 * Order of work in map (Xen's): decode the flags, find rd, ask XSM, take
 * a handle, check the reference, then under the active entry's lock pin
 * it (setting GTF_reading/GTF_writing in the shared entry at the first
 * pin of each kind), then take the page references and write the PTE
 * with no grant lock held; any failure undoes exactly what was done.
 * Unmap serialises on the active entry's lock, so two vCPUs unmapping one
 * handle drop its references once (XSA-218); the references counted are
 * those the mapping recorded, never more (XSA-224).
 */
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <asm/mm.h>
#include <asm/page.h>

#include "gnttab_private.h"

/* The frame of rd's named by a v1 entry, with a general reference. */
static struct page_info *get_granted_frame(struct domain *rd, uint32_t frame)
{
    struct page_info *pg;

    if ( !mfn_valid(_mfn(frame)) )
        return NULL;
    pg = mfn_to_page(_mfn(frame));
    return get_page(pg, rd) ? pg : NULL;
}

bool gnttab_unpin(struct grant_table *gt, grant_ref_t ref,
                  struct active_grant_entry *act, uint32_t pin_dec, bool ro)
{
    ASSERT_SPIN_LOCKED(&act->lock);
    act->pin -= pin_dec;
    gnttab_v1_clear_status(gnttab_shared(gt, ref),
                           gnttab_status_to_clear(act->pin, ro));
    return act->pin == 0;
}

/* Drop the page references of the mapping kinds in done (GNTMAP_*). */
static void put_mapping_refs(struct page_info *pg, uint16_t done)
{
    unsigned int n = !!(done & GNTMAP_host_map) + !!(done & GNTMAP_device_map);

    while ( n-- )
    {
        if ( done & GNTMAP_readonly )
            put_page(pg);
        else
            put_page_and_type(pg);          /* writable: no children */
    }
}

/* ---- map --------------------------------------------------------------- */

static int16_t map_grant(struct gnttab_call *c,
                         struct gnttab_map_grant_ref *op)
{
    struct domain *ld = c->ld, *rd;
    struct grant_table *rgt;
    struct active_grant_entry *act;
    struct grant_mapping *mt;
    struct page_info *pg = NULL;
    bool ro = op->flags & GNTMAP_readonly;
    uint32_t pins = gnttab_map_pins(op->flags), old_pin;
    unsigned int handle, refs = 0, types = 0;
    grant_ref_t ref = op->ref;
    bool last;
    mfn_t mfn;
    int16_t rc;

    if ( (rc = gnttab_check_map_flags(op->flags)) != GNTST_okay )
        return rc;
    /* A real domain id: unlike elsewhere, DOMID_SELF names nobody here. */
    if ( op->dom >= DOMID_FIRST_RESERVED ||
         (rd = domain_get_by_id(op->dom, ld)) == NULL )
        return GNTST_bad_domain;
    if ( xsm_grant_mapref(ld, rd, op->flags) )
    {
        domain_put(rd);
        return GNTST_permission_denied;
    }
    if ( (rgt = gnttab_get(rd)) == NULL )
    {
        domain_put(rd);
        return GNTST_bad_domain;            /* being destroyed */
    }
    if ( (handle = gnttab_maptrack_get(c->lgt)) == MAPTRACK_NONE )
    {
        rc = GNTST_no_device_space;         /* Xen's code for this */
        goto put_table;
    }
    if ( ref >= gnttab_nr_entries(rgt) )
    {
        rc = GNTST_bad_gntref;
        goto put_handle;
    }

    act = gnttab_active(rgt, ref);
    spin_lock(&act->lock);
    if ( (rc = gnttab_check_pin(act->pin, act->domid, ld->domain_id)) )
        goto unlock;
    if ( gnttab_needs_status(act->pin, ro) )
    {
        struct grant_entry_v1 *e = gnttab_shared(rgt, ref);

        rc = gnttab_v1_set_status(e, act->pin, ro, true, ld->domain_id);
        if ( rc )
            goto unlock;
        if ( !act->pin )
        {
            pg = get_granted_frame(rd, __atomic_load_n(&e->frame,
                                                       __ATOMIC_RELAXED));
            if ( !pg )
            {
                gnttab_v1_clear_status(e, gnttab_status_to_clear(0, ro));
                rc = GNTST_bad_page;
                goto unlock;
            }
            refs = 1;
            act->domid = ld->domain_id;
            act->mfn = page_to_mfn(pg);
        }
    }
    old_pin = act->pin;
    act->pin += pins;
    mfn = act->mfn;
    spin_unlock(&act->lock);
    if ( !old_pin )
        gnttab_hold(rgt);                   /* held by the pins */

    /* References, with no grant lock held (get_page_type may flush). */
    if ( !pg )
    {
        pg = mfn_to_page(mfn);
        if ( !get_page(pg, rd) )
        {
            rc = GNTST_general_error;       /* freed under the grant */
            goto undo;
        }
        refs = 1;
    }
    if ( (op->flags & GNTMAP_device_map) && !ro )
    {
        if ( !get_page_type(pg, PGT_writable_page) )
        {
            rc = GNTST_general_error;       /* a page table, say */
            goto undo;
        }
        types++;
    }
    if ( op->flags & GNTMAP_host_map )
    {
        if ( op->flags & GNTMAP_device_map )
        {
            if ( !get_page(pg, rd) )
            {
                rc = GNTST_general_error;
                goto undo;
            }
            refs++;
        }
        if ( !ro )
        {
            if ( !get_page_type(pg, PGT_writable_page) )
            {
                rc = GNTST_general_error;
                goto undo;
            }
            types++;
        }
        rc = arch_gnttab_map_create(c->v, op->host_addr, mfn, op->flags);
        if ( rc != GNTST_okay )
            goto undo;
    }

    /* Publish: identity first, flags (which make the entry live) last. */
    mt = gnttab_maptrack_entry(c->lgt, handle);
    spin_lock(&c->lgt->maptrack_lock);
    mt->ref = ref;
    mt->domid = op->dom;
    mt->rd = rd;                            /* our domain reference */
    mt->rgt = rgt;
    __atomic_store_n(&mt->flags, (uint16_t)op->flags, __ATOMIC_RELEASE);
    spin_unlock(&c->lgt->maptrack_lock);

    op->dev_bus_addr = (uint64_t)mfn_x(mfn) << PAGE_SHIFT;
    op->handle = handle;
    gnttab_put(rgt);                        /* the pins hold it now */
    return GNTST_okay;

 undo:
    while ( types-- )
        put_page_type(pg);
    while ( refs-- )
        put_page(pg);
    spin_lock(&act->lock);
    last = gnttab_unpin(rgt, ref, act, pins, ro);
    spin_unlock(&act->lock);
    if ( last )
        gnttab_put(rgt);                    /* the pins' reference */
    goto put_handle;
 unlock:
    spin_unlock(&act->lock);
 put_handle:
    gnttab_maptrack_put(c->lgt, handle);
 put_table:
    gnttab_put(rgt);
    domain_put(rd);
    return rc;
}

int gnttab_op_map(struct gnttab_call *c, void *arg)
{
    struct gnttab_map_grant_ref *op = arg;

    op->status = map_grant(c, op);
    return 0;
}

/* ---- unmap -------------------------------------------------------------- */

/*
 * Undo the parts of mapping `handle` that the addresses name: the host
 * mapping if host_addr is non-zero (and then put new_addr's entry in its
 * place, if non-zero), the device mapping if dev_bus_addr is non-zero.
 */
static int16_t unmap_grant(struct gnttab_call *c, uint64_t host_addr,
                           uint64_t dev_bus_addr, uint64_t new_addr,
                           grant_handle_t handle)
{
    struct grant_table *lgt = c->lgt, *rgt;
    struct active_grant_entry *act;
    struct grant_mapping *mt;
    struct domain *rd;
    uint16_t flags, done = 0;
    bool last = false, free_handle = false;
    grant_ref_t ref;
    mfn_t mfn = INVALID_MFN;
    int16_t rc = GNTST_okay;

    if ( handle >= __atomic_load_n(&lgt->maptrack_limit, __ATOMIC_ACQUIRE) )
        return GNTST_bad_handle;
    mt = gnttab_maptrack_entry(lgt, handle);

    /* Pin down what the entry names while it cannot be freed. */
    spin_lock(&lgt->maptrack_lock);
    if ( !__atomic_load_n(&mt->flags, __ATOMIC_ACQUIRE) )
    {
        spin_unlock(&lgt->maptrack_lock);
        return GNTST_bad_handle;
    }
    rd = mt->rd;
    rgt = mt->rgt;
    ref = mt->ref;
    if ( !domain_get(rd) )
        panic("gnttab: d%u handle %#x: granting domain freed\n",
              c->ld->domain_id, handle);
    gnttab_hold(rgt);
    spin_unlock(&lgt->maptrack_lock);

    if ( xsm_grant_unmapref(c->ld, rd) )
    {
        rc = GNTST_permission_denied;
        goto out;
    }

    act = gnttab_active(rgt, ref);
    spin_lock(&act->lock);
    /* Unmapped (and maybe reused) meanwhile? */
    flags = __atomic_load_n(&mt->flags, __ATOMIC_ACQUIRE);
    if ( !flags || __atomic_load_n(&mt->rgt, __ATOMIC_RELAXED) != rgt ||
         __atomic_load_n(&mt->ref, __ATOMIC_RELAXED) != ref )
    {
        rc = GNTST_bad_handle;
        goto unlock;
    }
    mfn = act->mfn;
    if ( dev_bus_addr &&
         dev_bus_addr != ((uint64_t)mfn_x(mfn) << PAGE_SHIFT) )
    {
        rc = GNTST_bad_dev_addr;
        goto unlock;
    }
    if ( host_addr && (flags & GNTMAP_host_map) )
    {
        rc = arch_gnttab_map_destroy(c->v, host_addr, mfn, new_addr, flags);
        if ( rc != GNTST_okay )
            goto unlock;
        done |= GNTMAP_host_map;
    }
    if ( dev_bus_addr && (flags & GNTMAP_device_map) )
        done |= GNTMAP_device_map;
    if ( done )
    {
        done |= flags & GNTMAP_readonly;
        flags &= ~(done & GNTMAP_KIND_MASK);
        free_handle = !(flags & GNTMAP_KIND_MASK);
        __atomic_store_n(&mt->flags, free_handle ? 0 : flags,
                         __ATOMIC_RELEASE);
        last = gnttab_unpin(rgt, ref, act, gnttab_map_pins(done),
                            done & GNTMAP_readonly);
    }
 unlock:
    spin_unlock(&act->lock);

    /* The TLBs were flushed when the entry went: the references can go. */
    if ( done )
        put_mapping_refs(mfn_to_page(mfn), done);
    if ( last )
        gnttab_put(rgt);                    /* the pins' reference */
    if ( free_handle )
    {
        gnttab_maptrack_put(lgt, handle);
        domain_put(rd);                     /* the entry's reference */
    }
 out:
    gnttab_put(rgt);
    domain_put(rd);
    return rc;
}

int gnttab_op_unmap(struct gnttab_call *c, void *arg)
{
    struct gnttab_unmap_grant_ref *op = arg;

    op->status = unmap_grant(c, op->host_addr, op->dev_bus_addr, 0,
                             op->handle);
    return 0;
}

int gnttab_op_unmap_and_replace(struct gnttab_call *c, void *arg)
{
    struct gnttab_unmap_and_replace *op = arg;

    op->status = unmap_grant(c, op->host_addr, 0, op->new_addr, op->handle);
    return 0;
}

/* ---- teardown ----------------------------------------------------------- */

/* Handles released between preemption checks. */
#define RELEASE_BATCH 64

int gnttab_release_mappings(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    unsigned int h, limit, n = 0;

    if ( !gt )
        return 0;
    limit = __atomic_load_n(&gt->maptrack_limit, __ATOMIC_ACQUIRE);
    for ( h = gt->release_cursor; h < limit; h++ )
    {
        struct grant_mapping *mt = gnttab_maptrack_entry(gt, h);
        struct active_grant_entry *act;
        struct grant_table *rgt;
        struct domain *rd;
        uint16_t flags;
        grant_ref_t ref;
        mfn_t mfn;
        bool last;

        if ( !__atomic_load_n(&mt->flags, __ATOMIC_ACQUIRE) )
            continue;
        if ( ++n % RELEASE_BATCH == 0 && hypercall_preempt_check() )
        {
            gt->release_cursor = h;
            return -ERESTART;
        }

        spin_lock(&gt->maptrack_lock);
        rd = mt->rd;
        rgt = mt->rgt;
        ref = mt->ref;
        spin_unlock(&gt->maptrack_lock);

        act = gnttab_active(rgt, ref);
        spin_lock(&act->lock);
        flags = mt->flags;
        __atomic_store_n(&mt->flags, 0, __ATOMIC_RELEASE);
        mfn = act->mfn;
        last = gnttab_unpin(rgt, ref, act, gnttab_map_pins(flags),
                            flags & GNTMAP_readonly);
        spin_unlock(&act->lock);

        /* Host mappings' references go with d's page tables. */
        if ( flags & GNTMAP_device_map )
            put_mapping_refs(mfn_to_page(mfn),
                             flags & (GNTMAP_device_map | GNTMAP_readonly));
        if ( last )
            gnttab_put(rgt);
        gnttab_maptrack_put(gt, h);
        domain_put(rd);
    }
    gt->release_cursor = 0;                 /* done: a new call starts over */
    return 0;
}
