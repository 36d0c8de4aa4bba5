/*
 * Host tests for grant tables v1 (common/grant/, arch/x86/mm/grant.c),
 * linked unmodified with the real PV memory model (arch/x86/mm/mm.c,
 * pagetable.c, m2p.c) and the real buddy heap.
 *
 * The fake machine: a host arena of machine frames; two PV domains, d0
 * (privileged) and d1, each with page tables L4 -> L3 -> L2 -> L1 so
 * that linear address (slot << 12) resolves to entry `slot` of the
 * domain's L1 table, and a grant table.  Hypercall argument pointers are
 * host pointers, except the page at `bad_page`, which faults.  Every test
 * builds a fresh machine and tears it down again, checking that free
 * pages, hypervisor allocations and domain references all come back.
 */
#include "harness.h"
#include "mm_helpers.h"

#include <pthread.h>

#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/grant_table.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/xmalloc.h>
#include <asm/mm.h>
#include <public/grant_table.h>
#include <public/xen.h>

#include "../../common/grant/gnttab_private.h"

#define FIRST_MFN   4096UL
#define NR_FRAMES   4096UL
#define TABLE_PAGES (FIRST_MFN + NR_FRAMES)
#define NDOMS       2
#define NVCPUS      2

#define F_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define F_RW    (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                 _PAGE_DIRTY)
#define F_RO    (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define VA(slot)        ((uint64_t)(slot) << PAGE_SHIFT)

/* ---- the fake machine --------------------------------------------------- */

static struct arena arena;
static struct domain doms[NDOMS];
static struct vcpu vcpus[NDOMS][NVCPUS];
static struct vcpu *vcpu_ptrs[NDOMS][NVCPUS];
static bool listed[NDOMS];
static mfn_t l1_of[NDOMS], l4_of[NDOMS];
struct domain *hardware_domain;
static pte_t idle_l4[PT_ENTRIES];
static unsigned char bad_page[PAGE_SIZE] __attribute__((aligned(4096)));
static __thread struct vcpu *cur;
static unsigned int preempt_every, preempt_calls;
static unsigned long flushes, wbinvds, free_before_domains;
static long xalloc_live;
static bool allow_referenced;
static struct {
    bool pending;
    unsigned int count, nr;
    unsigned long args[5];
} cont;

struct vcpu *get_current(void) { return cur; }
void set_current(struct vcpu *v) { cur = v; }
static void as(unsigned int d) { cur = &vcpus[d][0]; }

bool domain_get(struct domain *d)
{
    unsigned int old = __atomic_load_n(&d->refcnt, __ATOMIC_RELAXED);

    do {
        if ( !old )
            return false;
    } while ( !__atomic_compare_exchange_n(&d->refcnt, &old, old + 1, false,
                                           __ATOMIC_SEQ_CST,
                                           __ATOMIC_RELAXED) );
    return true;
}

void domain_put(struct domain *d)
{
    if ( !__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST) )
        abort();                            /* the list keeps one */
}

/*
 * A domain's references other than the one its own pages hold (a domain
 * that owns any frame holds a reference on itself: arch/x86/mm/mm.c).
 */
static unsigned int refs(unsigned int i)
{
    return doms[i].refcnt - (doms[i].tot_pages || doms[i].xenheap_pages);
}

struct domain *domain_get_by_id(domid_t id, struct domain *c)
{
    if ( id == DOMID_SELF )
        id = c->domain_id;
    if ( id >= NDOMS || !listed[id] )
        return NULL;
    return domain_get(&doms[id]) ? &doms[id] : NULL;
}

#include "guest_copy_stub.h"

bool hypercall_preempt_check(void)
{
    return preempt_every &&
           __atomic_add_fetch(&preempt_calls, 1, __ATOMIC_RELAXED) %
           preempt_every == 0;
}

long hypercall_create_continuation(unsigned int op, unsigned int nr,
                                   const unsigned long *args)
{
    if ( op != __HYPERVISOR_grant_table_op || nr != 3 )
        abort();
    cont.pending = true;
    cont.count++;
    cont.nr = nr;
    memcpy(cont.args, args, nr * sizeof(*args));
    return op;
}

bool hypercall_in_multicall(void) { return false; }
void pv_update_cr3(struct vcpu *v) { (void)v; }
void pv_ldt_changed(struct vcpu *v) { (void)v; }
void mm_flush_tlb_local(void) { __atomic_add_fetch(&flushes, 1, 0); }
void mm_flush_tlb_domain(const struct domain *d)
{
    (void)d;
    __atomic_add_fetch(&flushes, 1, __ATOMIC_RELAXED);
}
void mm_invlpg_local(uint64_t va) { mm_flush_tlb_local(); }
void mm_invlpg_domain(const struct domain *d, uint64_t va)
{
    mm_flush_tlb_domain(d);
}
void mm_wbinvd_local(void) { wbinvds++; }
void mm_wbinvd_all(void) { wbinvds++; }
const pte_t *idle_l4_table(void) { return idle_l4; }
void paging_set_idle_l4e(unsigned int slot, pte_t e) { idle_l4[slot] = e; }
pte_t paging_nx_bit(void) { return _PAGE_NX; }

/* xmalloc: the host heap, counting live objects for leak checks. */
void *xmalloc_aligned(size_t size, size_t align)
{
    return xzalloc_aligned(size, align);
}

void *xzalloc_aligned(size_t size, size_t align)
{
    void *p = calloc(1, size ? size : 1);

    if ( p )
        __atomic_add_fetch(&xalloc_live, 1, __ATOMIC_RELAXED);
    return p;
}

void *xmalloc_array_aligned(size_t size, size_t align, size_t num)
{
    return xzalloc_array_aligned(size, align, num);
}

void *xzalloc_array_aligned(size_t size, size_t align, size_t num)
{
    if ( num && size > SIZE_MAX / num )
        return NULL;
    return xzalloc_aligned(size * num, align);
}

void xfree(void *p)
{
    if ( p )
        __atomic_sub_fetch(&xalloc_live, 1, __ATOMIC_RELAXED);
    free(p);
}

/* ---- frames, tables, domains -------------------------------------------- */

static pte_t *tab(mfn_t m) { return mfn_to_virt(m); }
static pte_t ent(mfn_t m, uint64_t f) { return pte_from_mfn(m, f); }
static struct page_info *pg_of(mfn_t m) { return mfn_to_page(m); }
static unsigned long gcount(mfn_t m)
{
    return pg_of(m)->count_info & PGC_count_mask;
}
static unsigned long tcount(mfn_t m)
{
    return pg_of(m)->type_info & PGT_count_mask;
}
static unsigned long ttype(mfn_t m)
{
    return pg_of(m)->type_info & PGT_type_mask;
}

/* A frame in the heap, owned by nobody. */
static mfn_t free_mfn(void)
{
    unsigned long m;

    for ( m = FIRST_MFN + NR_FRAMES - 1; m >= FIRST_MFN; m-- )
        if ( pg_of(_mfn(m))->count_info & PGC_free )
            return _mfn(m);
    abort();
}

static mfn_t new_frame(unsigned int d)
{
    struct page_info *pg = alloc_heap_pages(0, 0);

    if ( !pg || domain_assign_page(&doms[d], pg, 0, false) )
        abort();
    return page_to_mfn(pg);
}

static uint64_t pte_ma(unsigned int d, unsigned int slot)
{
    return ((uint64_t)mfn_x(l1_of[d]) << PAGE_SHIFT) + slot * sizeof(pte_t);
}

static pte_t *l1e(unsigned int d, unsigned int slot)
{
    return tab(l1_of[d]) + slot;
}

static void domain_init(unsigned int i, bool privileged)
{
    struct domain *d = &doms[i];
    mfn_t l4, l3, l2, l1;
    unsigned int v;

    memset(d, 0, sizeof(*d));
    d->domain_id = i;
    d->is_privileged = privileged;
    spin_lock_init(&d->lock);
    spin_lock_init(&d->page_alloc_lock);
    page_list_init(&d->page_list);
    d->state = DOMSTATE_RUNNING;
    d->refcnt = 1;
    d->max_pages = NR_FRAMES;
    d->max_vcpus = NVCPUS;
    d->vcpu = vcpu_ptrs[i];
    d->arch.pv_linear_pt = true;
    for ( v = 0; v < NVCPUS; v++ )
    {
        memset(&vcpus[i][v], 0, sizeof(vcpus[i][v]));
        vcpus[i][v].vcpu_id = v;
        vcpus[i][v].domain = d;
        vcpus[i][v].arch.kernel_mode = true;
        vcpu_ptrs[i][v] = &vcpus[i][v];
    }
    listed[i] = true;

    l4 = new_frame(i);
    l3 = new_frame(i);
    l2 = new_frame(i);
    l1 = new_frame(i);
    tab(l4)[0] = ent(l3, F_TABLE);
    tab(l3)[0] = ent(l2, F_TABLE);
    tab(l2)[0] = ent(l1, F_TABLE);
    if ( pv_pin_initial_l4(d, l4) )
        abort();
    /* vCPU 1 runs on the same tables (with its own references). */
    if ( !get_page_and_type(pg_of(l4), d, PGT_l4_page_table) )
        abort();
    vcpus[i][1].arch.guest_table = l4;
    l1_of[i] = l1;
    l4_of[i] = l4;
    if ( grant_table_init(d) )
        abort();
}

static void machine_init(void)
{
    unsigned int s;

    arena_init(&arena, FIRST_MFN, NR_FRAMES, TABLE_PAGES);
    init_heap_pages(_mfn(FIRST_MFN), NR_FRAMES);
    memset(idle_l4, 0, sizeof(idle_l4));
    for ( s = HYPERVISOR_SLOT_FIRST + 1; s <= HYPERVISOR_SLOT_LAST; s++ )
        idle_l4[s] = ((pte_t)s << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW;
    m2p_init();
    opt_gnttab_max_frames = GNTTAB_DEFAULT_MAX_FRAMES;
    opt_gnttab_max_maptrack_frames = GNTTAB_DEFAULT_MAX_MAPTRACK;
    preempt_every = preempt_calls = 0;
    flushes = wbinvds = 0;
    memset(&cont, 0, sizeof(cont));
    xalloc_live = 0;
    free_before_domains = total_free_pages();
    domain_init(0, true);
    domain_init(1, false);
    hardware_domain = &doms[0];
    as(0);
    stub_printk_reset();
}

/* Tear both domains down; everything must come back. */
static void machine_fini(void)
{
    unsigned int i;

    preempt_every = 0;
    for ( i = 0; i < NDOMS; i++ )
        grant_table_destroy(&doms[i]);
    for ( i = 0; i < NDOMS; i++ )
        CHECK_EQ(arch_domain_relinquish(&doms[i]), 0);
    if ( !allow_referenced )
        CHECK(!strstr(stub_printk_buf, "still referenced"));
    allow_referenced = false;
    CHECK(!strstr(stub_printk_buf, "freed with"));
    CHECK_EQ(total_free_pages(), free_before_domains);
    CHECK_EQ(xalloc_live, 0);
    for ( i = 0; i < NDOMS; i++ )
    {
        CHECK_EQ(refs(i), 1);
        CHECK_EQ(doms[i].tot_pages, 0);
        CHECK_EQ(doms[i].xenheap_pages, 0);
    }
    arena_fini(&arena);
}

/* ---- hypercalls as a guest makes them ----------------------------------- */

/* Issue the call and re-issue its continuations, as the guest would. */
static long gnttab_op(unsigned int cmd, void *uop, unsigned int count)
{
    long rc;
    unsigned int guard = 0;

    __atomic_store_n(&cont.pending, false, __ATOMIC_RELAXED);
    rc = do_grant_table_op(cmd, (uintptr_t)uop, count, 0, 0);
    while ( __atomic_load_n(&cont.pending, __ATOMIC_RELAXED) &&
            guard++ < 100000 )
    {
        __atomic_store_n(&cont.pending, false, __ATOMIC_RELAXED);
        rc = do_grant_table_op(cont.args[0], cont.args[1], cont.args[2], 0,
                               0);
    }
    return rc;
}

/* The shared entry ref of domain d's table. */
static struct grant_entry_v1 *gentry(unsigned int d, grant_ref_t ref)
{
    return gnttab_shared(doms[d].grant_table, ref);
}

/* Domain g grants ref to domain `to`: frame, GTF_permit_access | extra. */
static void grant(unsigned int g, grant_ref_t ref, domid_t to, mfn_t frame,
                  uint16_t extra)
{
    struct grant_entry_v1 *e = gentry(g, ref);

    e->domid = to;
    e->frame = (uint32_t)mfn_x(frame);
    e->flags = GTF_permit_access | extra;
}

static int16_t map(domid_t dom, grant_ref_t ref, uint32_t flags,
                   uint64_t host_addr, grant_handle_t *h, uint64_t *bus)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom,
        .status = 99, .handle = 0xdead, .dev_bus_addr = 0xbeef,
    };

    if ( gnttab_op(GNTTABOP_map_grant_ref, &op, 1) != 0 )
        return 99;
    if ( h )
        *h = op.handle;
    if ( bus )
        *bus = op.dev_bus_addr;
    return op.status;
}

static int16_t unmap(grant_handle_t h, uint64_t host_addr, uint64_t bus)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = host_addr, .dev_bus_addr = bus, .handle = h,
        .status = 99,
    };

    if ( gnttab_op(GNTTABOP_unmap_grant_ref, &op, 1) != 0 )
        return 99;
    return op.status;
}

static int16_t unmap_replace(grant_handle_t h, uint64_t host_addr,
                             uint64_t new_addr)
{
    struct gnttab_unmap_and_replace op = {
        .host_addr = host_addr, .new_addr = new_addr, .handle = h,
        .status = 99,
    };

    if ( gnttab_op(GNTTABOP_unmap_and_replace, &op, 1) != 0 )
        return 99;
    return op.status;
}

static uint32_t pin_of(unsigned int d, grant_ref_t ref)
{
    return gnttab_active(doms[d].grant_table, ref)->pin;
}

static unsigned int maptrack_in_use(unsigned int d)
{
    struct gnttab_usage u;

    return gnttab_usage(&doms[d], &u) ? u.maptrack_in_use : ~0u;
}

static int16_t copy(struct gnttab_copy *op)
{
    op->status = 99;
    if ( gnttab_op(GNTTABOP_copy, op, 1) != 0 )
        return 99;
    return op->status;
}

/* ---- the pure core ------------------------------------------------------ */

TEST(core_checks)
{
    struct grant_entry_v1 e = { .flags = GTF_permit_access, .domid = 3 };
    struct gnttab_copy c = { 0 };
    struct gnttab_copy_ptr p = { .domid = DOMID_SELF };
    struct gnttab_cache_flush cf = { 0 };

    CHECK_EQ(gnttab_check_map_flags(0), GNTST_bad_gntref);
    CHECK_EQ(gnttab_check_map_flags(GNTMAP_readonly), GNTST_bad_gntref);
    CHECK_EQ(gnttab_check_map_flags(GNTMAP_host_map), GNTST_okay);
    CHECK_EQ(gnttab_check_map_flags(GNTMAP_device_map), GNTST_okay);

    CHECK_EQ(gnttab_check_pin(0, 5, 3), GNTST_okay);
    CHECK_EQ(gnttab_check_pin(GNTPIN_hstr_inc, 3, 3), GNTST_okay);
    CHECK_EQ(gnttab_check_pin(GNTPIN_hstr_inc, 4, 3), GNTST_general_error);
    CHECK_EQ(gnttab_check_pin(0x7f7f7f7f, 3, 3), GNTST_okay);
    CHECK_EQ(gnttab_check_pin(0x80 << 16, 3, 3), GNTST_general_error);

    CHECK_EQ(gnttab_map_pins(GNTMAP_host_map), GNTPIN_hstw_inc);
    CHECK_EQ(gnttab_map_pins(GNTMAP_host_map | GNTMAP_readonly),
             GNTPIN_hstr_inc);
    CHECK_EQ(gnttab_map_pins(GNTMAP_device_map | GNTMAP_host_map),
             GNTPIN_devw_inc + GNTPIN_hstw_inc);
    CHECK_EQ(gnttab_map_pins(GNTMAP_device_map | GNTMAP_readonly),
             GNTPIN_devr_inc);

    CHECK(gnttab_needs_status(0, true));
    CHECK(!gnttab_needs_status(GNTPIN_hstr_inc, true));
    CHECK(gnttab_needs_status(GNTPIN_hstr_inc, false));
    CHECK(!gnttab_needs_status(GNTPIN_devw_inc, false));

    /* set / clear the status flags */
    CHECK_EQ(gnttab_v1_set_status(&e, false, true, true, 3), GNTST_okay);
    CHECK_EQ(e.flags, GTF_permit_access | GTF_reading);
    CHECK_EQ(gnttab_v1_set_status(&e, true, false, true, 3), GNTST_okay);
    CHECK_EQ(e.flags, GTF_permit_access | GTF_reading | GTF_writing);
    gnttab_v1_clear_status(&e, gnttab_status_to_clear(GNTPIN_hstr_inc,
                                                      false));
    CHECK_EQ(e.flags, GTF_permit_access | GTF_reading);
    gnttab_v1_clear_status(&e, gnttab_status_to_clear(0, true));
    CHECK_EQ(e.flags, GTF_permit_access);
    CHECK_EQ(gnttab_status_to_clear(GNTPIN_hstw_inc, false), 0);
    CHECK_EQ(gnttab_status_to_clear(0, false), GTF_reading | GTF_writing);

    /* wrong grantee, wrong type, r/o, sub-page (for mappings only) */
    CHECK_EQ(gnttab_v1_set_status(&e, false, true, true, 4),
             GNTST_general_error);
    e.flags = GTF_accept_transfer;
    CHECK_EQ(gnttab_v1_set_status(&e, false, true, true, 3),
             GNTST_general_error);
    e.flags = GTF_invalid;
    CHECK_EQ(gnttab_v1_set_status(&e, false, true, false, 3),
             GNTST_general_error);
    e.flags = GTF_permit_access | GTF_readonly;
    CHECK_EQ(gnttab_v1_set_status(&e, false, false, true, 3),
             GNTST_general_error);
    CHECK_EQ(e.flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(gnttab_v1_set_status(&e, false, true, true, 3), GNTST_okay);
    e.flags = GTF_permit_access | GTF_sub_page;
    CHECK_EQ(gnttab_v1_set_status(&e, false, true, true, 3),
             GNTST_general_error);
    CHECK_EQ(gnttab_v1_set_status(&e, false, true, false, 3), GNTST_okay);
    /* once pinned, the grantee check is the active entry's */
    e.flags = GTF_invalid;
    e.domid = 9;
    CHECK_EQ(gnttab_v1_set_status(&e, true, true, true, 3), GNTST_okay);

    /* copy arguments */
    CHECK_EQ(gnttab_check_copy_ptr(&p, false), GNTST_okay);
    p.domid = 0;
    CHECK_EQ(gnttab_check_copy_ptr(&p, false), GNTST_permission_denied);
    CHECK_EQ(gnttab_check_copy_ptr(&p, true), GNTST_okay);
    c.len = PAGE_SIZE;
    CHECK_EQ(gnttab_check_copy_range(&c), GNTST_okay);
    c.source.offset = 1;
    CHECK_EQ(gnttab_check_copy_range(&c), GNTST_bad_copy_arg);
    c.source.offset = 0;
    c.dest.offset = 4095;
    c.len = 1;
    CHECK_EQ(gnttab_check_copy_range(&c), GNTST_okay);
    c.len = 2;
    CHECK_EQ(gnttab_check_copy_range(&c), GNTST_bad_copy_arg);
    c.dest.offset = 0xffff;
    c.len = 0xffff;
    CHECK_EQ(gnttab_check_copy_range(&c), GNTST_bad_copy_arg);

    /* cache_flush arguments */
    CHECK_EQ(gnttab_check_cache_flush(&cf), 1);
    cf.length = 16;
    CHECK_EQ(gnttab_check_cache_flush(&cf), 1);
    cf.op = GNTTAB_CACHE_CLEAN;
    CHECK_EQ(gnttab_check_cache_flush(&cf), 0);
    cf.op |= GNTTAB_CACHE_SOURCE_GREF;
    CHECK_EQ(gnttab_check_cache_flush(&cf), -EINVAL);
    cf.op = 4;
    CHECK_EQ(gnttab_check_cache_flush(&cf), -EINVAL);
    cf.op = GNTTAB_CACHE_INVAL;
    cf.offset = 4090;
    CHECK_EQ(gnttab_check_cache_flush(&cf), -EINVAL);
    cf.offset = 4096;
    cf.length = 0;
    CHECK_EQ(gnttab_check_cache_flush(&cf), -EINVAL);
}

/* A guest rewriting its entry as fast as it can: the update either lands
 * on a word that grants us access or gives up; it never spins forever. */
static volatile bool flipping;

static void *flip_entry(void *arg)
{
    struct grant_entry_v1 *e = arg;
    uint32_t *raw = (uint32_t *)(void *)e, v = 0;

    while ( flipping )
        __atomic_store_n(raw, (++v & 1) ? (3u << 16) | GTF_permit_access
                                        : (4u << 16) | GTF_permit_access,
                         __ATOMIC_RELAXED);
    return NULL;
}

TEST(set_status_against_a_racing_guest)
{
    struct grant_entry_v1 e = { .flags = GTF_permit_access, .domid = 3 };
    unsigned int i, ok = 0, failed = 0;
    pthread_t t;

    flipping = true;
    pthread_create(&t, NULL, flip_entry, &e);
    for ( i = 0; i < 20000; i++ )
    {
        int16_t rc = gnttab_v1_set_status(&e, false, true, true, 3);

        if ( rc == GNTST_okay )
            ok++;
        else if ( rc == GNTST_general_error )
            failed++;
    }
    flipping = false;
    pthread_join(t, NULL);
    CHECK_EQ(ok + failed, 20000);
}

/* ---- table setup, size, versions ---------------------------------------- */

TEST(setup_query_versions)
{
    struct gnttab_setup_table st;
    struct gnttab_query_size qs;
    struct gnttab_set_version sv;
    struct gnttab_get_version gv;
    struct gnttab_get_status_frames gs;
    xen_pfn_t frames[70];
    uint64_t sframes[2];
    unsigned int i;

    machine_init();

    /* A new table has one frame, of at most 64. */
    memset(&qs, 0, sizeof(qs));
    qs.dom = DOMID_SELF;
    CHECK_EQ(gnttab_op(GNTTABOP_query_size, &qs, 1), 0);
    CHECK_EQ(qs.status, GNTST_okay);
    CHECK_EQ(qs.nr_frames, 1);
    CHECK_EQ(qs.max_nr_frames, 64);
    CHECK_EQ(gnttab_op(GNTTABOP_query_size, &qs, 2), -EINVAL);
    CHECK_EQ(gnttab_op(GNTTABOP_query_size, bad_page, 1), -EFAULT);
    qs.dom = 7;
    CHECK_EQ(gnttab_op(GNTTABOP_query_size, &qs, 1), 0);
    CHECK_EQ(qs.status, GNTST_bad_domain);

    /* Grow to 4 frames: the frames are d0's, writable hypervisor pages. */
    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.nr_frames = 4;
    set_xen_guest_handle(st.frame_list, frames);
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    for ( i = 0; i < 4; i++ )
    {
        mfn_t m = _mfn(frames[i]);

        CHECK(page_get_owner(pg_of(m)) == &doms[0]);
        CHECK(pg_of(m)->count_info & PGC_xen_heap);
        CHECK_EQ(ttype(m), PGT_writable_page);
        CHECK(m.m == doms[0].grant_table->shared_mfn[i].m);
    }
    /* The guest can map a table frame writable, never as a page table. */
    CHECK_EQ(mod_l1_entry(l1e(0, 3), ent(_mfn(frames[1]), F_RW), l1_of[0],
                          false, &doms[0], &doms[0]), 0);
    CHECK_EQ(pin_page_table(&vcpus[0][0], _mfn(frames[2]), &doms[0],
                            PGT_l1_page_table), -EINVAL);
    qs.dom = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_query_size, &qs, 1), 0);
    CHECK_EQ(qs.nr_frames, 4);
    /* Asking for fewer returns the first ones and shrinks nothing. */
    st.nr_frames = 2;
    frames[0] = frames[1] = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK(frames[0] == doms[0].grant_table->shared_mfn[0].m);
    CHECK_EQ(gnttab_op(GNTTABOP_query_size, &qs, 1), 0);
    CHECK_EQ(qs.nr_frames, 4);

    /* Over the limit, bad counts, bad arrays, bad domains, privilege. */
    st.nr_frames = 65;
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_general_error);
    st.nr_frames = 64;
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 0), -EINVAL);
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 2), -EINVAL);
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, bad_page, 1), -EFAULT);
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)bad_page);
    st.nr_frames = 1;
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), -EFAULT);
    /* The array must be writable whole, even if the table is smaller. */
    set_xen_guest_handle(st.frame_list,
                         (xen_pfn_t *)(bad_page - sizeof(xen_pfn_t)));
    st.nr_frames = 2;
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), -EFAULT);
    set_xen_guest_handle(st.frame_list, frames);
    st.nr_frames = 1;
    st.dom = 5;
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_bad_domain);
    st.dom = 1;                             /* d0 may manage d1's */
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    CHECK(frames[0] == doms[1].grant_table->shared_mfn[0].m);
    as(1);
    st.dom = 0;                             /* d1 may not touch d0's */
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_permission_denied);
    qs.dom = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_query_size, &qs, 1), 0);
    CHECK_EQ(qs.status, GNTST_permission_denied);

    /* Versions: 1 only. */
    memset(&gv, 0, sizeof(gv));
    gv.dom = DOMID_SELF;
    CHECK_EQ(gnttab_op(GNTTABOP_get_version, &gv, 1), 0);
    CHECK_EQ(gv.version, 1);
    gv.dom = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_get_version, &gv, 1), -EPERM);
    gv.dom = 6;
    CHECK_EQ(gnttab_op(GNTTABOP_get_version, &gv, 1), -ESRCH);
    CHECK_EQ(gnttab_op(GNTTABOP_get_version, bad_page, 1), -EFAULT);
    sv.version = 1;
    CHECK_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), 0);
    CHECK_EQ(sv.version, 1);
    sv.version = 2;
    CHECK_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), -ENOSYS);
    CHECK_EQ(sv.version, 1);
    sv.version = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), -EINVAL);
    CHECK_EQ(sv.version, 1);
    sv.version = 3;
    CHECK_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), -EINVAL);
    CHECK_EQ(gnttab_op(GNTTABOP_set_version, bad_page, 1), -EFAULT);

    /* No status frames in version 1. */
    memset(&gs, 0, sizeof(gs));
    gs.dom = DOMID_SELF;
    set_xen_guest_handle(gs.frame_list, sframes);
    CHECK_EQ(gnttab_op(GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_okay);
    gs.nr_frames = 1;
    CHECK_EQ(gnttab_op(GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_general_error);
    gs.dom = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_permission_denied);
    gs.dom = 9;
    CHECK_EQ(gnttab_op(GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_bad_domain);
    CHECK_EQ(gnttab_op(GNTTABOP_get_status_frames, &gs, 2), -EINVAL);

    /* Left out on purpose, gone, unknown; malformed calls. */
    CHECK_EQ(gnttab_op(GNTTABOP_transfer, &gs, 1), -ENOSYS);
    CHECK_EQ(gnttab_op(GNTTABOP_dump_table, &gs, 1), -ENOSYS);
    CHECK_EQ(gnttab_op(13, &gs, 1), -ENOSYS);
    CHECK_EQ(gnttab_op(0xfff, &gs, 1), -ENOSYS);
    CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref | (1u << 12), &gs, 1), -EINVAL);
    CHECK_EQ(gnttab_op(13 | (1u << 12), &gs, 1), -EINVAL);
    CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, &gs, 0x80000000u), -EINVAL);
    CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, bad_page, 1), -EFAULT);
    CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, &gs, 0), 0);

    /* Grant references past the table (entries land in new frames). */
    as(0);
    CHECK(gnttab_nr_entries(doms[0].grant_table) == 64 * 512);
    machine_fini();
}

/* ---- map / unmap -------------------------------------------------------- */

/*
 * Map frame `f` of domain g, granted as ref 9 to d0, with every flag
 * combination, through linear addresses and through PTE addresses; check
 * the PTE, the grant flags, the pins and the page counts, then unmap.
 */
static void map_matrix(unsigned int g)
{
    static const uint32_t kinds[] = {
        GNTMAP_host_map, GNTMAP_device_map,
        GNTMAP_host_map | GNTMAP_device_map,
    };
    unsigned int k, ro, pte, app;
    mfn_t f = new_frame(g);
    unsigned long g0 = gcount(f), t0 = tcount(f);

    grant(g, 9, 0, f, 0);
    for ( k = 0; k < ARRAY_SIZE(kinds); k++ )
        for ( ro = 0; ro < 2; ro++ )
            for ( pte = 0; pte < 2; pte++ )
                for ( app = 0; app < 2; app++ )
                {
                    uint32_t flags = kinds[k] |
                                     (ro ? GNTMAP_readonly : 0) |
                                     (pte ? GNTMAP_contains_pte : 0) |
                                     (app ? GNTMAP_application_map : 0) |
                                     (5u << _GNTMAP_guest_avail0);
                    bool host = flags & GNTMAP_host_map;
                    bool dev = flags & GNTMAP_device_map;
                    uint64_t addr = pte ? pte_ma(0, 20) : VA(20), bus;
                    unsigned int nk = host + dev;
                    grant_handle_t h;
                    pte_t e;

                    CHECK_EQ(map(g, 9, flags, addr, &h, &bus), GNTST_okay);
                    CHECK_EQ(bus, mfn_x(f) << PAGE_SHIFT);
                    CHECK_EQ(gcount(f), g0 + nk);
                    CHECK_EQ(tcount(f), t0 + (ro ? 0 : nk));
                    CHECK_EQ(pin_of(g, 9), gnttab_map_pins(flags));
                    CHECK_EQ(gentry(g, 9)->flags,
                             GTF_permit_access | GTF_reading |
                             (ro ? 0 : GTF_writing));
                    CHECK_EQ(maptrack_in_use(0), 1);
                    e = *l1e(0, 20);
                    if ( host )
                    {
                        CHECK_EQ(mfn_x(pte_mfn(e)), mfn_x(f));
                        CHECK(e & _PAGE_PRESENT);
                        CHECK(e & _PAGE_USER);
                        CHECK(e & _PAGE_NX);
                        CHECK_EQ(!!(e & _PAGE_RW), !ro);
                        CHECK_EQ(!!(e & _PAGE_GUEST_KERNEL), !app);
                        CHECK_EQ(e & _PAGE_AVAIL, 5u << 9);
                    }
                    else
                        CHECK_EQ(e, 0);

                    /* Unmap host side and device side separately. */
                    if ( host )
                    {
                        CHECK_EQ(unmap(h, addr, 0), GNTST_okay);
                        CHECK_EQ(*l1e(0, 20), 0);
                    }
                    if ( dev )
                    {
                        CHECK_EQ(maptrack_in_use(0), 1);
                        CHECK_EQ(unmap(h, 0, bus), GNTST_okay);
                    }
                    CHECK_EQ(unmap(h, addr, bus), GNTST_bad_handle);
                    CHECK_EQ(gcount(f), g0);
                    CHECK_EQ(tcount(f), t0);
                    CHECK_EQ(pin_of(g, 9), 0);
                    CHECK_EQ(gentry(g, 9)->flags, GTF_permit_access);
                    CHECK_EQ(maptrack_in_use(0), 0);
                }
}

TEST(map_unmap_every_flag_self)
{
    machine_init();
    map_matrix(0);
    machine_fini();
}

TEST(map_unmap_every_flag_cross_domain)
{
    machine_init();
    map_matrix(1);
    CHECK_EQ(refs(1), 1);
    machine_fini();
}

TEST(map_both_kinds_unmap_together)
{
    grant_handle_t h;
    uint64_t bus;
    mfn_t f;

    machine_init();
    f = new_frame(1);
    grant(1, 3, 0, f, 0);
    CHECK_EQ(map(1, 3, GNTMAP_host_map | GNTMAP_device_map, VA(5), &h, &bus),
             GNTST_okay);
    CHECK_EQ(refs(1), 2);            /* the mapping holds d1 */
    CHECK_EQ(unmap(h, VA(5), bus), GNTST_okay);
    CHECK_EQ(refs(1), 1);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(tcount(f), 0);
    CHECK_EQ(gentry(1, 3)->flags, GTF_permit_access);
    /* Nothing to unmap: addresses 0 skip both sides. */
    CHECK_EQ(map(1, 3, GNTMAP_host_map, VA(5), &h, NULL), GNTST_okay);
    CHECK_EQ(unmap(h, 0, 0), GNTST_okay);
    CHECK_EQ(pin_of(1, 3), GNTPIN_hstw_inc);
    CHECK_EQ(unmap(h, VA(5), 0), GNTST_okay);
    machine_fini();
}

TEST(map_several_pins_share_one_entry)
{
    grant_handle_t h[4];
    mfn_t f;

    machine_init();
    f = new_frame(1);
    grant(1, 2, 0, f, 0);
    CHECK_EQ(map(1, 2, GNTMAP_host_map | GNTMAP_readonly, VA(1), &h[0],
                 NULL), GNTST_okay);
    CHECK_EQ(gentry(1, 2)->flags, GTF_permit_access | GTF_reading);
    CHECK_EQ(map(1, 2, GNTMAP_host_map, VA(2), &h[1], NULL), GNTST_okay);
    CHECK_EQ(gentry(1, 2)->flags,
             GTF_permit_access | GTF_reading | GTF_writing);
    CHECK_EQ(map(1, 2, GNTMAP_device_map, 0, &h[2], NULL), GNTST_okay);
    CHECK_EQ(map(1, 2, GNTMAP_host_map | GNTMAP_readonly, VA(3), &h[3],
                 NULL), GNTST_okay);
    CHECK_EQ(pin_of(1, 2), 2 * GNTPIN_hstr_inc + GNTPIN_hstw_inc +
                           GNTPIN_devw_inc);
    CHECK_EQ(gcount(f), 1 + 4);
    CHECK_EQ(tcount(f), 2);
    /* The granter cannot revoke while in use: busy flags stay set. */
    CHECK_EQ(unmap(h[1], VA(2), 0), GNTST_okay);
    CHECK_EQ(gentry(1, 2)->flags,
             GTF_permit_access | GTF_reading | GTF_writing);
    CHECK_EQ(unmap(h[2], 0, mfn_x(f) << PAGE_SHIFT), GNTST_okay);
    CHECK_EQ(gentry(1, 2)->flags, GTF_permit_access | GTF_reading);
    CHECK_EQ(unmap(h[0], VA(1), 0), GNTST_okay);
    CHECK_EQ(gentry(1, 2)->flags, GTF_permit_access | GTF_reading);
    CHECK_EQ(unmap(h[3], VA(3), 0), GNTST_okay);
    CHECK_EQ(gentry(1, 2)->flags, GTF_permit_access);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(tcount(f), 0);
    machine_fini();
}

TEST(map_replaces_an_existing_entry)
{
    grant_handle_t h;
    mfn_t f, mine;

    machine_init();
    f = new_frame(1);
    mine = new_frame(0);
    grant(1, 2, 0, f, 0);
    CHECK_EQ(mod_l1_entry(l1e(0, 7), ent(mine, F_RW), l1_of[0], false,
                          &doms[0], &doms[0]), 0);
    CHECK_EQ(gcount(mine), 2);
    CHECK_EQ(tcount(mine), 1);
    flushes = 0;
    CHECK_EQ(map(1, 2, GNTMAP_host_map, VA(7), &h, NULL), GNTST_okay);
    CHECK(flushes > 0);                     /* before the old refs went */
    CHECK_EQ(gcount(mine), 1);
    CHECK_EQ(tcount(mine), 0);
    CHECK_EQ(unmap(h, VA(7), 0), GNTST_okay);
    machine_fini();
}

TEST(map_bad_refs_and_flags)
{
    grant_handle_t h;
    mfn_t f;

    machine_init();
    f = new_frame(1);
    grant(1, 511, 0, f, 0);
    CHECK_EQ(map(1, 511, GNTMAP_host_map, VA(1), &h, NULL), GNTST_okay);
    CHECK_EQ(unmap(h, VA(1), 0), GNTST_okay);
    CHECK_EQ(map(1, 512, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_bad_gntref);
    CHECK_EQ(map(1, 0xffffffff, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_bad_gntref);
    /* Neither host nor device: Xen's bad_gntref too. */
    CHECK_EQ(map(1, 511, GNTMAP_readonly, VA(1), NULL, NULL),
             GNTST_bad_gntref);
    CHECK_EQ(map(1, 511, 0, VA(1), NULL, NULL), GNTST_bad_gntref);
    CHECK_EQ(*l1e(0, 1), 0);
    CHECK_EQ(maptrack_in_use(0), 0);
    CHECK_EQ(gcount(f), 1);
    machine_fini();
}

TEST(map_bad_domains)
{
    mfn_t f;

    machine_init();
    f = new_frame(0);
    grant(0, 4, 0, f, 0);
    CHECK_EQ(map(2, 4, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_bad_domain);
    CHECK_EQ(map(0x7fef, 4, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_bad_domain);
    /* Only real ids: DOMID_SELF and the other reserved ids name nobody. */
    CHECK_EQ(map(DOMID_SELF, 4, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_bad_domain);
    CHECK_EQ(map(DOMID_IO, 4, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_bad_domain);
    CHECK_EQ(map(0xffff, 4, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_bad_domain);
    CHECK_EQ(pin_of(0, 4), 0);
    CHECK_EQ(gentry(0, 4)->flags, GTF_permit_access);
    machine_fini();
}

TEST(map_entry_must_grant_us)
{
    mfn_t f, other;

    machine_init();
    f = new_frame(1);
    other = new_frame(0);
    /* granted to d1 itself, not to d0 */
    grant(1, 2, 1, f, 0);
    CHECK_EQ(map(1, 2, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_general_error);
    CHECK_EQ(gentry(1, 2)->flags, GTF_permit_access);
    /* not a permit_access entry */
    grant(1, 2, 0, f, 0);
    gentry(1, 2)->flags = GTF_invalid;
    CHECK_EQ(map(1, 2, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_general_error);
    gentry(1, 2)->flags = GTF_accept_transfer;
    CHECK_EQ(map(1, 2, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_general_error);
    gentry(1, 2)->flags = GTF_transitive;
    CHECK_EQ(map(1, 2, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_general_error);
    gentry(1, 2)->flags = GTF_permit_access | GTF_sub_page;
    CHECK_EQ(map(1, 2, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_general_error);
    /* a frame the granter does not own, or none at all */
    grant(1, 2, 0, other, 0);
    CHECK_EQ(map(1, 2, GNTMAP_host_map, VA(1), NULL, NULL), GNTST_bad_page);
    CHECK_EQ(gentry(1, 2)->flags, GTF_permit_access);
    grant(1, 2, 0, _mfn(TABLE_PAGES + 5), 0);
    CHECK_EQ(map(1, 2, GNTMAP_host_map | GNTMAP_readonly, VA(1), NULL, NULL),
             GNTST_bad_page);
    CHECK_EQ(gentry(1, 2)->flags, GTF_permit_access);
    grant(1, 2, 0, free_mfn(), 0);
    CHECK_EQ(map(1, 2, GNTMAP_device_map, 0, NULL, NULL), GNTST_bad_page);
    CHECK_EQ(*l1e(0, 1), 0);
    CHECK_EQ(pin_of(1, 2), 0);
    CHECK_EQ(maptrack_in_use(0), 0);
    CHECK_EQ(gcount(other), 1);
    machine_fini();
}

TEST(map_readonly_grants)
{
    grant_handle_t h;
    mfn_t f;

    machine_init();
    f = new_frame(1);
    grant(1, 6, 0, f, GTF_readonly);
    CHECK_EQ(map(1, 6, GNTMAP_host_map, VA(1), NULL, NULL),
             GNTST_general_error);
    CHECK_EQ(map(1, 6, GNTMAP_device_map, 0, NULL, NULL),
             GNTST_general_error);
    CHECK_EQ(gentry(1, 6)->flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(map(1, 6, GNTMAP_host_map | GNTMAP_readonly, VA(1), &h, NULL),
             GNTST_okay);
    CHECK(!(*l1e(0, 1) & _PAGE_RW));
    CHECK_EQ(tcount(f), 0);
    /* A writable pin on top of the read-only one is still refused. */
    CHECK_EQ(map(1, 6, GNTMAP_host_map, VA(2), NULL, NULL),
             GNTST_general_error);
    CHECK_EQ(gentry(1, 6)->flags,
             GTF_permit_access | GTF_readonly | GTF_reading);
    CHECK_EQ(pin_of(1, 6), GNTPIN_hstr_inc);
    CHECK_EQ(unmap(h, VA(1), 0), GNTST_okay);
    CHECK_EQ(gentry(1, 6)->flags, GTF_permit_access | GTF_readonly);
    machine_fini();
}

TEST(map_page_tables_and_pinning)
{
    grant_handle_t h, hro;
    mfn_t f, t;

    machine_init();
    /* Self-grant of a frame: pinning it as a page table fails while it is
     * mapped writable, and works once the mapping is gone. */
    f = new_frame(0);
    grant(0, 8, 0, f, 0);
    CHECK_EQ(map(0, 8, GNTMAP_host_map, VA(9), &h, NULL), GNTST_okay);
    CHECK_EQ(ttype(f), PGT_writable_page);
    CHECK_EQ(pin_page_table(&vcpus[0][0], f, &doms[0], PGT_l1_page_table),
             -EINVAL);
    CHECK_EQ(unmap(h, VA(9), 0), GNTST_okay);
    CHECK_EQ(pin_page_table(&vcpus[0][0], f, &doms[0], PGT_l1_page_table),
             0);
    /* A pinned table cannot be mapped writable (host or device), only
     * read-only. */
    CHECK_EQ(map(0, 8, GNTMAP_host_map, VA(9), NULL, NULL),
             GNTST_general_error);
    CHECK_EQ(map(0, 8, GNTMAP_device_map, 0, NULL, NULL),
             GNTST_general_error);
    CHECK_EQ(*l1e(0, 9), 0);
    CHECK_EQ(gentry(0, 8)->flags, GTF_permit_access);
    CHECK_EQ(map(0, 8, GNTMAP_host_map | GNTMAP_readonly, VA(9), &hro, NULL),
             GNTST_okay);
    CHECK_EQ(unmap(hro, VA(9), 0), GNTST_okay);
    CHECK_EQ(unpin_page_table(&vcpus[0][0], f, &doms[0]), 0);
    CHECK_EQ(tcount(f), 0);

    /* The same across domains: d1's frame mapped writable by d0. */
    t = new_frame(1);
    grant(1, 8, 0, t, 0);
    CHECK_EQ(map(1, 8, GNTMAP_device_map, 0, &h, NULL), GNTST_okay);
    CHECK_EQ(pin_page_table(&vcpus[1][0], t, &doms[1], PGT_l1_page_table),
             -EINVAL);
    CHECK_EQ(unmap(h, 0, mfn_x(t) << PAGE_SHIFT), GNTST_okay);
    CHECK_EQ(pin_page_table(&vcpus[1][0], t, &doms[1], PGT_l1_page_table),
             0);
    CHECK_EQ(unpin_page_table(&vcpus[1][0], t, &doms[1]), 0);
    machine_fini();
}

TEST(map_where_there_is_no_l1)
{
    grant_handle_t h;
    mfn_t f, data;

    machine_init();
    f = new_frame(1);
    data = new_frame(0);
    grant(1, 1, 0, f, 0);
    /* Linear address beyond the one L2 entry the tables have. */
    CHECK_EQ(map(1, 1, GNTMAP_host_map, 1ULL << 30, NULL, NULL),
             GNTST_general_error);
    /* Hypervisor and non-canonical addresses. */
    CHECK_EQ(map(1, 1, GNTMAP_host_map, 0xffff800000000000ULL, NULL, NULL),
             GNTST_general_error);
    CHECK_EQ(map(1, 1, GNTMAP_host_map, 0x0000800000000000ULL, NULL, NULL),
             GNTST_general_error);
    /* PTE addresses: a frame that is not an L1, not ours, not RAM. */
    CHECK_EQ(map(1, 1, GNTMAP_host_map | GNTMAP_contains_pte,
                 mfn_x(data) << PAGE_SHIFT, NULL, NULL),
             GNTST_general_error);
    CHECK_EQ(map(1, 1, GNTMAP_host_map | GNTMAP_contains_pte,
                 pte_ma(1, 3), NULL, NULL), GNTST_general_error);
    CHECK_EQ(map(1, 1, GNTMAP_host_map | GNTMAP_contains_pte,
                 (TABLE_PAGES + 1) << PAGE_SHIFT, NULL, NULL),
             GNTST_general_error);
    CHECK_EQ(map(1, 1, GNTMAP_host_map | GNTMAP_contains_pte,
                 ~0ULL & ~7ULL, NULL, NULL), GNTST_general_error);
    CHECK_EQ(pin_of(1, 1), 0);
    CHECK_EQ(gentry(1, 1)->flags, GTF_permit_access);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(tcount(f), 0);
    CHECK_EQ(maptrack_in_use(0), 0);
    /* ...and a good one still works. */
    CHECK_EQ(map(1, 1, GNTMAP_host_map | GNTMAP_contains_pte, pte_ma(0, 4),
                 &h, NULL), GNTST_okay);
    CHECK_EQ(unmap(h, pte_ma(0, 4), 0), GNTST_okay);
    machine_fini();
}

TEST(contains_pte_misaligned)
{
    grant_handle_t h;
    unsigned int off;
    mfn_t f;

    machine_init();
    f = new_frame(1);
    grant(1, 1, 0, f, 0);
    *l1e(0, 4) = 0;
    *l1e(0, 5) = 0;
    for ( off = 1; off < 8; off++ )
        CHECK_EQ(map(1, 1, GNTMAP_host_map | GNTMAP_contains_pte,
                     pte_ma(0, 4) + off, NULL, NULL), GNTST_general_error);
    CHECK_EQ(*l1e(0, 4), 0);
    CHECK_EQ(*l1e(0, 5), 0);
    CHECK_EQ(pin_of(1, 1), 0);
    CHECK_EQ(maptrack_in_use(0), 0);
    /* Unmapping through a misaligned address is refused as well. */
    CHECK_EQ(map(1, 1, GNTMAP_host_map | GNTMAP_contains_pte, pte_ma(0, 4),
                 &h, NULL), GNTST_okay);
    CHECK_EQ(unmap(h, pte_ma(0, 4) + 4, 0), GNTST_general_error);
    CHECK(*l1e(0, 4) & _PAGE_PRESENT);
    CHECK_EQ(*l1e(0, 5), 0);
    CHECK_EQ(unmap(h, pte_ma(0, 4), 0), GNTST_okay);
    machine_fini();
}

TEST(unmap_bad_handles_and_addresses)
{
    grant_handle_t h, h2;
    mfn_t f, g;
    uint64_t bus;

    machine_init();
    f = new_frame(1);
    g = new_frame(1);
    grant(1, 1, 0, f, 0);
    grant(1, 2, 0, g, 0);
    CHECK_EQ(unmap(0, VA(1), 0), GNTST_bad_handle);     /* no maptrack */
    CHECK_EQ(map(1, 1, GNTMAP_host_map | GNTMAP_device_map, VA(1), &h, &bus),
             GNTST_okay);
    CHECK_EQ(map(1, 2, GNTMAP_host_map, VA(2), &h2, NULL), GNTST_okay);
    CHECK_EQ(unmap(h + 1000, VA(1), 0), GNTST_bad_handle);  /* unused */
    CHECK_EQ(unmap(0x7fffffff, VA(1), 0), GNTST_bad_handle);
    CHECK_EQ(unmap(0xffffffff, VA(1), 0), GNTST_bad_handle);
    /* The address must be the mapping's own entry... */
    CHECK_EQ(unmap(h, VA(2), 0), GNTST_general_error);
    CHECK_EQ(unmap(h, VA(3), 0), GNTST_general_error);
    CHECK_EQ(unmap(h, 1ULL << 30, 0), GNTST_general_error);
    /* ...and the bus address the mapping's frame (Xen: bad_dev_addr). */
    CHECK_EQ(unmap(h, 0, bus + PAGE_SIZE), GNTST_bad_dev_addr);
    CHECK_EQ(unmap(h, VA(1), bus + 1), GNTST_bad_dev_addr);
    CHECK_EQ(pin_of(1, 1), GNTPIN_hstw_inc + GNTPIN_devw_inc);
    CHECK_EQ(gcount(f), 3);
    CHECK(*l1e(0, 2) & _PAGE_PRESENT);
    CHECK_EQ(unmap(h, VA(1), bus), GNTST_okay);
    CHECK_EQ(unmap(h, VA(1), bus), GNTST_bad_handle);
    CHECK_EQ(unmap(h2, VA(2), 0), GNTST_okay);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(gcount(g), 1);
    machine_fini();
}

TEST(unmap_checks_the_entry_xsa234)
{
    grant_handle_t h;
    mfn_t f;

    machine_init();
    /* A read-only self-map whose entry the guest made writable itself
     * (it may: the frame is its own).  The entry's references are then
     * those of a writable mapping: unmapping it as the read-only grant
     * would drop the wrong ones, so it is refused. */
    f = new_frame(0);
    grant(0, 3, 0, f, 0);
    CHECK_EQ(map(0, 3, GNTMAP_host_map | GNTMAP_readonly, VA(6), &h, NULL),
             GNTST_okay);
    CHECK_EQ(mod_l1_entry(l1e(0, 6), ent(f, F_RW), l1_of[0], false,
                          &doms[0], &doms[0]), 0);
    CHECK_EQ(gcount(f), 2);
    CHECK_EQ(tcount(f), 1);
    CHECK_EQ(unmap(h, VA(6), 0), GNTST_general_error);
    CHECK_EQ(gcount(f), 2);
    CHECK_EQ(tcount(f), 1);
    /* Put the read-only entry back: now the unmap is exact. */
    CHECK_EQ(mod_l1_entry(l1e(0, 6), ent(f, F_RO), l1_of[0], false,
                          &doms[0], &doms[0]), 0);
    CHECK_EQ(unmap(h, VA(6), 0), GNTST_okay);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(tcount(f), 0);
    CHECK_EQ(*l1e(0, 6), 0);
    machine_fini();
}

TEST(implicit_unmap_by_the_guest)
{
    grant_handle_t h;
    mfn_t f;

    machine_init();
    f = new_frame(1);
    grant(1, 3, 0, f, 0);
    CHECK_EQ(map(1, 3, GNTMAP_host_map, VA(6), &h, NULL), GNTST_okay);
    CHECK_EQ(gcount(f), 2);
    /* The guest zaps the entry itself: its references go with it... */
    CHECK_EQ(mod_l1_entry(l1e(0, 6), 0, l1_of[0], false, &doms[0],
                          &doms[0]), 0);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(tcount(f), 0);
    /* ...the grant stays pinned, the handle cannot unmap it... */
    CHECK_EQ(unmap(h, VA(6), 0), GNTST_general_error);
    CHECK_EQ(gentry(1, 3)->flags,
             GTF_permit_access | GTF_reading | GTF_writing);
    /* ...and cannot write the foreign frame back with mmu_update. */
    CHECK_EQ(mod_l1_entry(l1e(0, 6), ent(f, F_RW), l1_of[0], false,
                          &doms[0], &doms[0]), -EBUSY);
    /* Teardown of d0 releases the pin (machine_fini checks the rest). */
    CHECK_EQ(gnttab_release_mappings(&doms[0]), 0);
    CHECK_EQ(pin_of(1, 3), 0);
    CHECK_EQ(gentry(1, 3)->flags, GTF_permit_access);
    CHECK_EQ(refs(1), 1);
    machine_fini();
}

TEST(unmap_and_replace)
{
    grant_handle_t h;
    mfn_t f, mine;

    machine_init();
    f = new_frame(1);
    mine = new_frame(0);
    grant(1, 4, 0, f, GTF_readonly);
    CHECK_EQ(map(1, 4, GNTMAP_host_map | GNTMAP_readonly, VA(10), &h, NULL),
             GNTST_okay);
    CHECK_EQ(mod_l1_entry(l1e(0, 11), ent(mine, F_RW), l1_of[0], false,
                          &doms[0], &doms[0]), 0);
    /* The grant's entry must be the one named. */
    CHECK_EQ(unmap_replace(h, VA(12), VA(11)), GNTST_general_error);
    /* A failed replace still took new_addr's entry (Xen's semantics). */
    CHECK_EQ(*l1e(0, 11), 0);
    CHECK_EQ(gcount(mine), 1);
    CHECK_EQ(tcount(mine), 0);
    CHECK_EQ(mod_l1_entry(l1e(0, 11), ent(mine, F_RW), l1_of[0], false,
                          &doms[0], &doms[0]), 0);
    /* Now properly: VA(10) gets VA(11)'s entry, VA(11) is empty. */
    CHECK_EQ(unmap_replace(h, VA(10), VA(11)), GNTST_okay);
    CHECK_EQ(mfn_x(pte_mfn(*l1e(0, 10))), mfn_x(mine));
    CHECK(*l1e(0, 10) & _PAGE_RW);
    CHECK_EQ(*l1e(0, 11), 0);
    CHECK_EQ(gcount(mine), 2);
    CHECK_EQ(tcount(mine), 1);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(pin_of(1, 4), 0);
    CHECK_EQ(gentry(1, 4)->flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(unmap_replace(h, VA(10), VA(11)), GNTST_bad_handle);
    /* new_addr 0 is a plain unmap; PTE-address mappings cannot replace. */
    CHECK_EQ(map(1, 4, GNTMAP_host_map | GNTMAP_readonly, VA(12), &h, NULL),
             GNTST_okay);
    CHECK_EQ(unmap_replace(h, VA(12), 0), GNTST_okay);
    CHECK_EQ(*l1e(0, 12), 0);
    CHECK_EQ(map(1, 4, GNTMAP_host_map | GNTMAP_readonly |
                 GNTMAP_contains_pte, pte_ma(0, 12), &h, NULL), GNTST_okay);
    CHECK_EQ(unmap_replace(h, pte_ma(0, 12), VA(10)), GNTST_general_error);
    CHECK_EQ(mfn_x(pte_mfn(*l1e(0, 10))), mfn_x(mine));
    CHECK_EQ(unmap_replace(h, pte_ma(0, 12), 0), GNTST_okay);
    /* No entry at new_addr to take. */
    CHECK_EQ(map(1, 4, GNTMAP_host_map | GNTMAP_readonly, VA(12), &h, NULL),
             GNTST_okay);
    CHECK_EQ(unmap_replace(h, VA(12), 1ULL << 30), GNTST_general_error);
    CHECK_EQ(unmap(h, VA(12), 0), GNTST_okay);
    CHECK_EQ(mod_l1_entry(l1e(0, 10), 0, l1_of[0], false, &doms[0],
                          &doms[0]), 0);
    CHECK_EQ(gcount(mine), 1);
    machine_fini();
}

TEST(limits_maptrack_and_pins)
{
    grant_handle_t h[MAPTRACK_PER_FRAME + 1];
    unsigned int i;
    mfn_t f;

    machine_init();
    /* d1 gets a table with room for one maptrack frame. */
    grant_table_destroy(&doms[1]);
    opt_gnttab_max_maptrack_frames = 1;
    CHECK_EQ(grant_table_init(&doms[1]), 0);
    f = new_frame(0);
    for ( i = 0; i < MAPTRACK_PER_FRAME + 1; i++ )
        grant(0, i, 1, f, 0);
    as(1);
    for ( i = 0; i < MAPTRACK_PER_FRAME; i++ )
        CHECK_EQ(map(0, i, GNTMAP_device_map | GNTMAP_readonly, 0, &h[i],
                     NULL), GNTST_okay);
    CHECK_EQ(map(0, i, GNTMAP_device_map | GNTMAP_readonly, 0, NULL, NULL),
             GNTST_no_device_space);
    /* Even with a bad reference: the handle is taken first. */
    CHECK_EQ(map(0, 99999, GNTMAP_device_map, 0, NULL, NULL),
             GNTST_no_device_space);
    CHECK_EQ(pin_of(0, i), 0);
    CHECK_EQ(gentry(0, i)->flags, GTF_permit_access);
    CHECK_EQ(unmap(h[7], 0, mfn_x(f) << PAGE_SHIFT), GNTST_okay);
    CHECK_EQ(map(0, i, GNTMAP_device_map | GNTMAP_readonly, 0, &h[7], NULL),
             GNTST_okay);
    for ( i = 0; i < MAPTRACK_PER_FRAME; i++ )
        CHECK_EQ(unmap(h[i], 0, mfn_x(f) << PAGE_SHIFT), GNTST_okay);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(maptrack_in_use(1), 0);

    /* Pin counts stop at 127 per kind instead of overflowing. */
    as(0);
    grant(0, 88, 0, f, 0);
    for ( i = 0; i < 127; i++ )
        CHECK_EQ(map(0, 88, GNTMAP_device_map | GNTMAP_readonly, 0, &h[i],
                     NULL), GNTST_okay);
    CHECK_EQ(pin_of(0, 88), 127u << GNTPIN_devr_shift);
    CHECK_EQ(map(0, 88, GNTMAP_device_map | GNTMAP_readonly, 0, NULL, NULL),
             GNTST_okay);                   /* the 128th: 0x80 reached */
    CHECK_EQ(map(0, 88, GNTMAP_host_map | GNTMAP_readonly, VA(1), NULL,
                 NULL), GNTST_general_error);
    CHECK_EQ(*l1e(0, 1), 0);
    CHECK_EQ(gnttab_release_mappings(&doms[0]), 0);
    CHECK_EQ(pin_of(0, 88), 0);
    CHECK_EQ(gcount(f), 1);
    machine_fini();
}

/* ---- copy --------------------------------------------------------------- */

static void fill(mfn_t m, unsigned char c)
{
    memset(mfn_to_virt(m), c, PAGE_SIZE);
}

static unsigned char *bytes(mfn_t m) { return mfn_to_virt(m); }

TEST(copy_every_kind)
{
    struct gnttab_copy op;
    mfn_t own_a, own_b, rf_a, rf_b;
    unsigned int s, d;

    machine_init();
    own_a = new_frame(0);
    own_b = new_frame(0);
    rf_a = new_frame(1);
    rf_b = new_frame(1);
    grant(1, 1, 0, rf_a, 0);
    grant(1, 2, 0, rf_b, 0);
    grant(0, 1, 0, own_a, 0);               /* self-grants too */

    for ( s = 0; s < 2; s++ )
        for ( d = 0; d < 2; d++ )
        {
            mfn_t src = s ? rf_a : own_b, dst = d ? rf_b : own_a;

            fill(src, 0x11 + s);
            fill(dst, 0xee);
            memset(&op, 0, sizeof(op));
            if ( s )
            {
                op.source.u.ref = 1;
                op.source.domid = 1;
                op.flags |= GNTCOPY_source_gref;
            }
            else
            {
                op.source.u.gmfn = mfn_x(src);
                op.source.domid = DOMID_SELF;
            }
            if ( d )
            {
                op.dest.u.ref = 2;
                op.dest.domid = 1;
                op.flags |= GNTCOPY_dest_gref;
            }
            else
            {
                op.dest.u.gmfn = mfn_x(dst);
                op.dest.domid = DOMID_SELF;
            }
            op.source.offset = 100;
            op.dest.offset = 3000;
            op.len = 1000;
            CHECK_EQ(copy(&op), GNTST_okay);
            CHECK_EQ(bytes(dst)[2999], 0xee);
            CHECK_EQ(bytes(dst)[3000], 0x11 + s);
            CHECK_EQ(bytes(dst)[3999], 0x11 + s);
            CHECK_EQ(bytes(dst)[4000], 0xee);
            CHECK_EQ(pin_of(1, 1), 0);
            CHECK_EQ(pin_of(1, 2), 0);
            CHECK_EQ(gentry(1, 1)->flags, GTF_permit_access);
            CHECK_EQ(gentry(1, 2)->flags, GTF_permit_access);
            CHECK_EQ(gcount(src), 1);
            CHECK_EQ(gcount(dst), 1);
            CHECK_EQ(tcount(dst), 0);
        }

    /* The caller's own grant by reference, DOMID_SELF or its id; whole
     * page; zero length. */
    memset(&op, 0, sizeof(op));
    fill(own_a, 0x42);
    op.source.u.ref = 1;
    op.source.domid = 0;
    op.dest.u.gmfn = mfn_x(own_b);
    op.dest.domid = DOMID_SELF;
    op.flags = GNTCOPY_source_gref;
    op.len = PAGE_SIZE;
    CHECK_EQ(copy(&op), GNTST_okay);
    CHECK(page_is_filled(mfn_x(own_b), 0x42));
    op.source.domid = DOMID_SELF;
    op.len = 0;
    CHECK_EQ(copy(&op), GNTST_okay);
    /* Same frame, overlapping ranges. */
    memset(&op, 0, sizeof(op));
    memset(bytes(own_a), 0, 8);
    bytes(own_a)[0] = 1;
    bytes(own_a)[1] = 2;
    op.source.u.gmfn = op.dest.u.gmfn = mfn_x(own_a);
    op.source.domid = op.dest.domid = DOMID_SELF;
    op.dest.offset = 1;
    op.len = 2;
    CHECK_EQ(copy(&op), GNTST_okay);
    CHECK_EQ(bytes(own_a)[1], 1);
    CHECK_EQ(bytes(own_a)[2], 2);
    machine_fini();
}

TEST(copy_bad_arguments)
{
    struct gnttab_copy op, base;
    mfn_t own, rf, ro, pt;

    machine_init();
    own = new_frame(0);
    rf = new_frame(1);
    ro = new_frame(1);
    pt = new_frame(0);
    grant(1, 1, 0, rf, 0);
    grant(1, 2, 0, ro, GTF_readonly);
    CHECK_EQ(pin_page_table(&vcpus[0][0], pt, &doms[0], PGT_l1_page_table),
             0);
    memset(&base, 0, sizeof(base));
    base.source.u.ref = 1;
    base.source.domid = 1;
    base.dest.u.gmfn = mfn_x(own);
    base.dest.domid = DOMID_SELF;
    base.flags = GNTCOPY_source_gref;
    base.len = 16;

    /* Ranges past the page end. */
    op = base;
    op.source.offset = 4090;
    CHECK_EQ(copy(&op), GNTST_bad_copy_arg);
    op = base;
    op.dest.offset = 4081;
    CHECK_EQ(copy(&op), GNTST_bad_copy_arg);
    op = base;
    op.len = PAGE_SIZE + 1;
    CHECK_EQ(copy(&op), GNTST_bad_copy_arg);
    op = base;
    op.dest.offset = 0xffff;
    op.len = 0xffff;
    CHECK_EQ(copy(&op), GNTST_bad_copy_arg);
    CHECK_EQ(pin_of(1, 1), 0);
    CHECK_EQ(gentry(1, 1)->flags, GTF_permit_access);

    /* Frames only for DOMID_SELF, even for the caller's own id. */
    op = base;
    op.dest.domid = 0;
    CHECK_EQ(copy(&op), GNTST_permission_denied);
    op = base;
    op.flags = 0;
    op.source.u.gmfn = mfn_x(rf);
    CHECK_EQ(copy(&op), GNTST_permission_denied);
    /* Someone else's frame through DOMID_SELF, or no frame at all. */
    op.source.domid = DOMID_SELF;
    CHECK_EQ(copy(&op), GNTST_bad_page);
    op.source.u.gmfn = TABLE_PAGES + 10;
    CHECK_EQ(copy(&op), GNTST_bad_page);
    op.source.u.gmfn = ~0UL;
    CHECK_EQ(copy(&op), GNTST_bad_page);

    /* Bad domains and references. */
    op = base;
    op.source.domid = 3;
    CHECK_EQ(copy(&op), GNTST_bad_domain);
    op.source.domid = DOMID_IO;
    CHECK_EQ(copy(&op), GNTST_bad_domain);
    op = base;
    op.source.u.ref = 512;
    CHECK_EQ(copy(&op), GNTST_bad_gntref);
    /* Checked in Xen's order: the grant before the range. */
    op.source.offset = 4095;
    CHECK_EQ(copy(&op), GNTST_bad_gntref);
    op = base;
    op.source.u.ref = 3;                    /* not a grant */
    CHECK_EQ(copy(&op), GNTST_general_error);

    /* A read-only grant as destination; a page table as destination. */
    op = base;
    op.flags = GNTCOPY_dest_gref;
    op.source.u.gmfn = mfn_x(own);
    op.source.domid = DOMID_SELF;
    op.dest.u.ref = 2;
    op.dest.domid = 1;
    CHECK_EQ(copy(&op), GNTST_general_error);
    CHECK_EQ(gentry(1, 2)->flags, GTF_permit_access | GTF_readonly);
    op = base;
    op.dest.u.gmfn = mfn_x(pt);
    CHECK_EQ(copy(&op), GNTST_general_error);
    CHECK_EQ(pin_of(1, 1), 0);
    CHECK_EQ(gentry(1, 1)->flags, GTF_permit_access);
    CHECK_EQ(ttype(pt), PGT_l1_page_table);
    /* The read-only grant as a source is fine. */
    op = base;
    op.source.u.ref = 2;
    CHECK_EQ(copy(&op), GNTST_okay);
    CHECK_EQ(unpin_page_table(&vcpus[0][0], pt, &doms[0]), 0);
    CHECK_EQ(gcount(own), 1);
    CHECK_EQ(gcount(rf), 1);
    CHECK_EQ(tcount(own), 0);
    machine_fini();
}

TEST(copy_while_mapped)
{
    struct gnttab_copy op;
    grant_handle_t h;
    mfn_t rf, own;

    machine_init();
    rf = new_frame(1);
    own = new_frame(0);
    grant(1, 1, 0, rf, 0);
    CHECK_EQ(map(1, 1, GNTMAP_host_map | GNTMAP_readonly, VA(1), &h, NULL),
             GNTST_okay);
    /* A write copy upgrades the pin, then leaves it as it was. */
    memset(&op, 0, sizeof(op));
    op.source.u.gmfn = mfn_x(own);
    op.source.domid = DOMID_SELF;
    op.dest.u.ref = 1;
    op.dest.domid = 1;
    op.flags = GNTCOPY_dest_gref;
    op.len = 8;
    CHECK_EQ(copy(&op), GNTST_okay);
    CHECK_EQ(pin_of(1, 1), GNTPIN_hstr_inc);
    CHECK_EQ(gentry(1, 1)->flags, GTF_permit_access | GTF_reading);
    CHECK_EQ(gcount(rf), 2);
    CHECK_EQ(tcount(rf), 0);
    CHECK_EQ(unmap(h, VA(1), 0), GNTST_okay);
    machine_fini();
}

TEST(copy_batch_statuses_and_preemption)
{
    struct gnttab_copy ops[40];
    unsigned int i;
    mfn_t own, rf;

    machine_init();
    own = new_frame(0);
    rf = new_frame(1);
    grant(1, 1, 0, rf, 0);
    fill(rf, 0x77);
    for ( i = 0; i < ARRAY_SIZE(ops); i++ )
    {
        memset(&ops[i], 0, sizeof(ops[i]));
        ops[i].source.u.ref = (i % 5 == 4) ? 1000 + i : 1;
        ops[i].source.domid = 1;
        ops[i].dest.u.gmfn = mfn_x(own);
        ops[i].dest.domid = DOMID_SELF;
        ops[i].dest.offset = i * 100;
        ops[i].flags = GNTCOPY_source_gref;
        ops[i].len = 100;
        ops[i].status = 99;
    }
    preempt_every = 3;
    cont.count = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_copy, ops, ARRAY_SIZE(ops)), 0);
    CHECK(cont.count >= 10);
    for ( i = 0; i < ARRAY_SIZE(ops); i++ )
        CHECK_EQ(ops[i].status, (i % 5 == 4) ? GNTST_bad_gntref : GNTST_okay);
    CHECK_EQ(bytes(own)[0], 0x77);
    CHECK_EQ(bytes(own)[350], 0x77);
    CHECK_EQ(bytes(own)[450], 0);           /* element 4 failed */
    /* A faulting element stops the call with -EFAULT. */
    preempt_every = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_copy, (char *)bad_page - sizeof(ops[0]), 2),
             -EFAULT);
    CHECK_EQ(pin_of(1, 1), 0);
    machine_fini();
}

TEST(map_unmap_batches_preempt)
{
    struct gnttab_map_grant_ref m[64];
    struct gnttab_unmap_grant_ref u[64];
    unsigned int i;
    mfn_t f;

    machine_init();
    f = new_frame(1);
    for ( i = 0; i < 64; i++ )
        grant(1, 100 + i, 0, f, 0);
    for ( i = 0; i < 64; i++ )
    {
        memset(&m[i], 0, sizeof(m[i]));
        m[i].host_addr = VA(100 + i);
        m[i].flags = GNTMAP_host_map | (i & 1 ? GNTMAP_readonly : 0);
        m[i].ref = (i == 17) ? 9999 : 100 + i;
        m[i].dom = 1;
        m[i].status = 99;
    }
    preempt_every = 2;
    cont.count = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, m, 64), 0);
    CHECK(cont.count >= 30);
    for ( i = 0; i < 64; i++ )
    {
        CHECK_EQ(m[i].status, i == 17 ? GNTST_bad_gntref : GNTST_okay);
        memset(&u[i], 0, sizeof(u[i]));
        u[i].host_addr = m[i].host_addr;
        u[i].handle = i == 17 ? 5000 : m[i].handle;
        u[i].status = 99;
    }
    CHECK_EQ(gcount(f), 1 + 63);
    CHECK_EQ(tcount(f), 32);
    cont.count = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_unmap_grant_ref, u, 64), 0);
    CHECK(cont.count >= 30);
    for ( i = 0; i < 64; i++ )
        CHECK_EQ(u[i].status, i == 17 ? GNTST_bad_handle : GNTST_okay);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(tcount(f), 0);
    preempt_every = 0;
    machine_fini();
}

/* ---- swap, cache_flush -------------------------------------------------- */

TEST(swap_grant_ref)
{
    struct gnttab_swap_grant_ref op;
    grant_handle_t h;
    mfn_t f;

    machine_init();
    f = new_frame(0);
    grant(0, 1, 1, f, 0);
    grant(0, 2, 0, _mfn(123), GTF_readonly);
    op.ref_a = 1;
    op.ref_b = 2;
    CHECK_EQ(gnttab_op(GNTTABOP_swap_grant_ref, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_okay);
    CHECK_EQ(gentry(0, 1)->frame, 123);
    CHECK_EQ(gentry(0, 2)->frame, mfn_x(f));
    CHECK_EQ(gentry(0, 2)->domid, 1);
    op.ref_b = 1;
    CHECK_EQ(gnttab_op(GNTTABOP_swap_grant_ref, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_okay);
    op.ref_b = 512;
    CHECK_EQ(gnttab_op(GNTTABOP_swap_grant_ref, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_bad_gntref);
    /* Busy entries are not swapped. */
    as(1);
    CHECK_EQ(map(0, 2, GNTMAP_device_map, 0, &h, NULL), GNTST_okay);
    as(0);
    op.ref_a = 2;
    op.ref_b = 3;
    CHECK_EQ(gnttab_op(GNTTABOP_swap_grant_ref, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_eagain);
    op.ref_a = 3;
    op.ref_b = 2;
    CHECK_EQ(gnttab_op(GNTTABOP_swap_grant_ref, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_eagain);
    as(1);
    CHECK_EQ(unmap(h, 0, mfn_x(f) << PAGE_SHIFT), GNTST_okay);
    machine_fini();
}

TEST(cache_flush)
{
    struct gnttab_cache_flush op;
    grant_handle_t h;
    mfn_t own, rf;

    machine_init();
    own = new_frame(0);
    rf = new_frame(1);
    memset(&op, 0, sizeof(op));
    op.a.dev_bus_addr = mfn_x(own) << PAGE_SHIFT;
    op.length = 64;
    op.op = GNTTAB_CACHE_CLEAN;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), 0);
    CHECK_EQ(wbinvds, 1);
    op.op = GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), 0);
    op.op = GNTTAB_CACHE_INVAL;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), -EOPNOTSUPP);
    op.op = GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_SOURCE_GREF;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), -EINVAL);
    op.op = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), 0);
    op.op = GNTTAB_CACHE_CLEAN;
    op.length = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), 0);
    op.offset = 4000;
    op.length = 100;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), -EINVAL);
    op.offset = 0;
    op.a.dev_bus_addr = (TABLE_PAGES + 3) << PAGE_SHIFT;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), -EINVAL);
    op.a.dev_bus_addr = mfn_x(free_mfn()) << PAGE_SHIFT;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), -EPERM);  /* free */
    /* Another domain's frame: only through a grant we hold. */
    op.a.dev_bus_addr = mfn_x(rf) << PAGE_SHIFT;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), -EINVAL);
    grant(1, 300, 0, rf, 0);
    CHECK_EQ(map(1, 300, GNTMAP_device_map | GNTMAP_readonly, 0, &h, NULL),
             GNTST_okay);
    wbinvds = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), 0);
    CHECK_EQ(wbinvds, 1);
    CHECK_EQ(unmap(h, 0, mfn_x(rf) << PAGE_SHIFT), GNTST_okay);
    /* A bad array. */
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, bad_page, 1), -EFAULT);
    machine_fini();
}

TEST(cache_flush_scan_continues)
{
    struct gnttab_cache_flush op;
    struct gnttab_setup_table st;
    xen_pfn_t frames[64];
    grant_handle_t h;
    mfn_t rf;

    machine_init();
    rf = new_frame(1);
    /* A big table, with the grant near its end: the scan is continued. */
    as(1);
    memset(&st, 0, sizeof(st));
    st.dom = DOMID_SELF;
    st.nr_frames = 32;
    set_xen_guest_handle(st.frame_list, frames);
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_EQ(st.status, GNTST_okay);
    grant(1, 32 * 512 - 1, 0, rf, 0);
    as(0);
    CHECK_EQ(map(1, 32 * 512 - 1, GNTMAP_device_map, 0, &h, NULL),
             GNTST_okay);
    memset(&op, 0, sizeof(op));
    op.a.dev_bus_addr = mfn_x(rf) << PAGE_SHIFT;
    op.length = 64;
    op.op = GNTTAB_CACHE_CLEAN;
    preempt_every = 1;
    cont.count = 0;
    wbinvds = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush, &op, 1), 0);
    CHECK(cont.count >= 3);
    CHECK_EQ(wbinvds, 1);
    /* A continuation whose element has nothing to do is malformed. */
    preempt_every = 0;
    op.length = 0;
    CHECK_EQ(gnttab_op(GNTTABOP_cache_flush | (1u << 12), &op, 1), -EILSEQ);
    CHECK_EQ(unmap(h, 0, mfn_x(rf) << PAGE_SHIFT), GNTST_okay);
    machine_fini();
}

/* ---- domain death ------------------------------------------------------- */

TEST(mapper_dies)
{
    grant_handle_t h;
    mfn_t f, g;

    machine_init();
    f = new_frame(0);
    g = new_frame(0);
    grant(0, 1, 1, f, 0);
    grant(0, 2, 1, g, 0);
    as(1);
    CHECK_EQ(map(0, 1, GNTMAP_host_map, VA(3), &h, NULL), GNTST_okay);
    CHECK_EQ(map(0, 2, GNTMAP_device_map, 0, &h, NULL), GNTST_okay);
    CHECK_EQ(map(0, 2, GNTMAP_host_map | GNTMAP_contains_pte, pte_ma(1, 4),
                 &h, NULL), GNTST_okay);
    CHECK_EQ(refs(0), 4);
    as(0);
    /* d1 dies: its mappings go, its page tables with them. */
    preempt_every = 1;
    grant_table_destroy(&doms[1]);
    preempt_every = 0;
    CHECK(doms[1].grant_table == NULL);
    CHECK_EQ(pin_of(0, 1), 0);
    CHECK_EQ(pin_of(0, 2), 0);
    CHECK_EQ(gentry(0, 1)->flags, GTF_permit_access);
    CHECK_EQ(gentry(0, 2)->flags, GTF_permit_access);
    CHECK_EQ(refs(0), 1);
    CHECK_EQ(arch_domain_relinquish(&doms[1]), 0);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(tcount(f), 0);
    CHECK_EQ(gcount(g), 1);
    CHECK_EQ(tcount(g), 0);
    /* d0 can still not map for a dead d1, and its table is unaffected. */
    as(1);
    CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, &h, 0), -EINVAL);
    as(0);
    machine_fini();
}

TEST(granter_dies_while_mapped)
{
    struct grant_table *gt1;
    grant_handle_t h, hd;
    mfn_t f, shared;
    unsigned long free0;

    machine_init();
    f = new_frame(1);
    gt1 = doms[1].grant_table;
    shared = gt1->shared_mfn[0];
    grant(1, 5, 0, f, 0);
    CHECK_EQ(map(1, 5, GNTMAP_host_map, VA(2), &h, NULL), GNTST_okay);
    CHECK_EQ(map(1, 5, GNTMAP_device_map, 0, &hd, NULL), GNTST_okay);
    /* d1 goes away: its table and the granted frame stay for d0. */
    grant_table_destroy(&doms[1]);
    CHECK(doms[1].grant_table == NULL);
    stub_printk_reset();
    CHECK_EQ(arch_domain_relinquish(&doms[1]), 0);
    CHECK(strstr(stub_printk_buf, "still referenced") != NULL);
    free0 = total_free_pages();
    CHECK(page_get_owner(pg_of(f)) == &doms[1]);
    CHECK_EQ(gcount(f), 2);                 /* host + device mappings */
    CHECK_EQ(gcount(shared), 1);            /* the table's own */
    CHECK_EQ(gnttab_shared(gt1, 5)->flags,
             GTF_permit_access | GTF_reading | GTF_writing);
    /* d1 cannot be found for new mappings any more. */
    listed[1] = false;
    CHECK_EQ(map(1, 5, GNTMAP_host_map, VA(3), NULL, NULL),
             GNTST_bad_domain);
    /* d0 unmaps: the frame, then the table, go back to the heap. */
    CHECK_EQ(unmap(h, VA(2), 0), GNTST_okay);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(unmap(hd, 0, mfn_x(f) << PAGE_SHIFT), GNTST_okay);
    CHECK_EQ(total_free_pages(), free0 + 2);    /* the frame, the table */
    CHECK_EQ(refs(1), 1);
    CHECK_EQ(doms[1].tot_pages, 0);
    CHECK_EQ(doms[1].xenheap_pages, 0);
    listed[1] = true;
    stub_printk_reset();
    machine_fini();
}

TEST(teardown_with_everything_in_use)
{
    struct gnttab_setup_table st;
    xen_pfn_t frames[8];
    unsigned int i;
    grant_handle_t h;
    mfn_t f[8];

    machine_init();
    memset(&st, 0, sizeof(st));
    st.dom = 1;
    st.nr_frames = 8;
    set_xen_guest_handle(st.frame_list, frames);
    CHECK_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    for ( i = 0; i < 8; i++ )
    {
        f[i] = new_frame(i & 1);
        grant(i & 1, 40 + i, !(i & 1), f[i], 0);
        grant(i & 1, 50 + i, i & 1, f[i], 0);
    }
    for ( i = 0; i < 8; i++ )
    {
        as(!(i & 1));
        CHECK_EQ(map(i & 1, 40 + i, GNTMAP_host_map | GNTMAP_device_map,
                     VA(40 + i), &h, NULL), GNTST_okay);
        as(i & 1);
        CHECK_EQ(map(i & 1, 50 + i, GNTMAP_host_map | GNTMAP_readonly |
                     GNTMAP_contains_pte, pte_ma(i & 1, 50 + i), &h, NULL),
                 GNTST_okay);
    }
    as(0);
    /* Both die with mappings both ways: whichever goes first still has
     * frames the other maps; machine_fini checks that all comes back. */
    allow_referenced = true;
    machine_fini();
}

/* ---- races between vCPUs ------------------------------------------------ */

struct race {
    pthread_barrier_t *bar;
    unsigned int vcpu, iters;
    grant_handle_t *shared_handle;
    unsigned int ok, bad;
};

static void *map_unmap_loop(void *arg)
{
    struct race *r = arg;
    unsigned int i, slot = 30 + r->vcpu;

    cur = &vcpus[0][r->vcpu];
    pthread_barrier_wait(r->bar);
    for ( i = 0; i < r->iters; i++ )
    {
        grant_handle_t h;
        uint32_t fl = GNTMAP_host_map | GNTMAP_contains_pte |
                      ((i + r->vcpu) % 3 ? GNTMAP_readonly : 0);

        if ( map(1, 7, fl, pte_ma(0, slot), &h, NULL) != GNTST_okay ||
             unmap(h, pte_ma(0, slot), 0) != GNTST_okay )
            r->bad++;
    }
    return NULL;
}

TEST(race_map_unmap_two_vcpus)
{
    pthread_barrier_t bar;
    struct race r[2] = { { &bar, 0, 3000, NULL, 0, 0 },
                         { &bar, 1, 3000, NULL, 0, 0 } };
    pthread_t t[2];
    unsigned int i;
    mfn_t f;

    machine_init();
    f = new_frame(1);
    grant(1, 7, 0, f, 0);
    pthread_barrier_init(&bar, NULL, 2);
    for ( i = 0; i < 2; i++ )
        pthread_create(&t[i], NULL, map_unmap_loop, &r[i]);
    for ( i = 0; i < 2; i++ )
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&bar);
    CHECK_EQ(r[0].bad + r[1].bad, 0);
    CHECK_EQ(pin_of(1, 7), 0);
    CHECK_EQ(gentry(1, 7)->flags, GTF_permit_access);
    CHECK_EQ(gcount(f), 1);
    CHECK_EQ(tcount(f), 0);
    CHECK_EQ(maptrack_in_use(0), 0);
    as(0);
    machine_fini();
}

static void *unmap_same_handle(void *arg)
{
    struct race *r = arg;
    unsigned int i;

    cur = &vcpus[0][r->vcpu];
    for ( i = 0; i < r->iters; i++ )
    {
        int16_t st;

        pthread_barrier_wait(r->bar);       /* main mapped it */
        st = unmap(*r->shared_handle, 0, (uint64_t)mfn_x(l4_of[1]) << 12);
        if ( st == GNTST_okay )
            r->ok++;
        else if ( st == GNTST_bad_handle )
            r->bad++;
        pthread_barrier_wait(r->bar);       /* both done */
    }
    return NULL;
}

TEST(race_unmap_one_handle_twice_xsa218)
{
    pthread_barrier_t bar;
    grant_handle_t h;
    struct race r[2] = { { &bar, 0, 1000, &h, 0, 0 },
                         { &bar, 1, 1000, &h, 0, 0 } };
    pthread_t t[2];
    unsigned long g0;
    unsigned int i;

    machine_init();
    g0 = gcount(l4_of[1]);
    /* d1 grants its L4 frame read-only to d0, which maps it for a device:
     * only one of two simultaneous unmaps may drop the reference. */
    grant(1, 7, 0, l4_of[1], GTF_readonly);
    pthread_barrier_init(&bar, NULL, 3);
    for ( i = 0; i < 2; i++ )
        pthread_create(&t[i], NULL, unmap_same_handle, &r[i]);
    for ( i = 0; i < 1000; i++ )
    {
        as(0);
        CHECK_EQ(map(1, 7, GNTMAP_device_map | GNTMAP_readonly, 0, &h, NULL),
                 GNTST_okay);
        pthread_barrier_wait(&bar);
        pthread_barrier_wait(&bar);
    }
    for ( i = 0; i < 2; i++ )
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&bar);
    CHECK_EQ(r[0].ok + r[1].ok, 1000);
    CHECK_EQ(r[0].bad + r[1].bad, 1000);
    CHECK_EQ(pin_of(1, 7), 0);
    CHECK_EQ(gcount(l4_of[1]), g0);
    as(0);
    machine_fini();
}

int main(void)
{
    RUN(core_checks);
    RUN(set_status_against_a_racing_guest);
    RUN(setup_query_versions);
    RUN(map_unmap_every_flag_self);
    RUN(map_unmap_every_flag_cross_domain);
    RUN(map_both_kinds_unmap_together);
    RUN(map_several_pins_share_one_entry);
    RUN(map_replaces_an_existing_entry);
    RUN(map_bad_refs_and_flags);
    RUN(map_bad_domains);
    RUN(map_entry_must_grant_us);
    RUN(map_readonly_grants);
    RUN(map_page_tables_and_pinning);
    RUN(map_where_there_is_no_l1);
    RUN(contains_pte_misaligned);
    RUN(unmap_bad_handles_and_addresses);
    RUN(unmap_checks_the_entry_xsa234);
    RUN(implicit_unmap_by_the_guest);
    RUN(unmap_and_replace);
    RUN(limits_maptrack_and_pins);
    RUN(copy_every_kind);
    RUN(copy_bad_arguments);
    RUN(copy_while_mapped);
    RUN(copy_batch_statuses_and_preemption);
    RUN(map_unmap_batches_preempt);
    RUN(swap_grant_ref);
    RUN(cache_flush);
    RUN(cache_flush_scan_continues);
    RUN(mapper_dies);
    RUN(granter_dies_while_mapped);
    RUN(teardown_with_everything_in_use);
    RUN(race_map_unmap_two_vcpus);
    RUN(race_unmap_one_handle_twice_xsa218);
    HARNESS_EXIT();
}
