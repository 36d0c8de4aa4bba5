/*
 * pvbench: the PV benchmark kernel.  It uses only the Xen PV ABI, so it
 * boots unmodified as dom0 on Keel and on Xen, and prints one line per
 * metric (docs/performance.md; the list is tests/bench/metrics):
 *
 *   BENCH <metric> median=<n> p10=<n> p90=<n> min=<n> reps=<n>
 *   BENCH <metric> unsupported (<reason>)
 *   BENCH <metric> error (<reason>)
 *
 * Times are TSC cycles of one operation (the median and the 10th and
 * 90th percentiles of `reps` repetitions, after warm-up repetitions that
 * are not recorded).  "unsupported" is decided at run time from what the
 * hypervisor answers (-ENOSYS, or no second vCPU); "error" means a call
 * that exists failed, and makes the kernel's result FAILURE.
 *
 * The hypervisor's memory is one more line:
 *
 *   BENCH-MEM ram_kib=<n> dom0_kib=<n> kept_kib=<n> boot_dom0_kib=<n>
 *
 * Command line (dom0's): reps=N (default 1000), warmup=N (default
 * reps / 10, at least 5).
 */
#ifndef BENCH_H
#define BENCH_H

#include <pvguest/lib.h>
#include <public/event_channel.h>
#include <public/grant_table.h>

#define BENCH_MAX_REPS      10000

extern unsigned int bench_reps;         /* recorded repetitions */
extern unsigned int bench_warmup;       /* unrecorded ones before them */
extern unsigned int bench_nr_metrics;   /* lines printed so far */

/* Two sample buffers of BENCH_MAX_REPS, for metrics measured in pairs. */
extern uint64_t bench_samples[BENCH_MAX_REPS];
extern uint64_t bench_samples2[BENCH_MAX_REPS];

/* Repetitions of a metric that costs about 1/div of the usual budget. */
unsigned int bench_reps_div(unsigned int div);

/* Sort S[0..N) and print the metric's line. */
void bench_report(const char *metric, uint64_t *s, unsigned int n);
void bench_unsupported(const char *metric, const char *fmt, ...)
    __printf(2, 3);
/* A call the hypervisor has failed: the line, and a FAIL for the result. */
void bench_error(const char *metric, const char *fmt, ...) __printf(2, 3);
/* Name an errno value returned by a hypercall ("-38 ENOSYS"). */
const char *bench_errname(long rc);

/* The TSC, ordered after every earlier instruction. */
static inline uint64_t bench_tsc(void)
{
    uint32_t lo, hi;

    asm volatile ( "lfence; rdtsc" : "=a" (lo), "=d" (hi) : : "memory" );
    return ((uint64_t)hi << 32) | lo;
}

/* A fresh zeroed page, or the test ends with ERROR. */
void *bench_page(void);

/* The metric groups, in the order test_main() runs them. */
void bench_memory(void);            /* BENCH-MEM */
void bench_hypercalls(void);        /* null_hypercall*, multicall_32 */
void bench_time(void);              /* time_rdtsc, time_pvclock */
void bench_traps(void);             /* user_syscall, pagefault_bounce */
void bench_mmu(void);               /* mmu_update_*, update_va_mapping_*,
                                       pin/unpin_l4_tree */
void bench_evtchn(void);            /* evtchn_send_self */
void bench_grant(void);             /* grant_map/unmap, grant_copy_* */
void bench_vcpu(void);              /* vcpu_switch */

/* entry.S: the syscall callback that answers BENCH_SYSCALL_NR at once. */
#define BENCH_SYSCALL_NR    0x5ca11
extern char bench_syscall_entry[];

#endif /* BENCH_H */
