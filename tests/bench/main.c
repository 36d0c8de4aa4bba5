/*
 * pvbench: start of the benchmark kernel, its command line, and the
 * statistics and output lines every metric shares (format in bench.h).
 *
 * Each metric runs warm-up repetitions first (caches, TLBs and QEMU's
 * translated code warm), then `reps` recorded ones, each timed on its own
 * with two serialised TSC reads.  The spread is given as the 10th and 90th
 * percentiles: under TCG on a shared host single samples can be hit by
 * host interrupts or scheduling, which the median and p10 ignore.
 */
#include "bench.h"

const char test_name[] = "bench";

unsigned int bench_reps = 1000;
unsigned int bench_warmup;
unsigned int bench_nr_metrics;
uint64_t bench_samples[BENCH_MAX_REPS];
uint64_t bench_samples2[BENCH_MAX_REPS];

/* ---- command line ------------------------------------------------------ */

/* The value of KEY=<decimal> on the command line, or DEFAULT. */
static unsigned long cmdline_num(const char *key, unsigned long dflt)
{
    const char *p = (const char *)pv_start_info->cmd_line;
    size_t klen = strlen(key);

    while ( *p )
    {
        while ( *p == ' ' )
            p++;
        if ( !strncmp(p, key, klen) && p[klen] == '=' &&
             p[klen + 1] >= '0' && p[klen + 1] <= '9' )
        {
            unsigned long v = 0;

            for ( p += klen + 1; *p >= '0' && *p <= '9'; p++ )
                v = v * 10 + (*p - '0');
            return v;
        }
        while ( *p && *p != ' ' )
            p++;
    }
    return dflt;
}

unsigned int bench_reps_div(unsigned int div)
{
    unsigned int n = bench_reps / div;

    return n < 10 ? (bench_reps < 10 ? bench_reps : 10) : n;
}

/* ---- statistics -------------------------------------------------------- */

static void sort(uint64_t *s, unsigned int n)
{
    static const unsigned int gaps[] = { 1750, 701, 301, 132, 57, 23, 10,
                                         4, 1 };
    unsigned int g, i, j;

    for ( g = 0; g < ARRAY_SIZE(gaps); g++ )
        for ( i = gaps[g]; i < n; i++ )
        {
            uint64_t v = s[i];

            for ( j = i; j >= gaps[g] && s[j - gaps[g]] > v; j -= gaps[g] )
                s[j] = s[j - gaps[g]];
            s[j] = v;
        }
}

/* The P-th percentile (nearest rank) of the sorted S[0..N). */
static uint64_t percentile(const uint64_t *s, unsigned int n, unsigned int p)
{
    unsigned int rank = (n * p + 99) / 100;

    return s[rank ? rank - 1 : 0];
}

void bench_report(const char *metric, uint64_t *s, unsigned int n)
{
    if ( !n )
    {
        bench_error(metric, "no samples");
        return;
    }
    bench_nr_metrics++;
    sort(s, n);
    printf("BENCH %s median=%lu p10=%lu p90=%lu min=%lu reps=%u\n", metric,
           percentile(s, n, 50), percentile(s, n, 10), percentile(s, n, 90),
           s[0], n);
}

void bench_unsupported(const char *metric, const char *fmt, ...)
{
    char buf[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    bench_nr_metrics++;
    printf("BENCH %s unsupported (%s)\n", metric, buf);
}

void bench_error(const char *metric, const char *fmt, ...)
{
    char buf[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    bench_nr_metrics++;
    printf("BENCH %s error (%s)\n", metric, buf);
    test_fail(metric, "%s", buf);
}

const char *bench_errname(long rc)
{
#define ERRNAME(name, nr, what) case -(nr): n = #name; break;
    static char buf[32];
    const char *n = NULL;

    switch ( rc )
    {
    XEN_ERRNO_LIST(ERRNAME)
    }
#undef ERRNAME
    if ( n )
        snprintf(buf, sizeof(buf), "%ld %s", rc, n);
    else
        snprintf(buf, sizeof(buf), "%ld", rc);
    return buf;
}

void *bench_page(void)
{
    void *p = pv_alloc_page();

    if ( !p )
        test_abort("out of pages (%lu free)", pv_nr_free_pages());
    return p;
}

/* ---- the run ----------------------------------------------------------- */

void test_main(void)
{
    bench_reps = cmdline_num("reps", 1000);
    if ( bench_reps < 1 )
        bench_reps = 1;
    if ( bench_reps > BENCH_MAX_REPS )
        bench_reps = BENCH_MAX_REPS;
    bench_warmup = cmdline_num("warmup", bench_reps / 10 < 5 ? 5
                                                            : bench_reps / 10);

    printf("BENCH-BEGIN reps=%u warmup=%u nr_pages=%lu free_pages=%lu\n",
           bench_reps, bench_warmup, pv_start_info->nr_pages,
           pv_nr_free_pages());

    /* The memory first: what the hypervisor kept right after boot. */
    bench_memory();
    bench_hypercalls();
    bench_time();
    bench_traps();
    bench_mmu();
    bench_evtchn();
    bench_grant();
    /* Last: it starts a second vCPU. */
    bench_vcpu();

    printf("BENCH-END metrics=%u\n", bench_nr_metrics);
}
