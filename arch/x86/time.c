/*
 * System time: nanoseconds since boot from the TSC, calibrated once at
 * boot against the HPET main counter when ACPI describes one, otherwise
 * against PIT channel 2.  Conversion is a 32.32 fixed-point multiply, so
 * NOW() costs one RDTSC and one 128-bit multiply.
 */
#include <keel/lib.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/time.h>

unsigned long tsc_khz;                  /* (c) */
static uint64_t tsc_at_boot;            /* (c) */
static uint64_t ns_per_tsc_32_32;       /* (c) ns per TSC tick, 32.32 fixed */
static const char *calib_source = "none";

#define CALIBRATE_MS        50

#define PIT_HZ              1193182
#define PIT_CH2             0x42
#define PIT_MODE            0x43
#define PIT_GATE            0x61
#define PIT_GATE_OUT2       0x20
#define PIT_MODE_CH2_ONESHOT 0xb0       /* ch2, lo/hi, mode 0, binary */

#define HPET_CAP            0x000
#define HPET_CFG            0x010
#define HPET_COUNTER        0x0f0
#define HPET_CFG_ENABLE     0x1
#define FS_PER_NS           1000000ULL

static uint64_t calibrate_pit(void)
{
    unsigned int latch = PIT_HZ * CALIBRATE_MS / 1000;
    uint64_t start, end;
    unsigned long spins = 0;

    /* Gate on, speaker off; count down once in mode 0. */
    outb((inb(PIT_GATE) & ~0x02) | 0x01, PIT_GATE);
    outb(PIT_MODE_CH2_ONESHOT, PIT_MODE);
    outb(latch & 0xff, PIT_CH2);
    outb(latch >> 8, PIT_CH2);
    start = rdtsc();
    while ( !(inb(PIT_GATE) & PIT_GATE_OUT2) && ++spins < (1UL << 32) )
        cpu_relax();
    end = rdtsc();
    return (end - start) / CALIBRATE_MS;
}

static uint64_t calibrate_hpet(paddr_t base)
{
    volatile uint8_t *hpet = maddr_to_virt(base);
    uint64_t period_fs = *(volatile uint64_t *)(hpet + HPET_CAP) >> 32;
    uint64_t ticks, c0, t0, t1;

    if ( period_fs == 0 || period_fs > 100000000ULL )   /* spec: <= 100 ns */
        return 0;
    *(volatile uint64_t *)(hpet + HPET_CFG) |= HPET_CFG_ENABLE;
    ticks = CALIBRATE_MS * 1000000ULL * FS_PER_NS / period_fs;
    c0 = *(volatile uint64_t *)(hpet + HPET_COUNTER);
    t0 = rdtsc();
    while ( *(volatile uint64_t *)(hpet + HPET_COUNTER) - c0 < ticks )
    {
        if ( rdtsc() - t0 > (1ULL << 40) )               /* counter stuck */
            return 0;
        cpu_relax();
    }
    t1 = rdtsc();
    return (t1 - t0) / CALIBRATE_MS;
}

void time_calibrate(paddr_t hpet_base)
{
    uint64_t per_ms = 0;

    if ( hpet_base )
    {
        per_ms = calibrate_hpet(hpet_base);
        calib_source = "HPET";
    }
    if ( !per_ms )
    {
        per_ms = calibrate_pit();
        calib_source = "PIT";
    }
    if ( !per_ms )
        per_ms = 1000000;                   /* pretend 1 GHz, say so */
    tsc_khz = per_ms;
    ns_per_tsc_32_32 = (1000000ULL << 32) / per_ms;
    tsc_at_boot = rdtsc();
    printk("TSC: %lu.%03lu MHz (calibrated against the %s)\n",
           tsc_khz / 1000, tsc_khz % 1000, calib_source);
}

const char *time_calibration_source(void)
{
    return calib_source;
}

s_time_t tsc_to_system_time(uint64_t tsc)
{
    unsigned __int128 p;

    if ( !ns_per_tsc_32_32 )
        return 0;
    p = (unsigned __int128)(tsc - tsc_at_boot) * ns_per_tsc_32_32;
    return (s_time_t)(p >> 32);
}

s_time_t NOW(void)
{
    return tsc_to_system_time(rdtsc());
}

void udelay(unsigned long us)
{
    uint64_t start = rdtsc();
    uint64_t ticks = (uint64_t)us * (tsc_khz ? tsc_khz : 1000000) / 1000;

    while ( rdtsc() - start < ticks )
        cpu_relax();
}

/*
 * The pvclock scale for guests: ns = ((tsc_delta << shift) * mul) >> 32
 * (a right shift for negative shift), with mul normalised to
 * [2^31, 2^32).  Same rate as NOW(), so guest and hypervisor agree.
 */
void time_pvclock_scale(uint32_t *mul, int8_t *shift)
{
    uint64_t m = ns_per_tsc_32_32 ? ns_per_tsc_32_32 : 1ULL << 32;
    int s = 0;

    while ( m >= (1ULL << 32) )
    {
        m >>= 1;
        s++;
    }
    while ( m < (1ULL << 31) )
    {
        m <<= 1;
        s--;
    }
    *mul = (uint32_t)m;
    *shift = (int8_t)s;
}

uint64_t time_tsc_at_boot(void)
{
    return tsc_at_boot;
}

/* ---- TSC synchronisation between CPUs ----------------------------------- */

#define TSC_SYNC_ROUNDS     500
#define TSC_SYNC_SPINS      100000000UL     /* a partner that stopped */

static volatile uint64_t sync_last;         /* the latest TSC read */
static volatile unsigned int sync_turn;     /* even: boot CPU, odd: AP */
static bool tsc_warp;                       /* [boot] a check failed */

/* Wait for our turn (bounded), read the TSC, compare, pass the turn. */
static bool tsc_sync_step(unsigned int turn)
{
    unsigned long spins = 0;
    uint64_t t;

    while ( __atomic_load_n(&sync_turn, __ATOMIC_ACQUIRE) != turn )
    {
        if ( ++spins == TSC_SYNC_SPINS )
            return false;
        cpu_relax();
    }
    t = rdtsc();
    if ( t < sync_last )
        tsc_warp = true;
    sync_last = t;
    __atomic_store_n(&sync_turn, turn + 1, __ATOMIC_RELEASE);
    return true;
}

void time_tsc_sync_bsp(void)
{
    unsigned int i;

    for ( i = 0; i < TSC_SYNC_ROUNDS; i++ )
        if ( !tsc_sync_step(2 * i) )
        {
            tsc_warp = true;                /* could not tell */
            break;
        }
    /* Wait for the last AP step, then reset for the next CPU. */
    tsc_sync_step(2 * TSC_SYNC_ROUNDS);
    __atomic_store_n(&sync_turn, 0, __ATOMIC_RELEASE);
    sync_last = 0;
}

void time_tsc_sync_ap(void)
{
    unsigned int i;

    for ( i = 0; i < TSC_SYNC_ROUNDS; i++ )
        if ( !tsc_sync_step(2 * i + 1) )
        {
            tsc_warp = true;
            break;
        }
}

bool time_tsc_synced(void)
{
    return !tsc_warp;
}
