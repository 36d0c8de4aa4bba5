/*
 * GNTTABOP_copy, GNTTABOP_swap_grant_ref, GNTTABOP_cache_flush.
 *
 * A copy names each side either by grant reference (another domain's
 * grant to the caller, or the caller's own) or, for the caller's own
 * memory only (DOMID_SELF), by frame number.  Each side is claimed for
 * the duration of one element: a grant is pinned like a host mapping
 * (GTF_reading, and GTF_writing for the destination, set in the shared
 * entry while the copy runs), the frame gets a general reference, and the
 * destination its writable type (so a page table is never a copy
 * target).  Then the ranges are checked and the bytes move through the
 * direct map; everything is released before the element's status is
 * written back.  The order of the checks, and so which status a request
 * with several faults gets, is Xen's.
 */
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <asm/mm.h>
#include <asm/page.h>

#include "gnttab_private.h"

/* Active entries scanned per step of a cross-domain cache_flush. */
#define CACHE_FLUSH_SCAN    (1u << GNTTABOP_CONT_SHIFT)

/* One side of a copy. */
struct copy_side {
    struct domain *d;               /* with a reference */
    struct grant_table *gt;         /* with a grant pinned: its table */
    grant_ref_t ref;
    struct page_info *pg;           /* with a general reference */
    bool readonly;                  /* source side */
    bool have_type;                 /* writable type held */
};

/* The caller's (or a granting domain's) frame, with a reference. */
static struct page_info *get_frame(struct domain *d, unsigned long frame)
{
    struct page_info *pg;

    if ( !mfn_valid(_mfn(frame)) )
        return NULL;
    pg = mfn_to_page(_mfn(frame));
    return get_page(pg, d) ? pg : NULL;
}

static int16_t copy_find_domain(struct gnttab_call *c,
                                const struct gnttab_copy_ptr *p, bool is_gref,
                                struct copy_side *s)
{
    int16_t rc;

    /* The domain is looked up first, as Xen does (DOMID_SELF included). */
    s->d = domain_get_by_id(p->domid, c->ld);
    if ( !s->d )
        return GNTST_bad_domain;
    if ( (rc = gnttab_check_copy_ptr(p, is_gref)) != GNTST_okay )
    {
        domain_put(s->d);
        s->d = NULL;
    }
    return rc;
}

/*
 * Pin grant ref of s->d for a copy by ldom and take a reference on its
 * frame.  The same steps and codes as mapping, without the mapping.
 */
static int16_t acquire_grant_for_copy(struct copy_side *s, grant_ref_t ref,
                                      domid_t ldom)
{
    struct grant_table *gt = gnttab_get(s->d);
    struct active_grant_entry *act;
    struct grant_entry_v1 *e;
    struct page_info *pg = NULL;
    bool ro = s->readonly;
    uint32_t old_pin;
    int16_t rc;

    if ( !gt )
        return GNTST_bad_domain;
    if ( ref >= gnttab_nr_entries(gt) )
    {
        gnttab_put(gt);
        return GNTST_bad_gntref;
    }
    act = gnttab_active(gt, ref);
    e = gnttab_shared(gt, ref);
    spin_lock(&act->lock);
    if ( (rc = gnttab_check_pin(act->pin, act->domid, ldom)) )
        goto unlock;
    if ( gnttab_needs_status(act->pin, ro) )
    {
        if ( (rc = gnttab_v1_set_status(e, act->pin, ro, false, ldom)) )
            goto unlock;
        if ( !act->pin )
        {
            pg = get_frame(s->d, __atomic_load_n(&e->frame,
                                                 __ATOMIC_RELAXED));
            if ( !pg )
            {
                rc = GNTST_bad_page;
                goto clear;
            }
            act->domid = ldom;
            act->mfn = page_to_mfn(pg);
        }
    }
    if ( !pg )
    {
        /* Already pinned: the frame it resolved to, if still the owner's. */
        pg = mfn_to_page(act->mfn);
        if ( s->d->state >= DOMSTATE_DYING || !get_page(pg, s->d) )
        {
            pg = NULL;
            rc = GNTST_bad_domain;
            goto clear;
        }
    }
    old_pin = act->pin;
    act->pin += gnttab_copy_pin(ro);
    spin_unlock(&act->lock);
    if ( !old_pin )
        gnttab_hold(gt);                    /* held by the pin */
    s->gt = gt;
    s->ref = ref;
    s->pg = pg;
    return GNTST_okay;

 clear:
    gnttab_v1_clear_status(e, gnttab_status_to_clear(act->pin, ro));
 unlock:
    spin_unlock(&act->lock);
    gnttab_put(gt);
    return rc;
}

static void release_grant_for_copy(struct copy_side *s)
{
    struct active_grant_entry *act = gnttab_active(s->gt, s->ref);
    bool last;

    spin_lock(&act->lock);
    last = gnttab_unpin(s->gt, s->ref, act, gnttab_copy_pin(s->readonly),
                        s->readonly);
    spin_unlock(&act->lock);
    if ( last )
        gnttab_put(s->gt);
    gnttab_put(s->gt);
    s->gt = NULL;
}

static int16_t copy_claim(struct gnttab_call *c,
                          const struct gnttab_copy_ptr *p, bool is_gref,
                          struct copy_side *s)
{
    int16_t rc;

    if ( is_gref )
        rc = acquire_grant_for_copy(s, p->u.ref, c->ld->domain_id);
    else
        rc = (s->pg = get_frame(s->d, p->u.gmfn)) ? GNTST_okay
                                                   : GNTST_bad_page;
    if ( rc )
        return rc;
    if ( !s->readonly )
    {
        if ( !get_page_type(s->pg, PGT_writable_page) )
            return GNTST_general_error;     /* a page table, say */
        s->have_type = true;
    }
    return GNTST_okay;
}

static void copy_release(struct copy_side *s)
{
    if ( s->gt )
        release_grant_for_copy(s);
    if ( s->have_type )
        put_page_type(s->pg);
    if ( s->pg )
        put_page(s->pg);
    if ( s->d )
        domain_put(s->d);
}

static int16_t copy_one(struct gnttab_call *c, const struct gnttab_copy *op)
{
    struct copy_side src = { .readonly = true }, dst = { .readonly = false };
    bool src_gref = op->flags & GNTCOPY_source_gref;
    bool dst_gref = op->flags & GNTCOPY_dest_gref;
    int16_t rc;

    if ( (rc = copy_find_domain(c, &op->source, src_gref, &src)) ||
         (rc = copy_find_domain(c, &op->dest, dst_gref, &dst)) )
        goto out;
    if ( xsm_grant_copy(c->ld, src.d, dst.d) )
    {
        rc = GNTST_permission_denied;
        goto out;
    }
    if ( (rc = copy_claim(c, &op->source, src_gref, &src)) ||
         (rc = copy_claim(c, &op->dest, dst_gref, &dst)) ||
         (rc = gnttab_check_copy_range(op)) )
        goto out;

    /* Both frames may be the same one: overlapping ranges are fine. */
    memmove((char *)mfn_to_virt(page_to_mfn(dst.pg)) + op->dest.offset,
            (const char *)mfn_to_virt(page_to_mfn(src.pg)) +
            op->source.offset,
            op->len);
 out:
    copy_release(&dst);
    copy_release(&src);
    return rc;
}

int gnttab_op_copy(struct gnttab_call *c, void *arg)
{
    struct gnttab_copy *op = arg;

    op->status = copy_one(c, op);
    return 0;
}

/* ---- swap_grant_ref ----------------------------------------------------- */

static int16_t swap_grant_ref(struct grant_table *gt, grant_ref_t ref_a,
                              grant_ref_t ref_b)
{
    struct active_grant_entry *lo, *hi;
    uint64_t *a, *b, tmp;
    unsigned int nr = gnttab_nr_entries(gt);
    int16_t rc = GNTST_okay;

    if ( ref_a >= nr || ref_b >= nr )
        return GNTST_bad_gntref;
    if ( ref_a == ref_b )
        return GNTST_okay;
    /* Two active entries of one table: the lower reference first. */
    lo = gnttab_active(gt, MIN(ref_a, ref_b));
    hi = gnttab_active(gt, MAX(ref_a, ref_b));
    spin_lock(&lo->lock);
    spin_lock(&hi->lock);
    if ( lo->pin || hi->pin )
        rc = GNTST_eagain;                  /* in use: not now */
    else
    {
        a = (uint64_t *)gnttab_shared(gt, ref_a);
        b = (uint64_t *)gnttab_shared(gt, ref_b);
        tmp = __atomic_load_n(a, __ATOMIC_RELAXED);
        __atomic_store_n(a, __atomic_load_n(b, __ATOMIC_RELAXED),
                         __ATOMIC_RELAXED);
        __atomic_store_n(b, tmp, __ATOMIC_RELAXED);
    }
    spin_unlock(&hi->lock);
    spin_unlock(&lo->lock);
    return rc;
}

int gnttab_op_swap(struct gnttab_call *c, void *arg)
{
    struct gnttab_swap_grant_ref *op = arg;

    op->status = swap_grant_ref(c->lgt, op->ref_a, op->ref_b);
    return 0;
}

/* ---- cache_flush -------------------------------------------------------- */

/*
 * Does ld hold a pin on a grant of gt that resolved to mfn?  Scans
 * CACHE_FLUSH_SCAN entries from *cur: 0 found, 1 not yet (*cur moved on),
 * -EINVAL none.
 */
static int grant_map_exists(struct grant_table *gt, domid_t ld, mfn_t mfn,
                            unsigned int *cur)
{
    unsigned int nr = gnttab_nr_entries(gt), ref, end;

    end = *cur < nr ? MIN(nr, *cur + CACHE_FLUSH_SCAN) : nr;
    for ( ref = *cur; ref < end; ref++ )
    {
        struct active_grant_entry *act = gnttab_active(gt, ref);
        bool hit;

        spin_lock(&act->lock);
        hit = act->pin && act->domid == ld && mfn_x(act->mfn) == mfn_x(mfn);
        spin_unlock(&act->lock);
        if ( hit )
            return 0;
    }
    if ( ref < nr )
    {
        *cur = ref;
        return 1;
    }
    return -EINVAL;
}

/* One flush: 0 done, 1 to be continued (c->opaque), or -errno. */
static int cache_flush_one(struct gnttab_call *c,
                           const struct gnttab_cache_flush *op)
{
    struct grant_table *ogt;
    struct domain *owner;
    struct page_info *pg;
    mfn_t mfn;
    int rc = gnttab_check_cache_flush(op);

    if ( rc < 0 )
        return rc;
    if ( rc > 0 )                           /* nothing to do */
        return c->opaque ? -EILSEQ : 0;

    mfn = _mfn(op->a.dev_bus_addr >> PAGE_SHIFT);
    if ( !mfn_valid(mfn) )
        return -EINVAL;
    pg = mfn_to_page(mfn);
    owner = page_get_owner(pg);
    if ( !owner || !get_page(pg, owner) )
        return -EPERM;
    if ( (ogt = gnttab_get(owner)) == NULL )
    {
        put_page(pg);
        return -EPERM;
    }
    /* Another domain's frame only through a grant the caller holds. */
    rc = owner == c->ld ? 0
         : grant_map_exists(ogt, c->ld->domain_id, mfn, &c->opaque);
    if ( rc == 0 )
        rc = arch_gnttab_cache_flush(mfn, op->offset, op->length, op->op);
    gnttab_put(ogt);
    put_page(pg);
    return rc;
}

int gnttab_op_cache_flush(struct gnttab_call *c, void *arg)
{
    const struct gnttab_cache_flush *op = arg;
    int rc;

    while ( (rc = cache_flush_one(c, op)) > 0 )
        if ( hypercall_preempt_check() )
            return 1;                       /* c->opaque says where */
    c->opaque = 0;
    return rc;
}
