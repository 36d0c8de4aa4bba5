/*
 * CPU identification and the features Keel turns on for itself: NX,
 * SMEP and SMAP where the CPU has them, the FPU with SSE state (FXSR) and
 * XSAVE with every user state component the CPU offers that we know of
 * (x87, SSE, AVX).  The hypervisor itself never uses SSE; guests will.
 */
#include <keel/lib.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

struct cpu_features boot_cpu;       /* (c) after cpu_detect */

#define CPUID1_ECX_XSAVE     (1u << 26)
#define CPUID1_ECX_X2APIC    (1u << 21)
#define CPUID1_ECX_TSCDL     (1u << 24)
#define CPUID1_EDX_PGE       (1u << 13)
#define CPUID1_EDX_FXSR      (1u << 24)
#define CPUID7_EBX_FSGSBASE  (1u << 0)
#define CPUID7_EBX_SMEP      (1u << 7)
#define CPUID7_EBX_SMAP      (1u << 20)
#define CPUIDX1_EDX_NX       (1u << 20)
#define CPUIDX1_EDX_1GB      (1u << 26)
#define CPUIDX7_EDX_INVTSC   (1u << 8)
#define XSTATE_X87           (1ULL << 0)
#define XSTATE_SSE           (1ULL << 1)
#define XSTATE_YMM           (1ULL << 2)

static void xstate_setup(void);

void cpu_detect(void)
{
    struct cpuid_regs r;
    struct cpu_features *c = &boot_cpu;
    unsigned int i;

    cpuid_count(0, 0, &r);
    c->max_leaf = r.a;
    memcpy(c->vendor + 0, &r.b, 4);
    memcpy(c->vendor + 4, &r.d, 4);
    memcpy(c->vendor + 8, &r.c, 4);

    cpuid_count(1, 0, &r);
    c->family = (r.a >> 8) & 0xf;
    if ( c->family == 0xf )
        c->family += (r.a >> 20) & 0xff;
    c->model = ((r.a >> 4) & 0xf) | (((r.a >> 16) & 0xf) << 4);
    c->stepping = r.a & 0xf;
    c->xsave = r.c & CPUID1_ECX_XSAVE;
    c->x2apic = r.c & CPUID1_ECX_X2APIC;
    c->tsc_deadline = r.c & CPUID1_ECX_TSCDL;
    c->pge = r.d & CPUID1_EDX_PGE;
    c->fxsr = r.d & CPUID1_EDX_FXSR;

    if ( c->max_leaf >= 7 )
    {
        cpuid_count(7, 0, &r);
        c->fsgsbase = r.b & CPUID7_EBX_FSGSBASE;
        c->smep = r.b & CPUID7_EBX_SMEP;
        c->smap = r.b & CPUID7_EBX_SMAP;
    }

    cpuid_count(0x80000000, 0, &r);
    c->max_ext_leaf = r.a;
    if ( c->max_ext_leaf >= 0x80000001 )
    {
        cpuid_count(0x80000001, 0, &r);
        c->nx = r.d & CPUIDX1_EDX_NX;
        c->pdpe1gb = r.d & CPUIDX1_EDX_1GB;
    }
    if ( c->max_ext_leaf >= 0x80000004 )
    {
        for ( i = 0; i < 3; i++ )
        {
            cpuid_count(0x80000002 + i, 0, &r);
            memcpy(c->brand + i * 16, &r, 16);
        }
        c->brand[48] = '\0';
    }
    if ( c->max_ext_leaf >= 0x80000007 )
    {
        cpuid_count(0x80000007, 0, &r);
        c->invariant_tsc = r.d & CPUIDX7_EDX_INVTSC;
    }
    xstate_setup();
}

void cpu_init_features(void)
{
    const struct cpu_features *c = &boot_cpu;
    unsigned long cr4 = read_cr4() | X86_CR4_PGE * c->pge;

    /* FPU: native error reporting, no emulation, #NM only via TS. */
    write_cr0((read_cr0() | X86_CR0_MP | X86_CR0_NE) &
              ~(X86_CR0_EM | X86_CR0_TS));
    __asm__ __volatile__ ( "fninit" );
    if ( c->fxsr )
        cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
    if ( c->smep )
        cr4 |= X86_CR4_SMEP;
    if ( c->smap )
        cr4 |= X86_CR4_SMAP;
    /*
     * CR4.FSGSBASE stays off: with it, guest code could change its GS base
     * behind the hypervisor's back (Keel keeps its per-CPU pointer in the
     * shadow GS base while a guest runs).
     */
    if ( c->xsave )
        cr4 |= X86_CR4_OSXSAVE;
    write_cr4(cr4);
    if ( c->xsave )
        xsetbv(0, c->xcr0);
    if ( c->nx )
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
}

/* Decide XCR0 once, on the boot CPU, before cpu_init_features(). */
static void xstate_setup(void)
{
    struct cpuid_regs r;

    if ( !boot_cpu.xsave )
        return;
    cpuid_count(0xd, 0, &r);
    boot_cpu.xcr0 = (((uint64_t)r.d << 32) | r.a) &
                    (XSTATE_X87 | XSTATE_SSE | XSTATE_YMM);
    boot_cpu.xcr0 |= XSTATE_X87;
    boot_cpu.xsave_size = r.c;
}

void cpu_print_features(void)
{
    const struct cpu_features *c = &boot_cpu;

    printk("CPU: %s %s (family %#x model %#x stepping %u)\n", c->vendor,
           c->brand[0] ? c->brand : "", c->family, c->model, c->stepping);
    printk("CPU: features:%s%s%s%s%s%s%s%s%s\n",
           c->nx ? " NX" : "", c->smep ? " SMEP" : "", c->smap ? " SMAP" : "",
           c->xsave ? " XSAVE" : "", c->fsgsbase ? " FSGSBASE" : "",
           c->pdpe1gb ? " 1GB-pages" : "", c->x2apic ? " x2APIC" : "",
           c->tsc_deadline ? " TSC-deadline" : "",
           c->invariant_tsc ? " invariant-TSC" : "");
    if ( c->xsave )
        printk("CPU: XSAVE enabled, xcr0 %#lx, %u-byte save area\n",
               (unsigned long)c->xcr0, c->xsave_size);
    if ( !c->nx )
        printk(KLOG_WARNING "CPU: no NX: hypervisor data stays executable\n");
}
