/*
 * Keel public ABI: HYPERVISOR_event_channel_op(cmd, arg).
 *
 * Event channels are a domain's virtual interrupt lines.  A port is bound
 * to one source (another domain's port, a VIRQ, a physical IRQ, an IPI
 * between the domain's own vCPUs) and notifies one vCPU.  Delivery uses
 * the 2-level bitmaps in shared_info unless the guest switches to the FIFO
 * ABI with EVTCHNOP_init_control.  Numbers and layouts are Xen 4.17's.
 * The older event_channel_op_compat (hypercall 16) takes a struct
 * evtchn_op, which carries cmd next to the argument.
 *
 * Privilege: a domain acts on its own ports; naming another domain in
 * @dom (alloc_unbound, status, reset) needs privilege over it.  Common
 * errors: -XEN_EFAULT, -XEN_EINVAL (bad port or argument), -XEN_ESRCH (no
 * such domain), -XEN_EPERM, -XEN_ENOSPC (no free port), -XEN_ENOSYS
 * (unknown cmd).
 */
#ifndef KEEL_PUBLIC_EVENT_CHANNEL_H
#define KEEL_PUBLIC_EVENT_CHANNEL_H

#include "xen.h"

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset           10
#define EVTCHNOP_init_control    11
#define EVTCHNOP_expand_array    12
#define EVTCHNOP_set_priority    13

/*
 * EVTCHNOP_alloc_unbound: allocate a port in @dom that @remote_dom may
 * later connect to with bind_interdomain.  DOMID_SELF is allowed for both.
 */
struct evtchn_alloc_unbound {
    domid_t dom;                /* IN: domain to own the port */
    domid_t remote_dom;         /* IN: domain allowed to connect */
    evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;
XEN_ABI_CHECK_SIZE(struct evtchn_alloc_unbound, 8);
XEN_ABI_CHECK_OFFSET(struct evtchn_alloc_unbound, port, 4);

/*
 * EVTCHNOP_bind_interdomain: connect a new local port to @remote_port,
 * which must be unbound and reserved for the caller.  -XEN_EINVAL if it
 * is not.
 */
struct evtchn_bind_interdomain {
    domid_t remote_dom;         /* IN */
    evtchn_port_t remote_port;  /* IN */
    evtchn_port_t local_port;   /* OUT */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;
XEN_ABI_CHECK_SIZE(struct evtchn_bind_interdomain, 12);
XEN_ABI_CHECK_OFFSET(struct evtchn_bind_interdomain, remote_port, 4);
XEN_ABI_CHECK_OFFSET(struct evtchn_bind_interdomain, local_port, 8);

/*
 * EVTCHNOP_bind_virq: a port for VIRQ @virq on @vcpu (global VIRQs: vCPU 0
 * only).  -XEN_EINVAL (bad virq), -XEN_ENOENT (no such vCPU), -XEN_EEXIST
 * (already bound).
 */
struct evtchn_bind_virq {
    uint32_t virq;              /* IN: VIRQ_* */
    uint32_t vcpu;              /* IN */
    evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;
XEN_ABI_CHECK_SIZE(struct evtchn_bind_virq, 12);
XEN_ABI_CHECK_OFFSET(struct evtchn_bind_virq, port, 8);

/*
 * EVTCHNOP_bind_pirq: a port for physical IRQ @pirq of the caller (mapped
 * with PHYSDEVOP_map_pirq).  -XEN_EINVAL (bad pirq), -XEN_EPERM (no access
 * to it), -XEN_EEXIST (already bound), -XEN_EBUSY (sharing refused).
 */
struct evtchn_bind_pirq {
    uint32_t pirq;              /* IN */
#define BIND_PIRQ__WILL_SHARE 1
    uint32_t flags;             /* IN: BIND_PIRQ__* */
    evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;
XEN_ABI_CHECK_SIZE(struct evtchn_bind_pirq, 12);
XEN_ABI_CHECK_OFFSET(struct evtchn_bind_pirq, port, 8);

/* EVTCHNOP_bind_ipi: a port the domain can send to itself, notifying
 * @vcpu.  -XEN_ENOENT (no such vCPU). */
struct evtchn_bind_ipi {
    uint32_t vcpu;              /* IN */
    evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;
XEN_ABI_CHECK_SIZE(struct evtchn_bind_ipi, 8);

/* EVTCHNOP_close: unbind a port; an interdomain peer sees its end become
 * unbound.  -XEN_EINVAL (bad port). */
struct evtchn_close {
    evtchn_port_t port;         /* IN */
};
typedef struct evtchn_close evtchn_close_t;
XEN_ABI_CHECK_SIZE(struct evtchn_close, 4);

/* EVTCHNOP_send: notify the other end of an interdomain or IPI port.  On
 * an unbound port the notification is dropped (returns 0); any other port
 * gives -XEN_EINVAL. */
struct evtchn_send {
    evtchn_port_t port;         /* IN */
};
typedef struct evtchn_send evtchn_send_t;
XEN_ABI_CHECK_SIZE(struct evtchn_send, 4);

/* EVTCHNOP_status: what port @port of @dom is bound to. */
struct evtchn_status {
    domid_t  dom;               /* IN */
    evtchn_port_t port;         /* IN */
#define EVTCHNSTAT_closed       0   /* not in use */
#define EVTCHNSTAT_unbound      1   /* waiting for u.unbound.dom */
#define EVTCHNSTAT_interdomain  2   /* connected to u.interdomain */
#define EVTCHNSTAT_pirq         3   /* bound to physical IRQ u.pirq */
#define EVTCHNSTAT_virq         4   /* bound to VIRQ u.virq */
#define EVTCHNSTAT_ipi          5   /* an IPI port */
    uint32_t status;            /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;              /* OUT: vCPU notified */
    union {
        struct {
            domid_t dom;
        } unbound;              /* EVTCHNSTAT_unbound */
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;          /* EVTCHNSTAT_interdomain */
        uint32_t pirq;          /* EVTCHNSTAT_pirq */
        uint32_t virq;          /* EVTCHNSTAT_virq */
    } u;                        /* OUT */
};
typedef struct evtchn_status evtchn_status_t;
XEN_ABI_CHECK_SIZE(struct evtchn_status, 24);
XEN_ABI_CHECK_OFFSET(struct evtchn_status, port, 4);
XEN_ABI_CHECK_OFFSET(struct evtchn_status, status, 8);
XEN_ABI_CHECK_OFFSET(struct evtchn_status, vcpu, 12);
XEN_ABI_CHECK_OFFSET(struct evtchn_status, u, 16);
XEN_ABI_CHECK_OFFSET(struct evtchn_status, u.interdomain.port, 20);

/*
 * EVTCHNOP_bind_vcpu: notify @vcpu instead.  Allowed for interdomain,
 * unbound, pirq and global VIRQ ports; -XEN_EINVAL for the others,
 * -XEN_ENOENT (no such vCPU).
 */
struct evtchn_bind_vcpu {
    evtchn_port_t port;         /* IN */
    uint32_t vcpu;              /* IN */
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;
XEN_ABI_CHECK_SIZE(struct evtchn_bind_vcpu, 8);

/* EVTCHNOP_unmask: clear the port's mask and deliver the event if it is
 * pending.  -XEN_EINVAL (bad port). */
struct evtchn_unmask {
    evtchn_port_t port;         /* IN */
};
typedef struct evtchn_unmask evtchn_unmask_t;
XEN_ABI_CHECK_SIZE(struct evtchn_unmask, 4);

/* EVTCHNOP_reset: close every port of @dom and return it to the 2-level
 * ABI.  Privilege over @dom. */
struct evtchn_reset {
    domid_t dom;                /* IN */
};
typedef struct evtchn_reset evtchn_reset_t;
XEN_ABI_CHECK_SIZE(struct evtchn_reset, 2);

/*
 * EVTCHNOP_init_control: switch to the FIFO ABI, giving @vcpu its control
 * block at @offset in frame @control_gfn.  Errors: -XEN_EINVAL (bad frame
 * or offset, already initialised), -XEN_ENOENT (no such vCPU).  A
 * hypervisor without FIFO support answers -XEN_ENOSYS and guests fall back
 * to 2-level.
 */
struct evtchn_init_control {
    uint64_t control_gfn;       /* IN */
    uint32_t offset;            /* IN: 8-byte aligned, block fits in page */
    uint32_t vcpu;              /* IN */
    uint8_t link_bits;          /* OUT: EVTCHN_FIFO_LINK_BITS */
    uint8_t _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;
XEN_ABI_CHECK_SIZE(struct evtchn_init_control, 24);
XEN_ABI_CHECK_OFFSET(struct evtchn_init_control, offset, 8);
XEN_ABI_CHECK_OFFSET(struct evtchn_init_control, vcpu, 12);
XEN_ABI_CHECK_OFFSET(struct evtchn_init_control, link_bits, 16);

/* EVTCHNOP_expand_array: add a page of FIFO event words.  -XEN_EINVAL,
 * -XEN_ENOMEM, -XEN_ENOSYS (FIFO not in use). */
struct evtchn_expand_array {
    uint64_t array_gfn;         /* IN */
};
typedef struct evtchn_expand_array evtchn_expand_array_t;
XEN_ABI_CHECK_SIZE(struct evtchn_expand_array, 8);

/* EVTCHNOP_set_priority: FIFO queue of a port (0 highest .. 15).
 * -XEN_EINVAL, -XEN_ENOSYS (FIFO not in use). */
struct evtchn_set_priority {
    evtchn_port_t port;         /* IN */
    uint32_t priority;          /* IN */
};
typedef struct evtchn_set_priority evtchn_set_priority_t;
XEN_ABI_CHECK_SIZE(struct evtchn_set_priority, 8);

/* Argument of the old event_channel_op_compat hypercall. */
struct evtchn_op {
    uint32_t cmd;               /* EVTCHNOP_* */
    union {
        evtchn_alloc_unbound_t    alloc_unbound;
        evtchn_bind_interdomain_t bind_interdomain;
        evtchn_bind_virq_t        bind_virq;
        evtchn_bind_pirq_t        bind_pirq;
        evtchn_bind_ipi_t         bind_ipi;
        evtchn_close_t            close;
        evtchn_send_t             send;
        evtchn_status_t           status;
        evtchn_bind_vcpu_t        bind_vcpu;
        evtchn_unmask_t           unmask;
    } u;
};
typedef struct evtchn_op evtchn_op_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_op_t);
XEN_ABI_CHECK_SIZE(struct evtchn_op, 28);
XEN_ABI_CHECK_OFFSET(struct evtchn_op, u, 4);

/* Ports of the 2-level ABI: one bit per port in shared_info (4096). */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/*
 * FIFO ABI.  Each port has a 32-bit event word in guest-provided array
 * pages: flag bits at the top, the next port in its queue below.  Each
 * vCPU's control block holds a ready bitmap (one bit per priority) and
 * the head of each queue.
 */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES (EVTCHN_FIFO_PRIORITY_MIN + 1)

typedef uint32_t event_word_t;

#define EVTCHN_FIFO_PENDING 31      /* bit numbers in an event word */
#define EVTCHN_FIFO_MASKED  30
#define EVTCHN_FIFO_LINKED  29
#define EVTCHN_FIFO_BUSY    28

#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1 << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1 << EVTCHN_FIFO_LINK_BITS)

struct evtchn_fifo_control_block {
    uint32_t ready;                         /* bit q: queue q non-empty */
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];  /* first port of each queue */
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;
XEN_ABI_CHECK_SIZE(struct evtchn_fifo_control_block, 72);
XEN_ABI_CHECK_OFFSET(struct evtchn_fifo_control_block, head, 8);

#endif /* KEEL_PUBLIC_EVENT_CHANNEL_H */
