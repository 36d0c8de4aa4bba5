/*
 * Keel public ABI: HYPERVISOR_sched_op(cmd, arg).
 *
 * Giving up the CPU, blocking for events, and shutting the domain down.
 * Numbers and layouts are Xen 4.17's.  The older sched_op_compat
 * (hypercall 6) takes the same cmd values but passes the shutdown reason
 * directly as arg instead of a struct.
 *
 * Privilege: every sub-op acts on the caller, except remote_shutdown
 * (privilege over the target domain) and pin_override (hardware domain
 * only).  Common errors: -XEN_EFAULT, -XEN_EINVAL, -XEN_ENOSYS (unknown
 * cmd).
 */
#ifndef KEEL_PUBLIC_SCHED_H
#define KEEL_PUBLIC_SCHED_H

#include "xen.h"

/* arg unused.  Let another vCPU run; returns 0. */
#define SCHEDOP_yield           0

/* arg unused.  Clear the caller's upcall mask and sleep until an event is
 * pending for this vCPU (returns at once if one already is).  Returns 0. */
#define SCHEDOP_block           1

/* arg = struct sched_shutdown.  Stop the calling domain with @reason; the
 * call does not return (the toolstack decides what happens next). */
#define SCHEDOP_shutdown        2

/* arg = struct sched_poll.  Sleep until one of the ports is pending or the
 * absolute system time @timeout (ns, 0 = none) passes; returns 0.
 * -XEN_EINVAL for more than 128 ports or an invalid port. */
#define SCHEDOP_poll            3

/* arg = struct sched_remote_shutdown.  Shut down another domain.
 * Privilege over it; -XEN_ESRCH if it does not exist. */
#define SCHEDOP_remote_shutdown 4

/* arg = struct sched_shutdown.  Record the reason the domain will report
 * when it shuts down later (e.g. a crash kernel taking over); returns 0. */
#define SCHEDOP_shutdown_code   5

/* arg = struct sched_watchdog.  id 0 creates a watchdog and returns its id;
 * a non-zero id re-arms it, or with timeout 0 destroys it.  When a timer
 * expires the domain shuts down with SHUTDOWN_watchdog.  -XEN_EINVAL (bad
 * id), -XEN_ENOSPC (no free watchdog). */
#define SCHEDOP_watchdog        6

/* arg = struct sched_pin_override.  Temporarily pin the calling vCPU to
 * physical CPU @pcpu (-1 ends it).  Hardware domain only. */
#define SCHEDOP_pin_override    7

struct sched_shutdown {
    unsigned int reason;        /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);
XEN_ABI_CHECK_SIZE(struct sched_shutdown, 4);

struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;  /* ports to wait on */
    unsigned int nr_ports;                  /* at most 128 */
    uint64_t timeout;                       /* absolute ns, 0 = none */
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);
XEN_ABI_CHECK_SIZE(struct sched_poll, 24);
XEN_ABI_CHECK_OFFSET(struct sched_poll, nr_ports, 8);
XEN_ABI_CHECK_OFFSET(struct sched_poll, timeout, 16);

struct sched_remote_shutdown {
    domid_t domain_id;          /* domain to stop */
    unsigned int reason;        /* SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);
XEN_ABI_CHECK_SIZE(struct sched_remote_shutdown, 8);
XEN_ABI_CHECK_OFFSET(struct sched_remote_shutdown, reason, 4);

struct sched_watchdog {
    uint32_t id;                /* 0 = create, else the watchdog to use */
    uint32_t timeout;           /* seconds; 0 destroys */
};
typedef struct sched_watchdog sched_watchdog_t;
DEFINE_XEN_GUEST_HANDLE(sched_watchdog_t);
XEN_ABI_CHECK_SIZE(struct sched_watchdog, 8);

struct sched_pin_override {
    int32_t pcpu;               /* physical CPU, or -1 to undo */
};
typedef struct sched_pin_override sched_pin_override_t;
DEFINE_XEN_GUEST_HANDLE(sched_pin_override_t);
XEN_ABI_CHECK_SIZE(struct sched_pin_override, 4);

/* Shutdown reasons, reported to the toolstack (XEN_DOMINF_shutdown). */
#define SHUTDOWN_poweroff   0   /* clean exit: destroy the domain */
#define SHUTDOWN_reboot     1   /* destroy and start it again */
#define SHUTDOWN_suspend    2   /* state saved, keep it for resume */
#define SHUTDOWN_crash      3   /* the guest crashed */
#define SHUTDOWN_watchdog   4   /* a watchdog expired */
#define SHUTDOWN_soft_reset 5   /* reset keeping memory (kexec style) */
#define SHUTDOWN_MAX        5

#endif /* KEEL_PUBLIC_SCHED_H */
