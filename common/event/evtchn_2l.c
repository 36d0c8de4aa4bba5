/*
 * 2-level event delivery: the bitmaps in shared_info and the per-vCPU
 * selector and flag in vcpu_info.
 *
 *   shared_info.evtchn_pending[w] bit b   port w * 64 + b is pending
 *   shared_info.evtchn_mask[w]    bit b   ... is masked (guest-owned)
 *   vcpu_info.evtchn_pending_sel  bit w   word w may have unmasked work
 *   vcpu_info.evtchn_upcall_pending       the vCPU has something to scan
 *
 * The guest clears these with its own locked instructions while we set
 * them, so every access is an atomic read-modify-write, and the order is
 * the one the guest's scan relies on: pending bit, then (unmasked only)
 * selector bit, then the upcall flag.  A transition 0 -> 1 of the upcall
 * flag kicks the vCPU; if the flag was already set the vCPU has an upcall
 * coming and will find the new bit.
 *
 * Only the hypervisor's port table decides which port is raised; these
 * functions take port numbers below 4096 from it, never from a guest.
 */
#include "evtchn_private.h"
#include <keel/sched.h>

static bool test_and_set_word_bit(xen_ulong_t *word, unsigned int bit)
{
    xen_ulong_t m = (xen_ulong_t)1 << bit;

    return __atomic_fetch_or(word, m, __ATOMIC_SEQ_CST) & m;
}

static bool test_and_clear_word_bit(xen_ulong_t *word, unsigned int bit)
{
    xen_ulong_t m = (xen_ulong_t)1 << bit;

    return __atomic_fetch_and(word, ~m, __ATOMIC_SEQ_CST) & m;
}

static bool test_word_bit(const xen_ulong_t *word, unsigned int bit)
{
    return (__atomic_load_n(word, __ATOMIC_SEQ_CST) >> bit) & 1;
}

#define PORT_WORD(p) ((p) / EVTCHN_WORD_BITS)
#define PORT_BIT(p)  ((p) % EVTCHN_WORD_BITS)

/* Mark the selector word and the upcall flag; kick on a new upcall. */
static void mark_selector_pending(struct vcpu *v, evtchn_port_t port)
{
    struct vcpu_info *vi = v->vcpu_info;

    if ( !vi || test_and_set_word_bit(&vi->evtchn_pending_sel,
                                      PORT_WORD(port)) )
        return;
    if ( !__atomic_exchange_n(&vi->evtchn_upcall_pending, 1,
                              __ATOMIC_SEQ_CST) )
        arch_evtchn_notify(v);
}

/* Any vCPU of d polling this port (or any port) stops polling. */
static void wake_pollers(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *ed = d->evtchn;
    uint64_t mask = __atomic_load_n(&ed->poll_mask, __ATOMIC_SEQ_CST);

    while ( mask )
    {
        unsigned int id = __builtin_ctzll(mask);
        uint64_t bit = 1ULL << id;
        evtchn_port_t want = __atomic_load_n(&ed->poll_port[id],
                                             __ATOMIC_SEQ_CST);
        struct vcpu *v;

        mask &= ~bit;
        if ( want && want != port )
            continue;
        if ( !(__atomic_fetch_and(&ed->poll_mask, ~bit, __ATOMIC_SEQ_CST) &
               bit) )
            continue;                       /* ended meanwhile */
        /* Its poll ends; a SCHEDOP_block it is in by now does not. */
        if ( (v = evtchn_domain_vcpu(d, id)) != NULL )
            sched_vcpu_poll_wake(v);
    }
}

void evtchn_2l_set_pending(struct domain *d, struct vcpu *v,
                           evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;

    if ( test_and_set_word_bit(&s->evtchn_pending[PORT_WORD(port)],
                               PORT_BIT(port)) )
        return;                             /* already pending */
    if ( !test_word_bit(&s->evtchn_mask[PORT_WORD(port)], PORT_BIT(port)) )
        mark_selector_pending(v, port);
    /* Pollers wait on masked ports too (Linux's spinlock kicks do). */
    wake_pollers(d, port);
}

void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port)
{
    test_and_clear_word_bit(&d->shared_info->evtchn_pending[PORT_WORD(port)],
                            PORT_BIT(port));
}

void evtchn_2l_unmask(struct domain *d, struct vcpu *v, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;

    /* Same order as set_pending: a pending bit found here is delivered. */
    if ( test_and_clear_word_bit(&s->evtchn_mask[PORT_WORD(port)],
                                 PORT_BIT(port)) &&
         test_word_bit(&s->evtchn_pending[PORT_WORD(port)], PORT_BIT(port)) )
        mark_selector_pending(v, port);
}

bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port)
{
    return port < EVTCHN_MAX_PORTS &&
           test_word_bit(&d->shared_info->evtchn_pending[PORT_WORD(port)],
                         PORT_BIT(port));
}

bool evtchn_2l_is_masked(const struct domain *d, evtchn_port_t port)
{
    return port >= EVTCHN_MAX_PORTS ||
           test_word_bit(&d->shared_info->evtchn_mask[PORT_WORD(port)],
                         PORT_BIT(port));
}
