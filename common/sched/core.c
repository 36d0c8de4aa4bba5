/*
 * sched_op, set_timer_op and the vCPU timers.
 *
 * Blocking and polling hand the CPU back to the scheduler: the vCPU stops
 * being runnable until an event for it arrives (arch_evtchn_notify ->
 * sched_vcpu_wake) or its poll times out, and the hypercall's result (0)
 * is already in its saved registers when it runs again.
 */
#include <keel/domain.h>
#include <keel/errno.h>
#include <keel/event.h>
#include <keel/guest_access.h>
#include <keel/hypercall.h>
#include <keel/lib.h>
#include <keel/sched.h>
#include <keel/sched-if.h>
#include <keel/softirq.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>
#include <xsm/xsm.h>

#define POLL_MAX_PORTS       128
#define PERIODIC_MIN_NS      1000000ULL        /* 1 ms, as Xen */
#define PERIODIC_DEFAULT_NS  10000000ULL       /* 100 Hz from creation */
#define SET_TIMER_FAR_NS     (1ULL << 50)      /* ~13 days */
#define SET_TIMER_FALLBACK_NS 100000000LL      /* 100 ms */

static void vcpu_timer_fn(void *data)
{
    send_guest_vcpu_virq(data, VIRQ_TIMER);
}

static void periodic_timer_fn(void *data)
{
    struct vcpu *v = data;
    unsigned long flags = local_irq_save();

    /*
     * Under the vCPU's periodic lock, so that a pause (block, poll, the
     * vCPU leaving its CPU) cannot race with a tick already expiring.
     */
    spin_lock(&v->periodic_lock);
    if ( v->periodic_running && v->periodic_ns )
    {
        v->periodic_last = NOW();
        send_guest_vcpu_virq(v, VIRQ_TIMER);
        set_timer(&v->periodic_timer,
                  v->periodic_last + (s_time_t)v->periodic_ns);
    }
    spin_unlock(&v->periodic_lock);
    local_irq_restore(flags);
}

/*
 * The periodic timer runs only while its vCPU does (as Xen's): armed when
 * the vCPU gets a CPU, with an overdue tick raised at once, and stopped
 * when it leaves, blocks or polls.
 */
void sched_periodic_resume(struct vcpu *v)
{
    unsigned long flags = local_irq_save();
    s_time_t now = NOW();

    spin_lock(&v->periodic_lock);
    v->periodic_running = true;
    if ( v->periodic_ns )
    {
        stop_timer(&v->periodic_timer);
        v->periodic_timer.cpu = smp_processor_id();
        if ( now >= v->periodic_last + (s_time_t)v->periodic_ns )
        {
            v->periodic_last = now;
            send_guest_vcpu_virq(v, VIRQ_TIMER);
        }
        set_timer(&v->periodic_timer,
                  v->periodic_last + (s_time_t)v->periodic_ns);
    }
    spin_unlock(&v->periodic_lock);
    local_irq_restore(flags);
}

void sched_periodic_pause(struct vcpu *v)
{
    unsigned long flags = local_irq_save();

    spin_lock(&v->periodic_lock);
    v->periodic_running = false;
    stop_timer(&v->periodic_timer);
    spin_unlock(&v->periodic_lock);
    local_irq_restore(flags);
}

static void poll_timer_fn(void *data)
{
    struct vcpu *v = data;

    /* Only a poll still waiting times out (not a later block). */
    if ( !__atomic_load_n(&v->sched.polling, __ATOMIC_SEQ_CST) )
        return;
    evtchn_poll_end(v);
    sched_vcpu_wake(v);
}

void sched_vcpu_init(struct vcpu *v)
{
    init_timer(&v->singleshot_timer, vcpu_timer_fn, v, 0, "vcpu singleshot");
    init_timer(&v->periodic_timer, periodic_timer_fn, v, 0, "vcpu periodic");
    init_timer(&v->poll_timer, poll_timer_fn, v, 0, "vcpu poll");
    spin_lock_init(&v->periodic_lock);
    v->periodic_ns = PERIODIC_DEFAULT_NS;
}

void sched_vcpu_destroy(struct vcpu *v)
{
    stop_timer(&v->singleshot_timer);
    stop_timer(&v->periodic_timer);
    stop_timer(&v->poll_timer);
}

/*
 * An event (or a poll timeout) for v: if it waits, it becomes runnable.
 * Safe against the race with sched_block(): the flag is cleared before
 * the scheduler is asked, and sched_block() re-checks after setting it.
 */
void sched_vcpu_wake(struct vcpu *v)
{
    if ( !__atomic_exchange_n(&v->sched.blocked, false, __ATOMIC_SEQ_CST) )
        return;
    if ( __atomic_exchange_n(&v->sched.polling, false, __ATOMIC_SEQ_CST) )
        stop_timer(&v->poll_timer);
    vcpu_wake(v);
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
 * Block: the vCPU stops being runnable until an event arrives; the
 * hypercall returns 0 when it runs again.  The CPU goes to other vCPUs or
 * idles meanwhile (decided on the way back to the guest).
 */
static long sched_block(struct vcpu *v)
{
    /* A periodic timer does not run (or wake) a vCPU that waits. */
    sched_periodic_pause(v);
    v->vcpu_info->evtchn_upcall_mask = 0;
    __atomic_store_n(&v->sched.blocked, true, __ATOMIC_SEQ_CST);
    if ( events_pending(v) )
    {
        __atomic_store_n(&v->sched.blocked, false, __ATOMIC_SEQ_CST);
        sched_periodic_resume(v);           /* it keeps running */
    }
    else
        vcpu_sleep(v);
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
        if ( !evtchn_port_in_use(v->domain, ports[i]) )
            return -EINVAL;

    sched_periodic_pause(v);
    v->sched.polling = true;
    __atomic_store_n(&v->sched.blocked, true, __ATOMIC_SEQ_CST);
    evtchn_poll_begin(v, sp.nr_ports == 1 ? ports[0] : 0);
    if ( poll_set_pending(v, ports, sp.nr_ports) ||
         (v->vcpu_info->evtchn_upcall_pending &&
          !v->vcpu_info->evtchn_upcall_mask) )
    {
        evtchn_poll_end(v);
        v->sched.polling = false;
        __atomic_store_n(&v->sched.blocked, false, __ATOMIC_SEQ_CST);
        sched_periodic_resume(v);           /* it keeps running */
        return 0;
    }
    if ( sp.timeout )
        set_timer(&v->poll_timer, (s_time_t)MIN(sp.timeout,
                                                (uint64_t)INT64_MAX));
    vcpu_sleep(v);
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
        vcpu_yield(v);
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
        /* An explicit domain ID: DOMID_SELF names no domain here (Xen). */
        if ( rs.domain_id == DOMID_SELF ||
             (t = domain_get_by_id(rs.domain_id, d)) == NULL )
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

/*
 * The old sched_op (hypercall 6): the command's argument is the value
 * itself (shutdown reason), and poll is not available through it.
 */
long do_sched_op_compat(unsigned long cmd, unsigned long arg,
                        unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct vcpu *v = current;

    switch ( cmd )
    {
    case SCHEDOP_yield:
        vcpu_yield(v);
        return 0;
    case SCHEDOP_block:
        return sched_block(v);
    case SCHEDOP_shutdown:
        domain_shutdown(v->domain, (uint8_t)arg);
        return 0;
    }
    return -ENOSYS;
}

long sched_set_singleshot(struct vcpu *v, s_time_t deadline, bool future)
{
    /* Xen 4.17.3 and later ignore VCPU_SSHOTTMR_future: past fires now. */
    (void)future;
    set_timer(&v->singleshot_timer, deadline);
    return 0;
}

void sched_stop_singleshot(struct vcpu *v)
{
    stop_timer(&v->singleshot_timer);
}

long sched_set_periodic(struct vcpu *v, uint64_t period_ns)
{
    unsigned long flags;

    if ( period_ns < PERIODIC_MIN_NS || period_ns >= (1ULL << 62) )
        return -EINVAL;
    flags = local_irq_save();
    spin_lock(&v->periodic_lock);
    v->periodic_ns = period_ns;
    spin_unlock(&v->periodic_lock);
    local_irq_restore(flags);
    if ( v == current )
        sched_periodic_resume(v);
    return 0;
}

void sched_stop_periodic(struct vcpu *v)
{
    unsigned long flags = local_irq_save();

    spin_lock(&v->periodic_lock);
    v->periodic_ns = 0;
    stop_timer(&v->periodic_timer);
    spin_unlock(&v->periodic_lock);
    local_irq_restore(flags);
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
    else if ( (int64_t)timeout < 0 ||
              (uint64_t)((s_time_t)timeout - NOW()) >= SET_TIMER_FAR_NS )
        /*
         * Wrapped or absurdly distant deadlines (old Linux jiffies
         * arithmetic) fire in 100 ms, as on Xen: soon enough for pending
         * work, rare enough not to burn a CPU.
         */
        set_timer(&v->singleshot_timer, NOW() + SET_TIMER_FALLBACK_NS);
    else
        set_timer(&v->singleshot_timer, (s_time_t)timeout);
    return 0;
}
