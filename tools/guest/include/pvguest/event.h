/*
 * Event channels, blocking and time for PV test kernels (event.c,
 * event_entry.S, time.c).
 *
 * The runtime's own event callback (traps.c) only acknowledges upcalls.
 * A kernel that tests event delivery calls pv_evt_init(), which registers
 * pv_evt_entry instead, on vCPU 0 and every online secondary (<pvguest/
 * smp.h>; a secondary started later gets it in its context): each upcall
 * then scans the 2-level bitmaps the ABI's way (take the selector of the
 * vCPU it runs on, then the pending & ~mask words it names), clears the
 * pending bit of every port it finds that is bound to that vCPU
 * (pv_evt_owner), counts it in pv_evt_count[port], notes the vCPU in
 * pv_evt_taker[port] and its pvclock in pv_evt_time[port], and calls
 * pv_evt_hook if one is set.  A port bound to another vCPU is left for
 * that one (pv_evt_nr_foreign).  What the upcall looked like is kept for
 * checks: the selector it took, the upcall mask on entry and the bounce
 * frame (pv_evt_last_*, and per vCPU in pv_cpus[]).
 *
 * pv_evt_owner follows the bind wrappers: alloc_unbound and
 * bind_interdomain give vCPU 0 (as the hypervisor does), bind_ipi,
 * bind_virq and bind_vcpu the vCPU named, close and reset vCPU 0 again.
 * A kernel that binds with raw hypercalls sets it with pv_evt_set_owner.
 *
 * Upcalls are made only while vcpu_info.evtchn_upcall_mask is 0.
 * pv_evt_enable() clears it (the calling vCPU's) and, when an upcall is
 * already pending, makes a harmless hypercall so that the hypervisor
 * delivers it on the way back (clearing the mask alone is invisible to
 * the hypervisor).
 */
#ifndef PVGUEST_EVENT_H
#define PVGUEST_EVENT_H

#include <pvguest/lib.h>
#include <public/event_channel.h>

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return HC(event_channel_op, cmd, arg, 0, 0, 0);
}

static inline long HYPERVISOR_set_timer_op(uint64_t timeout)
{
    return HC(set_timer_op, timeout, 0, 0, 0, 0);
}

/* Ports of the 2-level ABI for a 64-bit guest. */
#define PV_EVT_NR_PORTS     4096
#define PV_EVT_WORDS        (PV_EVT_NR_PORTS / 64)

/* The part of the bounce frame above RCX and R11. */
struct pv_evt_frame {
    unsigned long rip, cs, rflags, rsp, ss;
};

extern volatile uint32_t pv_evt_count[PV_EVT_NR_PORTS];
extern volatile uint8_t pv_evt_taker[PV_EVT_NR_PORTS];  /* 0xff: none */
extern volatile uint8_t pv_evt_owner[PV_EVT_NR_PORTS];  /* bound vCPU */
extern volatile uint64_t pv_evt_time[PV_EVT_NR_PORTS];  /* taker's pvclock */
extern volatile unsigned long pv_evt_nr_upcalls;  /* through pv_evt_entry */
extern volatile unsigned long pv_evt_nr_ports;    /* ports taken, all upcalls */
extern volatile unsigned long pv_evt_nr_empty;    /* upcalls with selector 0 */
extern volatile unsigned long pv_evt_nr_foreign;  /* seen, another vCPU's */
extern volatile unsigned long pv_evt_last_sel;    /* selector of the last */
extern volatile uint8_t pv_evt_last_mask;         /* upcall mask on entry */
extern volatile uint8_t pv_evt_last_pending;      /* upcall_pending on entry */
extern struct pv_evt_frame pv_evt_last_frame;
extern void (*volatile pv_evt_hook)(evtchn_port_t port);
extern char pv_evt_entry[];
extern void *pv_evt_callback;           /* vCPU 0's event callback */

/*
 * Register pv_evt_entry as the event callback (CALLBACKOP_register) of
 * every online vCPU; vCPU 0's result.
 */
long pv_evt_init(void);
/* Put the runtime's default event callback back, on every online vCPU. */
long pv_evt_fini(void);
/* Zero pv_evt_count, pv_evt_taker and the upcall counters. */
void pv_evt_reset_counts(void);
/* The calling vCPU's upcall mask 0, and anything pending delivered now. */
void pv_evt_enable(void);
/* The calling vCPU's upcall mask 1. */
void pv_evt_disable(void);
/* PORT is bound to VCPU (for ports bound without the wrappers). */
void pv_evt_set_owner(evtchn_port_t port, unsigned int vcpu);

/* EVTCHNOP wrappers: 0 or -errno; ports come back through the pointers. */
long pv_evtchn_alloc_unbound(domid_t dom, domid_t remote,
                             evtchn_port_t *port);
long pv_evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport,
                                evtchn_port_t *lport);
long pv_evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
long pv_evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
long pv_evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu);
long pv_evtchn_send(evtchn_port_t port);
long pv_evtchn_close(evtchn_port_t port);
long pv_evtchn_unmask(evtchn_port_t port);
long pv_evtchn_status(domid_t dom, evtchn_port_t port,
                      struct evtchn_status *st);
long pv_evtchn_reset(domid_t dom);
/* A loopback pair: alloc_unbound(self, self) in *A, bound from *B. */
long pv_evtchn_loopback(evtchn_port_t *a, evtchn_port_t *b);

/* The 2-level bitmaps in shared_info, as the guest sees and changes them. */
bool pv_evtchn_is_pending(evtchn_port_t port);
bool pv_evtchn_is_masked(evtchn_port_t port);
void pv_evtchn_clear_pending(evtchn_port_t port);
void pv_evtchn_mask(evtchn_port_t port);          /* guest-side, no call */
void pv_evtchn_clear_mask(evtchn_port_t port);    /* guest-side, no call */
/* Selector bit WORD of vCPU VCPU's vcpu_info in shared_info. */
bool pv_evtchn_sel_bit(unsigned int vcpu, unsigned int word);

/* sched_op: SCHEDOP_block (clears the upcall mask) and SCHEDOP_poll. */
long pv_block(void);
long pv_poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout);

/* vCPUs of this domain: ids answered by VCPUOP_is_up. */
unsigned int pv_nr_vcpus(void);

/* ---- time (time.c) ---------------------------------------------------- */
static inline uint64_t pv_rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile ( "lfence; rdtsc" : "=a" (lo), "=d" (hi) : : "memory" );
    return ((uint64_t)hi << 32) | lo;
}

/* One consistent pvclock reading, with the raw fields it was made from. */
struct pv_clock_sample {
    uint64_t now;                       /* system time, ns */
    uint64_t tsc;                       /* the TSC it was computed from */
    uint64_t tsc_timestamp, system_time;
    uint32_t version, mul;
    int8_t shift;
    unsigned int retries;               /* odd or changed versions seen */
};

/* Read T (retrying while its version is odd or changes). */
void pv_clock_read(const volatile struct vcpu_time_info *t,
                   struct pv_clock_sample *s);
/* The calling vCPU's system time, ns. */
uint64_t pv_now(void);
/* The wall clock at system time 0: seconds, ns, and the even version. */
void pv_wallclock(uint64_t *sec, uint32_t *nsec, uint32_t *version);

#define PV_MS(n)    ((uint64_t)(n) * 1000000ULL)

#endif /* PVGUEST_EVENT_H */
