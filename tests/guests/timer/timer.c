/*
 * timer: system time, wall clock, and the timers that raise VIRQ_TIMER,
 * for a 64-bit PV kernel.
 *
 * Cases:
 *  - pvclock (vcpu_info.time): version even, tsc_to_system_mul non-zero,
 *    a sane tsc_shift; over many reads the time computed from the TSC
 *    never goes backwards, the TSC is never below tsc_timestamp and the
 *    result never below system_time.  (A retry for an odd or changed
 *    version may happen: Xen updates the record in interrupts.)
 *  - wall clock (shared_info): wc_version even, wc_sec after 2020-01-01,
 *    wc_nsec below 10^9; wall clock + system time moves forward by at
 *    least a poll's timeout across it.
 *  - the timers (timers.c).
 *  - with two or more vCPUs, last, all of them brought up: pvclock across
 *    vCPUs and blocks, and every vCPU's timers (smp.c).
 * No timing assertions beyond ordering (TCG): a deadline is never
 * reached early, and things that must happen first do.
 */
#include "timer.h"

const char test_name[] = "timer";

unsigned int nr_vcpus;
evtchn_port_t timer_port;

#define NR_READS        200000
#define EPOCH_2020      1577836800UL

static void check_pvclock(void)
{
    const volatile struct vcpu_time_info *t = &pv_vcpu_info->time;
    struct pv_clock_sample s, first;
    uint64_t prev;
    unsigned int i, back = 0, tsc_below = 0, below_sys = 0, retries = 0;
    uint32_t version = t->version;

    printf("pvclock: version %u mul %u shift %d flags %#x system_time %lu\n",
           version, t->tsc_to_system_mul, t->tsc_shift, t->flags,
           (unsigned long)t->system_time);
    CHECK_EQ(0, version & 1);
    CHECK(t->tsc_to_system_mul != 0);
    CHECK(t->tsc_shift >= -31 && t->tsc_shift <= 31);

    pv_clock_read(t, &first);
    CHECK_EQ(0, first.version & 1);
    prev = first.now;
    for ( i = 0; i < NR_READS; i++ )
    {
        pv_clock_read(t, &s);
        if ( s.now < prev )
        {
            if ( !back )
                printf("pvclock went back: %lu -> %lu (read %u)\n",
                       (unsigned long)prev, (unsigned long)s.now, i);
            back++;
        }
        if ( s.tsc < s.tsc_timestamp )
            tsc_below++;
        if ( s.now < s.system_time )
            below_sys++;
        retries += s.retries;
        prev = s.now;
    }
    printf("pvclock: %u reads over %lu us, %u version retries\n", NR_READS,
           (unsigned long)((prev - first.now) / 1000), retries);
    CHECK_EQ(0, back);
    CHECK_EQ(0, tsc_below);
    CHECK_EQ(0, below_sys);
    CHECK(prev > first.now);
    CHECK_EQ(0, s.version & 1);
}

static uint64_t wall_ns(uint32_t *version, uint64_t *wc)
{
    uint64_t sec;
    uint32_t nsec;

    pv_wallclock(&sec, &nsec, version);
    *wc = sec * 1000000000ULL + nsec;
    return *wc + pv_now();
}

static void check_wallclock(void)
{
    volatile struct shared_info *sh = pv_shared_info;
    uint64_t sec, wc1, wc2, w1, w2;
    uint32_t nsec, version, v2;

    printf("wallclock: version %u sec %u (hi %u) nsec %u\n", sh->wc_version,
           sh->wc_sec, sh->wc_sec_hi, sh->wc_nsec);
    CHECK_EQ(0, sh->wc_version & 1);
    pv_wallclock(&sec, &nsec, &version);
    CHECK_EQ(0, version & 1);
    CHECK(sec > EPOCH_2020);
    CHECK(sec < EPOCH_2020 + 100UL * 366 * 86400);
    CHECK(nsec < 1000000000);

    w1 = wall_ns(&version, &wc1);
    CHECK_RC(0, pv_poll(NULL, 0, pv_now() + PV_MS(5)));
    w2 = wall_ns(&v2, &wc2);
    printf("wallclock + system time: %lu.%09lu\n",
           (unsigned long)(w2 / 1000000000ULL),
           (unsigned long)(w2 % 1000000000ULL));
    CHECK(w2 > w1);
    if ( wc1 == wc2 )
        CHECK(w2 >= w1 + PV_MS(5));
    else
        printf("wall clock base moved by %ld ns\n", (long)(wc2 - wc1));
}

void test_main(void)
{
    nr_vcpus = pv_nr_vcpus();
    printf("timer: %u vCPU(s)\n", nr_vcpus);
    check_pvclock();
    check_wallclock();
    test_timers();
    check_pvclock();
    test_smp();
}
