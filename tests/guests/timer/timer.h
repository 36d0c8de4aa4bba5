/*
 * timer: shared declarations of the time conformance kernel's parts:
 * pvclock and the wall clock (timer.c), the timers and VIRQ_TIMER
 * (timers.c), both on several vCPUs (smp.c).
 */
#ifndef TIMER_TEST_H
#define TIMER_TEST_H

#include <pvguest/event.h>

#define BAD_PTR_LOW     ((void *)0x1000)
#define BAD_PTR_XEN     ((void *)0xffff830000000000UL)

/* Far enough that reaching it means something did not fire. */
#define FAR_TIMEOUT     PV_MS(5000)

extern unsigned int nr_vcpus;
extern evtchn_port_t timer_port;        /* VIRQ_TIMER of vCPU 0 */

void test_timers(void);
void test_smp(void);

#endif /* TIMER_TEST_H */
