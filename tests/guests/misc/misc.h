/*
 * misc: shared declarations of the conformance kernel for the smaller
 * hypercalls and emulated instructions: vcpu_op, sched_op, nmi_op, xsm_op
 * (misc.c); physdev_op I/O privilege and CLI/STI (io.c); fpu_taskswitch,
 * set_segment_base, CR4, XSETBV and RDTSCP (cpu.c).
 */
#ifndef MISC_TEST_H
#define MISC_TEST_H

#include <pvguest/lib.h>

#define BAD_PTR_LOW     ((void *)0x1000)
#define BAD_PTR_XEN     ((void *)0xffff830000000000UL)
#define NONCANON        0x8000000000000000UL

/* snippets.S: user-mode sequences. */
long mu_inb(long port);
long mu_cli(long);
long mu_rdtsc(long);
long mu_rdtscp(long);
extern char mu_inb_insn[], mu_cli_insn[], mu_rdtsc_insn[], mu_rdtscp_insn[];

static inline unsigned long rdmsr_try(uint32_t msr)
{
    uint32_t lo = 0, hi = 0;

    /* 0 if it faults (pv_last_fault.vector says so). */
    PV_TRY("rdmsr", : "+a" (lo), "+d" (hi) : "c" (msr) : "memory");
    return ((unsigned long)hi << 32) | lo;
}

static inline int wrmsr_try(uint32_t msr, unsigned long v)
{
    PV_TRY("wrmsr", : : "c" (msr), "a" ((uint32_t)v), "d" (v >> 32)
           : "memory");
    return pv_last_fault.vector;
}

/* CPUID through the forced-emulation prefix: the guest's view. */
static inline void xen_cpuid(uint32_t leaf, uint32_t *a, uint32_t *b,
                             uint32_t *c, uint32_t *d)
{
    asm volatile ( "ud2a; .ascii \"xen\"; cpuid"
                   : "=a" (*a), "=b" (*b), "=c" (*c), "=d" (*d)
                   : "0" (leaf), "2" (0) );
}

long set_iopl(unsigned int iopl);
void *new_page(void);

void test_vcpu_sched(void);
void test_vcpu_info(void);
void test_io(void);
void test_cpu(void);

#endif /* MISC_TEST_H */
