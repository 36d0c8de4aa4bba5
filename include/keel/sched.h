/*
 * vCPU blocking, polling and guest timers (common/sched/core.c).
 *
 * Blocking and polling make the vCPU non-runnable until an event or a
 * timeout wakes it (the scheduler, keel/sched-if.h, runs others
 * meanwhile).  Guest timers are per-vCPU struct timers raising VIRQ_TIMER.
 */
#ifndef KEEL_SCHED_H
#define KEEL_SCHED_H

#include <keel/domain.h>
#include <keel/timer.h>

void sched_vcpu_init(struct vcpu *v);
void sched_vcpu_destroy(struct vcpu *v);

/* VCPUOP timer sub-ops for v (the caller's domain). */
long sched_set_singleshot(struct vcpu *v, s_time_t deadline, bool future);
void sched_stop_singleshot(struct vcpu *v);
long sched_set_periodic(struct vcpu *v, uint64_t period_ns);
void sched_stop_periodic(struct vcpu *v);

/* v gets / leaves a CPU: its periodic timer runs only meanwhile. */
void sched_periodic_resume(struct vcpu *v);
void sched_periodic_pause(struct vcpu *v);

/* An upcall became pending for v: wake it if it blocks or polls. */
void sched_vcpu_wake(struct vcpu *v);
/* A port v polls was raised: wake it if it polls (not if it blocks). */
void sched_vcpu_poll_wake(struct vcpu *v);

/* Wallclock at boot (epoch seconds) from the RTC; into shared_info. */
void wallclock_init(void);
void wallclock_publish(struct domain *d);

#endif /* KEEL_SCHED_H */
