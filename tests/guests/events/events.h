/*
 * events: shared declarations of the event-channel conformance kernel's
 * parts: delivery, unmask, status and the bind operations (events.c),
 * hostile arguments (hostile.c), exhaustion, the event storm, reset and
 * FIFO (storm.c), SCHEDOP_poll/SCHEDOP_block (poll.c), and the same
 * across several vCPUs (smp.c).
 */
#ifndef EVENTS_TEST_H
#define EVENTS_TEST_H

#include <pvguest/event.h>

#define BAD_PTR_LOW     ((void *)0x1000)
#define BAD_PTR_XEN     ((void *)0xffff830000000000UL)

/* A global VIRQ nothing raises while the test runs. */
#define VIRQ_GLOBAL     VIRQ_DOM_EXC

extern unsigned int nr_vcpus;           /* vCPUs of this domain */
extern domid_t self_id;                 /* our domain id */

/* Expect status STATUS (EVTCHNSTAT_*) for PORT, notifying VCPU. */
void check_status(evtchn_port_t port, uint32_t status, uint32_t vcpu);
/*
 * A loopback pair (pv_evtchn_loopback) with the event Xen raises on the
 * bound end at bind_interdomain taken away again: nothing pending.
 */
long loopback_quiet(evtchn_port_t *a, evtchn_port_t *b);
/* Clear every trace of pending events for vCPU V (bitmaps untouched). */
void clear_upcall_state(unsigned int v);

void test_hostile(void);
void test_hostile_after_exhaustion(void);
void test_storm(void);
void test_reset(void);
void test_fifo(void);
void test_poll(void);
void test_smp(void);

#endif /* EVENTS_TEST_H */
