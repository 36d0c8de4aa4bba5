/*
 * pvbench: the cheapest hypercall, three ways.
 *
 *  null_hypercall         xen_version(XENVER_version, NULL) through the
 *                         hypercall page (call into the page's stub,
 *                         which issues SYSCALL and returns): the classic
 *                         PV guest's path.
 *  null_hypercall_inline  the same call with SYSCALL in place (Linux
 *                         6.1.y from late 2024 on).
 *  multicall_32           one multicall of 32 xen_version calls.
 */
#include "bench.h"

#define MC_BATCH 32

static inline long xen_version_page(void)
{
    unsigned long rdi = XENVER_version, rsi = 0;
    long rax;

    asm volatile ( "call hypercall_page + %c[off]"
                   : "=a" (rax), "+D" (rdi), "+S" (rsi)
                   : [off] "i" (__HYPERVISOR_xen_version * 32)
                   : "rcx", "rdx", "r8", "r10", "r11", "memory" );
    return rax;
}

static inline long xen_version_inline(void)
{
    unsigned long rdi = XENVER_version, rsi = 0;
    long rax = __HYPERVISOR_xen_version;

    asm volatile ( "syscall"
                   : "+a" (rax), "+D" (rdi), "+S" (rsi)
                   :
                   : "rcx", "rdx", "r8", "r10", "r11", "memory" );
    return rax;
}

static void null_hypercall(const char *metric, bool inline_syscall)
{
    unsigned int i, n = bench_reps, warm = bench_warmup;
    uint64_t t0, t1;
    long rc;

    for ( i = 0; i < warm + n; i++ )
    {
        t0 = bench_tsc();
        rc = inline_syscall ? xen_version_inline() : xen_version_page();
        t1 = bench_tsc();
        if ( rc <= 0 )
        {
            bench_error(metric, "xen_version: %s", bench_errname(rc));
            return;
        }
        if ( i >= warm )
            bench_samples[i - warm] = t1 - t0;
    }
    bench_report(metric, bench_samples, n);
}

static void multicall(void)
{
    static struct multicall_entry mc[MC_BATCH];
    unsigned int i, j, n = bench_reps, warm = bench_warmup;
    uint64_t t0, t1;
    long rc;

    for ( j = 0; j < MC_BATCH; j++ )
    {
        mc[j].op = __HYPERVISOR_xen_version;
        mc[j].args[0] = XENVER_version;
        mc[j].args[1] = 0;
    }
    for ( i = 0; i < warm + n; i++ )
    {
        mc[MC_BATCH - 1].result = 0;
        t0 = bench_tsc();
        rc = HYPERVISOR_multicall(mc, MC_BATCH);
        t1 = bench_tsc();
        if ( rc == -XEN_ENOSYS )
        {
            bench_unsupported("multicall_32", "multicall: %s",
                              bench_errname(rc));
            return;
        }
        if ( rc || (long)mc[MC_BATCH - 1].result <= 0 )
        {
            bench_error("multicall_32", "multicall: %s, last result %ld",
                        bench_errname(rc), (long)mc[MC_BATCH - 1].result);
            return;
        }
        if ( i >= warm )
            bench_samples[i - warm] = t1 - t0;
    }
    bench_report("multicall_32", bench_samples, n);
}

void bench_hypercalls(void)
{
    null_hypercall("null_hypercall", false);
    null_hypercall("null_hypercall_inline", true);
    multicall();
}
