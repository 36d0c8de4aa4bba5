/*
 * Wallclock: the time of day at system time 0, read from the RTC at boot
 * and published in each domain's shared_info (wc_sec/wc_nsec, with
 * wc_version odd while they change), so a guest computes the time of day
 * as wallclock + system time, as on Xen.  A domain's time offset
 * (XEN_DOMCTL_settimeoffset) is added to its own copy.
 */
#include <keel/console.h>
#include <keel/domain.h>
#include <keel/lib.h>
#include <keel/sched.h>
#include <asm/rtc.h>
#include <asm/time.h>
#include <public/xen.h>

static uint64_t boot_epoch_ns;          /* (c) wallclock at system time 0 */

void wallclock_init(void)
{
    uint64_t secs = rtc_epoch_seconds();
    s_time_t now = NOW();

    boot_epoch_ns = secs * 1000000000ULL - (uint64_t)now;
    console_set_wallclock(boot_epoch_ns / 1000000000ULL);
    printk("Wallclock: %lu seconds since the epoch (from the RTC)\n",
           (unsigned long)secs);
}

void wallclock_publish(struct domain *d)
{
    struct shared_info *s = d->shared_info;
    /* XEN_DOMCTL_settimeoffset moves only this domain's clock. */
    uint64_t sec = boot_epoch_ns / 1000000000ULL +
                   (uint64_t)__atomic_load_n(&d->time_offset_seconds,
                                             __ATOMIC_RELAXED);

    s->wc_version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_sec = (uint32_t)sec;
    s->wc_sec_hi = (uint32_t)(sec >> 32);
    s->wc_nsec = boot_epoch_ns % 1000000000ULL;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_version++;
}
