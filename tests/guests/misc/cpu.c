/*
 * misc, part 3: fpu_taskswitch, set_segment_base, CR4, XSETBV, RDTSCP.
 *
 * Cases:
 *  - fpu_taskswitch(1): CR0.TS reads 1, an x87 instruction is #NM (no
 *    error code, RIP at it), after which TS reads 0 again (Xen clears it
 *    on delivery); any non-zero argument sets it (2, -1); 0 clears it.
 *  - set_segment_base: FS, GS_KERNEL and GS_USER with canonical bases read
 *    back through RDMSR FS_BASE, GS_BASE and SHADOW_GS_BASE (and %fs:,
 *    %gs: reads); non-canonical (both halves) -EINVAL with the base kept;
 *    GS_USER_SEL with 0 and the flat selector: user base 0, and only the
 *    low 16 bits of the argument count (a non-canonical one is fine); an
 *    unknown selector -EINVAL.  WRMSR of the three bases round trips,
 *    non-canonical #GP(0).
 *  - MOV to CR4 never faults: Xen keeps its own bits whatever is written
 *    (clearing PAE or setting VMXE reads back unchanged) and takes the
 *    guest-controlled ones: with TSD set, RDTSC/RDTSCP from user mode are
 *    #GP(0) while kernel mode still reads the TSC.
 *  - XSETBV (with CR4.OSXSAVE set through MOV to CR4 first, as Linux
 *    does): XCR0 rewritten with its own value and with x87 only (XGETBV
 *    agrees); 0, SSE without x87, AVX without SSE, an unknown bit, XCR1:
 *    #GP(0).  Xen: with the guest's CR4.OSXSAVE clear XSETBV is #UD but
 *    XGETBV still works (it runs natively, the real CR4 has OSXSAVE).
 *  - RDTSCP: TSC_AUX 0 at first; WRMSR TSC_AUX round trips through RDMSR
 *    and RDTSCP; a value above 32 bits #GP(0); RDTSCP's TSC does not go
 *    backwards against RDTSC.
 */
#include "misc.h"

#define MSR_FS_BASE         0xc0000100U
#define MSR_GS_BASE         0xc0000101U
#define MSR_SHADOW_GS_BASE  0xc0000102U
#define MSR_TSC_AUX         0xc0000103U
#define CR4_TSD             (1UL << 2)
#define CR4_PAE             (1UL << 5)
#define CR4_VMXE            (1UL << 13)
#define CR4_OSXSAVE         (1UL << 18)

static unsigned long read_cr0(void)
{
    unsigned long v;

    asm volatile ( "mov %%cr0, %0" : "=r" (v) );
    return v;
}

static unsigned long read_cr4(void)
{
    unsigned long v;

    asm volatile ( "mov %%cr4, %0" : "=r" (v) );
    return v;
}

static int write_cr4(unsigned long v)
{
    PV_TRY("mov %0, %%cr4", : : "r" (v) : "memory");
    return pv_last_fault.vector;
}

static void check_fpu(void)
{
    unsigned long start;

    CHECK_RC(0, HYPERVISOR_fpu_taskswitch(1));
    CHECK_EQ(8, read_cr0() & 8);
    PV_TRY("lea 1b(%%rip), %0\n\tfnop", : "=&r" (start) : : "memory");
    CHECK_EQ(7, pv_last_fault.vector);
    CHECK(!pv_last_fault.had_error_code);
    CHECK_EQ(start + 7, pv_last_fault.regs.rip);
    CHECK_EQ(0, read_cr0() & 8);

    CHECK_RC(0, HYPERVISOR_fpu_taskswitch(2));
    CHECK_EQ(8, read_cr0() & 8);
    CHECK_RC(0, HYPERVISOR_fpu_taskswitch(0));
    CHECK_EQ(0, read_cr0() & 8);
    PV_TRY("fnop", : : : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_RC(0, HYPERVISOR_fpu_taskswitch(-1));
    CHECK_EQ(8, read_cr0() & 8);
    CHECK_RC(0, HYPERVISOR_fpu_taskswitch(0));
}

static unsigned long fs_var = 0xf5f5, gs_var = 0x6565;

static void check_segbase(void)
{
    unsigned long v;

    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_FS,
                                            (unsigned long)&fs_var));
    CHECK_EQ((unsigned long)&fs_var, rdmsr_try(MSR_FS_BASE));
    asm volatile ( "mov %%fs:0, %0" : "=r" (v) );
    CHECK_EQ(0xf5f5, v);
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_segment_base(SEGBASE_FS, NONCANON));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_segment_base(
                 SEGBASE_FS, 0x0000800000000000UL));
    CHECK_EQ((unsigned long)&fs_var, rdmsr_try(MSR_FS_BASE));

    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                            (unsigned long)&gs_var));
    CHECK_EQ((unsigned long)&gs_var, rdmsr_try(MSR_GS_BASE));
    asm volatile ( "mov %%gs:0, %0" : "=r" (v) );
    CHECK_EQ(0x6565, v);
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                                      NONCANON));
    CHECK_EQ((unsigned long)&gs_var, rdmsr_try(MSR_GS_BASE));

    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
                                            0x00007fffdead0000UL));
    CHECK_EQ(0x00007fffdead0000UL, rdmsr_try(MSR_SHADOW_GS_BASE));
    CHECK_EQ((unsigned long)&gs_var, rdmsr_try(MSR_GS_BASE));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_segment_base(
                 SEGBASE_GS_USER, 0xffff7fffdead0000UL));
    CHECK_EQ(0x00007fffdead0000UL, rdmsr_try(MSR_SHADOW_GS_BASE));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0));
    CHECK_EQ(0, rdmsr_try(MSR_SHADOW_GS_BASE));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0x5000));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL,
                                            NONCANON | FLAT_USER_DS32));
    CHECK_EQ(0, rdmsr_try(MSR_SHADOW_GS_BASE));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_segment_base(4, 0));
    CHECK_RC(-XEN_EINVAL, HYPERVISOR_set_segment_base(~0U, 0));

    /* The same bases through WRMSR. */
    CHECK_EQ(-1, wrmsr_try(MSR_FS_BASE, 0x1000));
    CHECK_EQ(0x1000, rdmsr_try(MSR_FS_BASE));
    CHECK_EQ(-1, wrmsr_try(MSR_SHADOW_GS_BASE, 0x2000));
    CHECK_EQ(0x2000, rdmsr_try(MSR_SHADOW_GS_BASE));
    CHECK_EQ(-1, wrmsr_try(MSR_GS_BASE, 0x3000));
    CHECK_EQ(0x3000, rdmsr_try(MSR_GS_BASE));
    CHECK_EQ(13, wrmsr_try(MSR_GS_BASE, NONCANON));
    CHECK_EQ(0, pv_last_fault.error_code);
    CHECK_EQ(13, wrmsr_try(MSR_SHADOW_GS_BASE, NONCANON));
    CHECK_EQ(0x3000, rdmsr_try(MSR_GS_BASE));
    CHECK_EQ(0x2000, rdmsr_try(MSR_SHADOW_GS_BASE));

    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_FS, 0));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0));
    CHECK_RC(0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0));
}

static void check_cr4(void)
{
    unsigned long cr4 = read_cr4();
    struct pv_user_exit e;
    uint32_t lo, hi;

    printf("CR4 %#lx\n", cr4);
    CHECK_EQ(-1, write_cr4(cr4));
    CHECK_EQ(cr4, read_cr4());
    CHECK_EQ(-1, write_cr4(cr4 & ~CR4_PAE));
    CHECK_EQ(cr4, read_cr4());
    CHECK_EQ(-1, write_cr4(cr4 | CR4_VMXE));
    CHECK_EQ(cr4, read_cr4());

    CHECK_EQ(-1, write_cr4(cr4 | CR4_TSD));
    CHECK_EQ(cr4 | CR4_TSD, read_cr4());
    pv_run_user(mu_rdtsc, 0, &e);
    CHECK_EQ(13, e.vector);
    CHECK_EQ(0, e.regs.error_code);
    CHECK_EQ((unsigned long)mu_rdtsc_insn, e.regs.rip);
    pv_run_user(mu_rdtscp, 0, &e);
    CHECK_EQ(13, e.vector);
    PV_TRY("rdtsc", : "=a" (lo), "=d" (hi) : : "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    PV_TRY("rdtscp", : "=a" (lo), "=d" (hi) : : "rcx", "memory");
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(-1, write_cr4(cr4));
    CHECK_EQ(cr4, read_cr4());
    pv_run_user(mu_rdtsc, 0, &e);
    CHECK(e.by_syscall);
}

static int xsetbv_try(uint32_t idx, uint64_t v)
{
    PV_TRY("xsetbv", : : "c" (idx), "a" ((uint32_t)v),
           "d" ((uint32_t)(v >> 32)) : "memory");
    return pv_last_fault.vector;
}

static uint64_t xgetbv0(void)
{
    uint32_t lo = 0, hi = 0;

    PV_TRY("xgetbv", : "+a" (lo), "+d" (hi) : "c" (0) : "memory");
    return ((uint64_t)hi << 32) | lo;
}

static void check_xsetbv(void)
{
    unsigned long cr4 = read_cr4();
    uint32_t a, b, c, d;
    uint64_t xcr0;

    xen_cpuid(1, &a, &b, &c, &d);
    if ( !(c & (1U << 26)) )
    {
        test_skip("XSETBV", "no XSAVE in the guest's CPUID");
        return;
    }
    /* Xen: XGETBV runs natively whatever the guest's CR4.OSXSAVE. */
    CHECK_EQ(0, cr4 & CR4_OSXSAVE);
    xgetbv0();
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(-1, write_cr4(cr4 | CR4_OSXSAVE));
    CHECK_EQ(cr4 | CR4_OSXSAVE, read_cr4());
    xcr0 = xgetbv0();
    CHECK_EQ(-1, pv_last_fault.vector);
    printf("XCR0 %#lx\n", xcr0);
    CHECK_EQ(1, xcr0 & 1);

    CHECK_EQ(-1, xsetbv_try(0, xcr0));
    CHECK_EQ(-1, xsetbv_try(0, 1));
    CHECK_EQ(1, xgetbv0());
    CHECK_EQ(-1, xsetbv_try(0, xcr0));
    CHECK_EQ(xcr0, xgetbv0());
    CHECK_EQ(13, xsetbv_try(0, 0));
    CHECK_EQ(0, pv_last_fault.error_code);
    CHECK_EQ(13, xsetbv_try(0, 2));
    CHECK_EQ(13, xsetbv_try(0, 5));
    CHECK_EQ(13, xsetbv_try(0, xcr0 | (1UL << 62)));
    CHECK_EQ(13, xsetbv_try(1, 1));
    CHECK_EQ(xcr0, xgetbv0());

    /* XSETBV checks the guest's CR4.OSXSAVE. */
    CHECK_EQ(-1, write_cr4(cr4));
    CHECK_EQ(6, xsetbv_try(0, xcr0));
    CHECK_EQ(xcr0, xgetbv0());
}

static void check_rdtscp(void)
{
    struct pv_user_exit e;
    uint32_t a, b, c, d, lo, hi, aux;
    unsigned long t1, t2;

    xen_cpuid(0x80000001, &a, &b, &c, &d);
    if ( !(d & (1U << 27)) )
    {
        test_skip("RDTSCP", "no RDTSCP in the guest's CPUID");
        return;
    }
    asm volatile ( "rdtscp" : "=a" (lo), "=d" (hi), "=c" (aux) );
    CHECK_EQ(0, aux);
    CHECK_EQ(0, rdmsr_try(MSR_TSC_AUX));
    CHECK_EQ(-1, pv_last_fault.vector);
    CHECK_EQ(-1, wrmsr_try(MSR_TSC_AUX, 0x55));
    CHECK_EQ(0x55, rdmsr_try(MSR_TSC_AUX));
    CHECK_EQ(-1, pv_last_fault.vector);
    asm volatile ( "rdtsc" : "=a" (lo), "=d" (hi) );
    t1 = ((unsigned long)hi << 32) | lo;
    asm volatile ( "rdtscp" : "=a" (lo), "=d" (hi), "=c" (aux) );
    t2 = ((unsigned long)hi << 32) | lo;
    CHECK_EQ(0x55, aux);
    CHECK(t2 >= t1);
    pv_run_user(mu_rdtscp, 0, &e);
    CHECK(e.by_syscall);
    CHECK_EQ(0x55, e.regs.rdi);
    CHECK_EQ(13, wrmsr_try(MSR_TSC_AUX, 1UL << 32));
    CHECK_EQ(0x55, rdmsr_try(MSR_TSC_AUX));
    CHECK_EQ(-1, wrmsr_try(MSR_TSC_AUX, 0));
}

void test_cpu(void)
{
    check_fpu();
    check_segbase();
    check_cr4();
    check_xsetbv();
    check_rdtscp();
}
