/*
 * Event channels: each domain's port table and the state of every
 * channel in it.
 *
 *                 alloc_unbound             bind_interdomain (by the peer)
 *   FREE ----------------------> UNBOUND --------------------> INTERDOMAIN
 *    ^  \  bind_virq/bind_ipi      |   ^   peer closes its end      |
 *    |   `--------> VIRQ / IPI     |   `----------------------------'
 *    |                 |  close    |  close                         | close
 *    `-----------------+-----------+--------------------------------'
 *
 * Invariants:
 *  - a port is valid iff port < valid_ports, and buckets 0 .. valid_ports
 *    / 64 - 1 exist; nothing reads a bucket without that check, so no port
 *    number from a guest can reach a NULL bucket (XSA-221, XSA-317);
 *  - port 0 is RESERVED for the domain's lifetime;
 *  - an INTERDOMAIN channel and its peer point at each other; both change
 *    only with both domains' event locks held (lower domain id first);
 *  - a freed channel is FREE, notifies vCPU 0 and has its pending bit
 *    clear (the mask bit belongs to the guest and is left alone);
 *  - virq_to_evtchn[v][virq] is the VIRQ port of that vCPU or 0; global
 *    VIRQs are bound on vCPU 0 only.
 *
 * Every operation validates first, then asks the XSM policy, then acts;
 * nothing here copies guest memory (evtchn_ops.c does, outside the locks).
 */
#include <keel/lib.h>
#include <keel/hypercall.h>
#include <keel/xmalloc.h>
#include "evtchn_private.h"

static unsigned long bucket_count;          /* [atomic] all domains */

static bool virq_is_global(unsigned int virq)
{
    switch ( virq )
    {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    }
    return true;            /* the rest, VIRQ_ARCH_* included on x86 */
}

bool evtchn_virq_is_global(unsigned int virq)
{
    return virq < NR_VIRQS && virq_is_global(virq);
}

struct vcpu *evtchn_domain_vcpu(const struct domain *d, unsigned int id)
{
    if ( id >= d->max_vcpus || !d->vcpu )
        return NULL;
    return d->vcpu[array_index_nospec(id, d->max_vcpus)];
}

struct evtchn *evtchn_lookup(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *ed = d->evtchn;

    ASSERT_SPIN_LOCKED(&d->event_lock);
    if ( !ed || port >= ed->valid_ports )
        return NULL;
    port = array_index_nospec(port, ed->valid_ports);
    return &ed->bucket[port / EVTCHNS_PER_BUCKET][port % EVTCHNS_PER_BUCKET];
}

/* Lookup for code that holds the lock of a domain bound to d's port. */
static struct evtchn *peer_channel(struct domain *d, evtchn_port_t port)
{
    return &d->evtchn->bucket[port / EVTCHNS_PER_BUCKET]
                             [port % EVTCHNS_PER_BUCKET];
}

static evtchn_port_t *virq_slot(struct evtchn_domain *ed, unsigned int vcpu,
                                unsigned int virq)
{
    return &ed->virq_to_evtchn[vcpu * NR_VIRQS + virq];
}

/* ---- port allocation ---------------------------------------------------- */

/*
 * The lowest free port, or -ENOSPC.  No side effect: a port just past the
 * allocated buckets counts as free and gets its bucket in claim_port().
 */
static int find_free_port(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;
    unsigned int port;

    ASSERT_SPIN_LOCKED(&d->event_lock);
    if ( ed->dying )
        return -EINVAL;
    for ( port = ed->free_hint; port < ed->valid_ports; port++ )
        if ( evtchn_lookup(d, port)->state == ECS_FREE )
            break;
    ed->free_hint = port;                   /* nothing free below it */
    return port < ed->max_ports ? (int)port : -ENOSPC;
}

/* Make port (from find_free_port()) usable: 0 or -ENOMEM. */
static int claim_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *ed = d->evtchn;
    struct evtchn *bucket;

    ASSERT_SPIN_LOCKED(&d->event_lock);
    if ( port >= ed->valid_ports )
    {
        /* Buckets are added in order: this one is the next. */
        bucket = xzalloc_array(struct evtchn, EVTCHNS_PER_BUCKET);
        if ( !bucket )
            return -ENOMEM;
        ed->bucket[ed->valid_ports / EVTCHNS_PER_BUCKET] = bucket;
        ed->valid_ports += EVTCHNS_PER_BUCKET;
        __atomic_fetch_add(&bucket_count, 1, __ATOMIC_RELAXED);
    }
    ed->active_ports++;
    return 0;
}

/* Back to FREE: pending bit cleared, vCPU 0, counters updated. */
static void free_channel(struct domain *d, evtchn_port_t port,
                         struct evtchn *chn)
{
    struct evtchn_domain *ed = d->evtchn;

    evtchn_2l_clear_pending(d, port);
    chn->state = ECS_FREE;
    chn->notify_vcpu_id = 0;
    memset(&chn->u, 0, sizeof(chn->u));
    ed->active_ports--;
    if ( port < ed->free_hint )
        ed->free_hint = port;
}

/* Raise chn (a channel of d) on the vCPU it notifies. */
static void raise_channel(struct domain *d, struct evtchn *chn,
                          evtchn_port_t port)
{
    struct vcpu *v = evtchn_domain_vcpu(d, chn->notify_vcpu_id);

    if ( v )
        evtchn_2l_set_pending(d, v, port);
}

/* ---- both domains' locks, in domain-id order ------------------------- */

static void double_lock(struct domain *a, struct domain *b)
{
    if ( a == b )
        spin_lock(&a->event_lock);
    else if ( a->domain_id < b->domain_id )
    {
        spin_lock(&a->event_lock);
        spin_lock(&b->event_lock);
    }
    else
    {
        spin_lock(&b->event_lock);
        spin_lock(&a->event_lock);
    }
}

static void double_unlock(struct domain *a, struct domain *b)
{
    if ( a != b )
        spin_unlock(&b->event_lock);
    spin_unlock(&a->event_lock);
}

/* ---- lifecycle ---------------------------------------------------------- */

int evtchn_init(struct domain *d)
{
    struct evtchn_domain *ed;

    spin_lock_init(&d->event_lock);
    if ( d->max_vcpus > EVTCHN_MAX_VCPUS || !d->shared_info )
        return -EINVAL;
    ed = xzalloc(struct evtchn_domain);
    if ( !ed )
        return -ENOMEM;
    ed->max_ports = EVTCHN_MAX_PORTS;
    ed->virq_to_evtchn = xzalloc_array(evtchn_port_t,
                                       (size_t)d->max_vcpus * NR_VIRQS);
    if ( !ed->virq_to_evtchn )
    {
        xfree(ed);
        return -ENOMEM;
    }

    spin_lock(&d->event_lock);
    d->evtchn = ed;
    if ( claim_port(d, 0) )                 /* the first bucket */
    {
        d->evtchn = NULL;
        spin_unlock(&d->event_lock);
        xfree(ed->virq_to_evtchn);
        xfree(ed);
        return -ENOMEM;
    }
    evtchn_lookup(d, 0)->state = ECS_RESERVED;
    ed->active_ports = 0;                   /* port 0 is not counted */
    ed->free_hint = 1;
    spin_unlock(&d->event_lock);
    return 0;
}

void evtchn_destroy(struct domain *d)
{
    struct evtchn_domain *ed;
    unsigned int port, valid, i;

    spin_lock(&d->event_lock);
    ed = d->evtchn;
    if ( ed )
        ed->dying = true;                   /* no new bindings from here */
    valid = ed ? ed->valid_ports : 0;
    spin_unlock(&d->event_lock);
    if ( !ed )
        return;

    for ( port = 1; port < valid; port++ )
        evtchn_close(d, port);

    spin_lock(&d->event_lock);
    d->evtchn = NULL;
    spin_unlock(&d->event_lock);

    for ( i = 0; i < EVTCHN_NR_BUCKETS; i++ )
        if ( ed->bucket[i] )
        {
            xfree(ed->bucket[i]);
            __atomic_fetch_sub(&bucket_count, 1, __ATOMIC_RELAXED);
        }
    xfree(ed->virq_to_evtchn);
    xfree(ed);
}

int evtchn_set_max_port(struct domain *d, unsigned int max_port)
{
    unsigned int limit = max_port >= EVTCHN_MAX_PORTS - 1 ? EVTCHN_MAX_PORTS
                                                          : max_port + 1;
    struct evtchn *chn;
    unsigned int port;
    int rc = 0;

    spin_lock(&d->event_lock);
    if ( !d->evtchn )
        rc = -EINVAL;
    for ( port = limit; !rc && (chn = evtchn_lookup(d, port)) != NULL;
          port++ )
        if ( chn->state != ECS_FREE )
            rc = -EBUSY;
    if ( !rc )
        d->evtchn->max_ports = limit;
    spin_unlock(&d->event_lock);
    return rc;
}

/* ---- the operations ----------------------------------------------------- */

int evtchn_alloc_unbound(struct domain *cur, struct domain *d,
                         domid_t remote_dom, evtchn_port_t *port)
{
    struct domain *remote = domain_get_by_id(remote_dom, cur);
    int p, rc;

    /* The remote end need not exist (but SILO asks who it is). */
    rc = xsm_evtchn_unbound(cur, d, remote);
    if ( remote )
        domain_put(remote);
    if ( rc )
        return rc;

    spin_lock(&d->event_lock);
    if ( !d->evtchn )
        rc = -EINVAL;
    else if ( (p = rc = find_free_port(d)) >= 0 &&
              (rc = claim_port(d, p)) == 0 )
    {
        struct evtchn *chn = evtchn_lookup(d, p);

        chn->state = ECS_UNBOUND;
        /* DOMID_SELF names the caller, who may be d's controller. */
        chn->u.unbound.remote_domid = remote_dom == DOMID_SELF
                                      ? cur->domain_id : remote_dom;
        *port = p;
    }
    spin_unlock(&d->event_lock);
    return rc;
}

int evtchn_bind_interdomain(struct domain *ld, struct domain *rd,
                            evtchn_port_t rport, evtchn_port_t *lport)
{
    struct evtchn *lchn, *rchn;
    int p, rc;

    double_lock(ld, rd);
    if ( !ld->evtchn || !rd->evtchn )
    {
        rc = -EINVAL;
        goto out;
    }
    if ( (p = rc = find_free_port(ld)) < 0 )
        goto out;
    rchn = evtchn_lookup(rd, rport);
    if ( !rchn || rchn->state != ECS_UNBOUND ||
         rchn->u.unbound.remote_domid != ld->domain_id )
    {
        rc = -EINVAL;
        goto out;
    }
    if ( (rc = xsm_evtchn_interdomain(ld, rd)) != 0 ||
         (rc = claim_port(ld, p)) != 0 )
        goto out;
    /* claim_port() may have added a bucket: look both up again. */
    lchn = evtchn_lookup(ld, p);
    rchn = evtchn_lookup(rd, rport);

    lchn->state = ECS_INTERDOMAIN;
    lchn->u.interdomain.remote_dom = rd;
    lchn->u.interdomain.remote_port = rport;
    rchn->state = ECS_INTERDOMAIN;
    rchn->u.interdomain.remote_dom = ld;
    rchn->u.interdomain.remote_port = p;

    /*
     * Sends to the unbound port were dropped; raise the new port once so
     * that the binder never misses one (Xen does the same).
     */
    raise_channel(ld, lchn, p);
    *lport = p;

 out:
    double_unlock(ld, rd);
    return rc;
}

int evtchn_bind_virq(struct domain *d, unsigned int virq, unsigned int vcpu,
                     evtchn_port_t *port)
{
    evtchn_port_t *slot;
    struct evtchn *chn;
    int p, rc;

    if ( virq >= NR_VIRQS )
        return -EINVAL;
    virq = array_index_nospec(virq, NR_VIRQS);
    if ( virq_is_global(virq) && vcpu != 0 )
        return -EINVAL;
    if ( !evtchn_domain_vcpu(d, vcpu) )
        return -ENOENT;
    vcpu = array_index_nospec(vcpu, d->max_vcpus);

    spin_lock(&d->event_lock);
    if ( !d->evtchn )
    {
        rc = -EINVAL;
        goto out;
    }
    slot = virq_slot(d->evtchn, vcpu, virq);
    if ( *slot )
    {
        rc = -EEXIST;
        goto out;
    }
    if ( (p = rc = find_free_port(d)) < 0 || (rc = claim_port(d, p)) != 0 )
        goto out;
    chn = evtchn_lookup(d, p);
    chn->state = ECS_VIRQ;
    chn->notify_vcpu_id = vcpu;
    chn->u.virq = virq;
    *slot = p;
    *port = p;
 out:
    spin_unlock(&d->event_lock);
    return rc;
}

int evtchn_bind_ipi(struct domain *d, unsigned int vcpu, evtchn_port_t *port)
{
    struct evtchn *chn;
    int p, rc;

    if ( !evtchn_domain_vcpu(d, vcpu) )
        return -ENOENT;

    spin_lock(&d->event_lock);
    if ( !d->evtchn )
        rc = -EINVAL;
    else if ( (p = rc = find_free_port(d)) >= 0 &&
              (rc = claim_port(d, p)) == 0 )
    {
        chn = evtchn_lookup(d, p);
        chn->state = ECS_IPI;
        chn->notify_vcpu_id = vcpu;
        *port = p;
    }
    spin_unlock(&d->event_lock);
    return rc;
}

int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port, unsigned int vcpu)
{
    struct evtchn *chn;
    int rc = 0;

    if ( !evtchn_domain_vcpu(d, vcpu) )
        return -ENOENT;

    spin_lock(&d->event_lock);
    if ( (chn = evtchn_lookup(d, port)) == NULL )
        rc = -EINVAL;
    else
        switch ( chn->state )
        {
        case ECS_VIRQ:
            if ( virq_is_global(chn->u.virq) )
                chn->notify_vcpu_id = vcpu;
            else
                rc = -EINVAL;       /* per-vCPU VIRQs stay on their vCPU */
            break;
        case ECS_UNBOUND:
        case ECS_INTERDOMAIN:
        case ECS_PIRQ:
            chn->notify_vcpu_id = vcpu;
            break;
        default:                    /* free, reserved, IPI */
            rc = -EINVAL;
            break;
        }
    spin_unlock(&d->event_lock);
    return rc;
}

/*
 * Close d1's port.  An interdomain channel needs the peer's lock too:
 * taken in domain-id order, which may mean dropping ours and starting
 * again (the channel may have changed meanwhile; a reference keeps the
 * peer's struct alive across the gap).
 */
int evtchn_close(struct domain *d1, evtchn_port_t port1)
{
    struct domain *d2 = NULL;
    struct evtchn *chn1, *chn2;
    unsigned int i;
    int rc = 0;

 again:
    spin_lock(&d1->event_lock);
    if ( (chn1 = evtchn_lookup(d1, port1)) == NULL )
    {
        rc = -EINVAL;
        goto out;
    }

    switch ( chn1->state )
    {
    case ECS_FREE:
    case ECS_RESERVED:
        rc = -EINVAL;
        goto out;

    case ECS_UNBOUND:
    case ECS_IPI:
    case ECS_PIRQ:
        break;

    case ECS_VIRQ:
        for ( i = 0; i < d1->max_vcpus; i++ )
        {
            evtchn_port_t *slot = virq_slot(d1->evtchn, i, chn1->u.virq);

            if ( *slot == port1 )
                *slot = 0;
        }
        break;

    case ECS_INTERDOMAIN:
        if ( d2 == NULL )
        {
            d2 = chn1->u.interdomain.remote_dom;
            /* Bound to us, the peer cannot have been freed. */
            if ( !domain_get(d2) )
            {
                d2 = NULL;
                rc = -EINVAL;
                goto out;
            }
            /* Loopback (d1 == d2) needs no second lock. */
            if ( d1 != d2 && d1->domain_id < d2->domain_id )
                spin_lock(&d2->event_lock);
            else if ( d1 != d2 )
            {
                spin_unlock(&d1->event_lock);
                spin_lock(&d2->event_lock);
                goto again;
            }
        }
        else if ( d2 != chn1->u.interdomain.remote_dom )
        {
            /*
             * Closed and rebound elsewhere while we relocked: it went
             * through FREE, so answer as if we had seen that.
             */
            rc = -EINVAL;
            goto out;
        }

        chn2 = peer_channel(d2, chn1->u.interdomain.remote_port);
        chn2->state = ECS_UNBOUND;
        chn2->u.unbound.remote_domid = d1->domain_id;
        break;

    default:
        rc = -EINVAL;
        goto out;
    }

    free_channel(d1, port1, chn1);

 out:
    if ( d2 != NULL )
    {
        if ( d1 != d2 )
            spin_unlock(&d2->event_lock);
        domain_put(d2);
    }
    spin_unlock(&d1->event_lock);
    return rc;
}

int evtchn_send_port(struct domain *ld, evtchn_port_t lport)
{
    struct evtchn *lchn;
    struct domain *rd;
    evtchn_port_t rport;
    int rc;

    spin_lock(&ld->event_lock);
    if ( (lchn = evtchn_lookup(ld, lport)) == NULL )
    {
        rc = -EINVAL;
        goto out;
    }
    if ( (rc = xsm_evtchn_send(ld, ld)) != 0 )
        goto out;

    switch ( lchn->state )
    {
    case ECS_INTERDOMAIN:
        /* The peer's channel is pinned by ours: see evtchn_private.h. */
        rd = lchn->u.interdomain.remote_dom;
        rport = lchn->u.interdomain.remote_port;
        raise_channel(rd, peer_channel(rd, rport), rport);
        break;
    case ECS_IPI:
        raise_channel(ld, lchn, lport);
        break;
    case ECS_UNBOUND:
        break;                              /* nobody listens: dropped */
    default:
        rc = -EINVAL;
        break;
    }
 out:
    spin_unlock(&ld->event_lock);
    return rc;
}

int evtchn_status(struct domain *cur, struct domain *d,
                  struct evtchn_status *st)
{
    struct evtchn *chn;
    int rc;

    spin_lock(&d->event_lock);
    if ( (chn = evtchn_lookup(d, st->port)) == NULL )
    {
        rc = -EINVAL;
        goto out;
    }
    if ( (rc = xsm_evtchn_status(cur, d)) != 0 )
        goto out;

    switch ( chn->state )
    {
    case ECS_UNBOUND:
        st->status = EVTCHNSTAT_unbound;
        st->u.unbound.dom = chn->u.unbound.remote_domid;
        break;
    case ECS_INTERDOMAIN:
        st->status = EVTCHNSTAT_interdomain;
        st->u.interdomain.dom = chn->u.interdomain.remote_dom->domain_id;
        st->u.interdomain.port = chn->u.interdomain.remote_port;
        break;
    case ECS_PIRQ:
        st->status = EVTCHNSTAT_pirq;
        st->u.pirq = chn->u.pirq;
        break;
    case ECS_VIRQ:
        st->status = EVTCHNSTAT_virq;
        st->u.virq = chn->u.virq;
        break;
    case ECS_IPI:
        st->status = EVTCHNSTAT_ipi;
        break;
    default:                                /* free, reserved */
        st->status = EVTCHNSTAT_closed;
        break;
    }
    st->vcpu = chn->notify_vcpu_id;
 out:
    spin_unlock(&d->event_lock);
    return rc;
}

int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn;
    struct vcpu *v;
    int rc = 0;

    spin_lock(&d->event_lock);
    if ( (chn = evtchn_lookup(d, port)) == NULL )
        rc = -EINVAL;
    else if ( chn->state > ECS_RESERVED &&
              (v = evtchn_domain_vcpu(d, chn->notify_vcpu_id)) != NULL )
        evtchn_2l_unmask(d, v, port);
    /* A free or reserved port: nothing to deliver, not an error (Xen). */
    spin_unlock(&d->event_lock);
    return rc;
}

int evtchn_set_priority(struct domain *d, evtchn_port_t port)
{
    int rc;

    spin_lock(&d->event_lock);
    /* Priorities are a FIFO feature; 2-level ports have none. */
    rc = evtchn_lookup(d, port) ? -ENOSYS : -EINVAL;
    spin_unlock(&d->event_lock);
    return rc;
}

/*
 * Close every port of d.  Preemptible: the next port is kept in
 * reset_next (0 when no reset runs), and a new reset while one is under
 * way, or a resumption without one, is -EBUSY.  Another domain's ports
 * may be reset only while its controller holds it paused.
 */
int evtchn_reset(struct domain *cur, struct domain *d, bool resuming)
{
    struct evtchn_domain *ed;
    unsigned int port;
    int rc = 0;

    if ( d != cur && !__atomic_load_n(&d->pause_count, __ATOMIC_SEQ_CST) )
        return -EINVAL;

    spin_lock(&d->event_lock);
    if ( (ed = d->evtchn) == NULL )
        port = 0;
    else if ( resuming )
        port = ed->reset_next;
    else if ( (port = !ed->reset_next) != 0 )
        ed->reset_next = port;
    spin_unlock(&d->event_lock);
    if ( !port )
        return ed ? -EBUSY : -EINVAL;

    for ( ; evtchn_port_is_valid(d, port); port++ )
    {
        evtchn_close(d, port);              /* -EINVAL for free ones */
        /* Every 64 ports, and only after progress, offer to stop. */
        if ( !((port + 1) % EVTCHNS_PER_BUCKET) &&
             evtchn_port_is_valid(d, port + 1) && hypercall_preempt_check() )
        {
            spin_lock(&d->event_lock);
            if ( d->evtchn )
                d->evtchn->reset_next = port + 1;
            spin_unlock(&d->event_lock);
            return -ERESTART;
        }
    }

    spin_lock(&d->event_lock);
    if ( (ed = d->evtchn) != NULL )
    {
        ed->reset_next = 0;
        /* Someone bound a port while we were closing them. */
        if ( ed->active_ports )
            rc = -EAGAIN;
    }
    spin_unlock(&d->event_lock);
    return rc;
}

/* ---- delivery from the hypervisor --------------------------------------- */

static void send_virq(struct domain *d, unsigned int bound_vcpu,
                      unsigned int virq)
{
    struct evtchn *chn;
    evtchn_port_t port;

    spin_lock(&d->event_lock);
    if ( d->evtchn &&
         (port = *virq_slot(d->evtchn, bound_vcpu, virq)) != 0 &&
         (chn = evtchn_lookup(d, port)) != NULL )
        raise_channel(d, chn, port);
    spin_unlock(&d->event_lock);
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    if ( virq >= NR_VIRQS || virq_is_global(virq) )
        return;                             /* a caller's bug: ignore */
    send_virq(v->domain, v->vcpu_id, virq);
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    if ( !d || !d->max_vcpus || virq >= NR_VIRQS || !virq_is_global(virq) )
        return;
    /* Bound on vCPU 0; bind_vcpu may have moved the notification. */
    send_virq(d, 0, virq);
}

void send_global_virq(unsigned int virq)
{
    send_guest_global_virq(hardware_domain, virq);
}

/* ---- queries ------------------------------------------------------------ */

bool evtchn_port_is_valid(struct domain *d, evtchn_port_t port)
{
    bool valid;

    spin_lock(&d->event_lock);
    valid = evtchn_lookup(d, port) != NULL;
    spin_unlock(&d->event_lock);
    return valid;
}

bool evtchn_port_in_use(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn;
    bool used;

    spin_lock(&d->event_lock);
    used = (chn = evtchn_lookup(d, port)) != NULL && chn->state > ECS_RESERVED;
    spin_unlock(&d->event_lock);
    return used;
}

bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn;
    bool pending = false;

    spin_lock(&d->event_lock);
    if ( (chn = evtchn_lookup(d, port)) != NULL && chn->state > ECS_RESERVED )
        pending = evtchn_2l_is_pending(d, port);
    spin_unlock(&d->event_lock);
    return pending;
}

void evtchn_poll_begin(struct vcpu *v, evtchn_port_t port)
{
    struct domain *d = v->domain;

    spin_lock(&d->event_lock);
    if ( d->evtchn && v->vcpu_id < EVTCHN_MAX_VCPUS )
    {
        uint64_t bit = 1ULL << v->vcpu_id;

        __atomic_store_n(&d->evtchn->poll_port[v->vcpu_id], port,
                         __ATOMIC_SEQ_CST);
        __atomic_fetch_or(&d->evtchn->poll_mask, bit, __ATOMIC_SEQ_CST);
    }
    spin_unlock(&d->event_lock);
}

bool evtchn_poll_end(struct vcpu *v)
{
    struct domain *d = v->domain;
    bool was_polling = false;

    spin_lock(&d->event_lock);
    if ( d->evtchn && v->vcpu_id < EVTCHN_MAX_VCPUS )
    {
        uint64_t bit = 1ULL << v->vcpu_id;

        was_polling = __atomic_fetch_and(&d->evtchn->poll_mask, ~bit,
                                         __ATOMIC_SEQ_CST) & bit;
    }
    spin_unlock(&d->event_lock);
    return was_polling;
}

bool evtchn_vcpu_upcall_pending(const struct vcpu *v)
{
    const struct vcpu_info *vi = v->vcpu_info;

    return vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST)
           && !__atomic_load_n(&vi->evtchn_upcall_mask, __ATOMIC_SEQ_CST);
}

unsigned int evtchn_ports_in_use(struct domain *d)
{
    unsigned int n;

    spin_lock(&d->event_lock);
    n = d->evtchn ? d->evtchn->active_ports : 0;
    spin_unlock(&d->event_lock);
    return n;
}

unsigned long evtchn_buckets_in_use(void)
{
    return __atomic_load_n(&bucket_count, __ATOMIC_RELAXED);
}
