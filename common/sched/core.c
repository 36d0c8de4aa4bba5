/*
 * sched_op, set_timer_op and the vCPU timers.
 *
 * Blocking and polling hand the CPU back to the scheduler: the vCPU stops
 * being runnable until an event for it arrives (arch_evtchn_notify ->
 * sched_vcpu_wake), a port it polls is raised (sched_vcpu_poll_wake) or
 * its poll times out, and the hypercall's result (0) is already in its
 * saved registers when it runs again.
 *
 * Each wait is numbered (struct sched_vcpu.wait, keel/sched-if.h) and
 * ended by one compare-and-swap, so a wake-up that arrives late from
 * another CPU cannot end a later wait: a poll's port raised just as the
 * poll was woken by its upcall must not end the SCHEDOP_block the vCPU
 * has meanwhile entered on another CPU, and a poll timeout firing late
 * must not end the next poll early.  What an ended poll leaves behind
 * (its bit in the domain's poll mask, its timeout) is dropped by the
 * vCPU itself before its next wait; until then it can only reach a later
 * poll of the same port, which it rightly wakes.
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
 * Arm v's periodic timer on this CPU, raising an overdue tick at once
 * (periodic_lock held, interrupts off).
 */
static void periodic_arm(struct vcpu *v)
{
    s_time_t now = NOW();

    stop_timer(&v->periodic_timer);
    v->periodic_timer.cpu = smp_processor_id();
    if ( now >= v->periodic_last + (s_time_t)v->periodic_ns )
    {
        v->periodic_last = now;
        send_guest_vcpu_virq(v, VIRQ_TIMER);
    }
    set_timer(&v->periodic_timer, v->periodic_last + (s_time_t)v->periodic_ns);
}

/*
 * The periodic timer runs only while its vCPU does (as Xen's): armed when
 * the vCPU gets a CPU, with an overdue tick raised at once, and stopped
 * when it leaves, blocks or polls.
 */
void sched_periodic_resume(struct vcpu *v)
{
    unsigned long flags = local_irq_save();

    spin_lock(&v->periodic_lock);
    v->periodic_running = true;
    if ( v->periodic_ns )
        periodic_arm(v);
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

/* Start a wait of KIND (only v itself does): a new count, published. */
static uint32_t wait_begin(struct vcpu *v, uint32_t kind)
{
    uint32_t w = __atomic_load_n(&v->sched.wait, __ATOMIC_SEQ_CST);

    w = ((w & ~3u) + SCHED_WAIT_COUNT_ONE) | kind;
    __atomic_store_n(&v->sched.wait, w, __ATOMIC_SEQ_CST);
    return w;
}

/* End wait W if it is still v's current one; true if this call did. */
static bool wait_end(struct vcpu *v, uint32_t w)
{
    return SCHED_WAIT_KIND(w) != SCHED_WAIT_NONE &&
           __atomic_compare_exchange_n(&v->sched.wait, &w, w & ~3u, false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/*
 * A poll's timeout.  The timer is re-armed by every poll, so this run may
 * belong to an earlier one: only a poll whose own deadline has passed
 * times out (the deadline is published before the wait it belongs to).
 */
static void poll_timer_fn(void *data)
{
    struct vcpu *v = data;
    uint32_t w = __atomic_load_n(&v->sched.wait, __ATOMIC_SEQ_CST);

    if ( SCHED_WAIT_KIND(w) != SCHED_WAIT_POLL ||
         NOW() < __atomic_load_n(&v->sched.poll_deadline, __ATOMIC_SEQ_CST) )
        return;
    if ( wait_end(v, w) )
        vcpu_wake(v);
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
 * An upcall became pending for v: whatever it waits for, it becomes
 * runnable.  Safe against the race with sched_block()/sched_poll(): the
 * wait is ended before the scheduler is asked, and they check for events
 * after starting it.
 */
void sched_vcpu_wake(struct vcpu *v)
{
    uint32_t w = __atomic_load_n(&v->sched.wait, __ATOMIC_SEQ_CST);

    while ( SCHED_WAIT_KIND(w) != SCHED_WAIT_NONE )
        if ( __atomic_compare_exchange_n(&v->sched.wait, &w, w & ~3u, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) )
        {
            vcpu_wake(v);
            return;
        }
}

/*
 * A port v polls was raised (wake_pollers): its poll ends -- but not a
 * SCHEDOP_block it is in by now, which waits for an upcall only.
 */
void sched_vcpu_poll_wake(struct vcpu *v)
{
    uint32_t w = __atomic_load_n(&v->sched.wait, __ATOMIC_SEQ_CST);

    if ( SCHED_WAIT_KIND(w) == SCHED_WAIT_POLL && wait_end(v, w) )
        vcpu_wake(v);
}

/*
 * Before v starts a wait: drop what an earlier poll that was woken left
 * (v runs, so no poll of its own is under way).  Its poll-mask bit goes
 * under the event lock, after any raise still scanning it.
 */
static void drop_ended_poll(struct vcpu *v)
{
    if ( !v->sched.poll_left )
        return;
    evtchn_poll_end(v);
    stop_timer(&v->poll_timer);
    v->sched.poll_left = false;
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
    uint32_t w;

    drop_ended_poll(v);
    /* A periodic timer does not run (or wake) a vCPU that waits. */
    sched_periodic_pause(v);
    v->vcpu_info->evtchn_upcall_mask = 0;
    w = wait_begin(v, SCHED_WAIT_BLOCK);
    if ( events_pending(v) )
    {
        wait_end(v, w);
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
    s_time_t deadline;
    uint32_t w;

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

    drop_ended_poll(v);
    sched_periodic_pause(v);
    deadline = sp.timeout ? (s_time_t)MIN(sp.timeout, (uint64_t)INT64_MAX)
                          : INT64_MAX;
    __atomic_store_n(&v->sched.poll_deadline, deadline, __ATOMIC_SEQ_CST);
    w = wait_begin(v, SCHED_WAIT_POLL);
    v->sched.poll_left = true;
    evtchn_poll_begin(v, sp.nr_ports == 1 ? ports[0] : 0);
    if ( poll_set_pending(v, ports, sp.nr_ports) ||
         (v->vcpu_info->evtchn_upcall_pending &&
          !v->vcpu_info->evtchn_upcall_mask) )
    {
        evtchn_poll_end(v);
        wait_end(v, w);
        sched_periodic_resume(v);           /* it keeps running */
        return 0;
    }
    if ( sp.timeout )
        set_timer(&v->poll_timer, deadline);
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
            /* Recorded for whoever later asks why it stopped (the first). */
            spin_lock(&d->lock);
            if ( d->shutdown_reason == SHUTDOWN_CODE_INVALID )
                d->shutdown_reason = (uint8_t)s.reason;
            spin_unlock(&d->lock);
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
        rc = xsm_schedop_shutdown(d, t);
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
    /*
     * Running (this vCPU, or another one elsewhere): armed now -- Xen
     * reschedules the vCPU for it.  Otherwise when it next gets a CPU.
     */
    if ( v->periodic_running )
        periodic_arm(v);
    spin_unlock(&v->periodic_lock);
    local_irq_restore(flags);
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
