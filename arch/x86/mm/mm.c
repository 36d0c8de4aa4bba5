/*
 * Page ownership, reference counts and types for PV guests (direct paging).
 *
 * A domain's frame carries a general reference count (count_info) and a
 * type with its own count (type_info); asm/mm.h draws the layout.  The
 * rules this file enforces:
 *
 *   - A frame is freed to the heap exactly when its general count drops to
 *     zero; every type reference comes with a general reference.
 *   - A frame has one type at a time.  The type changes only while the
 *     type count is zero; before a frame that was something else becomes
 *     a page table, descriptor page or writable page, the domain's TLBs
 *     are flushed so no stale translation of the old use survives.
 *   - A page-table type is usable (PGT_validated) only while every guest
 *     entry of the frame holds the references it implies (pagetable.c
 *     checks each entry).  The type count going 0 -> 1 validates the
 *     frame; 1 -> 0 releases every entry ("demotion").
 *   - (De)validation can be long (a tree of tables), so it runs as a
 *     preemptible walk: pt_run() below.  A frame being walked is
 *     PGT_partial; its single type reference belongs to whoever started
 *     the walk (a parent entry that is "in flight", or a vCPU's
 *     arch.pt_pending) and nobody else may take the type meanwhile
 *     (-EBUSY).  Entries [0, cursor) of a partial frame hold references;
 *     promotion moves the cursor up, demotion (and the undoing of a
 *     failed promotion) moves it down.  A walk that stops keeps its
 *     state in the frames, so resuming it needs only the top frame,
 *     which the vCPU keeps in arch.pt_pending until it is finished
 *     (mm_finish_pending(), at the start of every page-table hypercall).
 *   - Recursion is bounded: each nested walk is one level down, or one
 *     same-level hop through a linear entry, which XSA-240's rules
 *     (pagetable.c) keep from chaining: at most seven frames deep.
 *   - While a domain is dying nothing is de-validated recursively:
 *     arch_domain_relinquish() sweeps every frame once instead.
 *
 * Locks: d->page_alloc_lock guards d->page_list, the page counters and
 * page_info.owner; it is taken only around list and counter updates and
 * never held while calling put_page() (which may free and take it).
 * count_info and type_info change only through compare-and-exchange.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/spinlock.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <public/xen.h>

#include "mm-internal.h"

/* Frames relinquish_memory() handles between preemption checks. */
#define RELINQUISH_BATCH 64

/* ---- small helpers --------------------------------------------------- */

static unsigned int pgt_cursor(unsigned long x)
{
    return (unsigned int)((x & PGT_cursor_mask) >> PGT_cursor_shift);
}

static unsigned long pgt_set_cursor(unsigned long x, unsigned int cur)
{
    return (x & ~PGT_cursor_mask) | ((unsigned long)cur << PGT_cursor_shift);
}

/* Atomically: type_info = (type_info & ~clear) | set, cursor = cur. */
static void type_set_state(struct page_info *pg, unsigned long clear,
                           unsigned long set, unsigned int cur)
{
    unsigned long x = read_ul(&pg->type_info);

    while ( !cas(&pg->type_info, &x,
                 pgt_set_cursor((x & ~clear) | set, cur)) )
        continue;
}

static bool domain_dying(const struct domain *d)
{
    return d && d->state >= DOMSTATE_DYING;
}

bool mm_m2p_strict(const struct domain *d)
{
    return d && (d->vm_assist & (1UL << VMASST_TYPE_m2p_strict));
}

/* ---- general references ---------------------------------------------- */

bool get_page(struct page_info *pg, const struct domain *d)
{
    unsigned long x = read_ul(&pg->count_info);

    do {
        unsigned long c = x & PGC_count_mask;

        /* Not allocated, or would overflow. */
        if ( c == 0 || c >= PGC_count_mask - 1 )
            return false;
    } while ( !cas(&pg->count_info, &x, x + 1) );

    if ( likely(page_get_owner(pg) == d) )
        return true;
    put_page(pg);
    return false;
}

struct page_info *get_page_from_mfn(mfn_t mfn, const struct domain *d)
{
    struct page_info *pg;

    if ( !mfn_valid(mfn) )
        return NULL;
    pg = mfn_to_page(mfn);
    return get_page(pg, d) ? pg : NULL;
}

/*
 * The last reference has gone: unlink the frame from its owner and give
 * it back to the heap.  Its translations may still sit in TLBs of CPUs
 * that ran the owner, so they are flushed first (a dying domain was
 * flushed once when it stopped running).
 *
 * A domain that owns any frame holds a reference on itself (taken in
 * domain_assign_page() when its first frame arrives, dropped here and in
 * steal_page() when its last one goes): a frame still mapped by another
 * domain after its owner died keeps the owner's struct, and with it the
 * page list this function unlinks from, alive.
 */
static void free_domain_page(struct page_info *pg)
{
    struct domain *d = page_get_owner(pg);
    bool last = false;

    if ( d )
    {
        spin_lock(&d->page_alloc_lock);
        page_list_del(pg, &d->page_list);
        if ( pg->count_info & PGC_xen_heap )
            d->xenheap_pages--;
        else
            d->tot_pages--;
        pg->owner = NULL;
        last = !d->tot_pages && !d->xenheap_pages;
        spin_unlock(&d->page_alloc_lock);
        if ( !domain_dying(d) )
            mm_flush_tlb_domain(d);
    }
    set_gpfn_from_mfn(page_to_mfn(pg), INVALID_M2P_ENTRY);
    pg->type_info = 0;
    pg->count_info &= ~(PGC_allocated | PGC_xen_heap | PGC_relinquished);
    free_heap_pages(pg, 0);
    if ( last )
        domain_put(d);              /* the reference its pages held */
}

void put_page(struct page_info *pg)
{
    unsigned long x = read_ul(&pg->count_info);

    do {
        if ( !(x & PGC_count_mask) )
            panic("put_page: mfn %#lx: reference count underflow\n",
                  mfn_x(page_to_mfn(pg)));
    } while ( !cas(&pg->count_info, &x, x - 1) );

    if ( !((x - 1) & PGC_count_mask) )
        free_domain_page(pg);
}

void put_page_alloc_ref(struct page_info *pg)
{
    unsigned long x = read_ul(&pg->count_info);

    do {
        if ( !(x & PGC_allocated) )
            return;
    } while ( !cas(&pg->count_info, &x, x & ~PGC_allocated) );
    put_page(pg);
}

/* ---- the (de)validation walk ----------------------------------------- */

/*
 * Continue the walk over pg, which is PGT_partial and whose one type
 * reference the caller owns.  Returns -ERESTART (stopped; pg and any
 * child in flight stay partial) or 0.  At 0, pg is either validated
 * (promotion done: the caller keeps its reference) or back to unvalidated
 * with type count 0 (demotion done, or a failed promotion undone, with
 * ctx->err saying why): the caller's type reference is consumed.
 */
static int pt_run(struct page_info *pg, struct pt_ctx *ctx)
{
    unsigned int level = pgt_level(pg->type_info);
    pte_t *tab = pt_map(pg);

    for ( ; ; )
    {
        unsigned long x = read_ul(&pg->type_info);
        unsigned int cur = pgt_cursor(x);
        bool demoting = x & PGT_demoting;
        unsigned int slot = demoting ? cur - 1 : cur;
        int rc;

        if ( x & PGT_inflight )
        {
            /* The entry at slot owns a partial child: finish that first. */
            struct page_info *child = mfn_to_page(pte_mfn(tab[slot]));

            if ( (rc = pt_run(child, ctx)) != 0 )
                return rc;
            if ( read_ul(&child->type_info) & PGT_validated )
                type_set_state(pg, PGT_inflight, 0, cur + 1);
            else
            {
                put_page(child);        /* the entry's general reference */
                if ( demoting )
                    type_set_state(pg, PGT_inflight, 0, cur - 1);
                else
                {
                    /* The child failed validation: undo [0, cur) too. */
                    if ( !ctx->err )
                        ctx->err = -EINVAL;
                    type_set_state(pg, PGT_inflight,
                                   PGT_demoting | PGT_aborting, cur);
                }
            }
            ctx->progressed = true;
            continue;
        }

        if ( !demoting && cur == PT_ENTRIES )
        {
            if ( level == 4 )
                pt_l4_init_slots(tab, mm_m2p_strict(page_get_owner(pg)));
            type_set_state(pg, PGT_partial | PGT_demoting, PGT_validated, 0);
            return 0;
        }
        if ( demoting && cur == 0 )
        {
            /* Every entry released: drop the owner's type reference. */
            if ( x & PGT_linear_mask )
                printk(KLOG_WARNING "mm: mfn %#lx demoted with linear "
                       "count %#lx\n", mfn_x(page_to_mfn(pg)),
                       (x & PGT_linear_mask) >> PGT_linear_shift);
            while ( !cas(&pg->type_info, &x,
                         (x & ~(PGT_partial | PGT_demoting | PGT_aborting |
                                PGT_validated | PGT_cursor_mask |
                                PGT_linear_mask)) - 1) )
                continue;
            return 0;
        }

        /* L1 walks are short (no children): never stop in them. */
        if ( level > 1 && ctx->preemptible && ctx->progressed &&
             hypercall_preempt_check() )
            return -ERESTART;

        if ( !pt_slot_is_guest(level, slot) )
            rc = 0;
        else if ( !demoting )
        {
            rc = pt_get_ref(pg, level, tab[slot], ctx);
            if ( rc == 0 || rc == -ERESTART )
                tab[slot] = pt_adjust(level, tab[slot]);
        }
        else
            rc = pt_put_ref(pg, level, tab[slot], ctx);

        if ( rc == -ERESTART )
        {
            type_set_state(pg, 0, PGT_inflight, cur);
            return rc;
        }
        if ( rc )
        {
            /* Entry `slot` holds nothing: release [0, cur) and fail. */
            if ( !ctx->err )
                ctx->err = rc;
            type_set_state(pg, 0, PGT_demoting | PGT_aborting, cur);
            continue;
        }
        type_set_state(pg, 0, 0, demoting ? cur - 1 : cur + 1);
        ctx->progressed = true;
    }
}

/* ---- type references ------------------------------------------------- */

int mm_type_get(struct page_info *pg, unsigned long type, struct pt_ctx *ctx)
{
    const struct domain *d = page_get_owner(pg);
    unsigned long x = read_ul(&pg->type_info), nx;
    bool flushed = false;
    int rc;

    if ( pgt_level(type) && domain_dying(d) )
        return -EINVAL;

    for ( ; ; )
    {
        unsigned long count = x & PGT_count_mask;

        if ( count == PGT_count_mask )
            return -EINVAL;                     /* would overflow */
        if ( count )
        {
            if ( (x & PGT_type_mask) != type )
                return -EINVAL;
            if ( (x & (PGT_validated | PGT_partial)) != PGT_validated )
                return -EBUSY;                  /* someone's walk owns it */
            nx = x + 1;
        }
        else if ( (x & PGT_type_mask) != type &&
                  (x & PGT_type_mask) != PGT_none && !flushed )
        {
            /* No CPU may keep using the frame in its old role. */
            mm_flush_tlb_domain(d);
            flushed = true;
            x = read_ul(&pg->type_info);
            continue;
        }
        else
            nx = type | 1 | (pgt_level(type) ? PGT_partial : PGT_validated);
        if ( cas(&pg->type_info, &x, nx) )
            break;
    }

    if ( !(nx & PGT_partial) )
        return 0;
    if ( (rc = pt_run(pg, ctx)) != 0 )
        return rc;
    if ( read_ul(&pg->type_info) & PGT_validated )
        return 0;
    return ctx->err ? ctx->err : -EINVAL;   /* failed; our ref consumed */
}

int mm_type_put(struct page_info *pg, struct pt_ctx *ctx)
{
    const struct domain *d = page_get_owner(pg);
    unsigned long x = read_ul(&pg->type_info);

    for ( ; ; )
    {
        unsigned long count = x & PGT_count_mask;

        if ( !count )
            panic("put_page_type: mfn %#lx: type count underflow (%#lx)\n",
                  mfn_x(page_to_mfn(pg)), x);
        if ( count == 1 && pgt_level(x) && (x & PGT_validated) &&
             !domain_dying(d) )
        {
            /* Last reference to a page table: release its entries. */
            unsigned long nx = pgt_set_cursor((x & ~PGT_validated) |
                                              PGT_partial | PGT_demoting,
                                              PT_ENTRIES);

            if ( !cas(&pg->type_info, &x, nx) )
                continue;
            return pt_run(pg, ctx);
        }
        if ( cas(&pg->type_info, &x, x - 1) )
            return 0;
    }
}

bool get_page_type(struct page_info *pg, unsigned long type)
{
    struct pt_ctx ctx = { .preemptible = false };

    return mm_type_get(pg, type, &ctx) == 0;
}

void put_page_type(struct page_info *pg)
{
    struct pt_ctx ctx = { .preemptible = false };

    mm_type_put(pg, &ctx);
}

bool get_page_and_type(struct page_info *pg, const struct domain *d,
                       unsigned long type)
{
    if ( !get_page(pg, d) )
        return false;
    if ( get_page_type(pg, type) )
        return true;
    put_page(pg);
    return false;
}

void put_page_and_type(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}

/*
 * Take a type reference only if pg is validated as some type and already
 * referenced (the frame is in use as that type); *type says which.  Such
 * a reference never starts a validation.
 */
bool get_page_type_if_in_use(struct page_info *pg, unsigned long *type)
{
    unsigned long x = read_ul(&pg->type_info);

    do {
        unsigned long count = x & PGT_count_mask;

        if ( !count || count == PGT_count_mask ||
             (x & (PGT_validated | PGT_partial)) != PGT_validated )
            return false;
    } while ( !cas(&pg->type_info, &x, x + 1) );
    *type = x & PGT_type_mask;
    return true;
}

/* ---- preemptible references and the vCPU's pending work ------------- */

void mm_set_pending(struct vcpu *v, struct page_info *pg)
{
    if ( v->arch.pt_pending )
        panic("mm: d%u v%u already has pending page-table work\n",
              v->domain->domain_id, v->vcpu_id);
    v->arch.pt_pending = pg;
}

int get_page_and_type_preemptible(struct vcpu *v, struct page_info *pg,
                                  const struct domain *d, unsigned long type)
{
    /* With work already pending, finish this one in one go. */
    struct pt_ctx ctx = { .preemptible = !v->arch.pt_pending };
    int rc;

    if ( !get_page(pg, d) )
        return -EINVAL;
    rc = mm_type_get(pg, type, &ctx);
    if ( rc == -ERESTART )
    {
        mm_set_pending(v, pg);
        return ctx.err ? ctx.err : -ERESTART;
    }
    if ( rc )
        put_page(pg);
    return rc;
}

void put_page_and_type_preemptible(struct vcpu *v, struct page_info *pg)
{
    struct pt_ctx ctx = { .preemptible = !v->arch.pt_pending };

    if ( mm_type_put(pg, &ctx) == -ERESTART )
        mm_set_pending(v, pg);      /* it keeps our general reference */
    else
        put_page(pg);
}

int mm_finish_pending(struct vcpu *v)
{
    struct page_info *pg = v->arch.pt_pending, *old;
    struct pt_ctx ctx = { .preemptible = true };
    bool validating;
    int rc;

    if ( !pg )
        return 0;
    validating = !(read_ul(&pg->type_info) & PGT_demoting) ||
                 (read_ul(&pg->type_info) & PGT_aborting);
    if ( (rc = pt_run(pg, &ctx)) != 0 )
        return rc;
    v->arch.pt_pending = NULL;
    if ( read_ul(&pg->type_info) & PGT_validated )
    {
        /* Promoted: hold it until the re-issued operation has its ref. */
        old = v->arch.pt_stash;
        v->arch.pt_stash = pg;
        if ( old )
            put_page_and_type_preemptible(v, old);
        return v->arch.pt_pending ? -ERESTART : 0;
    }
    put_page(pg);                           /* demoted: type ref consumed */
    if ( !validating )
        return 0;
    return ctx.err ? ctx.err : -EINVAL;     /* the validation failed */
}

void mm_release_stash(struct vcpu *v)
{
    struct page_info *pg = v->arch.pt_stash;

    /* Its release may need the pending slot: wait until that is free. */
    if ( !pg || v->arch.pt_pending )
        return;
    v->arch.pt_stash = NULL;
    put_page_and_type_preemptible(v, pg);
}

/* ---- pinning ----------------------------------------------------------- */

static bool test_and_set_pinned(struct page_info *pg, bool set)
{
    unsigned long x = read_ul(&pg->type_info);

    do {
        if ( !(x & PGT_pinned) != set )
            return false;
    } while ( !cas(&pg->type_info, &x, x ^ PGT_pinned) );
    return true;
}

int pin_page_table(struct vcpu *v, mfn_t mfn, const struct domain *d,
                   unsigned long type)
{
    struct page_info *pg;
    int rc;

    if ( !mfn_valid(mfn) || !pgt_level(type) )
        return -EINVAL;
    pg = mfn_to_page(mfn);
    if ( (rc = get_page_and_type_preemptible(v, pg, d, type)) != 0 )
        return rc;
    if ( !test_and_set_pinned(pg, true) )
    {
        put_page_and_type(pg);      /* the pin still holds the type */
        return -EINVAL;
    }
    return 0;
}

int unpin_page_table(struct vcpu *v, mfn_t mfn, const struct domain *d)
{
    struct page_info *pg = get_page_from_mfn(mfn, d);

    if ( !pg )
        return -EINVAL;
    if ( !test_and_set_pinned(pg, false) )
    {
        put_page(pg);
        return -EINVAL;
    }
    put_page_and_type_preemptible(v, pg);   /* the pin's references */
    put_page(pg);
    return 0;
}

int pv_pin_initial_l4(struct domain *d, mfn_t l4)
{
    struct pt_ctx ctx = { .preemptible = false };
    struct page_info *pg;
    int rc;

    if ( !mfn_valid(l4) || !get_page(pg = mfn_to_page(l4), d) )
        return -EINVAL;
    if ( (rc = mm_type_get(pg, PGT_l4_page_table, &ctx)) != 0 )
    {
        put_page(pg);
        return rc;
    }
    test_and_set_pinned(pg, true);
    /* A second reference for vCPU 0's base pointer. */
    if ( !get_page_and_type(pg, d, PGT_l4_page_table) )
        return -EINVAL;
    l4_set_m2p_slot(l4, true);
    if ( d->vcpu && d->vcpu[0] )
        d->vcpu[0]->arch.guest_table = l4;
    return 0;
}

/* ---- domain ownership -------------------------------------------------- */

int domain_assign_page(struct domain *d, struct page_info *pg,
                       unsigned int order, bool xenheap)
{
    unsigned long i, n = 1UL << order;
    bool first;

    for ( i = 0; i < n; i++ )
        if ( (pg[i].count_info & (PGC_heap | PGC_free | PGC_count_mask |
                                  PGC_allocated)) != PGC_heap ||
             pg[i].owner )
            return -EINVAL;                 /* not a fresh heap block */

    spin_lock(&d->page_alloc_lock);
    if ( domain_dying(d) ||
         (!xenheap && (d->tot_pages + n < d->tot_pages ||
                       d->tot_pages + n > d->max_pages)) )
    {
        spin_unlock(&d->page_alloc_lock);
        return domain_dying(d) ? -EINVAL : -ENOMEM;
    }
    for ( i = 0; i < n; i++ )
    {
        pg[i].owner = d;
        pg[i].type_info = xenheap ? PGT_writable_page | PGT_validated | 1 : 0;
        pg[i].count_info = PGC_heap | PGC_allocated | 1 |
                           (xenheap ? PGC_xen_heap : 0);
        page_list_add_tail(&pg[i], &d->page_list);
    }
    first = !d->tot_pages && !d->xenheap_pages;
    if ( xenheap )
        d->xenheap_pages += n;
    else
        d->tot_pages += n;
    /* The caller holds a reference, so this one cannot fail. */
    if ( first && !domain_get(d) )
        panic("d%u: page assigned to a domain being freed\n", d->domain_id);
    spin_unlock(&d->page_alloc_lock);
    return 0;
}

int steal_page(struct domain *d, struct page_info *pg)
{
    unsigned long x;
    bool last;

    if ( !get_page(pg, d) )
        return -EINVAL;
    /* Exactly our reference and the allocation one: nothing maps it. */
    x = read_ul(&pg->count_info);
    do {
        if ( (x & (PGC_count_mask | PGC_allocated | PGC_xen_heap)) !=
             (2 | PGC_allocated) )
        {
            put_page(pg);
            return -EINVAL;
        }
    } while ( !cas(&pg->count_info, &x,
                   x & ~(PGC_count_mask | PGC_allocated)) );

    spin_lock(&d->page_alloc_lock);
    page_list_del(pg, &d->page_list);
    d->tot_pages--;
    pg->owner = NULL;
    pg->type_info = 0;
    last = !d->tot_pages && !d->xenheap_pages;
    spin_unlock(&d->page_alloc_lock);
    if ( last )
        domain_put(d);              /* see free_domain_page() */
    return 0;
}

/* ---- relinquish -------------------------------------------------------- */

static void put_table_ref(mfn_t *mfn)
{
    if ( mfn_x(*mfn) )
        put_page_and_type(mfn_to_page(*mfn));
    *mfn = _mfn(0);
}

/* Drop what a vCPU holds: pending work, base pointers (no recursion). */
static void release_vcpu_tables(struct vcpu *v)
{
    struct page_info *pg = v->arch.pt_pending, *stash = v->arch.pt_stash;

    v->arch.pt_pending = v->arch.pt_stash = NULL;
    if ( pg )
        put_page_and_type(pg);
    if ( stash )
        put_page_and_type(stash);
    put_table_ref(&v->arch.guest_table);
    put_table_ref(&v->arch.guest_table_user);
}

/* Release every reference the entries of a (partial) table hold. */
static void release_entries(struct page_info *pg)
{
    struct pt_ctx ctx = { .preemptible = false };
    unsigned long x = read_ul(&pg->type_info);
    unsigned int level = pgt_level(x), cur, slot;
    pte_t *tab = pt_map(pg);

    cur = (x & PGT_validated) ? PT_ENTRIES : pgt_cursor(x);
    if ( (x & (PGT_partial | PGT_inflight)) == (PGT_partial | PGT_inflight) )
    {
        /* The in-flight entry: its child's type ref and general ref. */
        slot = (x & PGT_demoting) ? --cur : cur;
        mm_type_put(mfn_to_page(pte_mfn(tab[slot])), &ctx);
        put_page(mfn_to_page(pte_mfn(tab[slot])));
    }
    for ( slot = 0; slot < cur; slot++ )
        if ( pt_slot_is_guest(level, slot) )
            pt_put_ref(pg, level, tab[slot], &ctx);
    type_set_state(pg, PGT_validated | PGT_partial | PGT_demoting |
                   PGT_inflight | PGT_aborting | PGT_linear_mask, 0, 0);
}

/* Everything one frame of a dying domain holds, and its allocation. */
static void sweep_page(struct page_info *pg)
{
    unsigned long x;

    if ( test_and_set_pinned(pg, false) )
        put_page_and_type(pg);
    x = read_ul(&pg->type_info);
    if ( pgt_level(x) && (x & (PGT_validated | PGT_partial)) )
        release_entries(pg);
    if ( (pg->count_info & PGC_xen_heap) && (x & PGT_count_mask) )
        put_page_type(pg);                  /* its permanent writable ref */
    put_page_alloc_ref(pg);
}

int arch_domain_relinquish(struct domain *d)
{
    unsigned long n;
    unsigned int i;

    spin_lock(&d->lock);
    if ( d->state < DOMSTATE_DYING )
        d->state = DOMSTATE_DYING;
    spin_unlock(&d->lock);

    if ( d->vcpu )
        for ( i = 0; i < d->max_vcpus; i++ )
            if ( d->vcpu[i] )
                release_vcpu_tables(d->vcpu[i]);
    mm_flush_tlb_domain(d);

    /*
     * Rotate the page list: each unswept frame is marked, moved to the
     * tail and swept, so unswept frames always precede swept ones.  A
     * swept frame at the head means all have been; any still listed are
     * held from outside this domain's page tables.
     */
    for ( n = 1; ; n++ )
    {
        struct page_info *pg;

        spin_lock(&d->page_alloc_lock);
        pg = page_list_first(&d->page_list);
        if ( !pg || (pg->count_info & PGC_relinquished) )
        {
            spin_unlock(&d->page_alloc_lock);
            break;
        }
        page_list_del(pg, &d->page_list);
        page_list_add_tail(pg, &d->page_list);
        __atomic_fetch_add(&pg->count_info, 1 | PGC_relinquished,
                           __ATOMIC_SEQ_CST);
        spin_unlock(&d->page_alloc_lock);

        sweep_page(pg);
        put_page(pg);
        if ( !(n % RELINQUISH_BATCH) && hypercall_preempt_check() )
            return -ERESTART;
    }

    if ( d->tot_pages || d->xenheap_pages )
        printk(KLOG_WARNING "d%u: %lu page(s) and %lu hypervisor page(s) "
               "still referenced after relinquish\n", d->domain_id,
               d->tot_pages, d->xenheap_pages);
    return 0;
}
