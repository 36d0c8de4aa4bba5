/*
 * sched_op, set_timer_op and the vCPU timers.
 *
 * A blocked vCPU waits in the hypervisor on its own CPU: the loop below
 * halts with interrupts enabled, runs softirqs (timers, console) as they
 * come, and ends as soon as the vCPU has an event pending, its poll set
 * has a pending port, its poll timeout passes, or its domain stops
 * running.  It never spins without halting and never holds a lock.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/event.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/sched.h>
#include <keel/softirq.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>
#include <xsm/xsm.h>

#define POLL_MAX_PORTS       128
#define PERIODIC_MIN_NS      1000000ULL        /* 1 ms, as Xen */

static void vcpu_timer_fn(void *data)
{
    send_guest_vcpu_virq(data, VIRQ_TIMER);
}

static void periodic_timer_fn(void *data)
{
    struct vcpu *v = data;

    send_guest_vcpu_virq(v, VIRQ_TIMER);
    set_timer(&v->periodic_timer, v->periodic_timer.expires + v->periodic_ns);
}

static void poll_timer_fn(void *data)
{
    struct vcpu *v = data;

    v->poll_timed_out = true;
}

void sched_vcpu_init(struct vcpu *v)
{
    init_timer(&v->singleshot_timer, vcpu_timer_fn, v, 0, "vcpu singleshot");
    init_timer(&v->periodic_timer, periodic_timer_fn, v, 0, "vcpu periodic");
    init_timer(&v->poll_timer, poll_timer_fn, v, 0, "vcpu poll");
}

void sched_vcpu_destroy(struct vcpu *v)
{
    stop_timer(&v->singleshot_timer);
    stop_timer(&v->periodic_timer);
    stop_timer(&v->poll_timer);
}

void sched_vcpu_wake(struct vcpu *v)
{
    /* The waiting CPU halts; an event-check IPI gets it to look again. */
    if ( v->is_blocked && v->processor != smp_processor_id() )
        cpu_raise_softirq(v->processor, TIMER_SOFTIRQ);
}

static bool events_pending(const struct vcpu *v)
{
    return v->vcpu_info->evtchn_upcall_pending;
}

/* Is any port of the poll set pending?  Ports were validated already. */
static bool poll_set_pending(struct vcpu *v, const evtchn_port_t *ports,
                             unsigned int nr)
{
    unsigned int i;

    for ( i = 0; i < nr; i++ )
        if ( evtchn_port_is_pending(v->domain, ports[i]) )
            return true;
    return false;
}

/*
 * Wait until `done` says so.  Interrupts run; softirqs are processed
 * here, so timers (including the vCPU's own) fire while we wait.
 */
static void vcpu_wait(struct vcpu *v, const evtchn_port_t *ports,
                      unsigned int nr)
{
    unsigned int cpu = smp_processor_id();

    v->is_blocked = true;
    for ( ; ; )
    {
        local_irq_disable();
        if ( softirq_pending(cpu) )
        {
            local_irq_enable();
            do_softirq();
            continue;
        }
        if ( v->domain->state != DOMSTATE_RUNNING ||
             (ports ? (poll_set_pending(v, ports, nr) || v->poll_timed_out)
                    : events_pending(v)) )
            break;
        safe_halt();
    }
    local_irq_enable();
    v->is_blocked = false;
}

static long sched_block(struct vcpu *v)
{
    v->vcpu_info->evtchn_upcall_mask = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ( !events_pending(v) )
        vcpu_wait(v, NULL, 0);
    return 0;
}

static long sched_poll(struct vcpu *v, unsigned long arg)
{
    struct sched_poll sp;
    evtchn_port_t ports[POLL_MAX_PORTS];
    unsigned int i;

    if ( copy_from_guest(&sp, arg, sizeof(sp)) )
        return -EFAULT;
    if ( sp.nr_ports > POLL_MAX_PORTS )
        return -EINVAL;
    if ( copy_from_guest(ports, xen_guest_handle_addr(sp.ports),
                         sp.nr_ports * sizeof(ports[0])) )
        return -EFAULT;
    for ( i = 0; i < sp.nr_ports; i++ )
        if ( !evtchn_port_is_valid(v->domain, ports[i]) )
            return -EINVAL;
    if ( poll_set_pending(v, ports, sp.nr_ports) )
        return 0;
    v->poll_timed_out = false;
    if ( sp.timeout )
        set_timer(&v->poll_timer, sp.timeout);
    vcpu_wait(v, ports, sp.nr_ports);
    stop_timer(&v->poll_timer);
    return 0;
}

long do_sched_op(unsigned long cmd, unsigned long arg, unsigned long a3,
                 unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;

    switch ( cmd )
    {
    case SCHEDOP_yield:
        return 0;

    case SCHEDOP_block:
        return sched_block(v);

    case SCHEDOP_poll:
        return sched_poll(v, arg);

    case SCHEDOP_shutdown:
    case SCHEDOP_shutdown_code:
    {
        struct sched_shutdown s;

        if ( copy_from_guest(&s, arg, sizeof(s)) )
            return -EFAULT;
        if ( cmd == SCHEDOP_shutdown_code )
        {
            /* Recorded for whoever later asks why the domain stopped. */
            d->shutdown_reason = s.reason;
            return 0;
        }
        domain_shutdown(d, s.reason);
        return 0;
    }

    case SCHEDOP_remote_shutdown:
    {
        struct sched_remote_shutdown rs;
        struct domain *t;
        int rc;

        if ( copy_from_guest(&rs, arg, sizeof(rs)) )
            return -EFAULT;
        if ( (t = domain_get_by_id(rs.domain_id, d)) == NULL )
            return -ESRCH;
        rc = xsm_default_action(XSM_PRIV, d, t);
        if ( !rc )
            domain_shutdown(t, rs.reason);
        domain_put(t);
        return rc;
    }
    }
    return -ENOSYS;
}

long sched_set_singleshot(struct vcpu *v, s_time_t deadline, bool future)
{
    if ( future && deadline < NOW() )
        return -ETIME;
    set_timer(&v->singleshot_timer, deadline);
    return 0;
}

void sched_stop_singleshot(struct vcpu *v)
{
    stop_timer(&v->singleshot_timer);
}

long sched_set_periodic(struct vcpu *v, uint64_t period_ns)
{
    if ( period_ns < PERIODIC_MIN_NS || period_ns > INT64_MAX / 2 )
        return -EINVAL;
    v->periodic_ns = period_ns;
    set_timer(&v->periodic_timer, NOW() + (s_time_t)period_ns);
    return 0;
}

void sched_stop_periodic(struct vcpu *v)
{
    stop_timer(&v->periodic_timer);
}

/*
 * set_timer_op: a one-shot VIRQ_TIMER at an absolute system time; 0
 * cancels.  A time already past fires at once.
 */
long do_set_timer_op(unsigned long timeout, unsigned long a2, unsigned long a3,
                     unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    if ( timeout == 0 )
        stop_timer(&v->singleshot_timer);
    else
        set_timer(&v->singleshot_timer,
                  (s_time_t)MIN(timeout, (unsigned long)INT64_MAX));
    return 0;
}
