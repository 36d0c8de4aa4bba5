/*
 * Event channels (common/event/): the interface for the rest of Keel.
 *
 * Each domain has a table of ports (at most 4096, the 2-level ABI's
 * limit, or fewer with evtchn_set_max_port()).  A port is bound to one
 * source: the other end of an interdomain channel, a VIRQ, an IPI between
 * the domain's own vCPUs, or nothing yet (unbound).  Raising a port sets
 * its bit in shared_info.evtchn_pending; if the port is not masked the
 * notified vCPU's selector bit and evtchn_upcall_pending follow, and
 * arch_evtchn_notify() kicks that vCPU.  Port 0 is reserved, as in Xen.
 *
 * Locking: d->event_lock guards the domain's port table (leaf apart from
 * the allocator; an interdomain operation takes both domains' locks, the
 * lower domain id first).  None of these functions may be called with an
 * event lock held, nor from interrupt context (raise a softirq and send
 * from there): the locks are not IRQ-safe.
 */
#ifndef KEEL_EVENT_H
#define KEEL_EVENT_H

#include <keel/types.h>
#include <public/xen.h>

struct domain;
struct vcpu;

/*
 * Lifecycle.  evtchn_init() runs in domain_create() after the vCPUs exist
 * and before the domain is listed: 0 or -ENOMEM/-EINVAL.
 * evtchn_destroy() closes every port (peers of interdomain channels see
 * their end become unbound) and frees the table; new bindings fail from
 * its start.  Safe on a domain whose evtchn_init() failed or never ran,
 * and idempotent.
 */
int evtchn_init(struct domain *d);
void evtchn_destroy(struct domain *d);

/*
 * Limit the domain to ports 0..max_port (domain creation: a toolstack's
 * max_evtchn_port).  Values past the 2-level limit mean the limit.
 * -EBUSY if a port above the new limit is already in use.
 */
int evtchn_set_max_port(struct domain *d, unsigned int max_port);

/* Per-vCPU VIRQs (VIRQ_TIMER, VIRQ_DEBUG, ...): raise v's binding, if any. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/* Global VIRQs (VIRQ_DOM_EXC, VIRQ_CONSOLE, ...) to domain d, or to dom0. */
void send_guest_global_virq(struct domain *d, unsigned int virq);
void send_global_virq(unsigned int virq);
/* Per-vCPU or global?  (VIRQ_TIMER, DEBUG, XENOPROF, XENPMU are per-vCPU.) */
bool evtchn_virq_is_global(unsigned int virq);

/*
 * Send on d's port as EVTCHNOP_send does: interdomain to the peer, IPI to
 * d itself, unbound is dropped (0).  -EINVAL for any other port.
 */
int evtchn_send_port(struct domain *d, evtchn_port_t port);

/*
 * SCHEDOP_poll.  A port is valid when it lies in the allocated part of the
 * table (-EINVAL otherwise, as Xen's port_is_valid()).  is_pending is
 * false for invalid, free and reserved ports; neither ever touches a
 * bucket that is not there (XSA-221, XSA-317).
 *
 * Polling protocol: evtchn_poll_begin(v, port) (port 0: any port), then
 * check the ports with evtchn_port_is_pending() and block only if none
 * is; a port of v's domain becoming pending (even masked) ends the poll
 * and calls sched_vcpu_poll_wake(v).  evtchn_poll_end(v) when v wakes for
 * another reason (its upcall, a timeout), from v itself; it returns false
 * if the poll was already ended by an event.
 */
bool evtchn_port_is_valid(struct domain *d, evtchn_port_t port);
bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port);
/* Bound or unbound, not free or reserved (what SCHEDOP_poll may wait on). */
bool evtchn_port_in_use(struct domain *d, evtchn_port_t port);
void evtchn_poll_begin(struct vcpu *v, evtchn_port_t port);
bool evtchn_poll_end(struct vcpu *v);

/* An upcall is pending and not masked (SCHEDOP_block's wake condition). */
bool evtchn_vcpu_upcall_pending(const struct vcpu *v);

/*
 * Leak checks: ports in use in d (port 0 not counted; 0 once destroyed),
 * and port-table buckets allocated across all domains.
 */
unsigned int evtchn_ports_in_use(struct domain *d);
unsigned long evtchn_buckets_in_use(void);

/*
 * Arch hook (arch/x86): v's upcall became pending (a port it polls being
 * raised calls sched_vcpu_poll_wake() instead).  Wake v if it is blocked
 * or polls, and make sure it passes through
 * pv_exit_to_guest() before it next runs guest code (IPI its CPU if it is
 * running elsewhere).  Called with event locks held (v's domain's, or a
 * sending peer's): must not take one, nor wait.
 */
void arch_evtchn_notify(struct vcpu *v);

#endif /* KEEL_EVENT_H */
