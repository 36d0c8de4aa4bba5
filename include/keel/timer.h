/*
 * One-shot software timers on per-CPU queues (common/timer.c).  A timer
 * fires on the CPU it was set on, from TIMER_SOFTIRQ.  Each CPU's queue
 * is a sorted list guarded by that CPU's queue lock.
 */
#ifndef KEEL_TIMER_H
#define KEEL_TIMER_H

#include <keel/types.h>
#include <asm/time.h>

struct timer {
    s_time_t expires;               /* [q] queue lock */
    void (*fn)(void *data);         /* (c) after init_timer */
    void *data;                     /* (c) */
    unsigned int cpu;               /* [q] */
    bool active;                    /* [q] on a queue */
    struct timer *next;             /* [q] */
    const char *name;               /* (c) for dump_timers */
};

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu, const char *name);
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
void timer_init(void);              /* boot CPU: softirq, interrupt */
void timer_init_cpu(void);          /* every CPU */
void dump_timers(void);

/* Arch hook: interrupt this CPU at (or soon after) `deadline`. */
void arch_timer_program(s_time_t deadline);

#endif
