/*
 * Host tests for event channels (common/event/): the unmodified sources
 * linked against fake domains, vCPUs, guest memory, allocator and frame
 * references defined below.  Guest "virtual addresses" are host pointers;
 * BAD_VA and NULL fault.  Expected errnos are Xen 4.17's
 * (common/event_channel.c, event_2l.c, event_fifo.c).
 */
#include "harness.h"
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/event.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/nospec.h>
#include <keel/xmalloc.h>
#include <asm/mm.h>
#include <public/event_channel.h>
#include <public/xen.h>

#define BAD_VA          0xdead0000UL
#define EVTCHNOP_reset_cont 14          /* Xen-internal continuation op */
#define NR_PORTS        4096
#define PER_BUCKET      64

/* ---- fake guest memory -------------------------------------------------- */

static bool fault_copy_out;             /* copy_to_guest fails */
static unsigned long copies_in, copies_out;
static size_t last_copy_in_size, last_copy_out_size;

bool guest_range_ok(uint64_t va, size_t n)
{
    return va && va != BAD_VA;
}

unsigned long copy_from_guest(void *dst, uint64_t va, size_t n)
{
    if ( !guest_range_ok(va, n) )
        return n;
    memcpy(dst, (const void *)(uintptr_t)va, n);
    copies_in++;
    last_copy_in_size = n;
    return 0;
}

unsigned long copy_to_guest(uint64_t va, const void *src, size_t n)
{
    if ( !guest_range_ok(va, n) || fault_copy_out )
        return n;
    memcpy((void *)(uintptr_t)va, src, n);
    copies_out++;
    last_copy_out_size = n;
    return 0;
}

/* ---- fake allocator: counts live objects, can fail on demand ------------ */

static long live_allocs;
static int fail_alloc_in = -1;          /* fail the allocation this many on */

static void *fake_alloc(size_t size, bool zero)
{
    void *p;

    if ( fail_alloc_in >= 0 && fail_alloc_in-- == 0 )
        return NULL;
    p = zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
    if ( p )
        live_allocs++;
    return p;
}

void *xmalloc_aligned(size_t size, size_t align) { return fake_alloc(size, false); }
void *xzalloc_aligned(size_t size, size_t align) { return fake_alloc(size, true); }

void *xmalloc_array_aligned(size_t size, size_t align, size_t num)
{
    return num && size > SIZE_MAX / num ? NULL : fake_alloc(size * num, false);
}

void *xzalloc_array_aligned(size_t size, size_t align, size_t num)
{
    return num && size > SIZE_MAX / num ? NULL : fake_alloc(size * num, true);
}

void xfree(void *p)
{
    if ( p )
        live_allocs--;
    free(p);
}

/* ---- fake hypercall machinery ------------------------------------------- */

static unsigned int preempt_every;      /* 0: never */
static unsigned int preempt_calls;
static unsigned long cont_op, cont_nr, cont_args[5];
static unsigned int nr_continuations;

bool hypercall_preempt_check(void)
{
    return preempt_every && ++preempt_calls % preempt_every == 0;
}

long hypercall_create_continuation(unsigned int op, unsigned int nr,
                                   const unsigned long *args)
{
    unsigned int i;

    cont_op = op;
    cont_nr = nr;
    for ( i = 0; i < nr && i < 5; i++ )
        cont_args[i] = args[i];
    nr_continuations++;
    return op;
}

/* ---- fake frames for the FIFO gfn checks -------------------------------- */

#define GOOD_GFN 0x1234UL       /* the caller's, may become writable */
#define PT_GFN   0x1235UL       /* the caller's, but a page table */
static struct page_info good_pg, pt_pg;
static struct domain *frame_owner;
static long page_refs, type_refs;

struct page_info *get_page_from_mfn(mfn_t mfn, const struct domain *d)
{
    struct page_info *pg = mfn_x(mfn) == GOOD_GFN ? &good_pg :
                           mfn_x(mfn) == PT_GFN ? &pt_pg : NULL;

    if ( !pg || d != frame_owner )
        return NULL;
    page_refs++;
    return pg;
}

void put_page(struct page_info *pg) { page_refs--; }

bool get_page_type(struct page_info *pg, unsigned long type)
{
    if ( pg != &good_pg || type != PGT_writable_page )
        return false;
    type_refs++;
    return true;
}

void put_page_type(struct page_info *pg) { type_refs--; }

/* ---- fake domains and vCPUs --------------------------------------------- */

#define MAX_TEST_DOMS 64
static struct domain *dom_table[MAX_TEST_DOMS];
struct domain *hardware_domain;
static struct vcpu *cur;
static unsigned int notify_count[MAX_TEST_DOMS][4];

struct vcpu *get_current(void) { return cur; }
void set_current(struct vcpu *v) { cur = v; }

bool domain_get(struct domain *d)
{
    if ( !d->refcnt )
        return false;
    d->refcnt++;
    return true;
}

void domain_put(struct domain *d)
{
    CHECK(d->refcnt > 0);
    d->refcnt--;
}

struct domain *domain_get_by_id(domid_t id, struct domain *c)
{
    if ( id == DOMID_SELF )
        id = c->domain_id;
    if ( id >= MAX_TEST_DOMS || !dom_table[id] )
        return NULL;
    return domain_get(dom_table[id]) ? dom_table[id] : NULL;
}

void arch_evtchn_notify(struct vcpu *v)
{
    notify_count[v->domain->domain_id][v->vcpu_id]++;
}

/* A poller woken: counted with the notifications. */
void sched_vcpu_poll_wake(struct vcpu *v)
{
    notify_count[v->domain->domain_id][v->vcpu_id]++;
}

static struct domain *make_domain(domid_t id, unsigned int nr_vcpus,
                                  bool priv)
{
    struct domain *d = calloc(1, sizeof(*d));
    unsigned int i;

    d->domain_id = id;
    d->is_privileged = priv;
    d->refcnt = 1;
    d->max_vcpus = nr_vcpus;
    d->shared_info = calloc(1, sizeof(struct shared_info));
    d->vcpu = calloc(nr_vcpus, sizeof(struct vcpu *));
    for ( i = 0; i < nr_vcpus; i++ )
    {
        d->vcpu[i] = calloc(1, sizeof(struct vcpu));
        d->vcpu[i]->vcpu_id = i;
        d->vcpu[i]->domain = d;
        d->vcpu[i]->vcpu_info = &d->shared_info->vcpu_info[i];
    }
    CHECK_EQ(evtchn_init(d), 0);
    dom_table[id] = d;
    memset(notify_count[id], 0, sizeof(notify_count[id]));
    return d;
}

static void free_domain(struct domain *d)
{
    unsigned int i;

    evtchn_destroy(d);
    CHECK_EQ(d->refcnt, 1);             /* every lookup was put back */
    dom_table[d->domain_id] = NULL;
    for ( i = 0; i < d->max_vcpus; i++ )
        free(d->vcpu[i]);
    free(d->vcpu);
    free(d->shared_info);
    free(d);
}

/* dom0 (privileged, 2 vCPUs) and dom1 (unprivileged, 2 vCPUs). */
static struct domain *d0, *d1;
static long base_allocs;

static void setup(void)
{
    base_allocs = live_allocs;
    d0 = make_domain(0, 2, true);
    d1 = make_domain(1, 2, false);
    hardware_domain = d0;
    cur = d0->vcpu[0];
    fault_copy_out = false;
    preempt_every = 0;
    fail_alloc_in = -1;
}

static void teardown(void)
{
    free_domain(d1);
    free_domain(d0);
    hardware_domain = NULL;
    CHECK_EQ(live_allocs, base_allocs);
    CHECK_EQ(evtchn_buckets_in_use(), 0);
    CHECK_EQ(page_refs, 0);
    CHECK_EQ(type_refs, 0);
}

/* ---- hypercall helpers: each op issued as vCPU `as` -------------------- */

static long hc(struct vcpu *as, unsigned long cmd, void *arg)
{
    cur = as;
    return do_event_channel_op(cmd, (unsigned long)(uintptr_t)arg, 0, 0, 0);
}

/* Port number on success, else the -errno. */
static long alloc_unbound(struct vcpu *as, domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote,
                                      .port = 0xffff };
    long rc = hc(as, EVTCHNOP_alloc_unbound, &a);

    return rc ? rc : (long)a.port;
}

static long bind_interdomain(struct vcpu *as, domid_t rdom, uint32_t rport)
{
    struct evtchn_bind_interdomain b = { .remote_dom = rdom,
                                         .remote_port = rport };
    long rc = hc(as, EVTCHNOP_bind_interdomain, &b);

    return rc ? rc : (long)b.local_port;
}

static long bind_virq(struct vcpu *as, uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = hc(as, EVTCHNOP_bind_virq, &b);

    return rc ? rc : (long)b.port;
}

static long bind_ipi(struct vcpu *as, uint32_t vcpu)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };
    long rc = hc(as, EVTCHNOP_bind_ipi, &b);

    return rc ? rc : (long)b.port;
}

static long ev_close(struct vcpu *as, uint32_t port)
{
    struct evtchn_close c = { .port = port };

    return hc(as, EVTCHNOP_close, &c);
}

static long ev_send(struct vcpu *as, uint32_t port)
{
    struct evtchn_send s = { .port = port };

    return hc(as, EVTCHNOP_send, &s);
}

static long ev_unmask(struct vcpu *as, uint32_t port)
{
    struct evtchn_unmask u = { .port = port };

    return hc(as, EVTCHNOP_unmask, &u);
}

static long ev_bind_vcpu(struct vcpu *as, uint32_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

    return hc(as, EVTCHNOP_bind_vcpu, &b);
}

static long ev_status(struct vcpu *as, domid_t dom, uint32_t port,
                      struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return hc(as, EVTCHNOP_status, st);
}

static long ev_set_priority(struct vcpu *as, uint32_t port)
{
    struct evtchn_set_priority s = { .port = port, .priority = 7 };

    return hc(as, EVTCHNOP_set_priority, &s);
}

static long ev_reset(struct vcpu *as, domid_t dom)
{
    struct evtchn_reset r = { .dom = dom };

    return hc(as, EVTCHNOP_reset, &r);
}

/* ---- shared_info bitmap helpers ----------------------------------------- */

static bool pending(struct domain *d, unsigned int port)
{
    return (d->shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

static bool masked(struct domain *d, unsigned int port)
{
    return (d->shared_info->evtchn_mask[port / 64] >> (port % 64)) & 1;
}

static void set_mask(struct domain *d, unsigned int port, bool on)
{
    if ( on )
        d->shared_info->evtchn_mask[port / 64] |= 1UL << (port % 64);
    else
        d->shared_info->evtchn_mask[port / 64] &= ~(1UL << (port % 64));
}

static unsigned long sel(struct domain *d, unsigned int vcpu)
{
    return d->shared_info->vcpu_info[vcpu].evtchn_pending_sel;
}

static uint8_t upcall(struct domain *d, unsigned int vcpu)
{
    return d->shared_info->vcpu_info[vcpu].evtchn_upcall_pending;
}

/* What a guest does after its upcall: acknowledge everything. */
static void guest_ack_all(struct domain *d)
{
    unsigned int i;

    memset(d->shared_info->evtchn_pending, 0,
           sizeof(d->shared_info->evtchn_pending));
    for ( i = 0; i < d->max_vcpus; i++ )
    {
        d->shared_info->vcpu_info[i].evtchn_pending_sel = 0;
        d->shared_info->vcpu_info[i].evtchn_upcall_pending = 0;
    }
    memset(notify_count[d->domain_id], 0, sizeof(notify_count[0]));
}

/* ======================================================================== */

TEST(nospec_helper)
{
    CHECK_EQ(array_index_nospec(0, 1), 0);
    CHECK_EQ(array_index_nospec(5, 10), 5);
    CHECK_EQ(array_index_nospec(9, 10), 9);
    CHECK_EQ(array_index_nospec(10, 10), 0);
    CHECK_EQ(array_index_nospec(4095, 4096), 4095);
    CHECK_EQ(array_index_nospec(4096, 4096), 0);
    CHECK_EQ(array_index_nospec(~0UL, 4096), 0);
    CHECK_EQ(array_index_nospec(1UL << 63, 4096), 0);
    CHECK_EQ(array_index_mask_nospec(3, 4), ~0UL);
    CHECK_EQ(array_index_mask_nospec(4, 4), 0);
}

TEST(dispatch_unknown_and_truncated_cmd)
{
    struct evtchn_send s = { .port = 1 };
    struct evtchn_bind_pirq bp = { .pirq = 1 };
    uint8_t zero[32] = { 0 };

    setup();
    CHECK_EQ(hc(d0->vcpu[0], 15, zero), -ENOSYS);
    CHECK_EQ(hc(d0->vcpu[0], 99, zero), -ENOSYS);
    CHECK_EQ(hc(d0->vcpu[0], 0xffffffffUL, zero), -ENOSYS);
    CHECK_EQ(hc(d0->vcpu[0], ~0UL, zero), -ENOSYS);
    /* Nothing copied for an unknown op, even from a bad address. */
    CHECK_EQ(hc(d0->vcpu[0], 15, (void *)BAD_VA), -ENOSYS);
    /* cmd is an int: the upper half of the register is ignored. */
    CHECK_EQ(alloc_unbound(d0->vcpu[0], DOMID_SELF, DOMID_SELF), 1);
    CHECK_EQ(hc(d0->vcpu[0], (1UL << 32) | EVTCHNOP_send, &s), 0);
    /* No pirqs are mapped to any domain yet: every pirq is out of range. */
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_bind_pirq, &bp), -EINVAL);
    /* reset_cont without a reset in progress. */
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_reset_cont, zero), -EBUSY);
    teardown();
}

TEST(dispatch_efault_every_op)
{
    static const unsigned int cmds[] = {
        EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq, EVTCHNOP_bind_pirq,
        EVTCHNOP_close, EVTCHNOP_send, EVTCHNOP_status,
        EVTCHNOP_alloc_unbound, EVTCHNOP_bind_ipi, EVTCHNOP_bind_vcpu,
        EVTCHNOP_unmask, EVTCHNOP_reset, EVTCHNOP_init_control,
        EVTCHNOP_expand_array, EVTCHNOP_set_priority, EVTCHNOP_reset_cont,
    };
    unsigned int i;

    setup();
    for ( i = 0; i < ARRAY_SIZE(cmds); i++ )
    {
        CHECK_EQ(hc(d0->vcpu[0], cmds[i], NULL), -EFAULT);
        CHECK_EQ(hc(d0->vcpu[0], cmds[i], (void *)BAD_VA), -EFAULT);
    }
    CHECK_EQ(evtchn_ports_in_use(d0), 0);
    teardown();
}

TEST(dispatch_copies_exact_sizes)
{
    /* Heap blocks of exactly the struct size: ASan catches any overrun. */
    struct evtchn_alloc_unbound *a = malloc(sizeof(*a));
    struct evtchn_status *st = malloc(sizeof(*st));
    struct evtchn_reset *r = malloc(sizeof(*r));
    struct evtchn_send *s = malloc(sizeof(*s));
    struct evtchn_init_control *ic = malloc(sizeof(*ic));

    setup();
    a->dom = DOMID_SELF;
    a->remote_dom = DOMID_SELF;
    a->port = 0;
    copies_out = 0;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_alloc_unbound, a), 0);
    CHECK_EQ(last_copy_in_size, 8);
    CHECK_EQ(last_copy_out_size, 8);
    CHECK_EQ(a->port, 1);

    memset(st, 0xa5, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = 1;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_status, st), 0);
    CHECK_EQ(last_copy_out_size, 24);
    CHECK_EQ(st->status, EVTCHNSTAT_unbound);

    /* In-only ops never write back. */
    s->port = 1;
    copies_out = 0;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_send, s), 0);
    CHECK_EQ(last_copy_in_size, 4);
    CHECK_EQ(copies_out, 0);

    /* Failure: nothing written back (link_bits stays the guest's). */
    memset(ic, 0, sizeof(*ic));
    ic->vcpu = 7;
    ic->link_bits = 0x5a;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, ic), -ENOENT);
    CHECK_EQ(last_copy_in_size, 24);
    CHECK_EQ(copies_out, 0);
    CHECK_EQ(ic->link_bits, 0x5a);

    r->dom = DOMID_SELF;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_reset, r), 0);
    CHECK_EQ(last_copy_in_size, 2);
    CHECK_EQ(copies_out, 0);
    free(a); free(st); free(r); free(s); free(ic);
    teardown();
}

TEST(dispatch_copy_out_fault_after_success)
{
    setup();
    fault_copy_out = true;
    /* As in Xen, the port stays allocated: the guest can find it. */
    CHECK_EQ(alloc_unbound(d0->vcpu[0], DOMID_SELF, DOMID_SELF), -EFAULT);
    fault_copy_out = false;
    CHECK_EQ(evtchn_ports_in_use(d0), 1);
    CHECK_EQ(ev_close(d0->vcpu[0], 1), 0);
    CHECK_EQ(evtchn_ports_in_use(d0), 0);
    teardown();
}

TEST(alloc_unbound_self)
{
    struct evtchn_status st;

    setup();
    CHECK_EQ(alloc_unbound(d1->vcpu[0], DOMID_SELF, DOMID_SELF), 1);
    CHECK_EQ(alloc_unbound(d1->vcpu[0], 1, 0), 2);
    CHECK_EQ(alloc_unbound(d1->vcpu[1], DOMID_SELF, 1234), 3);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, 1, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 1);          /* DOMID_SELF: the caller */
    CHECK_EQ(st.vcpu, 0);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, 2, &st), 0);
    CHECK_EQ(st.u.unbound.dom, 0);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, 3, &st), 0);
    CHECK_EQ(st.u.unbound.dom, 1234);       /* not checked, as in Xen */
    CHECK_EQ(evtchn_ports_in_use(d1), 3);
    teardown();
}

TEST(alloc_unbound_privilege)
{
    struct evtchn_status st;

    setup();
    /* An unprivileged domain may not allocate in another domain. */
    CHECK_EQ(alloc_unbound(d1->vcpu[0], 0, DOMID_SELF), -EPERM);
    CHECK_EQ(evtchn_ports_in_use(d0), 0);
    /* dom0 may: DOMID_SELF as remote then names dom0, the caller. */
    CHECK_EQ(alloc_unbound(d0->vcpu[0], 1, DOMID_SELF), 1);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, 1, &st), 0);
    CHECK_EQ(st.u.unbound.dom, 0);
    /* No such domain. */
    CHECK_EQ(alloc_unbound(d0->vcpu[0], 7, DOMID_SELF), -ESRCH);
    CHECK_EQ(alloc_unbound(d0->vcpu[0], DOMID_IO, DOMID_SELF), -ESRCH);
    CHECK_EQ(alloc_unbound(d0->vcpu[0], DOMID_XEN, DOMID_SELF), -ESRCH);
    CHECK_EQ(alloc_unbound(d0->vcpu[0], 0xffff, DOMID_SELF), -ESRCH);
    teardown();
}

TEST(port_exhaustion_4096)
{
    unsigned int p;
    bool ok = true;

    setup();
    for ( p = 1; p < NR_PORTS; p++ )
        ok &= alloc_unbound(d1->vcpu[0], DOMID_SELF, 0) == (long)p;
    CHECK(ok);
    CHECK_EQ(evtchn_ports_in_use(d1), NR_PORTS - 1);
    CHECK_EQ(evtchn_buckets_in_use(), 2 + NR_PORTS / PER_BUCKET - 1);
    /* Every kind of binding now fails the same way. */
    CHECK_EQ(alloc_unbound(d1->vcpu[0], DOMID_SELF, 0), -ENOSPC);
    CHECK_EQ(bind_ipi(d1->vcpu[0], 0), -ENOSPC);
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_TIMER, 0), -ENOSPC);
    CHECK_EQ(alloc_unbound(d0->vcpu[0], DOMID_SELF, 1), 1);
    CHECK_EQ(bind_interdomain(d1->vcpu[0], 0, 1), -ENOSPC);
    /* ... even with a bad remote port: no room is reported first. */
    CHECK_EQ(bind_interdomain(d1->vcpu[0], 0, 4096), -ENOSPC);
    CHECK(evtchn_port_is_valid(d1, 4095));
    CHECK(!evtchn_port_is_valid(d1, 4096));

    /* The lowest free port is handed out again. */
    CHECK_EQ(ev_close(d1->vcpu[0], 4095), 0);
    CHECK_EQ(ev_close(d1->vcpu[0], 100), 0);
    CHECK_EQ(ev_close(d1->vcpu[0], 7), 0);
    CHECK_EQ(alloc_unbound(d1->vcpu[0], DOMID_SELF, 0), 7);
    CHECK_EQ(bind_ipi(d1->vcpu[1], 1), 100);
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_TIMER, 1), 4095);
    CHECK_EQ(alloc_unbound(d1->vcpu[0], DOMID_SELF, 0), -ENOSPC);
    CHECK_EQ(evtchn_buckets_in_use(), 2 + NR_PORTS / PER_BUCKET - 1);
    teardown();
}

TEST(port_boundaries_fresh_domain)
{
    static const uint32_t bad[] = { 64, 65, 127, 4095, 4096, 4097,
                                    0x7fffffff, 0x80000000, UINT32_MAX };
    struct evtchn_status st;
    unsigned int i;

    setup();
    /* Ports 0-63 have a bucket from the start (Xen: the same 64). */
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, 0, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, 63, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK(evtchn_port_is_valid(d0, 0));
    CHECK(evtchn_port_is_valid(d0, 63));
    for ( i = 0; i < ARRAY_SIZE(bad); i++ )
    {
        uint32_t p = bad[i];

        CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, p, &st), -EINVAL);
        CHECK_EQ(ev_close(d0->vcpu[0], p), -EINVAL);
        CHECK_EQ(ev_send(d0->vcpu[0], p), -EINVAL);
        CHECK_EQ(ev_unmask(d0->vcpu[0], p), -EINVAL);
        CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], p, 0), -EINVAL);
        CHECK_EQ(ev_set_priority(d0->vcpu[0], p), -EINVAL);
        CHECK_EQ(bind_interdomain(d1->vcpu[0], 0, p), -EINVAL);
        CHECK(!evtchn_port_is_valid(d0, p));
        CHECK(!evtchn_port_is_pending(d0, p));
        CHECK_EQ(evtchn_send_port(d0, p), -EINVAL);
    }
    /* Port 0 is reserved: valid, but nothing can be done with it. */
    CHECK_EQ(ev_close(d0->vcpu[0], 0), -EINVAL);
    CHECK_EQ(ev_send(d0->vcpu[0], 0), -EINVAL);
    CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], 0, 1), -EINVAL);
    CHECK_EQ(ev_unmask(d0->vcpu[0], 0), 0);
    CHECK_EQ(bind_interdomain(d1->vcpu[0], 0, 0), -EINVAL);
    CHECK(!evtchn_port_is_pending(d0, 0));
    /* Nothing was allocated by any of that. */
    CHECK_EQ(evtchn_ports_in_use(d0), 0);
    CHECK_EQ(evtchn_buckets_in_use(), 2);
    teardown();
}

TEST(port_boundaries_bucket_growth)
{
    struct evtchn_status st;
    unsigned int p;

    setup();
    for ( p = 1; p < 64; p++ )
        CHECK_EQ(bind_ipi(d0->vcpu[0], 0), (long)p);
    CHECK(!evtchn_port_is_valid(d0, 64));
    CHECK_EQ(evtchn_buckets_in_use(), 2);
    CHECK_EQ(bind_ipi(d0->vcpu[0], 0), 64);     /* second bucket */
    CHECK_EQ(evtchn_buckets_in_use(), 3);
    CHECK(evtchn_port_is_valid(d0, 64));
    CHECK(evtchn_port_is_valid(d0, 127));
    CHECK(!evtchn_port_is_valid(d0, 128));
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, 127, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, 128, &st), -EINVAL);
    teardown();
}

TEST(alloc_failure_enomem)
{
    struct evtchn_status st;
    unsigned int p;

    setup();
    for ( p = 1; p < 64; p++ )
        CHECK_EQ(alloc_unbound(d0->vcpu[0], DOMID_SELF, 0), (long)p);
    fail_alloc_in = 0;
    CHECK_EQ(alloc_unbound(d0->vcpu[0], DOMID_SELF, 0), -ENOMEM);
    fail_alloc_in = 0;
    CHECK_EQ(bind_ipi(d0->vcpu[0], 0), -ENOMEM);
    fail_alloc_in = 0;
    CHECK_EQ(bind_virq(d0->vcpu[0], VIRQ_DEBUG, 0), -ENOMEM);
    fail_alloc_in = 0;
    CHECK_EQ(alloc_unbound(d1->vcpu[0], DOMID_SELF, 0), 1);  /* no alloc */
    fail_alloc_in = 0;
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, 1), -ENOMEM);
    fail_alloc_in = -1;
    /* Nothing changed: the remote end is still unbound, no VIRQ bound. */
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, 1, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(evtchn_ports_in_use(d0), 63);
    CHECK_EQ(bind_virq(d0->vcpu[0], VIRQ_DEBUG, 0), 64);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, 1), 65);
    teardown();
}

TEST(init_failure_leaks_nothing)
{
    struct domain d;
    unsigned int k;
    long before = live_allocs;

    for ( k = 0; k < 3; k++ )
    {
        memset(&d, 0, sizeof(d));
        d.max_vcpus = 1;
        d.shared_info = calloc(1, sizeof(struct shared_info));
        fail_alloc_in = k;
        CHECK_EQ(evtchn_init(&d), -ENOMEM);
        fail_alloc_in = -1;
        CHECK(d.evtchn == NULL);
        evtchn_destroy(&d);                 /* the create failure path */
        CHECK_EQ(live_allocs, before);
        free(d.shared_info);
    }
    CHECK_EQ(evtchn_buckets_in_use(), 0);
    /* Bad shapes. */
    memset(&d, 0, sizeof(d));
    d.max_vcpus = 65;
    d.shared_info = calloc(1, sizeof(struct shared_info));
    CHECK_EQ(evtchn_init(&d), -EINVAL);
    free(d.shared_info);
    d.shared_info = NULL;
    d.max_vcpus = 1;
    CHECK_EQ(evtchn_init(&d), -EINVAL);
    CHECK_EQ(live_allocs, before);
}

TEST(interdomain_bind_and_send)
{
    struct evtchn_status st;
    long rp, lp;

    setup();
    rp = alloc_unbound(d1->vcpu[0], DOMID_SELF, 0);
    CHECK_EQ(rp, 1);
    lp = bind_interdomain(d0->vcpu[0], 1, rp);
    CHECK_EQ(lp, 1);
    /* The binder's port is raised once: sends to the unbound end were lost. */
    CHECK(pending(d0, lp));
    CHECK_EQ(sel(d0, 0), 1);
    CHECK_EQ(upcall(d0, 0), 1);
    CHECK_EQ(notify_count[0][0], 1);
    guest_ack_all(d0);

    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, lp, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st.u.interdomain.dom, 1);
    CHECK_EQ(st.u.interdomain.port, rp);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, rp, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st.u.interdomain.dom, 0);
    CHECK_EQ(st.u.interdomain.port, lp);

    /* d0 -> d1 */
    CHECK_EQ(ev_send(d0->vcpu[0], lp), 0);
    CHECK(pending(d1, rp));
    CHECK(!pending(d0, lp));
    CHECK_EQ(sel(d1, 0), 1);
    CHECK_EQ(upcall(d1, 0), 1);
    CHECK_EQ(notify_count[1][0], 1);
    /* Already pending: no second kick. */
    CHECK_EQ(ev_send(d0->vcpu[0], lp), 0);
    CHECK_EQ(notify_count[1][0], 1);
    guest_ack_all(d1);

    /* d1 re-targets its end to vCPU 1; d1 -> d0 */
    CHECK_EQ(ev_bind_vcpu(d1->vcpu[0], rp, 1), 0);
    CHECK_EQ(ev_send(d0->vcpu[1], lp), 0);      /* any vCPU may send */
    CHECK_EQ(sel(d1, 1), 1);
    CHECK_EQ(sel(d1, 0), 0);
    CHECK_EQ(notify_count[1][1], 1);
    CHECK_EQ(ev_send(d1->vcpu[1], rp), 0);
    CHECK(pending(d0, lp));
    /* The hypervisor's API sends the same way. */
    guest_ack_all(d1);
    CHECK_EQ(evtchn_send_port(d0, lp), 0);
    CHECK(pending(d1, rp));
    teardown();
}

TEST(interdomain_hostile)
{
    long p_for_d2, ipi, virq, rp, lp;
    struct domain *d2;

    setup();
    d2 = make_domain(2, 1, false);
    /* A port d1 reserved for d2 is not d0's to take. */
    p_for_d2 = alloc_unbound(d1->vcpu[0], DOMID_SELF, 2);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, p_for_d2), -EINVAL);
    ipi = bind_ipi(d1->vcpu[0], 0);
    virq = bind_virq(d1->vcpu[0], VIRQ_TIMER, 0);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, ipi), -EINVAL);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, virq), -EINVAL);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, 0), -EINVAL);    /* reserved */
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, 50), -EINVAL);   /* free */
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, 64), -EINVAL);   /* no bucket */
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, UINT32_MAX), -EINVAL);
    /* No such remote domain. */
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 9, 1), -ESRCH);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], DOMID_IO, 1), -ESRCH);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], DOMID_INVALID, 1), -ESRCH);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 0xffff, 1), -ESRCH);
    /* d2 may take it; nobody can bind it twice. */
    lp = bind_interdomain(d2->vcpu[0], 1, p_for_d2);
    CHECK_EQ(lp, 1);
    CHECK_EQ(bind_interdomain(d2->vcpu[0], 1, p_for_d2), -EINVAL);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, p_for_d2), -EINVAL);
    /* Unprivileged to unprivileged works when the owner agreed. */
    rp = alloc_unbound(d2->vcpu[0], DOMID_SELF, 1);
    CHECK_EQ(bind_interdomain(d1->vcpu[0], 2, rp) > 0, 1);
    CHECK_EQ(evtchn_ports_in_use(d0), 0);
    free_domain(d2);
    teardown();
}

TEST(interdomain_close_makes_peer_unbound)
{
    struct evtchn_status st;
    long rp, lp;

    setup();
    rp = alloc_unbound(d1->vcpu[0], DOMID_SELF, 0);
    lp = bind_interdomain(d0->vcpu[0], 1, rp);
    /* The higher id closes: it must drop its lock and take d0's first. */
    CHECK_EQ(ev_close(d1->vcpu[0], rp), 0);
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, lp, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 1);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, rp, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    /* Sending into the void is dropped silently. */
    guest_ack_all(d0);
    CHECK_EQ(ev_send(d0->vcpu[0], lp), 0);
    CHECK(!pending(d0, lp));
    CHECK(!pending(d1, rp));
    CHECK_EQ(ev_close(d1->vcpu[0], rp), -EINVAL);     /* twice */
    /* d1 can bind again to the end d0 still holds; d1 gets port 1 back. */
    CHECK_EQ(bind_interdomain(d1->vcpu[0], 0, lp), rp);
    /* Now the lower id closes. */
    CHECK_EQ(ev_close(d0->vcpu[0], lp), 0);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, rp, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 0);
    CHECK_EQ(evtchn_ports_in_use(d0), 0);
    CHECK_EQ(evtchn_ports_in_use(d1), 1);
    CHECK_EQ(d0->refcnt, 1);
    CHECK_EQ(d1->refcnt, 1);
    teardown();
}

TEST(interdomain_loopback)
{
    struct evtchn_status st;
    long a, b;

    setup();
    a = alloc_unbound(d0->vcpu[0], DOMID_SELF, DOMID_SELF);
    b = bind_interdomain(d0->vcpu[0], DOMID_SELF, a);
    CHECK_EQ(a, 1);
    CHECK_EQ(b, 2);
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, a, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st.u.interdomain.dom, 0);
    CHECK_EQ(st.u.interdomain.port, b);
    guest_ack_all(d0);
    CHECK_EQ(ev_send(d0->vcpu[0], a), 0);
    CHECK(pending(d0, b));
    CHECK(!pending(d0, a));
    CHECK_EQ(ev_send(d0->vcpu[0], b), 0);
    CHECK(pending(d0, a));
    CHECK_EQ(sel(d0, 0), 1);
    CHECK_EQ(notify_count[0][0], 1);
    /* Closing one end leaves the other unbound, waiting for dom0 again. */
    CHECK_EQ(ev_close(d0->vcpu[0], b), 0);
    CHECK(!pending(d0, b));
    CHECK(pending(d0, a));                      /* untouched */
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, a, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 0);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 0, a), b);
    CHECK_EQ(ev_close(d0->vcpu[0], a), 0);
    CHECK_EQ(ev_close(d0->vcpu[0], b), 0);
    CHECK_EQ(evtchn_ports_in_use(d0), 0);
    CHECK_EQ(d0->refcnt, 1);
    teardown();
}

TEST(bind_virq_rules)
{
    struct evtchn_status st;
    long t0, t1, exc, dbg;

    setup();
    t1 = bind_virq(d1->vcpu[0], VIRQ_TIMER, 1);
    CHECK_EQ(t1, 1);
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_TIMER, 1), -EEXIST);
    t0 = bind_virq(d1->vcpu[1], VIRQ_TIMER, 0);
    CHECK_EQ(t0, 2);
    /* Global VIRQs: vCPU 0 only, checked before the vCPU exists. */
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_DOM_EXC, 1), -EINVAL);
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_DOM_EXC, 99), -EINVAL);
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_CONSOLE, UINT32_MAX), -EINVAL);
    exc = bind_virq(d1->vcpu[0], VIRQ_DOM_EXC, 0);
    CHECK_EQ(exc, 3);
    CHECK_EQ(bind_virq(d1->vcpu[1], VIRQ_DOM_EXC, 0), -EEXIST);
    /* Bad VIRQ numbers, bad vCPUs. */
    CHECK_EQ(bind_virq(d1->vcpu[0], NR_VIRQS, 0), -EINVAL);
    CHECK_EQ(bind_virq(d1->vcpu[0], 0x80000000u, 0), -EINVAL);
    CHECK_EQ(bind_virq(d1->vcpu[0], UINT32_MAX, 0), -EINVAL);
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_DEBUG, 2), -ENOENT);
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_DEBUG, UINT32_MAX), -ENOENT);
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_XENPMU, 0x10000), -ENOENT);
    /* Unnamed numbers below NR_VIRQS are global, as in Xen. */
    CHECK_EQ(bind_virq(d1->vcpu[0], 14, 1), -EINVAL);
    CHECK(evtchn_virq_is_global(VIRQ_ARCH_0));
    CHECK(!evtchn_virq_is_global(VIRQ_XENOPROF));
    CHECK(!evtchn_virq_is_global(NR_VIRQS));

    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, t1, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_virq);
    CHECK_EQ(st.u.virq, VIRQ_TIMER);
    CHECK_EQ(st.vcpu, 1);

    /* Sending on a VIRQ port is not allowed. */
    CHECK_EQ(ev_send(d1->vcpu[0], t1), -EINVAL);
    /* Per-vCPU VIRQs cannot move; global ones can. */
    CHECK_EQ(ev_bind_vcpu(d1->vcpu[0], t1, 0), -EINVAL);
    CHECK_EQ(ev_bind_vcpu(d1->vcpu[0], exc, 1), 0);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, exc, &st), 0);
    CHECK_EQ(st.vcpu, 1);

    /* Delivery from the hypervisor. */
    send_guest_vcpu_virq(d1->vcpu[1], VIRQ_TIMER);
    CHECK(pending(d1, t1));
    CHECK(!pending(d1, t0));
    CHECK_EQ(sel(d1, 1), 1);
    CHECK_EQ(sel(d1, 0), 0);
    CHECK_EQ(notify_count[1][1], 1);
    send_guest_vcpu_virq(d1->vcpu[0], VIRQ_DEBUG);  /* not bound: nothing */
    send_guest_vcpu_virq(d1->vcpu[0], VIRQ_DOM_EXC); /* global: ignored */
    send_guest_vcpu_virq(d1->vcpu[0], NR_VIRQS);
    CHECK(!pending(d1, exc));
    send_guest_global_virq(d1, VIRQ_DOM_EXC);       /* moved to vCPU 1 */
    CHECK(pending(d1, exc));
    send_guest_global_virq(d1, VIRQ_TIMER);         /* per-vCPU: ignored */
    send_guest_global_virq(NULL, VIRQ_DOM_EXC);
    send_guest_global_virq(d1, UINT32_MAX);

    /* dom0 gets send_global_virq(). */
    dbg = bind_virq(d0->vcpu[0], VIRQ_DOM_EXC, 0);
    send_global_virq(VIRQ_DOM_EXC);
    CHECK(pending(d0, dbg));
    CHECK_EQ(notify_count[0][0], 1);
    hardware_domain = NULL;
    send_global_virq(VIRQ_DOM_EXC);             /* before dom0: no-op */
    hardware_domain = d0;

    /* Close unbinds: the VIRQ is free to bind again, to the same port. */
    guest_ack_all(d1);
    CHECK_EQ(ev_close(d1->vcpu[0], t1), 0);
    send_guest_vcpu_virq(d1->vcpu[1], VIRQ_TIMER);
    CHECK(!pending(d1, t1));
    CHECK_EQ(notify_count[1][1], 0);
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_TIMER, 1), t1);
    CHECK_EQ(ev_close(d1->vcpu[0], exc), 0);
    CHECK_EQ(bind_virq(d1->vcpu[0], VIRQ_DOM_EXC, 0), exc);
    teardown();
}

TEST(bind_ipi_rules)
{
    struct evtchn_status st;
    long p;

    setup();
    CHECK_EQ(bind_ipi(d0->vcpu[0], 2), -ENOENT);
    CHECK_EQ(bind_ipi(d0->vcpu[0], UINT32_MAX), -ENOENT);
    CHECK_EQ(bind_ipi(d0->vcpu[0], 0x10000), -ENOENT);
    p = bind_ipi(d0->vcpu[0], 1);
    CHECK_EQ(p, 1);
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, p, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_ipi);
    CHECK_EQ(st.vcpu, 1);
    CHECK_EQ(ev_send(d0->vcpu[0], p), 0);
    CHECK(pending(d0, p));
    CHECK_EQ(sel(d0, 1), 1);
    CHECK_EQ(upcall(d0, 1), 1);
    CHECK_EQ(upcall(d0, 0), 0);
    CHECK_EQ(notify_count[0][1], 1);
    CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], p, 0), -EINVAL);   /* IPIs stay */
    teardown();
}

TEST(bind_vcpu_rules)
{
    struct evtchn_status st;
    long u;

    setup();
    u = alloc_unbound(d0->vcpu[0], DOMID_SELF, 1);
    CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], u, 1), 0);
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, u, &st), 0);
    CHECK_EQ(st.vcpu, 1);
    CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], u, 2), -ENOENT);
    CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], u, UINT32_MAX), -ENOENT);
    /* The vCPU is checked before the port. */
    CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], UINT32_MAX, UINT32_MAX), -ENOENT);
    CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], 5, 0), -EINVAL);   /* free */
    CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], 0, 0), -EINVAL);   /* reserved */
    /* Binding the peer keeps the vCPU choice of the unbound end. */
    CHECK_EQ(bind_interdomain(d1->vcpu[0], 0, u), 1);
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, u, &st), 0);
    CHECK_EQ(st.vcpu, 1);
    CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], u, 0), 0);
    /* A freed port notifies vCPU 0 when reused. */
    CHECK_EQ(ev_bind_vcpu(d0->vcpu[0], u, 1), 0);
    CHECK_EQ(ev_close(d0->vcpu[0], u), 0);
    CHECK_EQ(alloc_unbound(d0->vcpu[0], DOMID_SELF, 1), u);
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, u, &st), 0);
    CHECK_EQ(st.vcpu, 0);
    teardown();
}

TEST(send_by_state)
{
    long u, v, i;

    setup();
    u = alloc_unbound(d0->vcpu[0], DOMID_SELF, 1);
    v = bind_virq(d0->vcpu[0], VIRQ_DEBUG, 0);
    i = bind_ipi(d0->vcpu[0], 0);
    CHECK_EQ(ev_send(d0->vcpu[0], u), 0);           /* dropped */
    CHECK(!pending(d0, u));
    CHECK_EQ(ev_send(d0->vcpu[0], v), -EINVAL);
    CHECK(!pending(d0, v));
    CHECK_EQ(ev_send(d0->vcpu[0], i), 0);
    CHECK(pending(d0, i));
    CHECK_EQ(ev_send(d0->vcpu[0], 10), -EINVAL);    /* free */
    CHECK_EQ(ev_send(d0->vcpu[0], 0), -EINVAL);     /* reserved */
    /* Another domain's IPI port number means nothing to us. */
    CHECK_EQ(ev_send(d1->vcpu[0], i), -EINVAL);
    CHECK(!pending(d1, i));
    teardown();
}

TEST(masked_delivery_and_unmask)
{
    long p;

    setup();
    p = bind_ipi(d0->vcpu[0], 1);
    set_mask(d0, p, true);
    CHECK_EQ(ev_send(d0->vcpu[0], p), 0);
    /* Masked: pending bit only. */
    CHECK(pending(d0, p));
    CHECK_EQ(sel(d0, 1), 0);
    CHECK_EQ(upcall(d0, 1), 0);
    CHECK_EQ(notify_count[0][1], 0);
    /* Unmask delivers to the port's vCPU, whichever vCPU asks. */
    CHECK_EQ(ev_unmask(d0->vcpu[0], p), 0);
    CHECK(!masked(d0, p));
    CHECK_EQ(sel(d0, 1), 1);
    CHECK_EQ(upcall(d0, 1), 1);
    CHECK_EQ(notify_count[0][1], 1);
    /* Unmasking again: no pending transition, no kick. */
    set_mask(d0, p, false);
    CHECK_EQ(ev_unmask(d0->vcpu[0], p), 0);
    CHECK_EQ(notify_count[0][1], 1);
    /* Masked but not pending: unmask only clears the bit. */
    guest_ack_all(d0);
    set_mask(d0, p, true);
    CHECK_EQ(ev_unmask(d0->vcpu[0], p), 0);
    CHECK(!masked(d0, p));
    CHECK_EQ(sel(d0, 1), 0);
    CHECK_EQ(upcall(d0, 1), 0);
    /* Selector word already flagged: the guest will scan it; no kick. */
    set_mask(d0, p, true);
    CHECK_EQ(ev_send(d0->vcpu[0], p), 0);
    d0->shared_info->vcpu_info[1].evtchn_pending_sel = 1;
    CHECK_EQ(ev_unmask(d0->vcpu[0], p), 0);
    CHECK_EQ(upcall(d0, 1), 0);
    CHECK_EQ(notify_count[0][1], 0);
    /* Upcall already pending: selector set, no second kick. */
    guest_ack_all(d0);
    d0->shared_info->vcpu_info[1].evtchn_upcall_pending = 1;
    CHECK_EQ(ev_send(d0->vcpu[0], p), 0);      /* still masked */
    CHECK_EQ(ev_unmask(d0->vcpu[0], p), 0);
    CHECK_EQ(sel(d0, 1), 1);
    CHECK_EQ(notify_count[0][1], 0);
    /* A free port in range: 0, and its mask bit is left alone (Xen). */
    set_mask(d0, 40, true);
    CHECK_EQ(ev_unmask(d0->vcpu[0], 40), 0);
    CHECK(masked(d0, 40));
    teardown();
}

TEST(selector_words)
{
    unsigned int p;

    setup();
    /* Ports 1..130 on vCPU 0: words 0, 1 and 2 of the selector. */
    for ( p = 1; p <= 130; p++ )
        CHECK_EQ(bind_ipi(d0->vcpu[0], 0), (long)p);
    CHECK_EQ(ev_send(d0->vcpu[0], 63), 0);
    CHECK_EQ(sel(d0, 0), 1UL << 0);
    CHECK_EQ(ev_send(d0->vcpu[0], 64), 0);
    CHECK_EQ(ev_send(d0->vcpu[0], 130), 0);
    CHECK_EQ(sel(d0, 0), 7);
    CHECK_EQ(d0->shared_info->evtchn_pending[2], 1UL << 2);
    CHECK_EQ(notify_count[0][0], 1);
    teardown();
}

TEST(close_clears_pending_keeps_mask)
{
    long p;

    setup();
    p = bind_ipi(d0->vcpu[0], 0);
    set_mask(d0, p, true);
    CHECK_EQ(ev_send(d0->vcpu[0], p), 0);
    CHECK(pending(d0, p));
    CHECK_EQ(ev_close(d0->vcpu[0], p), 0);
    CHECK(!pending(d0, p));
    CHECK(masked(d0, p));
    CHECK_EQ(ev_close(d0->vcpu[0], p), -EINVAL);
    /* Rebind: a fresh port, nothing pending. */
    CHECK_EQ(bind_ipi(d0->vcpu[0], 0), p);
    CHECK(!evtchn_port_is_pending(d0, p));
    teardown();
}

TEST(status_every_state)
{
    struct evtchn_status st;
    long u, i, v, a, b;

    setup();
    u = alloc_unbound(d1->vcpu[0], DOMID_SELF, 0);
    i = bind_ipi(d1->vcpu[0], 1);
    v = bind_virq(d1->vcpu[0], VIRQ_CONSOLE, 0);
    a = alloc_unbound(d1->vcpu[0], DOMID_SELF, 0);
    b = bind_interdomain(d0->vcpu[0], 1, a);

    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, 0, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, 40, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_closed);
    CHECK_EQ(st.vcpu, 0);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, u, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 0);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, i, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_ipi);
    CHECK_EQ(st.vcpu, 1);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, v, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_virq);
    CHECK_EQ(st.u.virq, VIRQ_CONSOLE);
    CHECK_EQ(ev_status(d1->vcpu[0], 1, a, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st.u.interdomain.dom, 0);
    CHECK_EQ(st.u.interdomain.port, b);

    /* Another domain's ports: privileged callers only. */
    CHECK_EQ(ev_status(d1->vcpu[0], 0, b, &st), -EPERM);
    CHECK_EQ(ev_status(d1->vcpu[0], 0, 0, &st), -EPERM);
    /* ... though an invalid port is reported first, as in Xen. */
    CHECK_EQ(ev_status(d1->vcpu[0], 0, 4096, &st), -EINVAL);
    CHECK_EQ(ev_status(d0->vcpu[0], 1, i, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_ipi);
    CHECK_EQ(ev_status(d0->vcpu[0], 5, 1, &st), -ESRCH);
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_IO, 1, &st), -ESRCH);
    teardown();
}

TEST(reset_self)
{
    struct evtchn_status st;
    long a, b, t;
    unsigned int p;

    setup();
    a = alloc_unbound(d1->vcpu[0], DOMID_SELF, 0);
    b = bind_interdomain(d0->vcpu[0], 1, a);
    t = bind_virq(d0->vcpu[0], VIRQ_TIMER, 1);
    for ( p = 0; p < 200; p++ )
        CHECK(bind_ipi(d0->vcpu[0], p & 1) > 0);
    CHECK_EQ(ev_reset(d0->vcpu[1], DOMID_SELF), 0);
    CHECK_EQ(evtchn_ports_in_use(d0), 0);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, a, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 0);
    /* The VIRQ is unbound too; ports count from 1 again. */
    send_guest_vcpu_virq(d0->vcpu[1], VIRQ_TIMER);
    CHECK(!pending(d0, t));
    CHECK_EQ(bind_virq(d0->vcpu[0], VIRQ_TIMER, 1), 1);
    CHECK_EQ(b, 1);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 1, a), 2);
    /* Buckets stay allocated (as in Xen) until the domain dies. */
    CHECK_EQ(evtchn_buckets_in_use(), 2 + 3);
    CHECK_EQ(d1->refcnt, 1);
    teardown();
}

TEST(reset_privilege)
{
    long p;

    setup();
    p = bind_ipi(d0->vcpu[0], 0);
    CHECK_EQ(ev_reset(d1->vcpu[0], 0), -EPERM);
    CHECK_EQ(evtchn_ports_in_use(d0), 1);
    CHECK_EQ(ev_reset(d1->vcpu[0], 9), -ESRCH);
    /* dom0 may reset domU, but only while it is paused. */
    CHECK(bind_ipi(d1->vcpu[0], 0) > 0);
    d1->pause_count = 0;
    CHECK_EQ(ev_reset(d0->vcpu[0], 1), -EINVAL);
    CHECK_EQ(evtchn_ports_in_use(d1), 1);
    d1->pause_count = 1;
    CHECK_EQ(ev_reset(d0->vcpu[0], 1), 0);
    CHECK_EQ(evtchn_ports_in_use(d1), 0);
    CHECK_EQ(evtchn_ports_in_use(d0), 1);
    CHECK_EQ(ev_close(d0->vcpu[0], p), 0);
    teardown();
}

TEST(reset_preemptible_4096)
{
    struct evtchn_reset r = { .dom = DOMID_SELF };
    unsigned int p, rounds = 0;
    long rc;
    bool ok = true;

    setup();
    for ( p = 1; p < NR_PORTS; p++ )
        ok &= bind_ipi(d0->vcpu[p & 1], p & 1) == (long)p;
    CHECK(ok);
    preempt_every = 1;                  /* stop at every chance */
    nr_continuations = 0;
    rc = hc(d0->vcpu[0], EVTCHNOP_reset, &r);
    CHECK_EQ(rc, __HYPERVISOR_event_channel_op);
    CHECK_EQ(cont_op, __HYPERVISOR_event_channel_op);
    CHECK_EQ(cont_nr, 2);
    CHECK_EQ(cont_args[0], EVTCHNOP_reset_cont);
    CHECK_EQ(cont_args[1], (unsigned long)(uintptr_t)&r);
    CHECK_EQ(evtchn_ports_in_use(d0), NR_PORTS - PER_BUCKET);
    /* A second reset while one is under way. */
    CHECK_EQ(ev_reset(d0->vcpu[1], DOMID_SELF), -EBUSY);
    /* The guest re-issues what the continuation says until done. */
    while ( rc == __HYPERVISOR_event_channel_op && rounds < 1000 )
    {
        rc = hc(d0->vcpu[0], cont_args[0], (void *)(uintptr_t)cont_args[1]);
        rounds++;
    }
    CHECK_EQ(rc, 0);
    CHECK_EQ(rounds, NR_PORTS / PER_BUCKET - 1);
    CHECK_EQ(nr_continuations, NR_PORTS / PER_BUCKET - 1);
    CHECK_EQ(evtchn_ports_in_use(d0), 0);
    /* Done: resuming now is -EBUSY, a new reset works. */
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_reset_cont, &r), -EBUSY);
    preempt_every = 0;
    CHECK_EQ(ev_reset(d0->vcpu[0], DOMID_SELF), 0);
    teardown();
}

TEST(fifo_ops_fail_the_abi_way)
{
    struct evtchn_init_control ic;
    struct evtchn_expand_array ea = { .array_gfn = GOOD_GFN };

    setup();
    frame_owner = d0;
    memset(&ic, 0, sizeof(ic));
    ic.control_gfn = GOOD_GFN;
    ic.vcpu = 2;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, &ic), -ENOENT);
    ic.vcpu = UINT32_MAX;
    ic.offset = 4;                          /* vCPU is checked first */
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, &ic), -ENOENT);
    ic.vcpu = 1;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, &ic), -EINVAL);
    ic.offset = PAGE_SIZE - 72 + 8;         /* crosses the page */
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, &ic), -EINVAL);
    ic.offset = UINT32_MAX;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, &ic), -EINVAL);
    ic.offset = PAGE_SIZE - 72;             /* last place that fits */
    ic.control_gfn = 0x99999;               /* not the caller's frame */
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, &ic), -EINVAL);
    ic.control_gfn = ~0ULL;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, &ic), -EINVAL);
    ic.control_gfn = PT_GFN;                /* cannot become writable */
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, &ic), -EINVAL);
    ic.control_gfn = GOOD_GFN;
    CHECK_EQ(hc(d1->vcpu[0], EVTCHNOP_init_control, &ic), -EINVAL);
    /* A good request: no FIFO here; the guest stays on 2-level. */
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, &ic), -ENOSYS);
    ic.offset = 0;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_init_control, &ic), -ENOSYS);
    CHECK_EQ(page_refs, 0);
    CHECK_EQ(type_refs, 0);
    /* FIFO never in use: expand_array is refused before the frame. */
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_expand_array, &ea), -EOPNOTSUPP);
    ea.array_gfn = 0x99999;
    CHECK_EQ(hc(d0->vcpu[0], EVTCHNOP_expand_array, &ea), -EOPNOTSUPP);
    /* set_priority: port checked, then "2-level has no priorities". */
    CHECK_EQ(ev_set_priority(d0->vcpu[0], 0), -ENOSYS);
    CHECK_EQ(ev_set_priority(d0->vcpu[0], 63), -ENOSYS);
    CHECK_EQ(ev_set_priority(d0->vcpu[0], 64), -EINVAL);
    CHECK_EQ(ev_set_priority(d0->vcpu[0], UINT32_MAX), -EINVAL);
    /* Ports keep working on 2-level afterwards. */
    CHECK_EQ(bind_ipi(d0->vcpu[0], 0), 1);
    CHECK_EQ(ev_send(d0->vcpu[0], 1), 0);
    CHECK(pending(d0, 1));
    frame_owner = NULL;
    teardown();
}

TEST(poll_support)
{
    long p, q;

    setup();
    p = bind_ipi(d0->vcpu[0], 0);
    q = bind_ipi(d0->vcpu[0], 0);
    set_mask(d0, p, true);
    set_mask(d0, q, true);
    /* Unallocated and out-of-range ports: never pending, never valid. */
    CHECK(!evtchn_port_is_pending(d0, 5));
    CHECK(evtchn_port_is_valid(d0, 5));
    CHECK(!evtchn_port_is_pending(d0, 64));
    CHECK(!evtchn_port_is_pending(d0, 4096));
    CHECK(!evtchn_port_is_pending(d0, UINT32_MAX));
    CHECK(!evtchn_port_is_valid(d0, UINT32_MAX));
    /* A free port's stale bit does not count. */
    d0->shared_info->evtchn_pending[0] |= 1UL << 5;
    CHECK(!evtchn_port_is_pending(d0, 5));

    /* vCPU 1 polls p: a send on q does not wake it, one on p does. */
    evtchn_poll_begin(d0->vcpu[1], p);
    CHECK_EQ(ev_send(d0->vcpu[0], q), 0);
    CHECK_EQ(notify_count[0][1], 0);
    CHECK_EQ(ev_send(d0->vcpu[0], p), 0);     /* masked, still wakes */
    CHECK_EQ(notify_count[0][1], 1);
    CHECK(evtchn_port_is_pending(d0, p));
    CHECK(!evtchn_poll_end(d0->vcpu[1]));     /* ended by the event */
    guest_ack_all(d0);

    /* Polling any port (several ports): any send wakes it, once. */
    evtchn_poll_begin(d0->vcpu[1], 0);
    CHECK_EQ(ev_send(d0->vcpu[0], q), 0);
    CHECK_EQ(ev_send(d0->vcpu[0], p), 0);
    CHECK_EQ(notify_count[0][1], 1);
    CHECK(!evtchn_poll_end(d0->vcpu[1]));
    /* Timeout: still polling when it ends. */
    evtchn_poll_begin(d0->vcpu[0], p);
    CHECK(evtchn_poll_end(d0->vcpu[0]));
    CHECK(!evtchn_poll_end(d0->vcpu[0]));

    /* SCHEDOP_block's condition. */
    guest_ack_all(d0);
    set_mask(d0, p, false);
    d0->shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
    CHECK_EQ(ev_send(d0->vcpu[0], p), 0);
    CHECK(!evtchn_vcpu_upcall_pending(d0->vcpu[0]));
    d0->shared_info->vcpu_info[0].evtchn_upcall_mask = 0;
    CHECK(evtchn_vcpu_upcall_pending(d0->vcpu[0]));
    CHECK(!evtchn_vcpu_upcall_pending(d0->vcpu[1]));
    teardown();
}

TEST(max_port_limit)
{
    unsigned int p;

    setup();
    CHECK_EQ(evtchn_set_max_port(d1, 10), 0);
    for ( p = 1; p <= 10; p++ )
        CHECK_EQ(bind_ipi(d1->vcpu[0], 0), (long)p);
    CHECK_EQ(bind_ipi(d1->vcpu[0], 0), -ENOSPC);
    CHECK_EQ(alloc_unbound(d0->vcpu[0], 1, 0), -ENOSPC);
    CHECK_EQ(evtchn_set_max_port(d1, 5), -EBUSY);
    CHECK_EQ(evtchn_set_max_port(d1, 11), 0);
    CHECK_EQ(bind_ipi(d1->vcpu[0], 0), 11);
    CHECK_EQ(bind_ipi(d1->vcpu[0], 0), -ENOSPC);
    CHECK_EQ(evtchn_set_max_port(d1, UINT32_MAX), 0);   /* back to 4096 */
    CHECK_EQ(bind_ipi(d1->vcpu[0], 0), 12);
    teardown();
}

TEST(destroy_unbinds_peers_and_frees)
{
    struct evtchn_status st;
    struct domain *d2;
    long a, b, c;
    unsigned int p;

    setup();
    d2 = make_domain(2, 1, false);
    a = alloc_unbound(d2->vcpu[0], DOMID_SELF, 0);
    b = bind_interdomain(d0->vcpu[0], 2, a);
    c = alloc_unbound(d1->vcpu[0], DOMID_SELF, 2);
    CHECK_EQ(bind_interdomain(d2->vcpu[0], 1, c), 2);
    for ( p = 0; p < 300; p++ )
        CHECK(bind_ipi(d2->vcpu[0], 0) > 0);
    CHECK_EQ(evtchn_buckets_in_use(), 2 + 5);

    /* d2 dies: both peers (lower ids) see their ends unbound. */
    evtchn_destroy(d2);
    CHECK(d2->evtchn == NULL);
    CHECK_EQ(evtchn_buckets_in_use(), 2);
    CHECK_EQ(ev_status(d0->vcpu[0], DOMID_SELF, b, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 2);
    CHECK_EQ(ev_status(d1->vcpu[0], DOMID_SELF, c, &st), 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    /* Everything on the dead domain fails cleanly. */
    CHECK_EQ(evtchn_ports_in_use(d2), 0);
    CHECK(!evtchn_port_is_valid(d2, 1));
    CHECK(!evtchn_port_is_pending(d2, 1));
    CHECK_EQ(evtchn_send_port(d2, 1), -EINVAL);
    CHECK_EQ(ev_send(d2->vcpu[0], 1), -EINVAL);
    CHECK_EQ(bind_ipi(d2->vcpu[0], 0), -EINVAL);
    CHECK_EQ(alloc_unbound(d2->vcpu[0], DOMID_SELF, 0), -EINVAL);
    CHECK_EQ(bind_virq(d2->vcpu[0], VIRQ_TIMER, 0), -EINVAL);
    CHECK_EQ(ev_reset(d2->vcpu[0], DOMID_SELF), -EINVAL);
    CHECK_EQ(alloc_unbound(d2->vcpu[0], DOMID_SELF, 0), -EINVAL);
    c = alloc_unbound(d0->vcpu[0], DOMID_SELF, 2);
    CHECK_EQ(bind_interdomain(d2->vcpu[0], 0, c), -EINVAL);
    CHECK_EQ(bind_interdomain(d0->vcpu[0], 2, 1), -EINVAL);
    send_guest_vcpu_virq(d2->vcpu[0], VIRQ_TIMER);
    send_guest_global_virq(d2, VIRQ_DOM_EXC);
    evtchn_poll_begin(d2->vcpu[0], 0);
    CHECK(!evtchn_poll_end(d2->vcpu[0]));
    evtchn_destroy(d2);                     /* idempotent */
    free_domain(d2);
    teardown();
}

TEST(leak_loop)
{
    long base = live_allocs;
    unsigned int k, p;

    for ( k = 0; k < 20; k++ )
    {
        setup();
        for ( p = 0; p < 100 + k * 30; p++ )
        {
            long u = alloc_unbound(d1->vcpu[0], DOMID_SELF, 0);

            CHECK(bind_interdomain(d0->vcpu[0], 1, u) > 0);
        }
        CHECK(bind_virq(d0->vcpu[0], VIRQ_DOM_EXC, 0) > 0);
        teardown();
    }
    CHECK_EQ(live_allocs, base);
    CHECK_EQ(evtchn_buckets_in_use(), 0);
}

int main(void)
{
    RUN(nospec_helper);
    RUN(dispatch_unknown_and_truncated_cmd);
    RUN(dispatch_efault_every_op);
    RUN(dispatch_copies_exact_sizes);
    RUN(dispatch_copy_out_fault_after_success);
    RUN(alloc_unbound_self);
    RUN(alloc_unbound_privilege);
    RUN(port_exhaustion_4096);
    RUN(port_boundaries_fresh_domain);
    RUN(port_boundaries_bucket_growth);
    RUN(alloc_failure_enomem);
    RUN(init_failure_leaks_nothing);
    RUN(interdomain_bind_and_send);
    RUN(interdomain_hostile);
    RUN(interdomain_close_makes_peer_unbound);
    RUN(interdomain_loopback);
    RUN(bind_virq_rules);
    RUN(bind_ipi_rules);
    RUN(bind_vcpu_rules);
    RUN(send_by_state);
    RUN(masked_delivery_and_unmask);
    RUN(selector_words);
    RUN(close_clears_pending_keeps_mask);
    RUN(status_every_state);
    RUN(reset_self);
    RUN(reset_privilege);
    RUN(reset_preemptible_4096);
    RUN(fifo_ops_fail_the_abi_way);
    RUN(poll_support);
    RUN(max_port_limit);
    RUN(destroy_unbinds_peers_and_frees);
    RUN(leak_loop);
    HARNESS_EXIT();
}
