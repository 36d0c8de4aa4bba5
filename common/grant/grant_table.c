/*
 * Grant tables: each domain's table (shared frames, active entries,
 * maptrack), its lifetime, and HYPERVISOR_grant_table_op(cmd, uop, count).
 *
 * Invariants:
 *  - nr_frames only grows while the table lives, and frames [0, nr_frames)
 *    with their active entries are in place before nr_frames says so
 *    (release store, acquire load): a reference below
 *    gnttab_nr_entries() always reaches real entries, with no lock;
 *  - maptrack frames only grow too; a handle below maptrack_limit reaches
 *    a real entry, in use iff its flags are non-zero;
 *  - gt->refs counts the owner (until grant_table_destroy()), operations
 *    in flight, and active entries with pins; at zero the table is freed,
 *    after d->grant_table was cleared.
 *
 * The dispatcher is table-driven: array sub-ops run element by element
 * (copy in, act, copy the element's results out), checking for
 * preemption before each element after the first and continuing with the
 * rest of the array; the others take their struct themselves.  A faulting
 * guest copy ends the call with -EFAULT.  Status codes and errors are
 * Xen 4.17's, except where Keel leaves a feature out on purpose
 * (transfer, version 2: ../shared/docs/SECURITY.md).
 */
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/xmalloc.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <public/xen.h>

#include "gnttab_private.h"

unsigned int opt_gnttab_max_frames = GNTTAB_DEFAULT_MAX_FRAMES;
unsigned int opt_gnttab_max_maptrack_frames = GNTTAB_DEFAULT_MAX_MAPTRACK;

/* Ceilings that keep every handle and reference well inside 32 bits. */
#define GNTTAB_FRAMES_CEILING   4096
#define MAPTRACK_FRAMES_CEILING 65536

/* ---- lookup and lifetime ---------------------------------------------- */

struct grant_table *gnttab_get(struct domain *d)
{
    struct grant_table *gt;

    spin_lock(&d->lock);
    gt = d->grant_table;
    if ( gt )
        gnttab_hold(gt);        /* the owner's reference is still there */
    spin_unlock(&d->lock);
    return gt;
}

void gnttab_hold(struct grant_table *gt)
{
    __atomic_fetch_add(&gt->refs, 1, __ATOMIC_ACQUIRE);
}

/* Free a table nobody references any more (or one never installed). */
static void gnttab_free(struct grant_table *gt)
{
    unsigned int i, nr = gt->nr_frames;

    for ( i = 0; i < nr; i++ )
    {
        /* Our reference; the owner's go with its memory (relinquish). */
        put_page(mfn_to_page(gt->shared_mfn[i]));
        xfree(gt->active[i]);
    }
    if ( gt->maptrack_used )
        printk(KLOG_WARNING "d%u: grant table freed with %u mapping(s)\n",
               gt->domain->domain_id, gt->maptrack_used);
    for ( i = 0; i < gt->maptrack_limit / MAPTRACK_PER_FRAME; i++ )
        free_xenheap_page(gt->maptrack[i]);
    xfree(gt->maptrack);
    xfree(gt->active);
    xfree(gt->shared_mfn);
    xfree(gt->shared);
    xfree(gt);
}

void gnttab_put(struct grant_table *gt)
{
    if ( __atomic_sub_fetch(&gt->refs, 1, __ATOMIC_ACQ_REL) == 0 )
        gnttab_free(gt);
}

unsigned int gnttab_nr_entries(struct grant_table *gt)
{
    return __atomic_load_n(&gt->nr_frames, __ATOMIC_ACQUIRE) *
           GNTTAB_ENTRIES_PER_FRAME;
}

struct grant_entry_v1 *gnttab_shared(struct grant_table *gt, grant_ref_t ref)
{
    ref = array_index_nospec(ref, gnttab_nr_entries(gt));
    return &gt->shared[ref / GNTTAB_ENTRIES_PER_FRAME]
                      [ref % GNTTAB_ENTRIES_PER_FRAME];
}

struct active_grant_entry *gnttab_active(struct grant_table *gt,
                                         grant_ref_t ref)
{
    ref = array_index_nospec(ref, gnttab_nr_entries(gt));
    return &gt->active[ref / GNTTAB_ENTRIES_PER_FRAME]
                      [ref % GNTTAB_ENTRIES_PER_FRAME];
}

/*
 * Add one shared frame (and its active entries) to d's table: a fresh
 * hypervisor page given to d (as shared_info is: permanently writable,
 * so it can never become a page table), plus the table's own reference.
 */
static int gnttab_grow_one(struct domain *d, struct grant_table *gt)
{
    unsigned int i = gt->nr_frames;
    struct active_grant_entry *act;
    struct page_info *pg;

    ASSERT_SPIN_LOCKED(&gt->lock);
    act = xzalloc_array(struct active_grant_entry, GNTTAB_ENTRIES_PER_FRAME);
    if ( !act )
        return -ENOMEM;
    if ( (pg = alloc_heap_pages(0, 0)) == NULL )
    {
        xfree(act);
        return -ENOMEM;
    }
    if ( domain_assign_page(d, pg, 0, true) )
    {
        free_heap_pages(pg, 0);             /* d is dying */
        xfree(act);
        return -EINVAL;
    }
    if ( !get_page(pg, d) )
        panic("gnttab: d%u: new grant frame unusable\n", d->domain_id);
    gt->shared_mfn[i] = page_to_mfn(pg);
    gt->shared[i] = mfn_to_virt(page_to_mfn(pg));
    gt->active[i] = act;
    __atomic_store_n(&gt->nr_frames, i + 1, __ATOMIC_RELEASE);
    return 0;
}

/* Grow to nr frames (at most max_frames): 0 or -errno (partly grown). */
static int gnttab_grow(struct domain *d, struct grant_table *gt,
                       unsigned int nr)
{
    int rc = 0;

    ASSERT_SPIN_LOCKED(&gt->lock);
    while ( rc == 0 && gt->nr_frames < nr )
        rc = gnttab_grow_one(d, gt);
    return rc;
}

int grant_table_init(struct domain *d)
{
    struct grant_table *gt = xzalloc(struct grant_table);
    int rc;

    if ( !gt )
        return -ENOMEM;
    gt->domain = d;
    gt->refs = 1;
    gt->max_frames = MIN(MAX(opt_gnttab_max_frames, GNTTAB_INITIAL_FRAMES),
                         GNTTAB_FRAMES_CEILING);
    gt->max_maptrack = MIN(opt_gnttab_max_maptrack_frames,
                           MAPTRACK_FRAMES_CEILING);
    spin_lock_init(&gt->lock);
    spin_lock_init(&gt->maptrack_lock);
    gt->maptrack_free = gt->maptrack_tail = MAPTRACK_NONE;
    gt->shared = xzalloc_array(struct grant_entry_v1 *, gt->max_frames);
    gt->shared_mfn = xzalloc_array(mfn_t, gt->max_frames);
    gt->active = xzalloc_array(struct active_grant_entry *, gt->max_frames);
    gt->maptrack = xzalloc_array(struct grant_mapping *,
                                 MAX(gt->max_maptrack, 1));
    if ( !gt->shared || !gt->shared_mfn || !gt->active || !gt->maptrack )
    {
        gnttab_free(gt);
        return -ENOMEM;
    }

    spin_lock(&gt->lock);
    rc = gnttab_grow(d, gt, GNTTAB_INITIAL_FRAMES);
    spin_unlock(&gt->lock);
    if ( rc )
    {
        gnttab_free(gt);
        return -ENOMEM;
    }

    spin_lock(&d->lock);
    d->grant_table = gt;
    spin_unlock(&d->lock);
    return 0;
}

int grant_table_set_limits(struct domain *d, int max_frames,
                           int max_maptrack)
{
    struct grant_table *gt = d->grant_table;

    if ( !gt )
        return -EINVAL;
    spin_lock(&gt->lock);
    /* Only ever lowered: the arrays were sized for the boot limits. */
    if ( max_frames >= 0 && (unsigned int)max_frames >= gt->nr_frames &&
         (unsigned int)max_frames < gt->max_frames )
        gt->max_frames = max_frames;
    spin_unlock(&gt->lock);
    spin_lock(&gt->maptrack_lock);
    if ( max_maptrack >= 0 && (unsigned int)max_maptrack < gt->max_maptrack )
        gt->max_maptrack = max_maptrack;
    spin_unlock(&gt->maptrack_lock);
    return 0;
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;

    if ( !gt )
        return;
    while ( gnttab_release_mappings(d) == -ERESTART )
        continue;
    spin_lock(&d->lock);
    d->grant_table = NULL;
    spin_unlock(&d->lock);
    gnttab_put(gt);                     /* the owner's reference */
}

/* ---- maptrack ----------------------------------------------------------- */

struct grant_mapping *gnttab_maptrack_entry(struct grant_table *lgt,
                                            unsigned int handle)
{
    unsigned int limit = __atomic_load_n(&lgt->maptrack_limit,
                                         __ATOMIC_ACQUIRE);

    handle = array_index_nospec(handle, limit);
    return &lgt->maptrack[handle / MAPTRACK_PER_FRAME]
                         [handle % MAPTRACK_PER_FRAME];
}

/* Add a maptrack frame; its handles go on the free list. */
static bool maptrack_grow(struct grant_table *lgt)
{
    unsigned int nr = lgt->maptrack_limit / MAPTRACK_PER_FRAME, base, i;
    struct grant_mapping *mt;

    ASSERT_SPIN_LOCKED(&lgt->maptrack_lock);
    if ( nr >= lgt->max_maptrack || (mt = alloc_xenheap_page()) == NULL )
        return false;
    base = lgt->maptrack_limit;
    for ( i = 0; i < MAPTRACK_PER_FRAME; i++ )
        mt[i].ref = i + 1 < MAPTRACK_PER_FRAME ? base + i + 1 : MAPTRACK_NONE;
    lgt->maptrack[nr] = mt;
    lgt->maptrack_free = base;          /* the list was empty */
    lgt->maptrack_tail = base + MAPTRACK_PER_FRAME - 1;
    __atomic_store_n(&lgt->maptrack_limit, base + MAPTRACK_PER_FRAME,
                     __ATOMIC_RELEASE);
    return true;
}

/*
 * Handles are taken from the head of the free list and returned to its
 * tail, so a handle just unmapped is the last to be reused: a stale
 * handle in a buggy guest then names nothing rather than a new mapping.
 */
unsigned int gnttab_maptrack_get(struct grant_table *lgt)
{
    unsigned int handle;

    spin_lock(&lgt->maptrack_lock);
    if ( lgt->maptrack_free == MAPTRACK_NONE )
        maptrack_grow(lgt);
    handle = lgt->maptrack_free;
    if ( handle != MAPTRACK_NONE )
    {
        struct grant_mapping *e = gnttab_maptrack_entry(lgt, handle);

        lgt->maptrack_free = e->ref;
        if ( e->ref == MAPTRACK_NONE )
            lgt->maptrack_tail = MAPTRACK_NONE;
        e->ref = 0;
        lgt->maptrack_used++;
    }
    spin_unlock(&lgt->maptrack_lock);
    return handle;
}

void gnttab_maptrack_put(struct grant_table *lgt, unsigned int handle)
{
    struct grant_mapping *e = gnttab_maptrack_entry(lgt, handle);

    spin_lock(&lgt->maptrack_lock);
    e->ref = MAPTRACK_NONE;
    e->rd = NULL;
    e->rgt = NULL;
    if ( lgt->maptrack_tail == MAPTRACK_NONE )
        lgt->maptrack_free = handle;
    else
        gnttab_maptrack_entry(lgt, lgt->maptrack_tail)->ref = handle;
    lgt->maptrack_tail = handle;
    lgt->maptrack_used--;
    spin_unlock(&lgt->maptrack_lock);
}

/* ---- sub-ops with a single struct -------------------------------------- */

static long gnttab_setup_table(struct gnttab_call *c, uint64_t uop,
                               unsigned int count)
{
    struct gnttab_setup_table op;
    struct grant_table *gt = NULL;
    struct domain *d;
    uint64_t list;
    unsigned int i;

    if ( count != 1 )
        return -EINVAL;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    list = xen_guest_handle_addr(op.frame_list);
    if ( !guest_range_ok(list, (size_t)op.nr_frames * sizeof(xen_pfn_t)) )
        return -EFAULT;

    if ( (d = domain_get_by_id(op.dom, c->ld)) == NULL )
        op.status = GNTST_bad_domain;
    else if ( xsm_grant_setup(c->ld, d) )
        op.status = GNTST_permission_denied;
    else if ( (gt = gnttab_get(d)) == NULL )
        op.status = GNTST_bad_domain;       /* being destroyed */
    else
    {
        spin_lock(&gt->lock);
        if ( op.nr_frames > gt->max_frames )
            op.status = GNTST_general_error;
        else if ( gnttab_grow(d, gt, op.nr_frames) )
            op.status = GNTST_general_error;
        else
            op.status = GNTST_okay;
        spin_unlock(&gt->lock);
    }

    /* Frames below nr_frames never change while we hold the table. */
    for ( i = 0; op.status == GNTST_okay && i < op.nr_frames; i++ )
    {
        xen_pfn_t mfn = mfn_x(gt->shared_mfn[i]);

        if ( copy_to_guest_offset(list, i, &mfn, sizeof(mfn)) )
            op.status = GNTST_bad_virt_addr;
    }
    if ( gt )
        gnttab_put(gt);
    if ( d )
        domain_put(d);
    if ( copy_to_guest(uop + offsetof(struct gnttab_setup_table, status),
                       &op.status, sizeof(op.status)) )
        return -EFAULT;
    return 0;
}

static long gnttab_query_size(struct gnttab_call *c, uint64_t uop,
                              unsigned int count)
{
    struct gnttab_query_size op;
    struct grant_table *gt;
    struct domain *d;

    if ( count != 1 )
        return -EINVAL;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;

    if ( (d = domain_get_by_id(op.dom, c->ld)) == NULL )
        op.status = GNTST_bad_domain;
    else if ( xsm_grant_query_size(c->ld, d) )
        op.status = GNTST_permission_denied;
    else if ( (gt = gnttab_get(d)) == NULL )
        op.status = GNTST_bad_domain;
    else
    {
        op.nr_frames = __atomic_load_n(&gt->nr_frames, __ATOMIC_ACQUIRE);
        op.max_nr_frames = gt->max_frames;
        op.status = GNTST_okay;
        gnttab_put(gt);
    }
    if ( d )
        domain_put(d);
    if ( copy_to_guest(uop, &op, sizeof(op)) )
        return -EFAULT;
    return 0;
}

/* Only version 1 exists here: version 2 is left out on purpose. */
static long gnttab_set_version(struct gnttab_call *c, uint64_t uop,
                               unsigned int count)
{
    struct gnttab_set_version op;
    long rc;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( op.version != 1 && op.version != 2 )
        rc = -EINVAL;
    else if ( op.version == 2 )
        rc = -ENOSYS;           /* Xen with gnttab=max-ver:1 */
    else
        rc = 0;
    op.version = 1;             /* the version in force, whatever happened */
    if ( copy_to_guest(uop, &op, sizeof(op)) )
        return -EFAULT;
    return rc;
}

static long gnttab_get_version(struct gnttab_call *c, uint64_t uop,
                               unsigned int count)
{
    struct gnttab_get_version op;
    struct domain *d;
    int rc;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( (d = domain_get_by_id(op.dom, c->ld)) == NULL )
        return -ESRCH;
    rc = xsm_grant_query_size(c->ld, d);
    domain_put(d);
    if ( rc )
        return rc;
    op.version = 1;
    if ( copy_to_guest(uop + offsetof(struct gnttab_get_version, version),
                       &op.version, sizeof(op.version)) )
        return -EFAULT;
    return 0;
}

/* Version 1 tables have no status frames: only a request for none works. */
static long gnttab_get_status_frames(struct gnttab_call *c, uint64_t uop,
                                     unsigned int count)
{
    struct gnttab_get_status_frames op;
    struct domain *d;

    if ( count != 1 )
        return -EINVAL;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( (d = domain_get_by_id(op.dom, c->ld)) == NULL )
        op.status = GNTST_bad_domain;
    else if ( xsm_grant_setup(c->ld, d) )
        op.status = GNTST_permission_denied;
    else if ( op.nr_frames > 0 )
        op.status = GNTST_general_error;
    else
        op.status = GNTST_okay;
    if ( d )
        domain_put(d);
    if ( copy_to_guest(uop + offsetof(struct gnttab_get_status_frames,
                                      status),
                       &op.status, sizeof(op.status)) )
        return -EFAULT;
    return 0;
}

/* Page transfer is left out on purpose; dump_table is gone from Xen. */
static long gnttab_not_supported(struct gnttab_call *c, uint64_t uop,
                                 unsigned int count)
{
    return -ENOSYS;
}

/* ---- the dispatcher ----------------------------------------------------- */

union gnttab_arg {
    struct gnttab_map_grant_ref map;
    struct gnttab_unmap_grant_ref unmap;
    struct gnttab_unmap_and_replace unmap_and_replace;
    struct gnttab_copy copy;
    struct gnttab_swap_grant_ref swap;
    struct gnttab_cache_flush cache_flush;
};

typedef int gnttab_elem_fn(struct gnttab_call *c, void *arg);
typedef long gnttab_call_fn(struct gnttab_call *c, uint64_t uop,
                            unsigned int count);

struct gnttab_op {
    gnttab_elem_fn *elem;       /* array sub-op: one element */
    gnttab_call_fn *call;       /* or: the whole call */
    uint8_t size;               /* array: bytes per element */
    uint8_t out_off, out_len;   /* array: bytes copied back per element */
};

/* Array sub-op whose elements go back whole / only their status field. */
#define GNTOP_ARRAY_ALL(type, fn) \
    { .elem = (fn), .size = sizeof(type), .out_off = 0, \
      .out_len = sizeof(type) }
#define GNTOP_ARRAY_STATUS(type, fn) \
    { .elem = (fn), .size = sizeof(type), \
      .out_off = offsetof(type, status), \
      .out_len = sizeof(((type *)0)->status) }
#define GNTOP_CALL(fn) { .call = (fn) }

static const struct gnttab_op gnttab_ops[] = {
    [GNTTABOP_map_grant_ref]     = GNTOP_ARRAY_ALL(struct gnttab_map_grant_ref,
                                                   gnttab_op_map),
    [GNTTABOP_unmap_grant_ref]   = GNTOP_ARRAY_STATUS(
                                       struct gnttab_unmap_grant_ref,
                                       gnttab_op_unmap),
    [GNTTABOP_setup_table]       = GNTOP_CALL(gnttab_setup_table),
    [GNTTABOP_dump_table]        = GNTOP_CALL(gnttab_not_supported),
    [GNTTABOP_transfer]          = GNTOP_CALL(gnttab_not_supported),
    [GNTTABOP_copy]              = GNTOP_ARRAY_STATUS(struct gnttab_copy,
                                                      gnttab_op_copy),
    [GNTTABOP_query_size]        = GNTOP_CALL(gnttab_query_size),
    [GNTTABOP_unmap_and_replace] = GNTOP_ARRAY_STATUS(
                                       struct gnttab_unmap_and_replace,
                                       gnttab_op_unmap_and_replace),
    [GNTTABOP_set_version]       = GNTOP_CALL(gnttab_set_version),
    [GNTTABOP_get_status_frames] = GNTOP_CALL(gnttab_get_status_frames),
    [GNTTABOP_get_version]       = GNTOP_CALL(gnttab_get_version),
    [GNTTABOP_swap_grant_ref]    = GNTOP_ARRAY_STATUS(
                                       struct gnttab_swap_grant_ref,
                                       gnttab_op_swap),
    [GNTTABOP_cache_flush]       = {   /* no status: errors end the call */
        .elem = gnttab_op_cache_flush,
        .size = sizeof(struct gnttab_cache_flush) },
};

BUILD_BUG_ON(sizeof(union gnttab_arg) > UINT8_MAX);

static long gnttab_continue(unsigned int cmd, uint64_t uop, unsigned int left)
{
    unsigned long args[3] = { cmd, uop, left };

    return hypercall_create_continuation(__HYPERVISOR_grant_table_op,
                                         ARRAY_SIZE(args), args);
}

static long gnttab_array(const struct gnttab_op *o, struct gnttab_call *c,
                         unsigned int cmd, uint64_t uop, unsigned int count)
{
    union gnttab_arg arg;
    unsigned int i;
    int rc;

    if ( !guest_range_ok(uop, (size_t)count * o->size) )
        return -EFAULT;
    for ( i = 0; i < count; i++ )
    {
        uint64_t va = uop + (uint64_t)i * o->size;

        if ( i && hypercall_preempt_check() )
            return gnttab_continue(cmd | c->opaque, va, count - i);
        if ( copy_from_guest(&arg, va, o->size) )
            return -EFAULT;
        rc = o->elem(c, &arg);
        if ( rc > 0 )           /* stopped inside the element: resume it */
            return gnttab_continue(cmd | c->opaque, va, count - i);
        if ( rc < 0 )
            return rc;
        if ( o->out_len &&
             copy_to_guest(va + o->out_off, (char *)&arg + o->out_off,
                           o->out_len) )
            return -EFAULT;
    }
    return 0;
}

long do_grant_table_op(unsigned long cmd_arg, unsigned long uop,
                       unsigned long count_arg, unsigned long a4,
                       unsigned long a5)
{
    /* cmd and count are unsigned int in Xen's prototype. */
    unsigned int cmd = (unsigned int)cmd_arg, count = (unsigned int)count_arg;
    struct gnttab_call c = { .v = current };
    const struct gnttab_op *o;
    long rc;

    if ( (int)count < 0 )
        return -EINVAL;
    c.opaque = cmd & GNTTABOP_ARG_MASK;
    cmd &= GNTTABOP_CMD_MASK;
    if ( c.opaque && cmd != GNTTABOP_cache_flush )
        return -EINVAL;             /* only cache_flush carries state */
    if ( cmd >= ARRAY_SIZE(gnttab_ops) )
        return -ENOSYS;
    o = &gnttab_ops[array_index_nospec(cmd, ARRAY_SIZE(gnttab_ops))];
    if ( !o->elem && !o->call )
        return -ENOSYS;

    c.ld = c.v->domain;
    if ( (c.lgt = gnttab_get(c.ld)) == NULL )
        return -EINVAL;             /* no table: the domain is going away */
    rc = o->elem ? gnttab_array(o, &c, cmd, uop, count)
                 : o->call(&c, uop, count);
    gnttab_put(c.lgt);
    return rc;
}

/* ---- usage and dump ----------------------------------------------------- */

bool gnttab_usage(struct domain *d, struct gnttab_usage *u)
{
    struct grant_table *gt = gnttab_get(d);
    unsigned int ref, nr;

    if ( !gt )
        return false;
    nr = gnttab_nr_entries(gt);
    u->nr_frames = nr / GNTTAB_ENTRIES_PER_FRAME;
    u->active_pinned = 0;
    for ( ref = 0; ref < nr; ref++ )
        if ( __atomic_load_n(&gnttab_active(gt, ref)->pin, __ATOMIC_RELAXED) )
            u->active_pinned++;
    spin_lock(&gt->maptrack_lock);
    u->maptrack_frames = gt->maptrack_limit / MAPTRACK_PER_FRAME;
    u->maptrack_in_use = gt->maptrack_used;
    spin_unlock(&gt->maptrack_lock);
    gnttab_put(gt);
    return true;
}

void gnttab_dump(struct domain *d)
{
    struct grant_table *gt = gnttab_get(d);
    unsigned int ref, nr, h, limit, shown = 0;

    if ( !gt )
        return;
    nr = gnttab_nr_entries(gt);
    printk("d%u grant table: %u/%u frames\n", d->domain_id,
           nr / GNTTAB_ENTRIES_PER_FRAME, gt->max_frames);
    for ( ref = 0; ref < nr && shown < 32; ref++ )
    {
        struct active_grant_entry *act = gnttab_active(gt, ref);
        struct grant_entry_v1 *e = gnttab_shared(gt, ref);

        spin_lock(&act->lock);
        if ( act->pin )
        {
            printk("  ref %#x: pin %08x to d%u mfn %#lx (flags %#x)\n", ref,
                   act->pin, act->domid, mfn_x(act->mfn),
                   __atomic_load_n(&e->flags, __ATOMIC_RELAXED));
            shown++;
        }
        spin_unlock(&act->lock);
    }
    limit = __atomic_load_n(&gt->maptrack_limit, __ATOMIC_ACQUIRE);
    for ( h = 0, shown = 0; h < limit && shown < 32; h++ )
    {
        struct grant_mapping *m = gnttab_maptrack_entry(gt, h);
        uint16_t fl = __atomic_load_n(&m->flags, __ATOMIC_RELAXED);

        if ( fl )
        {
            printk("  handle %#x: d%u ref %#x flags %#x\n", h, m->domid,
                   m->ref, fl);
            shown++;
        }
    }
    gnttab_put(gt);
}
