/*
 * timer: set_timer_op, the VCPUOP single-shot and periodic timers and
 * VIRQ_TIMER, with SCHEDOP_block and SCHEDOP_poll to wait for them.
 *
 * Cases:
 *  - the default periodic timer (see check_default_periodic).
 *  - set_timer_op(deadline) + SCHEDOP_block: one VIRQ_TIMER upcall, woken
 *    at or after the deadline, pvclock later than before the block, the
 *    upcall mask cleared by the block; a deadline in the past fires at
 *    once; a later set_timer_op replaces an earlier one.
 *  - set_timer_op(0) cancels: a poll on the timer port then times out
 *    with nothing pending, and SCHEDOP_block needs another timer (the
 *    periodic one) to wake.
 *  - Xen: set_timer_op with a deadline more than 2^50 ns away, or
 *    negative as s_time_t, fires after 100 ms instead (a workaround for
 *    old Linux guests).
 *  - VCPUOP_set_singleshot_timer: with VCPU_SSHOTTMR_future and a time in
 *    the past -ETIME (and nothing armed); in the future it fires at or
 *    after it; without the flag a past time fires at once; unknown flag
 *    bits are ignored; stop_singleshot disarms; another vCPU's timer
 *    -EINVAL.
 *  - VCPUOP_set_periodic_timer: 0 and below 1 ms -EINVAL, above 2^62 ns
 *    -EINVAL; a valid period gives repeated VIRQ_TIMERs, the Nth no
 *    earlier than (N - 1) periods after arming; stop_periodic stops them;
 *    another vCPU's periodic timer may be set and stopped.
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
 * Poll the timer port (upcalls masked) for LEN ns from now; true if it
 * timed out with nothing pending.
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
 * Block until the VIRQ_TIMER upcall; true if it came (and only it).
 * *WOKE gets the system time after waking.
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

static void check_default_periodic(void)
{
    uint64_t start = pv_now(), when;
    bool fired;

    quiesce();
    fired = fires(&when);
    printf("default periodic timer: %s (%lu us)\n",
           fired ? "fired" : "none", (unsigned long)((when - start) / 1000));
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

static void check_cancel(void)
{
    uint64_t start, woke;

    quiesce();
    CHECK_RC(0, HYPERVISOR_set_timer_op(pv_now() + PV_MS(2)));
    CHECK_RC(0, HYPERVISOR_set_timer_op(0));
    CHECK(stays_quiet(PV_MS(20)));
    /* Cancelling nothing. */
    CHECK_RC(0, HYPERVISOR_set_timer_op(0));

    /* Block with only the periodic timer to wake us. */
    quiesce();
    CHECK_RC(0, HYPERVISOR_set_timer_op(pv_now() + PV_MS(2)));
    CHECK_RC(0, HYPERVISOR_set_timer_op(0));
    start = pv_now();
    CHECK_RC(0, periodic(0, PV_MS(20)));
    CHECK(block_for_timer(&woke));
    printf("cancelled set_timer_op: block woke after %lu us\n",
           (unsigned long)((woke - start) / 1000));
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
    CHECK_EQ(1, pv_evt_count[timer_port]);
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
    CHECK_RC(-XEN_ETIME, singleshot(0, pv_now() - PV_MS(1),
                                    VCPU_SSHOTTMR_future));
    CHECK_RC(-XEN_ETIME, singleshot(0, 1, VCPU_SSHOTTMR_future));
    CHECK(stays_quiet(PV_MS(10)));

    deadline = pv_now() + PV_MS(4);
    CHECK_RC(0, singleshot(0, deadline, VCPU_SSHOTTMR_future));
    CHECK(block_for_timer(&when));
    CHECK(when >= deadline);
    CHECK_EQ(1, pv_evt_count[timer_port]);

    /* No flag: the past fires at once. */
    quiesce();
    start = pv_now();
    CHECK_RC(0, singleshot(0, start - PV_MS(1), 0));
    printf("singleshot in the past: pending %s\n",
           pv_evtchn_is_pending(timer_port) ? "on return" : "later");
    CHECK(fires(&when));
    quiesce();
    CHECK_RC(0, singleshot(0, 0, 0));
    CHECK(fires(&when));

    /* Unknown flag bits are ignored. */
    quiesce();
    deadline = pv_now() + PV_MS(2);
    CHECK_RC(0, singleshot(0, deadline, ~VCPU_SSHOTTMR_future));
    CHECK(fires(&when));
    CHECK(when >= deadline);

    /* stop_singleshot disarms it, set_timer_op's timer too. */
    quiesce();
    CHECK_RC(0, singleshot(0, pv_now() + PV_MS(2), 0));
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL));
    CHECK(stays_quiet(PV_MS(20)));
    CHECK_RC(0, HYPERVISOR_set_timer_op(pv_now() + PV_MS(2)));
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL));
    CHECK(stays_quiet(PV_MS(20)));
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

static void check_periodic(void)
{
    const uint64_t period = PV_MS(4);
    uint64_t start, woke = 0, prev;
    unsigned int i, n = 5, bad = 0;
    long rc;

    quiesce();
    CHECK_RC(-XEN_EINVAL, periodic(0, 0));
    CHECK_RC(-XEN_EINVAL, periodic(0, PV_MS(1) - 1));
    CHECK_RC(-XEN_EINVAL, periodic(0, ~0ULL));
    CHECK_RC(-XEN_EINVAL, periodic(0, (1ULL << 62) + 1));
    rc = periodic(0, 1ULL << 62);
    printf("periodic 2^62 ns: %ld\n", rc);
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
    printf("DBG a\n");
    CHECK(stays_quiet(PV_MS(5)));
    printf("DBG b\n");

    /* The minimum is accepted. */
    CHECK_RC(0, periodic(0, PV_MS(1)));
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));

    quiesce();
    start = prev = pv_now();
    CHECK_RC(0, periodic(0, period));
    printf("DBG c pending %d\n", pv_evtchn_is_pending(timer_port));
    {
        uint64_t t0 = pv_now(), t1, dl;
        pv_evt_enable();
        while ( pv_evt_count[timer_port] < 10 && pv_now() < t0 + PV_MS(2000) )
            ;
        t1 = pv_now();
        pv_evt_disable();
        printf("EXP spin: %u ticks in %lu us\n", pv_evt_count[timer_port], (unsigned long)((t1 - t0) / 1000));
        pv_evtchn_clear_pending(timer_port);
        t0 = pv_now();
        dl = t0 + PV_MS(30);
        rc = pv_poll(&timer_port, 1, dl);
        t1 = pv_now();
        printf("EXP poll 30ms with periodic 4ms: rc %ld after %lu us, pending %d\n", rc, (unsigned long)((t1 - t0) / 1000), pv_evtchn_is_pending(timer_port));
        pv_evtchn_clear_pending(timer_port);
        t0 = pv_now();
        HYPERVISOR_set_timer_op(t0 + PV_MS(30));
        rc = pv_block();
        t1 = pv_now();
        pv_evt_disable();
        printf("EXP block with periodic 4ms and set_timer_op 30ms: after %lu us, count %u\n", (unsigned long)((t1 - t0) / 1000), pv_evt_count[timer_port]);
        n = 0;
    }
    for ( i = 0; i < n; i++ )
    {
        printf("DBG block %u\n", i);
        if ( !block_for_timer(&woke) || woke < prev )
            bad++;
        prev = woke;
    }
    CHECK_EQ(0, bad);
    printf("periodic %lu us: %u blocks, %u VIRQ_TIMERs in %lu us\n",
           (unsigned long)(period / 1000), n, pv_evt_count[timer_port],
           (unsigned long)((woke - start) / 1000));
    CHECK(pv_evt_count[timer_port] >= n);
    CHECK(woke >= start + (n - 1) * period);

    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
    quiesce();
    CHECK(stays_quiet(3 * period));
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));

    if ( nr_vcpus > 1 )
    {
        CHECK_RC(0, periodic(1, PV_MS(10)));
        CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL));
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
    CHECK_RC(0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
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
