/*
 * events, several vCPUs: event channels between a domain's vCPUs.  Runs
 * last, with every secondary vCPU brought up by the runtime
 * (<pvguest/smp.h>); with one vCPU it SKIPs.  Every vCPU takes its own
 * upcalls through pv_evt_entry, which notes per port the vCPU that took
 * it (pv_evt_taker) and per vCPU what its upcalls saw (pv_cpus[]).
 *
 * Cases:
 *  - bind_ipi on each vCPU, by itself: status ipi on that vCPU.  Every
 *    vCPU sends to every vCPU's port, one at a time: the upcall comes on
 *    the bound vCPU and on no other, with the port's word in the selector
 *    it took and upcall_pending set on entry.
 *  - a send to a vCPU with upcalls masked: the pending bit, that vCPU's
 *    selector bit and upcall_pending, no other vCPU's; unmasking there
 *    delivers it there.
 *  - SCHEDOP_block on each secondary: blocked (runstate), one call, until
 *    vCPU 0 sends its IPI; it wakes with the upcall taken.
 *  - SCHEDOP_poll on each secondary: a timeout measured on its own clock;
 *    woken by a send from vCPU 0 on a masked port, before the timeout,
 *    the port pending.
 *  - EVTCHNOP_bind_vcpu: a loopback (interdomain) port moved to each vCPU
 *    in turn notifies that one (sends from another vCPU); an unbound port
 *    moved keeps its vCPU when it is bound (Xen); a global VIRQ moves
 *    (status); per-vCPU VIRQs (VIRQ_TIMER, VIRQ_DEBUG) bound on each vCPU
 *    refuse bind_vcpu to any vCPU with -EINVAL, so do IPI ports, also
 *    when asked from a secondary.
 *  - races: sends from a secondary while vCPU 0 closes the port (0 until
 *    the close, -EINVAL after, never anything else; closed after); sends
 *    from a secondary while vCPU 0 moves the receiving port around the
 *    vCPUs the way Linux does (mask, bind_vcpu, EVTCHNOP_unmask, which
 *    notifies the new vCPU of an event already pending): nothing stays
 *    pending, no port is taken by a vCPU it is not bound to.
 *  - the storm: every port (2047 loopback pairs and an IPI: 1 .. 4095)
 *    bound round-robin to the vCPUs; with every vCPU masked, all vCPUs
 *    send on their share at once, twice: each port pending once, each
 *    vCPU's selector exactly the words of its ports, upcall_pending on
 *    each; unmasking all at once delivers every port exactly once, on its
 *    own vCPU; then one more round of concurrent sends with upcalls
 *    enabled, each delivered once more on its vCPU.
 */
#include "events.h"
#include <pvguest/smp.h>

#define TIMEOUT         PV_MS(20000)
#define WAIT(cond)      PV_WAIT_FOR(cond, TIMEOUT)
#define NR_RACE_ROUNDS  50

static unsigned int nr;                 /* online vCPUs */
static evtchn_port_t ipi[PV_SMP_MAX];   /* each vCPU's own IPI port */

static void delay(uint64_t ns)
{
    uint64_t end = pv_now() + ns;

    while ( pv_now() < end )
        pv_cpu_relax();
}

static int runstate_of(unsigned int v)
{
    struct vcpu_runstate_info rs;

    if ( HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, v, &rs) )
        return -1;
    return rs.state;
}

static void __printf(2, 3) result(unsigned int fails, const char *fmt, ...)
{
    char name[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    if ( fails == test_nr_fail )
        test_pass(name);
    else
        test_fail(name, "see above");
}

/* ---- run on a vCPU through the mailbox --------------------------------- */

static long do_bind_ipi(void *arg)
{
    unsigned int me = pv_smp_id();

    return pv_evtchn_bind_ipi(me, &ipi[me]);
}

static long do_send(void *arg)
{
    return pv_evtchn_send((evtchn_port_t)(unsigned long)arg);
}

/* Upcalls of the calling vCPU: masked (arg != NULL) or enabled. */
static long do_mask(void *arg)
{
    if ( arg )
        pv_evt_disable();
    else
        pv_evt_enable();
    return 0;
}

static long do_bind_vcpu(void *arg)
{
    const evtchn_port_t *a = arg;

    return pv_evtchn_bind_vcpu(a[0], a[1]);
}

static void mask_all(bool masked)
{
    pv_smp_call_all(do_mask, masked ? (void *)1 : NULL, NULL);
}

/* ---- IPIs -------------------------------------------------------------- */

/* S sends on PORT, bound to T: the upcall comes on T, and on T only. */
static void send_one(unsigned int s, unsigned int t, evtchn_port_t port)
{
    unsigned long ports_before[PV_SMP_MAX];
    uint32_t before = pv_evt_count[port];
    unsigned int i;
    long rc;

    for ( i = 0; i < nr; i++ )
        ports_before[i] = pv_cpus[i].nr_ports;
    pv_evt_taker[port] = 0xff;
    rc = pv_smp_call(s, do_send, (void *)(unsigned long)port);
    if ( !CHECK_RC(0, rc) )
        return;
    if ( !WAIT(pv_evt_count[port] != before) )
    {
        test_fail("ipi", "vCPU %u -> vCPU %u (port %u): no upcall took it "
                  "(pending %d, selector bit on vCPU %u %d, upcall_pending "
                  "%u, mask %u)", s, t, port, pv_evtchn_is_pending(port), t,
                  pv_evtchn_sel_bit(t, port / 64),
                  pv_smp_vcpu_info(t)->evtchn_upcall_pending,
                  pv_smp_vcpu_info(t)->evtchn_upcall_mask);
        return;
    }
    delay(PV_MS(1));
    CHECK_EQ(before + 1, pv_evt_count[port]);
    if ( !CHECK_EQ(t, pv_evt_taker[port]) )
        printf("  vCPU %u -> vCPU %u (port %u): taken on vCPU %u\n", s, t,
               port, pv_evt_taker[port]);
    for ( i = 0; i < nr; i++ )
        CHECK_EQ(ports_before[i] + (i == t), pv_cpus[i].nr_ports);
    CHECK((pv_cpus[t].last_sel >> (port / 64)) & 1);
    CHECK_EQ(1, pv_cpus[t].last_pending);
    CHECK_EQ(1, pv_cpus[t].last_mask);
}

static void check_ipis(void)
{
    unsigned int s, t, i, f = test_nr_fail;
    evtchn_port_t p;
    uint32_t before;

    for ( t = 0; t < nr; t++ )
    {
        if ( !CHECK_RC(0, pv_smp_call(t, do_bind_ipi, NULL)) )
            test_abort("vCPU %u: no IPI port", t);
        check_status(ipi[t], EVTCHNSTAT_ipi, t);
        for ( i = 0; i < t; i++ )
            CHECK(ipi[i] != ipi[t]);
    }
    result(f, "bind_ipi on each of %u vCPUs, by itself", nr);

    f = test_nr_fail;
    mask_all(false);
    for ( t = 0; t < nr; t++ )
        for ( s = 0; s < nr; s++ )
            send_one(s, t, ipi[t]);
    result(f, "IPIs: every vCPU to every vCPU's port, the upcall on the "
           "bound vCPU only, its selector and upcall_pending");

    /* A masked target: the bits on it, and on no other vCPU. */
    f = test_nr_fail;
    for ( t = 0; t < nr; t++ )
    {
        unsigned int w;

        p = ipi[t];
        w = p / 64;
        s = (t + 1) % nr;
        before = pv_evt_count[p];
        pv_smp_call(t, do_mask, (void *)1);
        CHECK_RC(0, pv_smp_call(s, do_send, (void *)(unsigned long)p));
        CHECK(pv_evtchn_is_pending(p));
        CHECK(pv_evtchn_sel_bit(t, w));
        CHECK_EQ(1, pv_smp_vcpu_info(t)->evtchn_upcall_pending);
        for ( i = 0; i < nr; i++ )
            if ( i != t && !CHECK(!pv_evtchn_sel_bit(i, w)) )
                printf("  selector bit %u on vCPU %u for a port bound to "
                       "vCPU %u\n", w, i, t);
        delay(PV_MS(2));
        CHECK_EQ(before, pv_evt_count[p]);
        pv_evt_taker[p] = 0xff;
        pv_smp_call(t, do_mask, NULL);
        CHECK(WAIT(pv_evt_count[p] != before));
        CHECK_EQ(t, pv_evt_taker[p]);
        CHECK(!pv_evtchn_is_pending(p));
    }
    result(f, "IPI to a masked vCPU: pending, its selector and "
           "upcall_pending only; delivered there on unmask");
}

/* ---- SCHEDOP_block and SCHEDOP_poll on secondaries --------------------- */

struct waiter {
    evtchn_port_t port;
    uint64_t len;                       /* poll timeout from the start */
    volatile bool waiting;
    unsigned long nr_calls;
    long rc;
    uint64_t start, end;                /* its own pvclock */
    uint32_t got;                       /* IPIs taken */
};

static struct waiter waiters[PV_SMP_MAX];

/* SCHEDOP_block (upcalls masked while checking) until our IPI comes. */
static long do_block(void *arg)
{
    struct waiter *w = &waiters[pv_smp_id()];
    uint32_t before = pv_evt_count[w->port];

    pv_evt_disable();
    w->nr_calls = 0;
    w->rc = 0;
    __atomic_store_n(&w->waiting, true, __ATOMIC_SEQ_CST);
    while ( pv_evt_count[w->port] == before && w->nr_calls < 1000 )
    {
        w->nr_calls++;
        w->rc = pv_block();
        pv_evt_disable();
    }
    __atomic_store_n(&w->waiting, false, __ATOMIC_SEQ_CST);
    w->got = pv_evt_count[w->port] - before;
    pv_evt_enable();
    return 0;
}

/* SCHEDOP_poll on the port, upcalls masked, for w->len. */
static long do_poll(void *arg)
{
    struct waiter *w = &waiters[pv_smp_id()];

    pv_evt_disable();
    w->start = pv_now();
    __atomic_store_n(&w->waiting, true, __ATOMIC_SEQ_CST);
    w->rc = pv_poll(&w->port, 1, w->start + w->len);
    w->end = pv_now();
    __atomic_store_n(&w->waiting, false, __ATOMIC_SEQ_CST);
    pv_evt_enable();
    return 0;
}

static void check_block(unsigned int t)
{
    struct waiter *w = &waiters[t];
    unsigned int f = test_nr_fail;

    memset(w, 0, sizeof(*w));
    w->port = ipi[t];
    pv_smp_post(t, do_block, NULL);
    CHECK(WAIT(w->waiting && runstate_of(t) == RUNSTATE_blocked));
    delay(PV_MS(10));
    CHECK_EQ(RUNSTATE_blocked, runstate_of(t));
    CHECK_EQ(1, w->nr_calls);
    CHECK_RC(0, pv_evtchn_send(ipi[t]));
    if ( !CHECK(pv_smp_wait(t, TIMEOUT, NULL)) )
        test_abort("vCPU %u: still in SCHEDOP_block", t);
    CHECK_EQ(1, w->got);
    CHECK_EQ(1, w->nr_calls);
    CHECK_RC(0, w->rc);
    CHECK_EQ(t, pv_evt_taker[ipi[t]]);
    result(f, "vCPU %u: SCHEDOP_block until vCPU 0 sends its IPI", t);
}

static void check_poll(unsigned int t, evtchn_port_t a, evtchn_port_t b)
{
    struct waiter *w = &waiters[t];
    unsigned int f = test_nr_fail;

    /* A timeout, on its own clock. */
    memset(w, 0, sizeof(*w));
    w->port = a;
    w->len = PV_MS(5);
    pv_smp_call(t, do_poll, NULL);
    CHECK_RC(0, w->rc);
    CHECK(w->end >= w->start + w->len);
    CHECK(!pv_evtchn_is_pending(a));

    /* Woken by vCPU 0's send, on a masked port. */
    memset(w, 0, sizeof(*w));
    w->port = a;
    w->len = TIMEOUT;
    pv_evtchn_mask(a);
    pv_smp_post(t, do_poll, NULL);
    CHECK(WAIT(w->waiting && runstate_of(t) == RUNSTATE_blocked));
    delay(PV_MS(2));
    CHECK(w->waiting);
    CHECK_RC(0, pv_evtchn_send(b));
    if ( !CHECK(pv_smp_wait(t, TIMEOUT, NULL)) )
        test_abort("vCPU %u: still in SCHEDOP_poll", t);
    CHECK_RC(0, w->rc);
    CHECK(w->end < w->start + w->len);
    CHECK(pv_evtchn_is_pending(a));
    CHECK(!pv_evtchn_sel_bit(0, a / 64));
    pv_evtchn_clear_pending(a);
    pv_evtchn_clear_mask(a);
    result(f, "vCPU %u: SCHEDOP_poll times out on its clock, and is woken "
           "by a send from vCPU 0 (port masked)", t);
}

/* ---- EVTCHNOP_bind_vcpu ------------------------------------------------ */

static void check_bind_vcpu(void)
{
    struct evtchn_status st;
    evtchn_port_t a, b, u, q, g, per[PV_SMP_MAX], arg[2];
    unsigned int t, i, f = test_nr_fail;
    uint32_t before;

    /* A loopback port moved around: the send lands where it is bound. */
    if ( !CHECK_RC(0, loopback_quiet(&a, &b)) )
        return;
    for ( t = 0; t < nr; t++ )
    {
        CHECK_RC(0, pv_evtchn_bind_vcpu(a, t));
        check_status(a, EVTCHNSTAT_interdomain, t);
        before = pv_evt_count[a];
        pv_evt_taker[a] = 0xff;
        CHECK_RC(0, pv_smp_call((t + 1) % nr, do_send,
                                (void *)(unsigned long)b));
        CHECK(WAIT(pv_evt_count[a] != before));
        CHECK_EQ(t, pv_evt_taker[a]);
    }
    CHECK_RC(0, pv_evtchn_close(a));
    CHECK_RC(0, pv_evtchn_close(b));
    result(f, "bind_vcpu: a loopback port notifies the vCPU it is moved to");

    /*
     * Xen: an unbound port keeps the vCPU it was moved to when it becomes
     * interdomain (only the new local end starts on vCPU 0).
     */
    f = test_nr_fail;
    CHECK_RC(0, pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &u));
    for ( t = 0; t < nr; t++ )
    {
        CHECK_RC(0, pv_evtchn_bind_vcpu(u, t));
        CHECK_RC(0, pv_evtchn_status(DOMID_SELF, u, &st));
        CHECK_EQ(EVTCHNSTAT_unbound, st.status);
        CHECK_EQ(t, st.vcpu);
    }
    t = nr - 1;
    CHECK_RC(0, pv_evtchn_bind_interdomain(DOMID_SELF, u, &q));
    pv_evtchn_clear_pending(q);
    clear_upcall_state(0);
    check_status(u, EVTCHNSTAT_interdomain, t);
    check_status(q, EVTCHNSTAT_interdomain, 0);
    before = pv_evt_count[u];
    CHECK_RC(0, pv_evtchn_send(q));
    CHECK(WAIT(pv_evt_count[u] != before));
    CHECK_EQ(t, pv_evt_taker[u]);
    CHECK_RC(0, pv_evtchn_close(u));
    CHECK_RC(0, pv_evtchn_close(q));
    result(f, "bind_vcpu: an unbound port keeps its vCPU once bound");

    /* A global VIRQ moves; per-vCPU VIRQs and IPIs do not. */
    f = test_nr_fail;
    CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_GLOBAL, 0, &g));
    for ( t = 0; t < nr; t++ )
    {
        CHECK_RC(0, pv_evtchn_bind_vcpu(g, t));
        check_status(g, EVTCHNSTAT_virq, t);
        /* Xen: bound on vCPU 0 wherever it notifies; only 0 may ask. */
        CHECK_RC(t ? -XEN_EINVAL : -XEN_EEXIST,
                 pv_evtchn_bind_virq(VIRQ_GLOBAL, t, NULL));
    }
    CHECK_RC(0, pv_evtchn_bind_vcpu(g, 0));
    CHECK_RC(0, pv_evtchn_close(g));
    for ( t = 0; t < nr; t++ )
    {
        CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_TIMER, t, &per[t]));
        check_status(per[t], EVTCHNSTAT_virq, t);
    }
    for ( t = 0; t < nr; t++ )
        for ( i = 0; i < nr; i++ )
        {
            CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_vcpu(per[t], i));
            CHECK_RC(-XEN_EINVAL, pv_evtchn_bind_vcpu(ipi[t], i));
        }
    for ( t = 0; t < nr; t++ )
    {
        check_status(per[t], EVTCHNSTAT_virq, t);
        CHECK_RC(0, pv_evtchn_close(per[t]));
        CHECK_RC(0, pv_evtchn_bind_virq(VIRQ_DEBUG, t, &per[t]));
        /* Asked from the vCPU itself. */
        arg[0] = per[t];
        arg[1] = (t + 1) % nr;
        CHECK_RC(-XEN_EINVAL, pv_smp_call(t, do_bind_vcpu, arg));
        arg[0] = ipi[t];
        CHECK_RC(-XEN_EINVAL, pv_smp_call(t, do_bind_vcpu, arg));
        check_status(per[t], EVTCHNSTAT_virq, t);
        check_status(ipi[t], EVTCHNSTAT_ipi, t);
        CHECK_RC(0, pv_evtchn_close(per[t]));
    }
    /* vCPUs that do not exist: -ENOENT before anything else. */
    CHECK_RC(-XEN_ENOENT, pv_evtchn_bind_vcpu(ipi[0], nr_vcpus));
    result(f, "bind_vcpu: a global VIRQ moves to each vCPU; VIRQ_TIMER, "
           "VIRQ_DEBUG and IPI ports refuse it (-EINVAL) on every vCPU");
}

/* ---- races ------------------------------------------------------------- */

struct sender {
    evtchn_port_t port;
    volatile bool stop;
    volatile unsigned long ok, einval, other;
    long last;
};

static struct sender snd;

/* Send until stopped, or until a send fails when stop_on_error. */
static long do_sender(void *arg)
{
    bool stop_on_error = arg != NULL;
    long rc;

    for ( ;; )
    {
        rc = pv_evtchn_send(snd.port);
        snd.last = rc;
        if ( rc == 0 )
            snd.ok++;
        else if ( rc == -XEN_EINVAL )
            snd.einval++;
        else
            snd.other++;
        if ( (rc && stop_on_error) || snd.stop )
            return 0;
    }
}

static void check_close_race(unsigned int s)
{
    unsigned int round, bad = 0, f = test_nr_fail;
    evtchn_port_t a, b;

    for ( round = 0; round < NR_RACE_ROUNDS; round++ )
    {
        if ( !CHECK_RC(0, loopback_quiet(&a, &b)) )
            break;
        pv_evtchn_mask(a);
        memset(&snd, 0, sizeof(snd));
        snd.port = b;
        pv_smp_post(s, do_sender, (void *)1);
        if ( !WAIT(snd.ok >= 1 + (round & 7)) )
            bad++;
        CHECK_RC(0, pv_evtchn_close(b));
        if ( !pv_smp_wait(s, TIMEOUT, NULL) )
            test_abort("vCPU %u: sends on a closed port go on", s);
        if ( snd.last != -XEN_EINVAL || snd.other || snd.einval != 1 )
        {
            if ( !bad )
                printf("  round %u: last send %ld, %lu other errors\n",
                       round, snd.last, snd.other);
            bad++;
        }
        check_status(b, EVTCHNSTAT_closed, 0);
        check_status(a, EVTCHNSTAT_unbound, 0);
        pv_evtchn_clear_pending(a);
        pv_evtchn_clear_mask(a);
        CHECK_RC(0, pv_evtchn_close(a));
    }
    CHECK_EQ(0, bad);
    result(f, "race: vCPU %u sends while vCPU 0 closes the port (%u rounds)"
           ": 0, then -EINVAL, nothing else", s, NR_RACE_ROUNDS);
}

static void check_move_race(unsigned int s)
{
    unsigned int k, f = test_nr_fail;
    evtchn_port_t a, b;
    uint32_t before;

    if ( !CHECK_RC(0, loopback_quiet(&a, &b)) )
        return;
    mask_all(false);
    pv_evt_reset_counts();
    memset(&snd, 0, sizeof(snd));
    snd.port = b;
    pv_smp_post(s, do_sender, NULL);
    CHECK(WAIT(snd.ok >= 10));
    for ( k = 0; k < 200 || (snd.ok < 2000 && k < 100000); k++ )
    {
        /* Linux's way: masked while it moves, unmask notifies. */
        pv_evtchn_mask(a);
        CHECK_RC(0, pv_evtchn_bind_vcpu(a, k % nr));
        CHECK_RC(0, pv_evtchn_unmask(a));
    }
    snd.stop = true;
    if ( !pv_smp_wait(s, TIMEOUT, NULL) )
        test_abort("vCPU %u: the sender does not stop", s);
    CHECK_EQ(0, snd.einval + snd.other);
    CHECK(WAIT(!pv_evtchn_is_pending(a)));
    printf("race: %lu sends while the port moved %u times: %u taken\n",
           snd.ok, k, pv_evt_count[a]);
    CHECK(pv_evt_count[a] >= 1 && pv_evt_count[a] <= snd.ok);
    CHECK_EQ(0, pv_evt_count[b]);
    /* The last move holds: one more send lands on that vCPU. */
    before = pv_evt_count[a];
    CHECK_RC(0, pv_evtchn_send(b));
    CHECK(WAIT(pv_evt_count[a] != before));
    CHECK_EQ((k - 1) % nr, pv_evt_taker[a]);
    CHECK_RC(0, pv_evtchn_close(a));
    CHECK_RC(0, pv_evtchn_close(b));
    result(f, "race: vCPU %u sends while vCPU 0 moves the port over the "
           "vCPUs (mask, bind_vcpu, unmask): nothing lost or stuck", s);
}

/* ---- the storm --------------------------------------------------------- */

static evtchn_port_t sa[PV_EVT_NR_PORTS / 2], sb[PV_EVT_NR_PORTS / 2];
static unsigned int nr_pairs;
static evtchn_port_t last_ipi;

static unsigned int popcount(unsigned long x)
{
    unsigned int n = 0;

    for ( ; x; x &= x - 1 )
        n++;
    return n;
}

/* The calling vCPU sends on its share (pairs i with i % nr == it). */
static long do_storm_send(void *arg)
{
    unsigned int me = pv_smp_id(), i, times = (unsigned long)arg, k;
    long bad = 0;

    for ( k = 0; k < times; k++ )
        for ( i = me; i < nr_pairs; i += nr )
            if ( pv_evtchn_send(sa[i]) || pv_evtchn_send(sb[i]) )
                bad++;
    if ( me == nr - 1 && last_ipi )
        for ( k = 0; k < times; k++ )
            if ( pv_evtchn_send(last_ipi) )
                bad++;
    return bad;
}

static void check_storm(void)
{
    unsigned long sel[PV_SMP_MAX], owned[PV_SMP_MAX];
    long results[PV_SMP_MAX];
    unsigned int i, t, w, bad, pending, total, f = test_nr_fail;
    long rc;

    /* The table to ourselves: only the storm's ports from here on. */
    for ( t = 0; t < nr; t++ )
        CHECK_RC(0, pv_evtchn_close(ipi[t]));
    for ( nr_pairs = 0; ; nr_pairs++ )
        if ( (rc = loopback_quiet(&sa[nr_pairs], &sb[nr_pairs])) )
            break;
    CHECK_RC(-XEN_ENOSPC, rc);
    last_ipi = 0;
    rc = pv_evtchn_bind_ipi(nr - 1, &last_ipi);
    printf("storm: %u loopback pairs and IPI port %u (%ld)\n", nr_pairs,
           last_ipi, rc);
    CHECK_EQ((PV_EVT_NR_PORTS - 1) / 2, nr_pairs);
    CHECK_RC(0, rc);
    CHECK_EQ(PV_EVT_NR_PORTS - 1, 2 * nr_pairs + 1);
    CHECK_RC(-XEN_ENOSPC, pv_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF,
                                                  NULL));

    /* Round-robin over the vCPUs. */
    memset(sel, 0, sizeof(sel));
    memset(owned, 0, sizeof(owned));
    for ( i = 0, bad = 0; i < nr_pairs; i++ )
        if ( pv_evtchn_bind_vcpu(sa[i], i % nr) ||
             pv_evtchn_bind_vcpu(sb[i], (i + 1) % nr) )
            bad++;
    CHECK_EQ(0, bad);
    for ( i = 1; i < PV_EVT_NR_PORTS; i++ )
    {
        sel[pv_evt_owner[i]] |= 1UL << (i / 64);
        owned[pv_evt_owner[i]]++;
    }

    /* Every vCPU masked; all send their share at once, twice. */
    mask_all(true);
    for ( t = 0; t < nr; t++ )
        clear_upcall_state(t);
    pv_evt_reset_counts();
    pv_smp_call_all(do_storm_send, (void *)2, results);
    for ( t = 0, bad = 0; t < nr; t++ )
        bad += results[t];
    CHECK_EQ(0, bad);
    for ( w = 0, pending = 0; w < PV_EVT_WORDS; w++ )
        pending += popcount(pv_shared_info->evtchn_pending[w]);
    CHECK_EQ(PV_EVT_NR_PORTS - 1, pending);
    for ( t = 0; t < nr; t++ )
    {
        if ( !CHECK_EQ(sel[t], pv_smp_vcpu_info(t)->evtchn_pending_sel) )
            printf("  vCPU %u: selector %#lx, its ports' words %#lx\n", t,
                   pv_smp_vcpu_info(t)->evtchn_pending_sel, sel[t]);
        CHECK_EQ(1, pv_smp_vcpu_info(t)->evtchn_upcall_pending);
    }
    CHECK_EQ(0, pv_evt_nr_upcalls);

    /* All unmasked at once: each port once, on its own vCPU. */
    mask_all(false);
    CHECK(WAIT(pv_evt_nr_ports >= PV_EVT_NR_PORTS - 1));
    for ( i = 1, bad = 0; i < PV_EVT_NR_PORTS; i++ )
        if ( pv_evt_count[i] != 1 || pv_evt_taker[i] != pv_evt_owner[i] ||
             pv_evtchn_is_pending(i) )
            bad++;
    CHECK_EQ(0, bad);
    printf("storm: %lu upcalls for %lu ports; by vCPU:", pv_evt_nr_upcalls,
           pv_evt_nr_ports);
    for ( t = 0, total = 0; t < nr; t++ )
    {
        printf(" %lu/%lu", pv_cpus[t].nr_ports, pv_cpus[t].nr_upcalls);
        CHECK_EQ(owned[t], pv_cpus[t].nr_ports);
        CHECK(pv_cpus[t].nr_upcalls >= 1);
        total += pv_cpus[t].nr_ports;
    }
    printf("\n");
    CHECK_EQ(PV_EVT_NR_PORTS - 1, total);
    result(f, "storm: all 4095 ports sent from %u vCPUs at once while "
           "masked: each vCPU's selector its ports' words; unmasked, every "
           "port delivered once on its own vCPU", nr);

    /* Once more, upcalls enabled, all vCPUs sending at once. */
    f = test_nr_fail;
    pv_smp_call_all(do_storm_send, (void *)1, results);
    for ( t = 0, bad = 0; t < nr; t++ )
        bad += results[t];
    CHECK_EQ(0, bad);
    CHECK(WAIT(pv_evt_nr_ports >= 2 * (PV_EVT_NR_PORTS - 1)));
    for ( i = 1, bad = 0; i < PV_EVT_NR_PORTS; i++ )
        if ( pv_evt_count[i] != 2 || pv_evt_taker[i] != pv_evt_owner[i] ||
             pv_evtchn_is_pending(i) )
            bad++;
    CHECK_EQ(0, bad);
    CHECK_EQ(2 * (PV_EVT_NR_PORTS - 1), pv_evt_nr_ports);
    result(f, "storm: concurrent sends with upcalls enabled, every port "
           "once more on its own vCPU");

    for ( i = 0, bad = 0; i < nr_pairs; i++ )
        if ( pv_evtchn_close(sa[i]) || pv_evtchn_close(sb[i]) )
            bad++;
    CHECK_EQ(0, bad);
    CHECK_RC(0, pv_evtchn_close(last_ipi));
    CHECK_RC(0, pv_evtchn_bind_ipi(0, &ipi[0]));
    CHECK_EQ(1, ipi[0]);                /* the table is empty again */
    CHECK_RC(0, pv_evtchn_close(ipi[0]));
}

void test_smp(void)
{
    evtchn_port_t a, b;
    unsigned int t;

    if ( nr_vcpus < 2 )
    {
        test_skip("events on several vCPUs", "the domain has one vCPU "
                  "(boot with 2 or more CPUs)");
        return;
    }
    nr = pv_smp_init();
    printf("events: %u vCPUs online\n", nr);
    if ( nr < 2 )
        return;
    pv_evt_reset_counts();

    check_ipis();
    for ( t = 1; t < nr; t++ )
        check_block(t);
    if ( CHECK_RC(0, loopback_quiet(&a, &b)) )
    {
        for ( t = 1; t < nr; t++ )
            check_poll(t, a, b);
        CHECK_RC(0, pv_evtchn_close(a));
        CHECK_RC(0, pv_evtchn_close(b));
    }
    check_bind_vcpu();
    check_close_race(1);
    check_move_race(nr - 1);
    check_storm();
    mask_all(false);
}
