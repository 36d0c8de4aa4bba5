/*
 * pvbench: reading the time.
 *
 *  time_rdtsc    one RDTSC (with the LFENCE that orders it): what a
 *                trapped or emulated TSC would show.
 *  time_pvclock  system time in ns from vcpu_info's vcpu_time_info (the
 *                version/retry protocol, RDTSC, scale and add): what a PV
 *                kernel's clocksource read costs, no hypercall involved.
 *
 * Both are far below the TSC's resolution under TCG (QEMU derives it from
 * a host clock: here it advances 26 cycles at a time), so each sample
 * times BATCH reads in a row and is the cost of one read, rounded down.
 */
#include "bench.h"

#define BATCH   32

static uint64_t pvclock_ns(const volatile struct vcpu_time_info *t)
{
    uint64_t tsc, stamp, sys, delta;
    uint32_t version, mul;
    int8_t shift;

    do {
        version = t->version;
        barrier();
        stamp = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        tsc = bench_tsc();
        barrier();
    } while ( (version & 1) || version != t->version );

    delta = tsc - stamp;
    if ( shift < 0 )
        delta >>= -shift;
    else
        delta <<= shift;
    return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

void bench_time(void)
{
    const volatile struct vcpu_time_info *t =
        &pv_shared_info->vcpu_info[0].time;
    unsigned int i, j, n = bench_reps, warm = bench_warmup;
    uint64_t t0, t1, x, prev, ns, last = 0;

    for ( i = 0; i < warm + n; i++ )
    {
        t0 = prev = bench_tsc();
        for ( j = 0; j < BATCH; j++ )
        {
            x = bench_tsc();
            if ( x < prev )
                break;
            prev = x;
        }
        t1 = bench_tsc();
        if ( j < BATCH || t1 < prev )
        {
            bench_error("time_rdtsc", "the TSC went backwards");
            break;
        }
        if ( i >= warm )
            bench_samples[i - warm] = (t1 - t0) / BATCH;
    }
    if ( i == warm + n )
        bench_report("time_rdtsc", bench_samples, n);

    if ( !t->tsc_to_system_mul )
    {
        bench_unsupported("time_pvclock", "vcpu_time_info not filled in");
        return;
    }
    for ( i = 0; i < warm + n; i++ )
    {
        t0 = bench_tsc();
        for ( j = 0; j < BATCH; j++ )
        {
            ns = pvclock_ns(t);
            if ( ns < last )
            {
                bench_error("time_pvclock", "time went backwards: %lu < %lu "
                            "ns", ns, last);
                return;
            }
            last = ns;
        }
        t1 = bench_tsc();
        if ( i >= warm )
            bench_samples[i - warm] = (t1 - t0) / BATCH;
    }
    printf("BENCH-INFO pvclock %lu ns after boot\n", last);
    bench_report("time_pvclock", bench_samples, n);
}
