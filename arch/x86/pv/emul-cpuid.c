/*
 * The CPUID view of a 64-bit PV guest: a pure function of the host's raw
 * answer to the same question and a small context (vendor, vCPU, the
 * guest's CR4, the XCR0 components Keel enabled, the advertised Xen
 * version and TSC parameters).
 *
 * Feature bits follow Xen 4.17's default PV policy: a bit is visible when
 * xen/include/public/arch-x86/cpufeatureset.h marks it 'A' (all guests,
 * on by default) and the host has it; 'S'/'H' (HVM only), lower-case
 * (opt-in) and unmarked bits are hidden.  One deliberate difference:
 * Keel hides FSGSBASE from PV guests (Xen offers it).  Leaf contents and
 * zeroed leaves follow Xen's recalculate_misc() and guest_cpuid()
 * (xen/arch/x86/cpuid.c); the hypervisor leaves follow
 * cpuid_hypervisor_leaves() (xen/arch/x86/traps.c).  Out-of-range leaves
 * read as zero (Xen follows the AMD model, not Intel's "last basic leaf").
 *
 * Invariants: only bits in the tables below can ever come from the host;
 * every other output bit is computed here.  Features whose state needs
 * XSAVE components are hidden unless Keel enabled those components.
 */
#include <keel/types.h>
#include <asm/pv/emulate.h>

#define BIT(n)                  (1u << (n))

#define CPUID_BASIC_LAST        0xdu        /* CPUID_GUEST_NR_BASIC - 1 */
#define CPUID_EXTD_BASE         0x80000000u
#define CPUID_EXTD_LAST_INTEL   0x08u       /* CPUID_GUEST_NR_EXTD_INTEL - 1 */
#define CPUID_EXTD_LAST_AMD     0x21u       /* CPUID_GUEST_NR_EXTD_AMD - 1 */
#define CPUID_EXTD_INDEX_MASK   0xffffu
#define CPUID_NR_CACHE          5u          /* CPUID_GUEST_NR_CACHE */
#define CPUID_FEAT_MAX_SUBLEAF  1u          /* CPUID_GUEST_NR_FEAT - 1 */
#define CPUID_XSTATE_NR         63u         /* CPUID_GUEST_NR_XSTATE */
#define XSTATE_ALIGN_64         BIT(1)      /* CPUID.0xD.n.ECX[1] */

/* Leaf 1. */
#define FMS_MASK                0x0fff0fffu /* clobber processor type */
#define LEAF1_EBX_NO_APIC_ID    0x00ffffffu /* APIC ID 0 for PV */
#define CACHE_EAX_MASK          0xffffc3ffu /* leaf 4 reserved bits */
#define CACHE_EDX_MASK          0x00000007u
#define CACHE_TYPE_MASK         0x1fu
#define CACHE_TYPE_LAST         3u          /* data, instruction, unified */
#define LEAF2_QUERIES_MASK      0xffu       /* leaf 2: fixed to 1 query */
#define LEAF0B_LEVEL_MASK       0xffu
#define X2APIC_ID_STRIDE        2           /* Xen: vcpu_id * 2 */
#define E1_EBX_MASK_AMD         0xff00ffffu
#define E8_ECX_MASK_AMD         0x0003f0ffu
#define E8_VIRT_SHIFT           8
#define PHYS_BITS_MASK          0xffu
#define MIN_PHYS_BITS           36          /* PAE/PSE36 */
#define LINEAR_BITS             48          /* 4-level paging */
#define AMD_PERF_HINTS_LEAF     0x1au       /* passed through */

#define F1D_FPU      BIT(0)
#define F1D_DE       BIT(2)
#define F1D_TSC      BIT(4)
#define F1D_MSR      BIT(5)
#define F1D_PAE      BIT(6)
#define F1D_MCE      BIT(7)
#define F1D_CX8      BIT(8)
#define F1D_APIC     BIT(9)
#define F1D_SEP      BIT(11)
#define F1D_MTRR     BIT(12)
#define F1D_MCA      BIT(14)
#define F1D_CMOV     BIT(15)
#define F1D_PAT      BIT(16)
#define F1D_CLFLUSH  BIT(19)
#define F1D_ACPI     BIT(22)
#define F1D_MMX      BIT(23)
#define F1D_FXSR     BIT(24)
#define F1D_SSE      BIT(25)
#define F1D_SSE2     BIT(26)
#define F1D_SS       BIT(27)
#define F1D_HTT      BIT(28)

#define F1C_SSE3     BIT(0)
#define F1C_PCLMUL   BIT(1)
#define F1C_MONITOR  BIT(3)
#define F1C_EIST     BIT(7)
#define F1C_SSSE3    BIT(9)
#define F1C_FMA      BIT(12)
#define F1C_CX16     BIT(13)
#define F1C_SSE4_1   BIT(19)
#define F1C_SSE4_2   BIT(20)
#define F1C_X2APIC   BIT(21)
#define F1C_MOVBE    BIT(22)
#define F1C_POPCNT   BIT(23)
#define F1C_AESNI    BIT(25)
#define F1C_XSAVE    BIT(26)
#define F1C_OSXSAVE  BIT(27)
#define F1C_AVX      BIT(28)
#define F1C_F16C     BIT(29)
#define F1C_RDRAND   BIT(30)
#define F1C_HYPERVISOR BIT(31)

#define FE1D_SYSCALL  BIT(11)
#define FE1D_NX       BIT(20)
#define FE1D_MMXEXT   BIT(22)
#define FE1D_FFXSR    BIT(25)
#define FE1D_RDTSCP   BIT(27)
#define FE1D_LM       BIT(29)
#define FE1D_3DNOWEXT BIT(30)
#define FE1D_3DNOW    BIT(31)
#define FE1D_COMMON   0x0183f3ffu   /* AMD duplicates of leaf 1 EDX */

#define FE1C_LAHF_LM  BIT(0)
#define FE1C_CMP_LEGACY BIT(1)
#define FE1C_ABM      BIT(5)
#define FE1C_SSE4A    BIT(6)
#define FE1C_MISALIGNSSE BIT(7)
#define FE1C_3DNOWPREFETCH BIT(8)
#define FE1C_XOP      BIT(11)
#define FE1C_FMA4     BIT(16)
#define FE1C_TBM      BIT(21)
#define FE1C_DBEXT    BIT(26)

#define FD1A_XSAVEOPT BIT(0)
#define FD1A_XSAVEC   BIT(1)
#define FD1A_XGETBV1  BIT(2)

#define F7B_FSGSBASE  BIT(0)        /* hidden by Keel */
#define F7B_BMI1      BIT(3)
#define F7B_AVX2      BIT(5)
#define F7B_FDP_EXCP_ONLY BIT(6)    /* host value folded in */
#define F7B_BMI2      BIT(8)
#define F7B_ERMS      BIT(9)
#define F7B_RTM       BIT(11)
#define F7B_NO_FPU_SEL BIT(13)      /* host value folded in */
#define F7B_AVX512F   BIT(16)
#define F7B_AVX512DQ  BIT(17)
#define F7B_RDSEED    BIT(18)
#define F7B_ADX       BIT(19)
#define F7B_AVX512IFMA BIT(21)
#define F7B_CLFLUSHOPT BIT(23)
#define F7B_CLWB      BIT(24)
#define F7B_AVX512PF  BIT(26)
#define F7B_AVX512ER  BIT(27)
#define F7B_AVX512CD  BIT(28)
#define F7B_SHA       BIT(29)
#define F7B_AVX512BW  BIT(30)
#define F7B_AVX512VL  BIT(31)

#define F7C_PREFETCHWT1 BIT(0)
#define F7C_AVX512VBMI  BIT(1)
#define F7C_OSPKE       BIT(4)
#define F7C_AVX512VBMI2 BIT(6)
#define F7C_GFNI        BIT(8)
#define F7C_VAES        BIT(9)
#define F7C_VPCLMULQDQ  BIT(10)
#define F7C_AVX512VNNI  BIT(11)
#define F7C_AVX512BITALG BIT(12)
#define F7C_AVX512VPOPCNTDQ BIT(14)
#define F7C_RDPID       BIT(22)
#define F7C_CLDEMOTE    BIT(25)

#define F7D_AVX512_4VNNIW BIT(2)
#define F7D_AVX512_4FMAPS BIT(3)
#define F7D_FSRM        BIT(4)
#define F7D_MD_CLEAR    BIT(10)
#define F7D_IBRSB       BIT(26)
#define F7D_STIBP       BIT(27)
#define F7D_SSBD        BIT(31)

#define F7A1_AVX_VNNI   BIT(4)
#define F7A1_AVX512BF16 BIT(5)
#define F7A1_FZRM       BIT(10)
#define F7A1_FSRS       BIT(11)
#define F7A1_FSRCS      BIT(12)

#define FE8B_CLZERO     BIT(0)
#define FE8B_RSTR_FP_ERR_PTRS BIT(2)
#define FE8B_IBPB       BIT(12)

#define FE21A_LFENCE_DISPATCH BIT(2)
#define FE21A_NSCB      BIT(6)

/* Xen 4.17 'A' bits (see the file comment). */
static const uint32_t pv_1d =
    F1D_FPU | F1D_DE | F1D_TSC | F1D_MSR | F1D_PAE | F1D_MCE | F1D_CX8 |
    F1D_APIC | F1D_SEP | F1D_MCA | F1D_CMOV | F1D_PAT | F1D_CLFLUSH |
    F1D_ACPI | F1D_MMX | F1D_FXSR | F1D_SSE | F1D_SSE2 | F1D_SS | F1D_HTT;
static const uint32_t pv_1c =
    F1C_SSE3 | F1C_PCLMUL | F1C_SSSE3 | F1C_FMA | F1C_CX16 | F1C_SSE4_1 |
    F1C_SSE4_2 | F1C_X2APIC | F1C_MOVBE | F1C_POPCNT | F1C_AESNI |
    F1C_XSAVE | F1C_AVX | F1C_F16C | F1C_RDRAND;
static const uint32_t pv_e1d =
    FE1D_SYSCALL | FE1D_NX | FE1D_MMXEXT | FE1D_FFXSR | FE1D_RDTSCP |
    FE1D_LM | FE1D_3DNOWEXT | FE1D_3DNOW;
static const uint32_t pv_e1c =
    FE1C_LAHF_LM | FE1C_CMP_LEGACY | FE1C_ABM | FE1C_SSE4A |
    FE1C_MISALIGNSSE | FE1C_3DNOWPREFETCH | FE1C_XOP | FE1C_FMA4 |
    FE1C_TBM | FE1C_DBEXT;
static const uint32_t pv_d1a = FD1A_XSAVEOPT | FD1A_XSAVEC | FD1A_XGETBV1;
static const uint32_t pv_7b0 =
    F7B_BMI1 | F7B_AVX2 | F7B_FDP_EXCP_ONLY | F7B_BMI2 | F7B_ERMS |
    F7B_RTM | F7B_NO_FPU_SEL | F7B_AVX512F | F7B_AVX512DQ | F7B_RDSEED |
    F7B_ADX | F7B_AVX512IFMA | F7B_CLFLUSHOPT | F7B_CLWB | F7B_AVX512PF |
    F7B_AVX512ER | F7B_AVX512CD | F7B_SHA | F7B_AVX512BW | F7B_AVX512VL;
static const uint32_t pv_7c0 =
    F7C_PREFETCHWT1 | F7C_AVX512VBMI | F7C_AVX512VBMI2 | F7C_GFNI |
    F7C_VAES | F7C_VPCLMULQDQ | F7C_AVX512VNNI | F7C_AVX512BITALG |
    F7C_AVX512VPOPCNTDQ | F7C_RDPID | F7C_CLDEMOTE;
static const uint32_t pv_7d0 =
    F7D_AVX512_4VNNIW | F7D_AVX512_4FMAPS | F7D_FSRM | F7D_MD_CLEAR |
    F7D_IBRSB | F7D_STIBP | F7D_SSBD;
static const uint32_t pv_7a1 =
    F7A1_AVX_VNNI | F7A1_AVX512BF16 | F7A1_FZRM | F7A1_FSRS | F7A1_FSRCS;
static const uint32_t pv_e8b = FE8B_CLZERO | FE8B_RSTR_FP_ERR_PTRS |
                               FE8B_IBPB;
static const uint32_t pv_e21a = FE21A_LFENCE_DISPATCH | FE21A_NSCB;

/* Features that need YMM state (Xen's deep dependencies of AVX). */
#define AVX_1C   (F1C_AVX | F1C_FMA | F1C_F16C)
#define AVX_7B   F7B_AVX2
#define AVX_7C   (F7C_VAES | F7C_VPCLMULQDQ)
#define AVX_7A1  F7A1_AVX_VNNI
#define AVX_E1C  (FE1C_XOP | FE1C_FMA4)
/* ... and those that need the AVX-512 state (deep deps of AVX512F). */
#define AVX512_7B  (F7B_AVX512F | F7B_AVX512DQ | F7B_AVX512IFMA | \
                    F7B_AVX512PF | F7B_AVX512ER | F7B_AVX512CD | \
                    F7B_AVX512BW | F7B_AVX512VL)
#define AVX512_7C  (F7C_AVX512VBMI | F7C_AVX512VBMI2 | F7C_AVX512VNNI | \
                    F7C_AVX512BITALG | F7C_AVX512VPOPCNTDQ)
#define AVX512_7D  (F7D_AVX512_4VNNIW | F7D_AVX512_4FMAPS)
#define AVX512_7A1 F7A1_AVX512BF16

/* Which XSAVE-dependent families the guest gets. */
struct xfeat {
    bool xsave, avx, avx512;
};

/*
 * The XCR0 components a PV guest may use: x87, SSE, YMM and the AVX-512
 * trio, only as consistent sets (Xen's recalculate_xstate(); MPX, PKRU
 * and the XSAVES-only components need features PV guests do not get).
 */
uint64_t pv_xcr0_guest_mask(uint64_t xcr0_max)
{
    uint64_t m = xcr0_max & (X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_YMM |
                             X86_XCR0_AVX512);

    if ( (m & (X86_XCR0_X87 | X86_XCR0_SSE)) !=
         (X86_XCR0_X87 | X86_XCR0_SSE) )
        return 0;
    if ( !(m & X86_XCR0_YMM) || (m & X86_XCR0_AVX512) != X86_XCR0_AVX512 )
        m &= ~X86_XCR0_AVX512;
    return m;
}

static bool amd_like(const struct pv_cpuid_ctx *c)
{
    return c->vendor == PV_VENDOR_AMD || c->vendor == PV_VENDOR_HYGON;
}

static uint32_t basic_max(const struct pv_cpuid_ctx *c)
{
    return MIN(c->host_basic_max, CPUID_BASIC_LAST);
}

static uint32_t extd_max(const struct pv_cpuid_ctx *c)
{
    uint32_t host = c->host_extd_max;
    uint32_t last = amd_like(c) ? CPUID_EXTD_LAST_AMD : CPUID_EXTD_LAST_INTEL;

    if ( (host & ~CPUID_EXTD_INDEX_MASK) != CPUID_EXTD_BASE )
        return CPUID_EXTD_BASE;
    return CPUID_EXTD_BASE | MIN(host & CPUID_EXTD_INDEX_MASK, last);
}

static struct xfeat xfeatures(const struct pv_cpuid_ctx *c)
{
    uint64_t m = pv_xcr0_guest_mask(c->xcr0_max);
    struct xfeat x = {
        .xsave = m && (c->host_leaf1.c & F1C_XSAVE) &&
                 basic_max(c) >= CPUID_BASIC_LAST,
    };

    x.avx = x.xsave && (m & X86_XCR0_YMM) && (c->host_leaf1.c & F1C_AVX);
    x.avx512 = x.avx && (m & X86_XCR0_AVX512) &&
               (c->host_leaf7.b & F7B_AVX512F);
    return x;
}

/* Xen guest_cpuid()'s PV dynamic adjustments for the hardware domain. */
static bool hwdom_kernel(const struct pv_cpuid_ctx *c)
{
    return c->hardware_domain && c->kernel_mode;
}

static void leaf1(const struct pv_cpuid_leaf *h, struct pv_cpuid_leaf *r,
                  const struct pv_cpuid_ctx *c, const struct xfeat *x)
{
    uint32_t mc = pv_1c, md = pv_1d;

    if ( !x->xsave )
        mc &= ~F1C_XSAVE;
    if ( !x->avx )
        mc &= ~AVX_1C;
    if ( amd_like(c) )              /* no SYSENTER in long mode on AMD */
        md &= ~F1D_SEP;

    r->a = h->a & FMS_MASK;
    r->b = h->b & LEAF1_EBX_NO_APIC_ID;
    r->c = (h->c & mc) | F1C_HYPERVISOR;
    r->d = h->d & md;

    /*
     * OSXSAVE follows the guest's CR4, except that the forced-emulation
     * view seen by the kernel leaks the hypervisor's OSXSAVE (a de facto
     * part of the PV ABI that Linux relies on).
     */
    if ( (c->guest_cr4 & X86_CR4_OSXSAVE) ||
         (x->xsave && c->via_ud && c->kernel_mode && c->host_osxsave) )
        r->c |= F1C_OSXSAVE;

    if ( hwdom_kernel(c) )
    {
        /* MONITOR only in a faulted (#GP) CPUID; EIST always leaked. */
        if ( !c->via_ud )
            r->c |= h->c & F1C_MONITOR;
        r->c |= h->c & F1C_EIST;
        r->d |= h->d & F1D_MTRR;
    }
}

static void leaf7(uint32_t subleaf, const struct pv_cpuid_leaf *h,
                  struct pv_cpuid_leaf *r, const struct pv_cpuid_ctx *c,
                  const struct xfeat *x)
{
    uint32_t mb = pv_7b0, mc = pv_7c0, md = pv_7d0, ma1 = pv_7a1;

    if ( !x->avx )
    {
        mb &= ~AVX_7B;
        mc &= ~AVX_7C;
        ma1 &= ~AVX_7A1;
    }
    if ( !x->avx512 )
    {
        mb &= ~AVX512_7B;
        mc &= ~AVX512_7C;
        md &= ~AVX512_7D;
        ma1 &= ~AVX512_7A1;
    }

    if ( subleaf == 0 )
    {
        r->a = MIN(h->a, CPUID_FEAT_MAX_SUBLEAF);
        r->b = h->b & mb;
        r->c = h->c & mc;
        r->d = h->d & md;
        /* If IBRS is offered, STIBP is too (a no-op without SMT). */
        if ( r->d & F7D_IBRSB )
            r->d |= F7D_STIBP;
        if ( c->guest_cr4 & X86_CR4_PKE )
            r->c |= F7C_OSPKE;
    }
    else if ( subleaf == CPUID_FEAT_MAX_SUBLEAF &&
              c->host_leaf7.a >= CPUID_FEAT_MAX_SUBLEAF )
        r->a = h->a & ma1;
}

static void leaf_xstate(uint32_t subleaf, const struct pv_cpuid_leaf *h,
                        struct pv_cpuid_leaf *r, const struct pv_cpuid_ctx *c,
                        const struct xfeat *x)
{
    uint64_t m = pv_xcr0_guest_mask(c->xcr0_max);

    if ( !x->xsave )
        return;
    if ( !x->avx )
        m &= ~(X86_XCR0_YMM | X86_XCR0_AVX512);
    if ( !x->avx512 )
        m &= ~X86_XCR0_AVX512;

    switch ( subleaf )
    {
    case 0:
        r->a = (uint32_t)m;
        r->d = m >> 32;
        r->b = h->b;                /* size for the XCR0 in context */
        r->c = c->xsave_size_max;
        break;
    case 1:                         /* XSAVES hidden: no XSS, EBX 0 */
        r->a = h->a & pv_d1a;
        break;
    default:
        if ( subleaf < CPUID_XSTATE_NR && (m & (1ull << subleaf)) )
        {
            r->a = h->a;
            r->b = h->b;
            r->c = h->c & XSTATE_ALIGN_64;
        }
        break;
    }
}

static void basic_leaf(uint32_t leaf, uint32_t subleaf,
                       const struct pv_cpuid_leaf *h,
                       struct pv_cpuid_leaf *r, const struct pv_cpuid_ctx *c)
{
    struct xfeat x = xfeatures(c);

    if ( leaf > basic_max(c) )
        return;

    switch ( leaf )
    {
    case 0x0:
        r->a = basic_max(c);
        r->b = h->b;
        r->c = h->c;
        r->d = h->d;
        break;
    case 0x1:
        leaf1(h, r, c, &x);
        break;
    case 0x2:                       /* Intel cache descriptors */
        if ( amd_like(c) )
            break;
        *r = *h;
        r->a = (r->a & ~LEAF2_QUERIES_MASK) | 1;
        break;
    case 0x4:                       /* Intel deterministic cache params */
        if ( amd_like(c) || subleaf >= CPUID_NR_CACHE ||
             (h->a & CACHE_TYPE_MASK) == 0 ||
             (h->a & CACHE_TYPE_MASK) > CACHE_TYPE_LAST )
            break;
        r->a = h->a & CACHE_EAX_MASK;
        r->b = h->b;
        r->c = h->c;
        r->d = h->d & CACHE_EDX_MASK;
        break;
    case 0x5:                       /* MONITOR: hardware domain, #GP only */
        if ( hwdom_kernel(c) && !c->via_ud &&
             (c->host_leaf1.c & F1C_MONITOR) )
            *r = *h;
        break;
    case 0x7:
        leaf7(subleaf, h, r, c, &x);
        break;
    case 0xb:                       /* follows x2APIC (leaked in 4.17) */
        if ( c->host_leaf1.c & F1C_X2APIC )
        {
            r->c = subleaf & LEAF0B_LEVEL_MASK;
            r->d = c->vcpu_id * X2APIC_ID_STRIDE;
        }
        break;
    case 0xd:
        leaf_xstate(subleaf, h, r, c, &x);
        break;
    default:                        /* 3, 6, 8, 9, 0xa (vPMU off), 0xc */
        break;
    }
}

static void extd_leaf(uint32_t leaf, const struct pv_cpuid_leaf *h,
                      struct pv_cpuid_leaf *r, const struct pv_cpuid_ctx *c)
{
    struct xfeat x = xfeatures(c);
    bool amd = amd_like(c);
    uint32_t idx = leaf & CPUID_EXTD_INDEX_MASK, phys;

    if ( leaf > extd_max(c) )
        return;

    switch ( idx )
    {
    case 0x0:
        r->a = extd_max(c);
        if ( amd )
        {
            r->b = h->b;
            r->c = h->c;
            r->d = h->d;
        }
        break;
    case 0x1:
        r->c = h->c & pv_e1c & ~(x.avx ? 0 : AVX_E1C);
        r->d = h->d & pv_e1d;
        if ( amd )
        {
            uint32_t common = pv_1d & FE1D_COMMON;

            r->a = h->a & FMS_MASK;
            r->b = h->b & E1_EBX_MASK_AMD;
            r->d |= h->d & common;
        }
        if ( hwdom_kernel(c) )      /* Xen's common_leaf1_adjustments */
            r->d |= c->host_leaf1.d & F1D_MTRR;
        break;
    case 0x2: case 0x3: case 0x4:   /* brand string */
        *r = *h;
        break;
    case 0x5:
        if ( amd )
            *r = *h;
        break;
    case 0x6:
        if ( amd )
            *r = *h;
        else
            r->c = h->c;
        break;
    case 0x7:                       /* Power/RAS hidden, no ITSC */
        break;
    case 0x8:
        phys = h->a & PHYS_BITS_MASK;
        if ( c->max_phys_bits && phys > c->max_phys_bits )
            phys = c->max_phys_bits;
        phys = MAX(phys, (uint32_t)MIN_PHYS_BITS);
        r->a = phys | (LINEAR_BITS << E8_VIRT_SHIFT);
        r->b = h->b & pv_e8b;
        if ( c->host_leaf7.d & F7D_IBRSB )
            r->b |= FE8B_IBPB;
        if ( amd )
            r->c = h->c & E8_ECX_MASK_AMD;
        break;
    case AMD_PERF_HINTS_LEAF:
        *r = *h;
        break;
    case CPUID_EXTD_LAST_AMD:
        r->a = h->a & pv_e21a;
        break;
    default:                        /* SVM, IBS, LWP, TopoExt, SEV, ... */
        break;
    }
}

/* Xen cpuid_hypervisor_leaves() for a PV, non-Viridian domain. */
static void xen_leaf(uint32_t leaf, uint32_t subleaf,
                     struct pv_cpuid_leaf *r, const struct pv_cpuid_ctx *c)
{
    uint32_t idx = leaf - XEN_CPUID_FIRST_LEAF;
    const struct pv_cpuid_tsc *t = &c->tsc;
    uint64_t off;

    if ( idx > XEN_CPUID_MAX_NUM_LEAVES )
        return;

    switch ( idx )
    {
    case 0:
        r->a = XEN_CPUID_FIRST_LEAF + XEN_CPUID_MAX_NUM_LEAVES;
        r->b = XEN_CPUID_SIGNATURE_EBX;
        r->c = XEN_CPUID_SIGNATURE_ECX;
        r->d = XEN_CPUID_SIGNATURE_EDX;
        break;
    case 1:
        r->a = ((uint32_t)c->xen_major << 16) | c->xen_minor;
        break;
    case 2:
        r->a = 1;                   /* hypercall transfer pages */
        r->b = PV_XEN_MSR_BASE;
        r->c = XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD;
        break;
    case 3:                         /* time */
        switch ( subleaf )
        {
        case 0:
            r->a = (t->vtsc ? BIT(0) : 0) | (t->host_tsc_safe ? BIT(1) : 0) |
                   (t->host_rdtscp ? BIT(2) : 0);
            r->b = t->tsc_mode;
            r->c = t->tsc_khz;
            r->d = t->incarnation;
            break;
        case 1:
            off = t->vtsc ? 0 : t->offset;
            r->a = (uint32_t)off;
            r->b = off >> 32;
            r->c = t->mul_frac;
            r->d = (uint32_t)(int32_t)t->shift;
            break;
        case 2:
            r->a = t->cpu_khz;
            break;
        }
        break;
    case 4:                         /* HVM only */
        break;
    case 5:                         /* PV parameters */
        if ( subleaf == 0 )
            r->b = c->machine_addr_bits;
        break;
    }
}

void pv_cpuid_policy(uint32_t leaf, uint32_t subleaf,
                     const struct pv_cpuid_leaf *host,
                     struct pv_cpuid_leaf *out, const struct pv_cpuid_ctx *c)
{
    *out = (struct pv_cpuid_leaf){ 0 };

    if ( leaf <= CPUID_BASIC_LAST )
        basic_leaf(leaf, subleaf, host, out, c);
    else if ( leaf >= XEN_CPUID_FIRST_LEAF && leaf <= PV_XEN_CPUID_LAST_LEAF )
        xen_leaf(leaf, subleaf, out, c);
    else if ( leaf >= CPUID_EXTD_BASE &&
              leaf <= (CPUID_EXTD_BASE | CPUID_EXTD_LAST_AMD) )
        extd_leaf(leaf, host, out, c);
}
