/*
 * Event channels: state shared by the files of common/event/.
 *
 *   evtchn.c      the port table and the channel state machine
 *   evtchn_2l.c   2-level delivery on the shared_info bitmaps
 *   evtchn_ops.c  HYPERVISOR_event_channel_op: decode, check, act
 *
 * The port table is one array of bucket pointers; bucket b holds ports
 * b * 64 .. b * 64 + 63 and buckets are allocated in order, on demand:
 *
 *   ed->bucket[0] -> [ port 0 (reserved) | 1 | 2 | ... | 63 ]
 *   ed->bucket[1] -> [ 64 | 65 | ... | 127 ]
 *   ed->bucket[2] == NULL            <- ed->valid_ports == 128
 *
 * So a port is valid exactly when port < ed->valid_ports, and every
 * lookup checks that (then clamps the index against speculation) before
 * it touches a bucket.  64 ports a bucket is what Xen has on x86-64
 * (struct evtchn is 64-byte aligned there), so the set of valid ports a
 * guest can observe through EVTCHNOP_status is the same.
 *
 * Locking: d->event_lock guards *d->evtchn and every channel in it.  A
 * channel of another domain is touched only when a channel of ours is
 * bound to it, which pins it: closing either end needs both locks.
 */
#ifndef COMMON_EVENT_EVTCHN_PRIVATE_H
#define COMMON_EVENT_EVTCHN_PRIVATE_H

#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/event.h>
#include <keel/nospec.h>
#include <keel/spinlock.h>
#include <public/event_channel.h>
#include <public/xen.h>
#include <xsm/xsm.h>

#define EVTCHN_MAX_PORTS     EVTCHN_2L_NR_CHANNELS          /* 4096 */
#define EVTCHNS_PER_BUCKET   64
#define EVTCHN_NR_BUCKETS    (EVTCHN_MAX_PORTS / EVTCHNS_PER_BUCKET)
#define EVTCHN_WORD_BITS     (sizeof(xen_ulong_t) * 8)      /* 64 */
#define EVTCHN_MAX_VCPUS     64                 /* bits in the poll mask */

/* Xen-internal sub-op: a preempted EVTCHNOP_reset resumes as this. */
#define EVTCHNOP_reset_cont  14

BUILD_BUG_ON(EVTCHN_MAX_PORTS % EVTCHNS_PER_BUCKET);
BUILD_BUG_ON(EVTCHN_MAX_PORTS != EVTCHN_WORD_BITS * EVTCHN_WORD_BITS);

enum evtchn_state {
    ECS_FREE,           /* not in use */
    ECS_RESERVED,       /* port 0: never usable */
    ECS_UNBOUND,        /* waiting for u.unbound.remote_domid to connect */
    ECS_INTERDOMAIN,    /* connected to u.interdomain */
    ECS_PIRQ,           /* physical IRQ (not yet supported) */
    ECS_VIRQ,           /* VIRQ u.virq */
    ECS_IPI,            /* the domain's own vCPUs */
};

struct evtchn {
    uint8_t state;                  /* enum evtchn_state */
    uint16_t notify_vcpu_id;        /* < d->max_vcpus */
    union {
        struct {
            domid_t remote_domid;
        } unbound;
        struct {
            struct domain *remote_dom;
            evtchn_port_t remote_port;
        } interdomain;
        uint32_t virq;
        uint32_t pirq;
    } u;
};

/* A domain's event-channel state: d->evtchn, guarded by d->event_lock. */
struct evtchn_domain {
    unsigned int max_ports;         /* ports 0 .. max_ports - 1 usable */
    unsigned int valid_ports;       /* ports with a bucket (64 multiple) */
    unsigned int active_ports;      /* not free, port 0 not counted */
    unsigned int free_hint;         /* no free port below this */
    unsigned int reset_next;        /* EVTCHNOP_reset: next port; 0: idle */
    bool dying;                     /* evtchn_destroy() began: no binds */
    struct evtchn *bucket[EVTCHN_NR_BUCKETS];
    /* virq_to_evtchn[vcpu * NR_VIRQS + virq]: bound port, 0 if none. */
    evtchn_port_t *virq_to_evtchn;
    /* SCHEDOP_poll: bit v set while vCPU v polls poll_port[v] (0: any). */
    uint64_t poll_mask;             /* [atomic] */
    evtchn_port_t poll_port[EVTCHN_MAX_VCPUS];
};

/* ---- evtchn.c ---------------------------------------------------------- */

/* The channel at port, or NULL if the port is not valid.  Lock held. */
struct evtchn *evtchn_lookup(struct domain *d, evtchn_port_t port);
/* d's vCPU id, or NULL (speculation-safe). */
struct vcpu *evtchn_domain_vcpu(const struct domain *d, unsigned int id);

/* The state machine; each takes the locks it needs.  0 or -errno. */
int evtchn_alloc_unbound(struct domain *cur, struct domain *d,
                         domid_t remote_dom, evtchn_port_t *port);
int evtchn_bind_interdomain(struct domain *ld, struct domain *rd,
                            evtchn_port_t rport, evtchn_port_t *lport);
int evtchn_bind_virq(struct domain *d, unsigned int virq,
                     unsigned int vcpu, evtchn_port_t *port);
int evtchn_bind_ipi(struct domain *d, unsigned int vcpu,
                    evtchn_port_t *port);
int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port,
                     unsigned int vcpu);
int evtchn_close(struct domain *d, evtchn_port_t port);
int evtchn_status(struct domain *cur, struct domain *d,
                  struct evtchn_status *st);
int evtchn_unmask(struct domain *d, evtchn_port_t port);
int evtchn_reset(struct domain *cur, struct domain *d, bool resuming);
int evtchn_set_priority(struct domain *d, evtchn_port_t port);

/* ---- evtchn_2l.c: the shared_info bitmaps ------------------------------ */

/* Raise port (bound to chn) for vCPU v; lock held. */
void evtchn_2l_set_pending(struct domain *d, struct vcpu *v,
                           evtchn_port_t port);
void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port);
/* Clear the mask bit; deliver to v if the port is pending. */
void evtchn_2l_unmask(struct domain *d, struct vcpu *v, evtchn_port_t port);
bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port);
bool evtchn_2l_is_masked(const struct domain *d, evtchn_port_t port);

#endif /* COMMON_EVENT_EVTCHN_PRIVATE_H */
