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
 * Locks: d->lock guards the lifecycle fields; d->page_alloc_lock guards
 * page_list, tot_pages and the owner field of the domain's pages.  Order:
 * d->lock before d->page_alloc_lock; both before the heap lock.
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
#define MAX_VIRT_CPUS        32            /* legacy vcpu_info slots */

enum domain_state {
    DOMSTATE_PAUSED_NEW,                    /* created, never run */
    DOMSTATE_RUNNING,
    DOMSTATE_SHUTDOWN,                      /* shutdown_reason valid */
    DOMSTATE_DYING,
    DOMSTATE_DEAD,
};

struct domain;

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
    unsigned int shutdown_reason;           /* [lock] SHUTDOWN_* */
    int pause_count;                        /* [atomic] */
    unsigned int refcnt;                    /* [atomic] */

    spinlock_t page_alloc_lock;
    struct page_list_entry page_list;       /* [page_alloc_lock] head/tail MFNs */
    unsigned long tot_pages;                /* [page_alloc_lock] */
    unsigned long max_pages;                /* [page_alloc_lock] */
    unsigned long xenheap_pages;            /* [page_alloc_lock] shared_info etc */

    struct shared_info *shared_info;        /* (c) hypervisor mapping */
    mfn_t shared_info_mfn;                  /* (c) */
    unsigned int max_vcpus;                 /* (c) */
    struct vcpu **vcpu;                     /* (c) array of max_vcpus */

    unsigned long vm_assist;                /* [lock] VMASST_* bits */
    unsigned int sched_weight;              /* [lock] proportional share */
    unsigned int sched_cap;                 /* [lock] % of a CPU, 0: none */
    uint64_t cap_used;                      /* [atomic] ns this cap period */

    /* Event channels (common/event/, include/keel/event.h). */
    spinlock_t event_lock;                  /* after d->lock; lower id first */
    struct evtchn_domain *evtchn;           /* [event_lock] port table */

    /* Grant table (common/grant/, include/keel/grant_table.h). */
    struct grant_table *grant_table;        /* [lock] the pointer */

    struct arch_domain arch;
};

/* The vCPU running on this CPU (idle vCPU when none). */
struct vcpu *get_current(void);
void set_current(struct vcpu *v);
#define current (get_current())

extern struct domain *hardware_domain;     /* (c) dom0 once built */

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
/* Unlist a dead domain and release its resources (event channels, memory). */
void domain_destroy(struct domain *d);
/* Walk the domain list: *i starts at 0; NULL at the end (no reference). */
struct domain *sched_domain_iter(unsigned int *i);

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
