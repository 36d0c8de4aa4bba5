/*
 * timer: set_timer_op, the VCPUOP single-shot and periodic timers and
 * VIRQ_TIMER, with SCHEDOP_block and SCHEDOP_poll to wait for them.
 *
 * Cases:
 *  - Xen: dom0's vCPU 0 starts with a 100 Hz periodic timer; it ticks
 *    while the vCPU runs, not while it is blocked (check_default_periodic).
 *  - set_timer_op(deadline) + SCHEDOP_block: one VIRQ_TIMER upcall, woken
 *    at or after the deadline, the upcall mask cleared by the block; a
 *    deadline in the past fires at once; a later set_timer_op replaces an
 *    earlier one.
 *  - set_timer_op(0) cancels: the wait then needs another timer.  Xen has
 *    one single-shot timer per vCPU (set_timer_op and
 *    VCPUOP_set_singleshot_timer share it, and each stops the other's
 *    deadline) and its periodic timer does not run while the vCPU is
 *    blocked, so the second timer is SCHEDOP_poll's timeout: the poll
 *    times out with nothing pending.
 *  - Xen: set_timer_op with a deadline more than 2^50 ns away, or negative
 *    as s_time_t, fires after 100 ms instead (a workaround for old Linux
 *    guests).
 *  - VCPUOP_set_singleshot_timer: in the future it fires at or after the
 *    deadline; a time in the past fires at once and replaces an armed
 *    deadline.  Xen 4.17.3 and later ignore VCPU_SSHOTTMR_future (its only
 *    user misused it): a past time with the flag is 0 and fires at once,
 *    not -ETIME.  Unknown flag bits are ignored; stop_singleshot disarms;
 *    another vCPU's single-shot timer -EINVAL.
 *  - VCPUOP_set_periodic_timer: 0, below 1 ms and above 2^62 - 1 ns
 *    -EINVAL; a valid period gives repeated VIRQ_TIMERs to a running vCPU,
 *    the Nth no earlier than (N - 1) periods after arming; stop_periodic
 *    stops them, for good even when it lands during a tick (50 rounds);
 *    another vCPU's periodic timer may be set and stopped.
 *    Xen: setting it when the last periodic tick is more than a period
 *    ago (or there was none) raises VIRQ_TIMER at once, before the call
 *    returns; the periodic timer stops while the vCPU is blocked (a poll
 *    runs to its timeout) and the overdue tick arrives as it runs again.
 *  - the four timer VCPUOPs on a nonexistent vCPU -ENOENT, with bad
 *    pointers -EFAULT.
 */
#include "timer.h"

/* Nothing pending or in flight on the timer port. */
static void quiesce(void)
{
    pv_evt_disable();
    pv_evtchn_clear_pending(timer_port);
    pv_vcpu_info->evtchn_upcall_pending = 0;
    __atomic_store_n(&pv_vcpu_info->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    pv_evt_reset_counts();
}

/*
 * Poll the timer port (upcalls masked) until DEADLINE; true if it timed
 * out with nothing pending.
 */
static bool stays_quiet_until(uint64_t deadline)
{
    long rc;

    rc = pv_poll(&timer_port, 1, deadline);
    return rc == 0 && pv_now() >= deadline &&
           !pv_evtchn_is_pending(timer_port);
}

static bool stays_quiet(uint64_t len)
{
    return stays_quiet_until(pv_now() + len);
}

/*
 * Poll the timer port for up to FAR_TIMEOUT; true if it became pending
 * before that.  *WHEN gets the system time after the poll.
 */
static bool fires(uint64_t *when)
{
    uint64_t deadline = pv_now() + FAR_TIMEOUT;
    long rc;

    rc = pv_poll(&timer_port, 1, deadline);
    *when = pv_now();
    return rc == 0 && *when < deadline && pv_evtchn_is_pending(timer_port);
}

static long singleshot(unsigned int vcpu, uint64_t when, uint32_t flags)
{
    struct vcpu_set_singleshot_timer s = {
        .timeout_abs_ns = when, .flags = flags,
    };

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, vcpu, &s);
}

static long periodic(unsigned int vcpu, uint64_t period)
{
    struct vcpu_set_periodic_timer p = { .period_ns = period };

    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, vcpu, &p);
}

/*
 * SCHEDOP_block with upcalls masked; true if it returned 0 with the
 * upcall mask cleared and a VIRQ_TIMER upcall taken.  *WOKE gets the
 * system time after waking.  Upcalls are masked again afterwards.
 */
static bool block_for_timer(uint64_t *woke)
{
    unsigned long before = pv_evt_count[timer_port];
    long rc;

    pv_evt_disable();
    rc = pv_block();
    *woke = pv_now();
    if ( vcpu_mask() != 0 )
    {
        printf("upcall mask %u after SCHEDOP_block\n", vcpu_mask());
        return false;
    }
    pv_evt_disable();
    return rc == 0 && pv_evt_count[timer_port] > before;
}

/*
 * Xen: dom0's vCPU 0 starts with a 100 Hz periodic timer (Linux stops it
 * at boot).  Like any periodic timer it does not wake a blocked vCPU: a poll
 * runs to its timeout and finds the overdue tick pending.  Running, the
 * ticks come at least 10 ms apart.
 */
static void check_default_periodic(void)
{
    uint64_t start, deadline, now;
    const unsigned int n = 6;

    /*
     * Right after a tick, so that the next one, a period away, cannot
     * land between the quiesce and the poll (a vCPU of a loaded TCG host
     * may lose its CPU for a while there).
     */
    quiesce();
    start = pv_now();
    while ( !pv_evtchn_is_pending(timer_port) &&
            pv_now() < start + FAR_TIMEOUT )
        ;
    quiesce();
    deadline = pv_now() + PV_MS(100);
    CHECK_RC(0, pv_poll(&timer_port, 1, deadline));
    now = pv_now();
    printf("default periodic timer, blocked: %s after %lu us\n",
           pv_evtchn_is_pending(timer_port) ? "tick pending" : "nothing",
           (unsigned long)((now - deadline + PV_MS(100)) / 1000));
    CHECK(now >= deadline);
    CHECK(pv_evtchn_is_pending(timer_port));

    quiesce();
    start = pv_now();
    deadline = start + FAR_TIMEOUT;
    pv_evt_enable();
    do
        now = pv_now();
    while ( pv_evt_count[timer_port] < n && now < deadline );
    pv_evt_disable();
    printf("default periodic timer, running: %u VIRQ_TIMERs in %lu us\n",
           pv_evt_count[timer_port], (unsigned long)((now - start) / 1000));
    CHECK(pv_evt_count[timer_port] >= n);
    CHECK(now >= start + (n - 1) * PV_MS(10));
}

static void check_set_timer_op(void)
{
    uint64_t start, deadline, woke;
    unsigned int i;

    quiesce();
    for ( i = 1; i <= 3; i++ )
    {
        start = pv_now();
        deadline = start + PV_MS(i * 2);
        CHECK_RC(0, HYPERVISOR_set_timer_op(deadline));
        CHECK(block_for_timer(&woke));
        CHECK(woke >= deadline);
        CHECK_EQ(1, pv_evt_count[timer_port]);
        CHECK_EQ(1UL << (timer_port / 64), pv_evt_last_sel);
        pv_evt_reset_counts();
    }

    /* In the past: at once. */
    CHECK_RC(0, HYPERVISOR_set_timer_op(pv_now() - PV_MS(1)));
    CHECK(block_for_timer(&woke));
    CHECK_RC(0, HYPERVISOR_set_timer_op(1));
    CHECK(block_for_timer(&woke));

    /* A second set_timer_op replaces the first. */
    quiesce();
    start = pv_now();
    CHECK_RC(0, HYPERVISOR_set_timer_op(start + PV_MS(30)));
    deadline = pv_now() + PV_MS(3);
    CHECK_RC(0, HYPERVISOR_set_timer_op(deadline));
    CHECK(block_for_timer(&woke));
    CHECK(woke >= deadline);
    CHECK_EQ(1, pv_evt_count[timer_port]);
    CHECK(stays_quiet_until(start + PV_MS(40)));
}

/*
 * Arm the single-shot timer 2 ms ahead (by VCPUOP or set_timer_op) and
 * stop it at once (by VCPUOP or set_timer_op(0)); true if nothing came for
 * 20 ms.  Done again when this vCPU lost its CPU for those 2 ms between
 * the two calls (a loaded TCG host): nothing to judge then.
 */
static bool stopped_stays_quiet(bool by_vcpuop, bool stop_by_vcpuop)
{
    uint64_t start;
    unsigned int tries;

    for ( tries = 0; tries < 10; tries++ )
    {
        quiesce();
        start = pv_now();
        CHECK_RC(0, by_vcpuop ? singleshot(0, start + PV_MS(2), 0)
                              : HYPERVISOR_set_timer_op(start + PV_MS(2)));
        CHECK_RC(0, stop_by_vcpuop
                    ? HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0,
                                         NULL)
                    : HYPERVISOR_set_timer_op(0));
        if ( pv_now() < start + PV_MS(1) )
            break;
    }
    return stays_quiet(PV_MS(20));
}

static void check_cancel(void)
{
    CHECK(stopped_stays_quiet(false, false));
    /* Cancelling nothing. */
    CHECK_RC(0, HYPERVISOR_set_timer_op(0));

    /* One timer: set_timer_op(0) stops a VCPUOP single-shot deadline. */
    CHECK(stopped_stays_quiet(true, false));
}

static void check_huge_timeout(void)
{
    static const uint64_t offsets[] = { 1ULL << 51, 1ULL << 63 };
    uint64_t start, when;
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(offsets); i++ )
    {
        quiesce();
        start = pv_now();
        CHECK_RC(0, HYPERVISOR_set_timer_op(start + offsets[i]));
        CHECK(fires(&when));
        printf("set_timer_op(now + %#lx): fired after %lu us\n",
               (unsigned long)offsets[i],
               (unsigned long)((when - start) / 1000));
        CHECK(when >= start + PV_MS(100));
        CHECK_RC(0, HYPERVISOR_set_timer_op(0));
    }
}

static void check_singleshot(void)
{
    uint64_t start, deadline, when;

    quiesce();
    deadline = pv_now() + PV_MS(4);
    CHECK_RC(0, singleshot(0, deadline, VCPU_SSHOTTMR_future));
    CHECK(block_for_timer(&when));
    CHECK(when >= deadline);
    CHECK_EQ(1, pv_evt_count[timer_port]);

    /* The past fires at once, and replaces what was armed. */
    quiesce();
    start = pv_now();
    CHECK_RC(0, singleshot(0, start + PV_MS(10), 0));
    CHECK_RC(0, singleshot(0, start - PV_MS(1), 0));
    printf("singleshot in the past: pending %s\n",
           pv_evtchn_is_pending(timer_port) ? "on return" : "later");
    CHECK(fires(&when));
    pv_evtchn_clear_pending(timer_port);
    CHECK(stays_quiet_until(start + PV_MS(20)));
    quiesce();
    CHECK_RC(0, singleshot(0, 0, 0));
    CHECK(fires(&when));

    /* Xen 4.17.3+: VCPU_SSHOTTMR_future is ignored. */
    quiesce();
    CHECK_RC(0, singleshot(0, pv_now() - PV_MS(1), VCPU_SSHOTTMR_future));
    CHECK(fires(&when));
    quiesce();
    CHECK_RC(0, singleshot(0, 1, VCPU_SSHOTTMR_future));
    CHECK(fires(&when));

    /* Unknown flag bits are ignored. */
    quiesce();
    deadline = pv_now() + PV_MS(2);
    CHECK_RC(0, singleshot(0, deadline, ~VCPU_SSHOTTMR_future));
    CHECK(fires(&when));
    CHECK(when >= deadline);

    /* stop_singleshot disarms it, set_timer_op's deadline too. */
    CHECK(stopped_stays_quiet(true, true));
    CHECK(stopped_stays_quiet(false, true));
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL));

    /* Only the calling vCPU's. */
    if ( nr_vcpus > 1 )
    {
        CHECK_RC(-XEN_EINVAL, singleshot(1, pv_now() + PV_MS(1), 0));
        CHECK_RC(-XEN_EINVAL,
                 HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 1, NULL));
    }
    else
        test_skip("singleshot on vCPU 1", "one vCPU");
}

static long stop_periodic(unsigned int vcpu)
{
    return HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, vcpu, NULL);
}

/*
 * stop_periodic stops it for good, also when it lands while a tick is
 * being delivered: 50 rounds of a 1 ms timer stopped the moment its
 * tick's pending bit shows (upcalls masked, spinning on the bitmap), then
 * 3 ms of running with no new pending bit.
 */
static void check_stop_periodic_races(void)
{
    unsigned int round, late = 0, none = 0;
    uint64_t t;

    for ( round = 0; round < 50; round++ )
    {
        quiesce();
        t = pv_now();
        if ( periodic(0, PV_MS(1)) )
            break;
        while ( !pv_evtchn_is_pending(timer_port) &&
                pv_now() < t + FAR_TIMEOUT )
            ;
        stop_periodic(0);
        if ( !pv_evtchn_is_pending(timer_port) )
            none++;
        quiesce();
        t = pv_now();
        while ( pv_now() < t + PV_MS(3) && !pv_evtchn_is_pending(timer_port) )
            ;
        if ( pv_evtchn_is_pending(timer_port) )
        {
            if ( !late )
                printf("round %u: VIRQ_TIMER after stop_periodic\n", round);
            late++;
        }
    }
    CHECK_EQ(50, round);
    CHECK_EQ(0, none);
    CHECK_EQ(0, late);
    stop_periodic(0);
    quiesce();
}

static void check_periodic(void)
{
    const uint64_t period = PV_MS(4);
    const unsigned int n = 5;
    uint64_t start, deadline, now;
    unsigned long ticks;

    quiesce();
    CHECK_RC(-XEN_EINVAL, periodic(0, 0));
    CHECK_RC(-XEN_EINVAL, periodic(0, PV_MS(1) - 1));
    CHECK_RC(-XEN_EINVAL, periodic(0, ~0ULL));
    CHECK_RC(-XEN_EINVAL, periodic(0, 1ULL << 62));
    CHECK_RC(-XEN_EINVAL, periodic(0, 1ULL << 63));
    CHECK_RC(0, periodic(0, (1ULL << 62) - 1));
    CHECK_RC(0, stop_periodic(0));
    quiesce();
    CHECK(stays_quiet(2 * period));

    /*
     * Xen: with the last tick more than a period ago (here: none yet),
     * setting the timer ticks at once.
     */
    CHECK_RC(0, periodic(0, PV_MS(1)));        /* the minimum */
    CHECK(pv_evtchn_is_pending(timer_port));
    CHECK_RC(0, stop_periodic(0));
    quiesce();
    CHECK(stays_quiet(2 * period));
    CHECK_RC(0, periodic(0, period));
    CHECK(pv_evtchn_is_pending(timer_port));

    /* Running (spinning with upcalls enabled): ticks keep coming. */
    quiesce();
    start = pv_now();
    deadline = start + FAR_TIMEOUT;
    CHECK_RC(0, periodic(0, period));
    pv_evt_enable();
    do
        now = pv_now();
    while ( pv_evt_count[timer_port] < n && now < deadline );
    pv_evt_disable();
    ticks = pv_evt_count[timer_port];
    printf("periodic %lu us: %lu VIRQ_TIMERs in %lu us\n",
           (unsigned long)(period / 1000), ticks,
           (unsigned long)((now - start) / 1000));
    CHECK(ticks >= n);
    CHECK(now >= start + (n - 1) * period);

    /*
     * Xen: not while blocked.  A poll over several periods runs to its
     * timeout; the overdue tick is there when it returns.
     */
    quiesce();
    deadline = pv_now() + 5 * period;
    CHECK_RC(0, pv_poll(&timer_port, 1, deadline));
    now = pv_now();
    printf("poll with the periodic timer running: back after %lu us\n",
           (unsigned long)((now - deadline + 5 * period) / 1000));
    CHECK(now >= deadline);
    CHECK(pv_evtchn_is_pending(timer_port));

    CHECK_RC(0, stop_periodic(0));
    quiesce();
    CHECK(stays_quiet(3 * period));
    pv_evt_enable();
    start = pv_now();
    while ( pv_now() < start + 3 * period )
        ;
    pv_evt_disable();
    CHECK_EQ(0, pv_evt_count[timer_port]);
    CHECK_RC(0, stop_periodic(0));

    check_stop_periodic_races();

    if ( nr_vcpus > 1 )
    {
        CHECK_RC(0, periodic(1, PV_MS(10)));
        CHECK_RC(0, stop_periodic(1));
    }
    else
        test_skip("periodic timer of vCPU 1", "one vCPU");
}

static void check_bad_vcpu(void)
{
    static const unsigned int ids[2] = { 0, ~0u };
    struct vcpu_set_singleshot_timer s = { .timeout_abs_ns = 1 };
    struct vcpu_set_periodic_timer p = { .period_ns = PV_MS(10) };
    unsigned int i, id;

    for ( i = 0; i < ARRAY_SIZE(ids); i++ )
    {
        id = i ? ids[i] : nr_vcpus;
        CHECK_RC(-XEN_ENOENT,
                 HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, id, &s));
        CHECK_RC(-XEN_ENOENT,
                 HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, id, NULL));
        CHECK_RC(-XEN_ENOENT,
                 HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, id, &p));
        CHECK_RC(-XEN_ENOENT,
                 HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, id, NULL));
    }

    CHECK_RC(-XEN_EFAULT, HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0,
                                             BAD_PTR_LOW));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0,
                                             BAD_PTR_XEN));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0,
                                             BAD_PTR_LOW));
    CHECK_RC(-XEN_EFAULT, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0,
                                             BAD_PTR_XEN));
}

void test_timers(void)
{
    CHECK_RC(0, pv_evt_init());
    pv_evt_disable();
    if ( !CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port)) )
        return;

    check_default_periodic();
    CHECK_RC(0, stop_periodic(0));
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL));

    check_set_timer_op();
    check_cancel();
    check_huge_timeout();
    check_singleshot();
    check_periodic();
    check_bad_vcpu();

    quiesce();
    CHECK_RC(0, pv_evtchn_close(timer_port));
    CHECK_RC(0, pv_evt_fini());
}
