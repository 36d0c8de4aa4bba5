/*
 * HYPERVISOR_event_channel_op(cmd, arg): decode, check, act.
 *
 * One table describes every sub-op: its argument struct, whether the
 * struct goes back to the guest, and the handler.  The dispatcher alone
 * touches guest memory: it copies exactly the struct in, calls the
 * handler (which validates, asks XSM, then acts under the event locks),
 * and copies the struct out only when the handler succeeded.  A faulting
 * copy is -EFAULT; a sub-op with no entry is -ENOSYS.
 *
 * cmd is an int in Xen's prototype, so only the low 32 bits count.
 * EVTCHNOP_reset is preemptible: when it stops early the guest re-issues
 * the call as EVTCHNOP_reset_cont with the same argument.
 *
 * Only the 2-level ABI is implemented.  The FIFO sub-ops check their
 * arguments as Xen does, so a guest gets the same answer for a bad
 * request, and then report the ABI as unavailable; Linux falls back to
 * 2-level on any error from EVTCHNOP_init_control.
 */
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <asm/mm.h>
#include "evtchn_private.h"

/* Every argument struct, for the dispatcher's buffer. */
union evtchnop_arg {
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_bind_pirq bind_pirq;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_unmask unmask;
    struct evtchn_reset reset;
    struct evtchn_init_control init_control;
    struct evtchn_expand_array expand_array;
    struct evtchn_set_priority set_priority;
};

typedef int evtchnop_fn(struct domain *cur, unsigned int cmd, void *arg);

#define EOP_OUT 1u          /* copy the struct back on success */

struct evtchnop {
    evtchnop_fn *fn;
    uint8_t size;           /* bytes of the argument struct */
    uint8_t flags;          /* EOP_* */
    uint8_t restart_cmd;    /* -ERESTART re-issues this sub-op */
};

#define EVTCHNOP(type, fl, handler) \
    { .fn = (handler), .size = sizeof(type), .flags = (fl) }
#define EVTCHNOP_RESTART(type, fl, handler, cont) \
    { .fn = (handler), .size = sizeof(type), .flags = (fl), \
      .restart_cmd = (cont) }

BUILD_BUG_ON(sizeof(union evtchnop_arg) > UINT8_MAX);

/* ---- the handlers: arg is the guest's struct, copied in ---------------- */

static int evtchnop_alloc_unbound(struct domain *cur, unsigned int cmd,
                                  void *arg)
{
    struct evtchn_alloc_unbound *op = arg;
    struct domain *d;
    int rc;

    if ( (d = domain_get_by_id(op->dom, cur)) == NULL )
        return -ESRCH;
    rc = evtchn_alloc_unbound(cur, d, op->remote_dom, &op->port);
    domain_put(d);
    return rc;
}

static int evtchnop_bind_interdomain(struct domain *cur, unsigned int cmd,
                                     void *arg)
{
    struct evtchn_bind_interdomain *op = arg;
    struct domain *rd;
    int rc;

    /* DOMID_SELF is the caller; other reserved ids name no domain. */
    if ( (rd = domain_get_by_id(op->remote_dom, cur)) == NULL )
        return -ESRCH;
    rc = evtchn_bind_interdomain(cur, rd, op->remote_port, &op->local_port);
    domain_put(rd);
    return rc;
}

static int evtchnop_bind_virq(struct domain *cur, unsigned int cmd, void *arg)
{
    struct evtchn_bind_virq *op = arg;

    return evtchn_bind_virq(cur, op->virq, op->vcpu, &op->port);
}

static int evtchnop_bind_pirq(struct domain *cur, unsigned int cmd, void *arg)
{
    /*
     * No domain has physical IRQs mapped yet (PHYSDEVOP_map_pirq comes
     * with passthrough), so every pirq is out of range, as in Xen for a
     * domain with nr_pirqs == 0.
     */
    return -EINVAL;
}

static int evtchnop_bind_ipi(struct domain *cur, unsigned int cmd, void *arg)
{
    struct evtchn_bind_ipi *op = arg;

    return evtchn_bind_ipi(cur, op->vcpu, &op->port);
}

static int evtchnop_close(struct domain *cur, unsigned int cmd, void *arg)
{
    return evtchn_close(cur, ((struct evtchn_close *)arg)->port);
}

static int evtchnop_send(struct domain *cur, unsigned int cmd, void *arg)
{
    return evtchn_send_port(cur, ((struct evtchn_send *)arg)->port);
}

static int evtchnop_status(struct domain *cur, unsigned int cmd, void *arg)
{
    struct evtchn_status *op = arg;
    struct domain *d;
    int rc;

    if ( (d = domain_get_by_id(op->dom, cur)) == NULL )
        return -ESRCH;
    rc = evtchn_status(cur, d, op);
    domain_put(d);
    return rc;
}

static int evtchnop_bind_vcpu(struct domain *cur, unsigned int cmd, void *arg)
{
    struct evtchn_bind_vcpu *op = arg;

    return evtchn_bind_vcpu(cur, op->port, op->vcpu);
}

static int evtchnop_unmask(struct domain *cur, unsigned int cmd, void *arg)
{
    return evtchn_unmask(cur, ((struct evtchn_unmask *)arg)->port);
}

static int evtchnop_reset(struct domain *cur, unsigned int cmd, void *arg)
{
    struct evtchn_reset *op = arg;
    struct domain *d;
    int rc;

    if ( (d = domain_get_by_id(op->dom, cur)) == NULL )
        return -ESRCH;
    rc = xsm_evtchn_reset(cur, d);
    if ( rc == 0 )
        rc = evtchn_reset(cur, d, cmd == EVTCHNOP_reset_cont);
    domain_put(d);
    return rc;
}

/*
 * May the guest's frame hold a FIFO control block or event array?  It
 * must be the caller's, and able to become writable (not a page table or
 * descriptor page): Xen's map_guest_page().  For a PV guest the gfn is
 * the machine frame.  -EINVAL if not.
 */
static int fifo_frame_ok(struct domain *d, uint64_t gfn)
{
    struct page_info *pg;
    bool ok;

    if ( gfn != (unsigned long)gfn ||
         (pg = get_page_from_mfn(_mfn(gfn), d)) == NULL )
        return -EINVAL;
    ok = get_page_type(pg, PGT_writable_page);
    if ( ok )
        put_page_type(pg);
    put_page(pg);
    return ok ? 0 : -EINVAL;
}

static int evtchnop_init_control(struct domain *cur, unsigned int cmd,
                                 void *arg)
{
    struct evtchn_init_control *op = arg;
    int rc;

    /* Xen's checks, in Xen's order. */
    if ( !evtchn_domain_vcpu(cur, op->vcpu) )
        return -ENOENT;
    if ( op->offset > PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) )
        return -EINVAL;                     /* crosses the page end */
    if ( op->offset & 7 )
        return -EINVAL;
    if ( (rc = fifo_frame_ok(cur, op->control_gfn)) != 0 )
        return rc;
    /* A good request: FIFO is simply not there (stay on 2-level). */
    return -ENOSYS;
}

static int evtchnop_expand_array(struct domain *cur, unsigned int cmd,
                                 void *arg)
{
    /* Xen answers before looking at the frame when FIFO is not in use. */
    return -EOPNOTSUPP;
}

static int evtchnop_set_priority(struct domain *cur, unsigned int cmd,
                                 void *arg)
{
    return evtchn_set_priority(cur, ((struct evtchn_set_priority *)arg)->port);
}

static const struct evtchnop evtchnops[] = {
    [EVTCHNOP_bind_interdomain] = EVTCHNOP(struct evtchn_bind_interdomain,
                                           EOP_OUT, evtchnop_bind_interdomain),
    [EVTCHNOP_bind_virq]     = EVTCHNOP(struct evtchn_bind_virq, EOP_OUT,
                                        evtchnop_bind_virq),
    [EVTCHNOP_bind_pirq]     = EVTCHNOP(struct evtchn_bind_pirq, EOP_OUT,
                                        evtchnop_bind_pirq),
    [EVTCHNOP_close]         = EVTCHNOP(struct evtchn_close, 0,
                                        evtchnop_close),
    [EVTCHNOP_send]          = EVTCHNOP(struct evtchn_send, 0, evtchnop_send),
    [EVTCHNOP_status]        = EVTCHNOP(struct evtchn_status, EOP_OUT,
                                        evtchnop_status),
    [EVTCHNOP_alloc_unbound] = EVTCHNOP(struct evtchn_alloc_unbound, EOP_OUT,
                                        evtchnop_alloc_unbound),
    [EVTCHNOP_bind_ipi]      = EVTCHNOP(struct evtchn_bind_ipi, EOP_OUT,
                                        evtchnop_bind_ipi),
    [EVTCHNOP_bind_vcpu]     = EVTCHNOP(struct evtchn_bind_vcpu, 0,
                                        evtchnop_bind_vcpu),
    [EVTCHNOP_unmask]        = EVTCHNOP(struct evtchn_unmask, 0,
                                        evtchnop_unmask),
    [EVTCHNOP_reset]         = EVTCHNOP_RESTART(struct evtchn_reset, 0,
                                                evtchnop_reset,
                                                EVTCHNOP_reset_cont),
    [EVTCHNOP_init_control]  = EVTCHNOP(struct evtchn_init_control, EOP_OUT,
                                        evtchnop_init_control),
    [EVTCHNOP_expand_array]  = EVTCHNOP(struct evtchn_expand_array, 0,
                                        evtchnop_expand_array),
    [EVTCHNOP_set_priority]  = EVTCHNOP(struct evtchn_set_priority, 0,
                                        evtchnop_set_priority),
    [EVTCHNOP_reset_cont]    = EVTCHNOP_RESTART(struct evtchn_reset, 0,
                                                evtchnop_reset,
                                                EVTCHNOP_reset_cont),
};

long do_event_channel_op(unsigned long cmd, unsigned long arg,
                         unsigned long a3, unsigned long a4, unsigned long a5)
{
    unsigned int op = (unsigned int)cmd;
    const struct evtchnop *desc;
    union evtchnop_arg buf;
    int rc;

    if ( op >= ARRAY_SIZE(evtchnops) )
        return -ENOSYS;
    desc = &evtchnops[array_index_nospec(op, ARRAY_SIZE(evtchnops))];
    if ( !desc->fn )
        return -ENOSYS;

    if ( copy_from_guest(&buf, arg, desc->size) )
        return -EFAULT;
    rc = desc->fn(current->domain, op, &buf);

    if ( rc == -ERESTART && desc->restart_cmd )
    {
        unsigned long args[2] = { desc->restart_cmd, arg };

        return hypercall_create_continuation(__HYPERVISOR_event_channel_op,
                                             2, args);
    }
    /* A port allocated before a faulting copy-out stays (as in Xen). */
    if ( rc == 0 && (desc->flags & EOP_OUT) &&
         copy_to_guest(arg, &buf, desc->size) )
        return -EFAULT;
    return rc;
}

/*
 * The old event_channel_op (hypercall 16): one struct evtchn_op holding
 * the command and, after it, that command's argument.
 */
long do_event_channel_op_compat(unsigned long uop, unsigned long a2,
                                unsigned long a3, unsigned long a4,
                                unsigned long a5)
{
    uint32_t cmd;

    if ( copy_from_guest(&cmd, uop, sizeof(cmd)) )
        return -EFAULT;
    return do_event_channel_op(cmd, uop + offsetof(struct evtchn_op, u),
                               0, 0, 0);
}
