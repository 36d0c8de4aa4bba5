/*
 * Softirqs: per-CPU deferred work, run from the idle loop (and later on
 * return to guests) with interrupts enabled.
 */
#ifndef KEEL_SOFTIRQ_H
#define KEEL_SOFTIRQ_H

enum {
    TIMER_SOFTIRQ,
    SCHEDULE_SOFTIRQ,
    CONSOLE_SOFTIRQ,
    NR_SOFTIRQS
};

typedef void softirq_handler(void);

void open_softirq(unsigned int nr, softirq_handler *h);
void raise_softirq(unsigned int nr);
void cpu_raise_softirq(unsigned int cpu, unsigned int nr);
bool softirq_pending(unsigned int cpu);
void do_softirq(void);

#endif
