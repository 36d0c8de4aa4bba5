/*
 * Time for PV test kernels: pvclock (vcpu_time_info) and the wall clock
 * in shared_info.  See <pvguest/event.h>.
 *
 *   now = system_time +
 *         ((((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul) >> 32)
 *
 * with a negative tsc_shift shifting right; the product is 96 bits wide.
 */
#include <pvguest/event.h>
#include <pvguest/smp.h>

void pv_clock_read(const volatile struct vcpu_time_info *t,
                   struct pv_clock_sample *s)
{
    uint32_t v;
    uint64_t delta;

    s->retries = 0;
    for ( ;; )
    {
        v = t->version;
        barrier();
        s->tsc_timestamp = t->tsc_timestamp;
        s->system_time = t->system_time;
        s->mul = t->tsc_to_system_mul;
        s->shift = t->tsc_shift;
        s->tsc = pv_rdtsc();
        barrier();
        if ( !(v & 1) && v == t->version )
            break;
        s->retries++;
    }
    s->version = v;

    delta = s->tsc - s->tsc_timestamp;
    if ( s->shift < 0 )
        delta >>= -s->shift;
    else
        delta <<= s->shift;
    s->now = s->system_time +
             (uint64_t)(((unsigned __int128)delta * s->mul) >> 32);
}

uint64_t pv_now(void)
{
    struct pv_clock_sample s;

    pv_clock_read(&pv_smp_vcpu_info(pv_smp_id())->time, &s);
    return s.now;
}

void pv_wallclock(uint64_t *sec, uint32_t *nsec, uint32_t *version)
{
    volatile struct shared_info *sh = pv_shared_info;
    uint32_t v;

    for ( ;; )
    {
        v = sh->wc_version;
        barrier();
        *sec = ((uint64_t)sh->wc_sec_hi << 32) | sh->wc_sec;
        *nsec = sh->wc_nsec;
        barrier();
        if ( !(v & 1) && v == sh->wc_version )
            break;
    }
    *version = v;
}
