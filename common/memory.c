/*
 * memory_op: a domain's memory reservation, the M2P's whereabouts and the
 * memory maps.  PV guests name machine frames directly (their p2m is
 * their own business): increase_reservation returns new MFNs,
 * populate_physmap also records guest frame numbers in the M2P,
 * decrease_reservation takes MFNs, exchange swaps frames for others
 * (below an address limit).
 *
 * Return conventions are Xen's: the reservation operations return the
 * number of extents done, and an argument they cannot use simply ends
 * them early (never -errno); the others return 0, a value, or -errno.
 * Long operations stop between extents when preemption is due and are
 * re-issued with the progress encoded above XENMEMOP_EXTENT_SHIFT in the
 * command.  Every guest array element is copied with its own checked
 * copy (XSA-212: checking the array base is not enough).
 *
 * Frames are allocated outside any lock; ownership changes take the
 * domain's page_alloc_lock inside domain_assign_page()/steal_page().
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/nospec.h>
#include <keel/mm.h>
#include <asm/mm.h>
#include <asm/page.h>
#include <public/memory.h>
#include <public/xen.h>
#include <xsm/xsm.h>

/* Largest extent order an unprivileged domain may ask for (Xen's). */
#define DOMU_MAX_ORDER      9
/* Blocks examined for one that lies below an address limit. */
#define ADDR_LIMIT_TRIES    16
#define PFN_SIZE            sizeof(xen_pfn_t)
#define BITS_PER_LONG       (8 * sizeof(unsigned long))

struct memop_args {
    struct domain *d;           /* whose memory */
    uint64_t list;              /* guest array of xen_pfn_t, 0: none */
    unsigned long nr;           /* extents */
    unsigned int order;         /* 2^order frames each */
    unsigned int addr_bits;     /* frames must lie below 2^addr_bits; 0: any */
    unsigned long done;         /* in: first extent; out: extents done */
    bool preempted;
};

static unsigned int max_order(const struct domain *cur)
{
    return cur->is_privileged ? MAX_ORDER : DOMU_MAX_ORDER;
}

/* May [list + first, list + nr) elements be guest memory? (wrap-safe) */
static bool list_range_ok(uint64_t list, unsigned long first, unsigned long nr)
{
    return first <= nr && nr - first <= SIZE_MAX / PFN_SIZE &&
           guest_array_access_ok(list + first * PFN_SIZE);
}

static bool below_limit(const struct page_info *pg, unsigned int order,
                        unsigned int bits)
{
    return !bits || bits >= BITS_PER_LONG ||
           mfn_x(page_to_mfn(pg)) + (1UL << order) <=
           1UL << (bits - PAGE_SHIFT);
}

/*
 * A zeroed block of 2^order frames below 2^bits (0: anywhere).  The heap
 * cannot be asked for low memory, so look at a few blocks.
 */
static struct page_info *alloc_below(unsigned int order, unsigned int bits)
{
    struct page_info *rejected[ADDR_LIMIT_TRIES], *pg;
    unsigned int n = 0;

    while ( (pg = alloc_heap_pages(order, 0)) != NULL &&
            !below_limit(pg, order, bits) )
    {
        if ( n == ADDR_LIMIT_TRIES )
        {
            free_heap_pages(pg, order);
            pg = NULL;
            break;
        }
        rejected[n++] = pg;
    }
    while ( n )
        free_heap_pages(rejected[--n], order);
    return pg;
}

static struct page_info *alloc_domain_block(struct domain *d,
                                            unsigned int order,
                                            unsigned int bits)
{
    struct page_info *pg = alloc_below(order, bits);

    if ( pg && domain_assign_page(d, pg, order, false) )
    {
        free_heap_pages(pg, order);
        pg = NULL;
    }
    return pg;
}

/* Preemption between extents (never before the first of this call). */
static bool extent_preempt(struct memop_args *a, unsigned long i)
{
    if ( i != a->done && hypercall_preempt_check() )
    {
        a->preempted = true;
        return true;
    }
    return false;
}

/* ---- the reservation operations --------------------------------------- */

static unsigned long increase_reservation(struct memop_args *a)
{
    unsigned long i;

    if ( a->list && !list_range_ok(a->list, a->done, a->nr) )
        return a->done;
    for ( i = a->done; i < a->nr && !extent_preempt(a, i); i++ )
    {
        struct page_info *pg = alloc_domain_block(a->d, a->order,
                                                  a->addr_bits);
        xen_pfn_t mfn;

        if ( !pg )
            break;
        mfn = mfn_x(page_to_mfn(pg));
        if ( a->list && copy_to_guest_offset(a->list, i, &mfn, PFN_SIZE) )
            break;
    }
    return i;
}

static unsigned long populate_physmap(struct memop_args *a)
{
    unsigned long i, j;

    if ( !list_range_ok(a->list, a->done, a->nr) )
        return a->done;
    for ( i = a->done; i < a->nr && !extent_preempt(a, i); i++ )
    {
        struct page_info *pg;
        xen_pfn_t gpfn, mfn;

        if ( copy_from_guest_offset(&gpfn, a->list, i, PFN_SIZE) )
            break;
        if ( (pg = alloc_domain_block(a->d, a->order, a->addr_bits)) == NULL )
            break;
        mfn = mfn_x(page_to_mfn(pg));
        for ( j = 0; j < (1UL << a->order); j++ )
            set_gpfn_from_mfn(_mfn(mfn + j), gpfn + j);
        if ( copy_to_guest_offset(a->list, i, &mfn, PFN_SIZE) )
            break;
    }
    return i;
}

/*
 * Give up one frame (PV: gmfn is the MFN).  It returns to the heap once
 * nothing maps it.  -EINVAL (no such frame, or a hypervisor page),
 * -ENXIO (not d's).
 */
static int guest_remove_page(struct vcpu *v, struct domain *d,
                             unsigned long gmfn)
{
    struct page_info *pg;

    if ( !mfn_valid(_mfn(gmfn)) )
        return -EINVAL;
    if ( (pg = get_page_from_mfn(_mfn(gmfn), d)) == NULL )
        return -ENXIO;
    if ( pg->count_info & PGC_xen_heap )
    {
        put_page(pg);
        return -EINVAL;
    }
    /*
     * A pinned table keeps its pin (Xen): the extent counts as done, and
     * the pin holds the frame until the guest unpins it.
     */
    put_page_alloc_ref(pg);
    put_page(pg);
    return 0;
}

static unsigned long decrease_reservation(struct vcpu *v, struct memop_args *a)
{
    unsigned long i, j;

    if ( !list_range_ok(a->list, a->done, a->nr) )
        return a->done;
    for ( i = a->done; i < a->nr && !extent_preempt(a, i); i++ )
    {
        xen_pfn_t gmfn;

        if ( copy_from_guest_offset(&gmfn, a->list, i, PFN_SIZE) )
            break;
        for ( j = 0; j < (1UL << a->order); j++ )
            if ( guest_remove_page(v, a->d, gmfn + j) )
                return i;
        /* An unpin left de-validation to finish: stop after this one. */
        if ( mm_has_pending(v) )
        {
            a->preempted = true;
            return i + 1;
        }
    }
    return i;
}

#define MEMF_NODE_SHIFT 8
#define MEMF_NODE_MASK  0xffu                   /* node + 1; 0: any */
#define MAX_NUMNODES    64                      /* as Xen's default */

static long memop_reservation(struct vcpu *v, unsigned int op,
                              unsigned long start, uint64_t arg)
{
    unsigned long cont[2] = { op | (start << XENMEMOP_EXTENT_SHIFT), arg };
    struct xen_memory_reservation r;
    struct memop_args a = { .done = start };
    unsigned int bits;
    unsigned long done;

    if ( mm_finish_pending(v) == -ERESTART )
        return hypercall_create_continuation(__HYPERVISOR_memory_op, 2, cont);
    if ( copy_from_guest(&r, arg, sizeof(r)) ||
         r.nr_extents > (UINT32_MAX >> XENMEMOP_EXTENT_SHIFT) ||
         start >= r.nr_extents || r.extent_order > max_order(v->domain) )
        return start;
    /* Populate-on-demand means something only to populate_physmap (HVM). */
    if ( op == XENMEM_populate_physmap &&
         (r.mem_flags & XENMEMF_populate_on_demand) )
        return start;
    /* A physical node must be one that may exist (vnodes: no vNUMA, ignored). */
    if ( !(r.mem_flags & XENMEMF_vnode) &&
         ((r.mem_flags >> MEMF_NODE_SHIFT) & MEMF_NODE_MASK) > MAX_NUMNODES )
        return start;
    bits = XENMEMF_get_address_bits(r.mem_flags);
    if ( bits && bits <= PAGE_SHIFT )
        return start;
    if ( (a.d = domain_get_by_id(r.domid, v->domain)) == NULL )
        return start;
    if ( xsm_memory_adjust_reservation(v->domain, a.d) )
    {
        domain_put(a.d);
        return start;
    }
    a.list = xen_guest_handle_addr(r.extent_start);
    a.nr = r.nr_extents;
    a.order = r.extent_order;
    a.addr_bits = bits;

    switch ( op )
    {
    case XENMEM_increase_reservation:
        done = increase_reservation(&a);
        break;
    case XENMEM_decrease_reservation:
        done = decrease_reservation(v, &a);
        break;
    default:
        done = populate_physmap(&a);
        break;
    }
    domain_put(a.d);

    mm_release_stash(v);
    if ( a.preempted || mm_has_pending(v) )
    {
        cont[0] = op | (done << XENMEMOP_EXTENT_SHIFT);
        return hypercall_create_continuation(__HYPERVISOR_memory_op, 2, cont);
    }
    return done;
}

/* ---- exchange ----------------------------------------------------------- */

static int copy_nr_exchanged(uint64_t arg, const struct xen_memory_exchange *e)
{
    return copy_to_guest(arg + offsetof(struct xen_memory_exchange,
                                        nr_exchanged),
                         &e->nr_exchanged, sizeof(e->nr_exchanged))
           ? -EFAULT : 0;
}

/* Steal one chunk's input frames onto *in: 0 or -errno. */
static int exchange_steal(struct domain *d, const struct xen_memory_exchange *e,
                          unsigned long first, unsigned long n,
                          struct page_list_entry *in)
{
    uint64_t list = xen_guest_handle_addr(e->in.extent_start);
    unsigned long j, k;

    for ( j = first; j < first + n; j++ )
    {
        xen_pfn_t gmfn;

        if ( copy_from_guest_offset(&gmfn, list, j, PFN_SIZE) )
            return -EFAULT;
        for ( k = 0; k < (1UL << e->in.extent_order); k++ )
        {
            struct page_info *pg;

            if ( !mfn_valid(_mfn(gmfn + k)) )
                return -EINVAL;
            pg = mfn_to_page(_mfn(gmfn + k));
            if ( steal_page(d, pg) )
                return -EINVAL;
            page_list_add_tail(pg, in);
        }
    }
    return 0;
}

/* Hand one chunk's new blocks to d and tell the guest: 0 or -errno. */
static int exchange_assign(struct domain *d, const struct xen_memory_exchange *e,
                           unsigned long first, struct page_list_entry *out)
{
    uint64_t list = xen_guest_handle_addr(e->out.extent_start);
    struct page_info *pg;
    unsigned long j, k;
    int rc = 0;

    for ( j = first; (pg = page_list_remove_head(out)) != NULL; j++ )
    {
        xen_pfn_t gpfn, mfn = mfn_x(page_to_mfn(pg));

        if ( domain_assign_page(d, pg, e->out.extent_order, false) )
        {
            free_heap_pages(pg, e->out.extent_order);
            rc = -ENOMEM;
            continue;
        }
        if ( copy_from_guest_offset(&gpfn, list, j, PFN_SIZE) )
        {
            rc = -EFAULT;
            continue;
        }
        for ( k = 0; k < (1UL << e->out.extent_order); k++ )
            set_gpfn_from_mfn(_mfn(mfn + k), gpfn + k);
        if ( copy_to_guest_offset(list, j, &mfn, PFN_SIZE) )
            rc = -EFAULT;
    }
    return rc;
}

static long memop_exchange(struct vcpu *v, unsigned int op,
                           unsigned long start, uint64_t arg)
{
    unsigned long cont[2] = { XENMEM_exchange, arg };
    struct xen_memory_exchange e;
    struct page_list_entry in, out;
    unsigned long in_chunk, out_chunk, i, first, j;
    struct page_info *pg;
    struct domain *d;
    unsigned int bits;
    long rc = 0;

    if ( copy_from_guest(&e, arg, sizeof(e)) )
        return -EFAULT;
    if ( MAX(e.in.extent_order, e.out.extent_order) > max_order(v->domain) )
    {
        rc = -EPERM;
        goto fail_early;
    }
    in_chunk = e.out.extent_order > e.in.extent_order
               ? e.out.extent_order - e.in.extent_order : 0;
    out_chunk = e.in.extent_order > e.out.extent_order
                ? e.in.extent_order - e.out.extent_order : 0;
    if ( e.nr_exchanged > e.in.nr_extents || e.in.domid != e.out.domid ||
         (~0UL >> e.in.extent_order) < e.in.nr_extents ||
         (~0UL >> e.out.extent_order) < e.out.nr_extents ||
         (e.in.nr_extents << e.in.extent_order) !=
         (e.out.nr_extents << e.out.extent_order) ||
         (e.nr_exchanged & ((1UL << in_chunk) - 1)) )
    {
        rc = -EINVAL;
        goto fail_early;
    }
    first = e.nr_exchanged >> in_chunk;
    if ( !list_range_ok(xen_guest_handle_addr(e.in.extent_start),
                        e.nr_exchanged, e.in.nr_extents) ||
         !list_range_ok(xen_guest_handle_addr(e.out.extent_start),
                        first << out_chunk, e.out.nr_extents) )
    {
        rc = -EFAULT;
        goto fail_early;
    }
    /* An address limit no frame can meet fails at allocation: -ENOMEM. */
    bits = XENMEMF_get_address_bits(e.out.mem_flags);
    if ( (d = domain_get_by_id(e.in.domid, v->domain)) == NULL )
    {
        rc = -ESRCH;
        goto fail_early;
    }
    if ( (rc = xsm_default_action(XSM_TARGET, v->domain, d)) != 0 )
    {
        domain_put(d);
        goto fail_early;
    }

    page_list_init(&in);
    page_list_init(&out);
    for ( i = first; i < (e.in.nr_extents >> in_chunk); i++ )
    {
        if ( i != first && hypercall_preempt_check() )
        {
            domain_put(d);
            e.nr_exchanged = i << in_chunk;
            if ( copy_nr_exchanged(arg, &e) )
                return -EFAULT;
            return hypercall_create_continuation(__HYPERVISOR_memory_op, 2,
                                                 cont);
        }
        if ( (rc = exchange_steal(d, &e, i << in_chunk, 1UL << in_chunk,
                                  &in)) != 0 )
            goto fail;
        for ( j = 0; j < (1UL << out_chunk); j++ )
        {
            if ( (pg = alloc_below(e.out.extent_order, bits)) == NULL )
            {
                rc = -ENOMEM;
                goto fail;
            }
            page_list_add_tail(pg, &out);
        }

        /* The chunk is ours: nothing below can undo it. */
        mm_flush_tlb_domain(d);
        while ( (pg = page_list_remove_head(&in)) != NULL )
        {
            set_gpfn_from_mfn(page_to_mfn(pg), INVALID_M2P_ENTRY);
            free_heap_pages(pg, 0);
        }
        if ( (rc = exchange_assign(d, &e, i << out_chunk, &out)) != 0 )
            goto fail;
    }
    domain_put(d);
    e.nr_exchanged = e.in.nr_extents;
    return copy_nr_exchanged(arg, &e);

 fail:
    /* Give back what was stolen, free what was allocated. */
    while ( (pg = page_list_remove_head(&in)) != NULL )
        if ( domain_assign_page(d, pg, 0, false) )
            free_heap_pages(pg, 0);         /* the domain is dying */
    while ( (pg = page_list_remove_head(&out)) != NULL )
        free_heap_pages(pg, e.out.extent_order);
    domain_put(d);
    e.nr_exchanged = i << in_chunk;
 fail_early:
    if ( copy_nr_exchanged(arg, &e) )
        rc = -EFAULT;
    return rc;
}

/* ---- information ------------------------------------------------------ */

static long memop_maximum_ram_page(struct vcpu *v, unsigned int op,
                                   unsigned long start, uint64_t arg)
{
    return max_page;
}

static long memop_domain_info(struct vcpu *v, unsigned int op,
                              unsigned long start, uint64_t arg)
{
    struct xen_memory_domain md;
    struct domain *d;
    long rc;

    if ( copy_from_guest(&md, arg, sizeof(md)) )
        return -EFAULT;
    if ( (d = domain_get_by_id(md.domid, v->domain)) == NULL )
        return -ESRCH;
    if ( (rc = xsm_default_action(XSM_TARGET, v->domain, d)) == 0 )
    {
        unsigned long max_pfn;

        switch ( op )
        {
        case XENMEM_current_reservation:
            rc = d->tot_pages;
            break;
        case XENMEM_maximum_reservation:
            rc = d->max_pages;
            break;
        default:                            /* XENMEM_maximum_gpfn */
            max_pfn = d->shared_info ? d->shared_info->arch.max_pfn : 0;
            rc = (max_pfn ? max_pfn : 1) - 1;
            break;
        }
    }
    domain_put(d);
    return rc;
}

static long memop_machphys_mfn_list(struct vcpu *v, unsigned int op,
                                    unsigned long start, uint64_t arg)
{
    struct xen_machphys_mfn_list l;
    uint64_t list;
    unsigned int i;

    if ( copy_from_guest(&l, arg, sizeof(l)) )
        return -EFAULT;
    list = xen_guest_handle_addr(l.extent_start);
    for ( i = 0; i != l.max_extents && i < m2p_nr_chunks(); i++ )
    {
        xen_pfn_t mfn = mfn_x(m2p_chunk_mfn(i));

        if ( copy_to_guest_offset(list, i, &mfn, PFN_SIZE) )
            return -EFAULT;
    }
    l.nr_extents = i;
    return copy_to_guest(arg, &l, sizeof(l)) ? -EFAULT : 0;
}

static long memop_machphys_mapping(struct vcpu *v, unsigned int op,
                                   unsigned long start, uint64_t arg)
{
    struct xen_machphys_mapping m = {
        .v_start = MACH2PHYS_VIRT_START,
        .v_end = MACH2PHYS_VIRT_END,
        .max_mfn = MACH2PHYS_NR_ENTRIES - 1,
    };

    if ( v->domain == hardware_domain )
        m.max_mfn = max_page - 1;
    return copy_to_guest(arg, &m, sizeof(m)) ? -EFAULT : 0;
}

/* The caller's pseudo-physical map: one RAM range over its pages. */
/*
 * The domain's pseudo-physical map, as the toolstack set it with
 * XENMEM_set_memory_map.  A PV domain without one (dom0 always) gets
 * -ENOSYS, as from Xen: PV guests then size memory from start_info.
 */
static long memop_memory_map(struct vcpu *v, unsigned int op,
                             unsigned long start, uint64_t arg)
{
    struct xen_memory_map map;

    if ( copy_from_guest(&map, arg, sizeof(map)) )
        return -EFAULT;
    return -ENOSYS;
}

/* The host's sanitised map, for dom0 (room for one more entry needed). */
static long memop_machine_memory_map(struct vcpu *v, unsigned int op,
                                     unsigned long start, uint64_t arg)
{
    struct xen_memory_map map;
    const struct memmap_entry *e820;
    unsigned int nr, i;
    uint64_t buf;
    long rc;

    if ( (rc = xsm_default_action(XSM_PRIV, v->domain, NULL)) != 0 )
        return rc;
    if ( copy_from_guest(&map, arg, sizeof(map)) )
        return -EFAULT;
    e820 = arch_host_memory_map(&nr);
    buf = xen_guest_handle_addr(map.buffer);
    if ( buf )
    {
        if ( map.nr_entries < nr + 1 )
            return -EINVAL;
        if ( !guest_range_ok(buf, (size_t)map.nr_entries *
                                  sizeof(struct xen_e820_entry)) )
            return -EFAULT;
        for ( i = 0; i < nr; i++ )
        {
            struct xen_e820_entry ent = {
                .addr = e820[i].addr, .size = e820[i].len,
                .type = e820[i].type,
            };

            if ( copy_to_guest_offset(buf, i, &ent, sizeof(ent)) )
                return -EFAULT;
        }
    }
    map.nr_entries = nr;
    return copy_to_guest(arg, &map, sizeof(map)) ? -EFAULT : 0;
}

/* ---- dispatch ------------------------------------------------------------ */

typedef long memop_fn(struct vcpu *v, unsigned int op, unsigned long start,
                      uint64_t arg);

#define MEMOP_EXTENTS   (1U << 0)   /* the command carries a start extent */
#define MEMOP_NO_START  (1U << 1)   /* a start extent is -EINVAL */

static const struct memop {
    memop_fn *fn;
    unsigned int flags;
} memops[] = {
    [XENMEM_increase_reservation] = { memop_reservation, MEMOP_EXTENTS },
    [XENMEM_decrease_reservation] = { memop_reservation, MEMOP_EXTENTS },
    [XENMEM_populate_physmap]     = { memop_reservation, MEMOP_EXTENTS },
    [XENMEM_maximum_ram_page]     = { memop_maximum_ram_page, MEMOP_NO_START },
    [XENMEM_current_reservation]  = { memop_domain_info, MEMOP_NO_START },
    [XENMEM_maximum_reservation]  = { memop_domain_info, MEMOP_NO_START },
    [XENMEM_maximum_gpfn]         = { memop_domain_info, MEMOP_NO_START },
    [XENMEM_exchange]             = { memop_exchange, MEMOP_NO_START },
    [XENMEM_machphys_mfn_list]    = { memop_machphys_mfn_list, 0 },
    [XENMEM_machphys_mapping]     = { memop_machphys_mapping, 0 },
    [XENMEM_memory_map]           = { memop_memory_map, 0 },
    [XENMEM_machine_memory_map]   = { memop_machine_memory_map, 0 },
};

long do_memory_op(unsigned long cmd, unsigned long arg, unsigned long a3,
                  unsigned long a4, unsigned long a5)
{
    unsigned int op = cmd & XENMEMOP_CMD_MASK;
    unsigned long start = cmd >> XENMEMOP_EXTENT_SHIFT;
    const struct memop *m;

    if ( op >= ARRAY_SIZE(memops) )
        return -ENOSYS;
    m = &memops[array_index_nospec(op, ARRAY_SIZE(memops))];
    if ( !m->fn )
        return -ENOSYS;
    if ( start && !(m->flags & MEMOP_EXTENTS) )
        return (m->flags & MEMOP_NO_START) ? -EINVAL : -ENOSYS;
    return m->fn(current, op, start, arg);
}
