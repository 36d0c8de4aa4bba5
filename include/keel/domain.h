/*
 * Domains and vCPUs (common/domain.c).
 *
 * A domain owns memory (pages whose page_info.owner points at it, linked on
 * d->page_list), vCPUs, and the shared_info page.  Lifecycle:
 *
 *   domain_create() -> paused (pause_count 1) -> domain_unpause() -> running
 *     -> domain_shutdown(reason) | domain_crash() -> dying
 *     -> domain_destroy(): resources released, last domain_put() frees it
 *
 * References: domain_get()/domain_put() count users of the struct; it is
 * freed only when the count drops to zero after destruction.
 *
 * Domain ids: 0 to DOMID_FIRST_RESERVED - 1.  The domain table maps an id
 * to its domain in two levels (chunks of DOMID_CHUNK pointers, allocated
 * on first use) beside a bitmap of the ids in use, so lookups cost O(1)
 * and "the next domain from id N" or "a free id after the rover" cost at
 * most one bitmap scan.  A destroyed domain keeps its id (a zombie,
 * reported dying) until the last reference to it goes: pages other
 * domains still map hold one.
 *
 * Locks: domlist_lock (a leaf: nothing is taken inside it) guards the
 * table and the id bitmap; d->lock guards the lifecycle fields;
 * d->page_alloc_lock guards page_list, tot_pages and the owner field of
 * the domain's pages.  Order: d->lock before d->page_alloc_lock; both
 * before the heap lock.
 */
#ifndef KEEL_DOMAIN_H
#define KEEL_DOMAIN_H

#include <keel/types.h>
#include <keel/spinlock.h>
#include <keel/mm.h>
#include <keel/timer.h>
#include <keel/sched-if.h>
#include <asm/domain.h>

typedef uint16_t domid_t;

#define DOMID_FIRST_RESERVED 0x7ff0
#define DOMID_SELF           0x7ff0
#define DOMID_IO             0x7ff1
#define DOMID_XEN            0x7ff2
#define DOMID_IDLE           0x7fff
#define DOMID_INVALID        0x7ff4
#define MAX_VIRT_CPUS        32            /* legacy vcpu_info slots */
#define SHUTDOWN_CODE_INVALID (~0u)        /* no shutdown code recorded */
#define DOMAIN_HANDLE_SIZE   16            /* xen_domain_handle_t */
#define DOMAIN_NR_PIRQS      256           /* pirqs a domain may name */

enum domain_state {
    DOMSTATE_PAUSED_NEW,                    /* created, never run */
    DOMSTATE_RUNNING,
    DOMSTATE_SHUTDOWN,                      /* shutdown_reason valid */
    DOMSTATE_DYING,                         /* being destroyed */
    DOMSTATE_DEAD,                          /* destroyed: a zombie until
                                               its last reference goes */
};

struct domain;
struct rangeset;

struct vcpu {
    unsigned int vcpu_id;                   /* (c) */
    struct domain *domain;                  /* (c) */
    unsigned int processor;                 /* [d->lock] physical CPU */
    bool is_initialised;                    /* [d->lock] has a context */
    bool is_up;                             /* [d->lock] runnable if unpaused */
    int pause_count;                        /* [atomic] */
    struct vcpu_info *vcpu_info;            /* guest-registered or in shared_info */
    bool is_blocked;                        /* [this vCPU] in block/poll */
    bool poll_timed_out;                    /* [this vCPU] */
    struct timer singleshot_timer;          /* VIRQ_TIMER one-shot */
    struct timer periodic_timer;            /* VIRQ_TIMER periodic */
    struct timer poll_timer;                /* SCHEDOP_poll timeout */
    spinlock_t periodic_lock;               /* leaf, before event locks */
    uint64_t periodic_ns;                   /* [periodic_lock] 0: stopped */
    s_time_t periodic_last;                 /* [periodic_lock] last tick */
    bool periodic_running;                  /* [periodic_lock] vCPU runs */
    struct sched_vcpu sched;                /* see keel/sched-if.h */
    struct arch_vcpu arch;                  /* [this vCPU] */
};

struct domain {
    domid_t domain_id;                      /* (c) */
    bool is_privileged;                     /* (c) dom0 */
    spinlock_t lock;
    enum domain_state state;                /* [lock] */
    unsigned int shutdown_reason;           /* [lock] SHUTDOWN_*, or
                                               SHUTDOWN_CODE_INVALID */
    bool is_shut_down;                      /* [lock] shutdown happened */
    int pause_count;                        /* [atomic] */
    unsigned int controller_pause_count;    /* [lock] pausedomain count;
                                               1 at creation by domctl */
    unsigned int refcnt;                    /* [atomic] */
    uint32_t ssidref;                       /* (c) createdomain's label */
    uint8_t handle[DOMAIN_HANDLE_SIZE];     /* [lock] toolstack UUID */
    int64_t time_offset_seconds;            /* [lock] settimeoffset */

    spinlock_t page_alloc_lock;
    struct page_list_entry page_list;       /* [page_alloc_lock] head/tail MFNs */
    unsigned long tot_pages;                /* [page_alloc_lock] */
    unsigned long max_pages;                /* [page_alloc_lock] */
    unsigned long xenheap_pages;            /* [page_alloc_lock] shared_info etc */

    struct shared_info *shared_info;        /* (c) hypervisor mapping */
    mfn_t shared_info_mfn;                  /* (c) */
    unsigned int max_vcpus;                 /* (c) */
    struct vcpu **vcpu;                     /* (c) array of max_vcpus */
    /*
     * The toolstack has seen XEN_DOMCTL_max_vcpus (always true for dom0).
     * Keel makes the vCPUs with the domain; Xen only at max_vcpus, and its
     * vCPU commands find none before: Keel answers the same way.
     */
    bool vcpus_published;                   /* [domctl lock] */

    unsigned long vm_assist;                /* [lock] VMASST_* bits */
    unsigned int sched_weight;              /* [lock] proportional share */
    unsigned int sched_cap;                 /* [lock] % of a CPU, 0: none */
    uint64_t cap_used;                      /* [atomic] ns this cap period */

    /* Event channels (common/event/, include/keel/event.h). */
    spinlock_t event_lock;                  /* after d->lock; lower id first */
    struct evtchn_domain *evtchn;           /* [event_lock] port table */

    /* Grant table (common/grant/, include/keel/grant_table.h). */
    struct grant_table *grant_table;        /* [lock] the pointer */

    /*
     * What the domain may reach directly (XEN_DOMCTL_*_permission):
     * machine frames, I/O ports, IRQs.  The pointers are (c); the sets'
     * contents are [lock].
     */
    struct rangeset *iomem_caps;
    struct rangeset *ioport_caps;
    struct rangeset *irq_caps;

    struct arch_domain arch;
};

/* The vCPU running on this CPU (idle vCPU when none). */
struct vcpu *get_current(void);
void set_current(struct vcpu *v);
#define current (get_current())

extern struct domain *hardware_domain;     /* (c) dom0 once built */

/* What a new domain gets (dom0 builder, XEN_DOMCTL_createdomain). */
struct domain_config {
    unsigned int max_vcpus;                 /* 1..MAX_VIRT_CPUS */
    bool privileged;                        /* dom0 */
    bool controller_paused;                 /* created by the toolstack:
                                               one pausedomain to undo */
    uint32_t ssidref;
    const uint8_t *handle;                  /* NULL: all zero */
    unsigned int max_evtchn_port;           /* ~0u: the default */
    int max_grant_frames;                   /* < 0: the default */
    int max_maptrack_frames;                /* < 0: the default */
};

/*
 * Create a paused domain with id domid, or with the next free id after
 * the allocation rover (as Xen's createdomain) when domid is
 * DOMID_INVALID.  0 and *out set, -EEXIST (id in use), -ENOMEM (no id
 * free, or no memory), -EINVAL.
 */
int domain_create_config(domid_t domid, const struct domain_config *cfg,
                         struct domain **out);
struct domain *domain_create(domid_t domid, unsigned int max_vcpus,
                             bool privileged);
int domain_assign_page(struct domain *d, struct page_info *pg,
                       unsigned int order, bool xenheap);
/* Free every page the domain owns (no page-table refs may remain). */
void domain_relinquish_memory(struct domain *d);
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
void domain_shutdown(struct domain *d, unsigned int reason);
void __noreturn domain_crash_current(const char *why);
void domain_crash(struct domain *d, const char *why);
/*
 * Destroy d (XEN_DOMCTL_destroydomain): pause it for good, close its event
 * channels, release its grant table and memory, mark it dead, drop the
 * domain list's reference and tell dom0 (VIRQ_DOM_EXC).  Preemptible:
 * -ERESTART means "call again"; 0 once done (and on a domain already
 * dead).  Callers serialise (the domctl lock).
 */
int domain_kill(struct domain *d);
/* Pause until none of d's vCPUs is on a CPU (d is not the caller's). */
void domain_pause_sync(struct domain *d);
/* Is v on a CPU right now (or still being saved by the one it left)? */
bool vcpu_is_running(const struct vcpu *v);
/* The same for one vCPU (not the caller), and its undoing. */
void vcpu_pause_sync(struct vcpu *v);
void vcpu_unpause(struct vcpu *v);
/*
 * The toolstack's pause count (pausedomain/unpausedomain): -EOVERFLOW
 * past 255 pauses, -EINVAL unpausing a domain it has not paused.
 */
int domain_pause_by_controller(struct domain *d);
int domain_unpause_by_controller(struct domain *d);
/* Call fn for every listed domain, in id order, under domlist_lock. */
void domain_for_each(void (*fn)(struct domain *d, void *arg), void *arg);
/*
 * The first listed domain with id >= first, with a reference taken, or
 * NULL.  Costs at most one scan of the id bitmap.
 */
struct domain *domain_get_next(domid_t first);
/* Exactly this id (no DOMID_SELF), with a reference taken, or NULL. */
struct domain *domain_get_by_exact_id(domid_t id);
/* Publish the wallclock (with d's time offset) in d's shared_info. */
void domain_set_time_offset(struct domain *d, int64_t seconds);

/* Arch hooks: per-vCPU arch state (0 or -ENOMEM), and its release. */
int arch_vcpu_create(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);

/* Arch hook: the current vCPU must never run again; go idle. */
void __noreturn arch_vcpu_abandon(void);
bool domain_get(struct domain *d);
void domain_put(struct domain *d);
/* DOMID_SELF or an ID: the domain with a reference taken, or NULL. */
struct domain *domain_get_by_id(domid_t id, struct domain *cur);

/* Iterate a domain's pages: MFN of first/next (PAGE_LIST_NULL ends). */
static inline bool page_list_empty(const struct page_list_entry *h)
{
    return h->next == PAGE_LIST_NULL;
}

#endif /* KEEL_DOMAIN_H */
