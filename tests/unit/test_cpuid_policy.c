/*
 * Host tests for what a PV guest sees of the CPU: the CPUID policy
 * (arch/x86/pv/emul-cpuid.c) and the MSR policy (pv_msr_read_policy() and
 * pv_msr_write_policy() in arch/x86/pv/emul-priv-op.c).  The
 * expected feature words list, by bit number, the features Xen 4.17's
 * xen/include/public/arch-x86/cpufeatureset.h marks 'A' (on by default
 * for every guest, PV included), minus FSGSBASE which Keel hides.  Leaf
 * shapes follow Xen's recalculate_misc()/guest_cpuid() (arch/x86/cpuid.c)
 * and cpuid_hypervisor_leaves() (arch/x86/traps.c); the MSR rules follow
 * Xen's read_msr()/write_msr() (pv/emul-priv-op.c) and
 * guest_rdmsr()/guest_wrmsr() (msr.c).
 */
#include "harness.h"
#include <keel/errno.h>
#include <asm/pv/emulate.h>

#define ONES        0xffffffffu
#define XCR0_AVX    (X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_YMM)

static uint32_t bits(const unsigned int *list, unsigned int n)
{
    uint32_t v = 0;

    while ( n-- )
        v |= 1u << list[n];
    return v;
}

#define BITS(...) ({                                                      \
    static const unsigned int bits_list_[] = { __VA_ARGS__ };             \
    bits(bits_list_, ARRAY_SIZE(bits_list_));                             \
})

static struct pv_cpuid_ctx ctx;
static struct pv_cpuid_leaf out;

/* An Intel host with every feature bit set. */
static void intel(void)
{
    ctx = (struct pv_cpuid_ctx){
        .vendor = PV_VENDOR_INTEL,
        .host_basic_max = 0x1f, .host_extd_max = 0x80000008,
        .vcpu_id = 3, .kernel_mode = true,
        .host_osxsave = true, .xcr0_max = XCR0_AVX,
        .xsave_size_max = 0x340,
        .host_leaf1 = { 0x000906ea, 0x0a100800, ONES, ONES },
        .host_leaf7 = { 2, ONES, ONES, ONES },
        .max_phys_bits = 44, .machine_addr_bits = 40,
        .xen_major = 4, .xen_minor = 17,
        .tsc = { .vtsc = false, .host_tsc_safe = true, .host_rdtscp = true,
                 .tsc_mode = 0, .tsc_khz = 2400000, .incarnation = 1,
                 .offset = 0x123456789aull, .mul_frac = 0xd5555555,
                 .shift = -1, .cpu_khz = 2400123 },
    };
}

static void amd(void)
{
    intel();
    ctx.vendor = PV_VENDOR_AMD;
    ctx.host_basic_max = 0x10;
    ctx.host_extd_max = 0x80000028;
}

static void q(uint32_t leaf, uint32_t sub, uint32_t a, uint32_t b,
              uint32_t c, uint32_t d)
{
    struct pv_cpuid_leaf host = { a, b, c, d };

    pv_cpuid_policy(leaf, sub, &host, &out, &ctx);
}

/* Query with an all-ones host answer. */
static void q1(uint32_t leaf, uint32_t sub)
{
    q(leaf, sub, ONES, ONES, ONES, ONES);
}

#define CHECK_LEAF(ea, eb, ec, ed) do {                                   \
    CHECK_EQ(out.a, (uint32_t)(ea));                                      \
    CHECK_EQ(out.b, (uint32_t)(eb));                                      \
    CHECK_EQ(out.c, (uint32_t)(ec));                                      \
    CHECK_EQ(out.d, (uint32_t)(ed));                                      \
} while ( 0 )

/* Xen 4.17 'A' features per word. */
#define A_1D   BITS(0, 2, 4, 5, 6, 7, 8, 9, 11, 14, 15, 16, 19, 22, 23, 24, \
                    25, 26, 27, 28)
#define A_1C   BITS(0, 1, 9, 12, 13, 19, 20, 21, 22, 23, 25, 26, 28, 29, 30)
#define A_E1D  BITS(11, 20, 22, 25, 27, 29, 30, 31)
#define A_E1C  BITS(0, 1, 5, 6, 7, 8, 11, 16, 21, 26)
#define A_7B0  BITS(3, 5, 8, 9, 11, 16, 17, 18, 19, 21, 23, 24, 26, 27, 28, \
                    29, 30, 31)             /* FSGSBASE (0): Keel hides */
#define SPECIAL_7B0 BITS(6, 13)             /* FDP_EXCP_ONLY, NO_FPU_SEL */
#define A_7C0  BITS(0, 1, 6, 8, 9, 10, 11, 12, 14, 22, 25)
#define A_7D0  BITS(2, 3, 4, 10, 26, 27, 31)
#define A_7A1  BITS(4, 5, 10, 11, 12)
#define A_E8B  BITS(0, 2, 12)
#define A_E21A BITS(2, 6)
#define HYPERVISOR_BIT (1u << 31)
#define OSXSAVE_BIT    (1u << 27)

TEST(leaf0_clamped)
{
    intel();
    q(0, 0, 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69);
    CHECK_LEAF(0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
    ctx.host_basic_max = 0xb;
    q(0, 0, 0xb, 1, 2, 3);
    CHECK_LEAF(0xb, 1, 2, 3);
    q1(0xc, 0);                     /* beyond the host's max */
    CHECK_LEAF(0, 0, 0, 0);
}

TEST(leaf1_features)
{
    intel();
    q(1, 0, 0x300906ea, 0x0a100800, ONES, ONES);
    CHECK_EQ(out.a, 0x000906ea);    /* processor type clobbered */
    CHECK_EQ(out.b, 0x00100800);    /* APIC ID 0 for PV */
    CHECK_EQ(out.c, A_1C | HYPERVISOR_BIT);
    CHECK_EQ(out.d, A_1D);

    /* Individually: what PV guests never see. */
    CHECK(!(out.c & (1u << 5)));    /* VMX */
    CHECK(!(out.c & (1u << 3)));    /* MONITOR */
    CHECK(!(out.c & (1u << 7)));    /* EIST */
    CHECK(!(out.c & (1u << 17)));   /* PCID */
    CHECK(!(out.c & (1u << 24)));   /* TSC-deadline */
    CHECK(!(out.c & OSXSAVE_BIT));
    CHECK(!(out.d & (1u << 12)));   /* MTRR */
    CHECK(!(out.d & (1u << 13)));   /* PGE */
    CHECK(!(out.d & (1u << 3)));    /* PSE */
    CHECK(!(out.d & (1u << 21)));   /* DS */

    q(1, 0, 0, 0, 0, 0);            /* hypervisor bit always */
    CHECK_LEAF(0, 0, HYPERVISOR_BIT, 0);

    amd();                          /* no SYSENTER in long mode */
    q1(1, 0);
    CHECK_EQ(out.d, A_1D & ~(1u << 11));
}

/* Xen guest_cpuid(): PV OSXSAVE is non-architectural. */
TEST(leaf1_osxsave)
{
    intel();
    ctx.guest_cr4 = X86_CR4_OSXSAVE;
    q1(1, 0);
    CHECK(out.c & OSXSAVE_BIT);

    intel();                        /* faulted CPUID, CR4.OSXSAVE clear */
    q1(1, 0);
    CHECK(!(out.c & OSXSAVE_BIT));

    ctx.via_ud = true;              /* enlightened kernel view: leaked */
    q1(1, 0);
    CHECK(out.c & OSXSAVE_BIT);

    ctx.kernel_mode = false;        /* not for user space */
    q1(1, 0);
    CHECK(!(out.c & OSXSAVE_BIT));

    ctx.kernel_mode = true;
    ctx.host_osxsave = false;
    q1(1, 0);
    CHECK(!(out.c & OSXSAVE_BIT));

    ctx.host_osxsave = true;        /* ... and only with XSAVE offered */
    ctx.xcr0_max = 0;
    q1(1, 0);
    CHECK(!(out.c & OSXSAVE_BIT));
}

/* The hardware domain's kernel sees MONITOR (#GP only), EIST and MTRR. */
TEST(hwdom_leaks)
{
    intel();
    ctx.hardware_domain = true;
    q1(1, 0);
    CHECK(out.c & (1u << 3));
    CHECK(out.c & (1u << 7));
    CHECK(out.d & (1u << 12));
    q(5, 0, 0x40, 0x40, 3, 0x11142120);
    CHECK_LEAF(0x40, 0x40, 3, 0x11142120);

    ctx.via_ud = true;
    q1(1, 0);
    CHECK(!(out.c & (1u << 3)));
    CHECK(out.c & (1u << 7));
    q1(5, 0);
    CHECK_LEAF(0, 0, 0, 0);

    ctx.via_ud = false;
    ctx.kernel_mode = false;
    q1(1, 0);
    CHECK_EQ(out.c, A_1C | HYPERVISOR_BIT);
    CHECK_EQ(out.d, A_1D);

    intel();                        /* a domU never */
    q1(5, 0);
    CHECK_LEAF(0, 0, 0, 0);
}

/* Features needing YMM/ZMM state follow the XCR0 Keel enabled. */
TEST(xsave_dependencies)
{
    intel();
    ctx.xcr0_max = X86_XCR0_X87 | X86_XCR0_SSE;
    q1(1, 0);
    CHECK_EQ(out.c, (A_1C & ~BITS(12, 28, 29)) | HYPERVISOR_BIT);
    q1(7, 0);
    CHECK_EQ(out.b, (A_7B0 & ~BITS(5, 16, 17, 21, 26, 27, 28, 30, 31)) |
                    SPECIAL_7B0);
    CHECK_EQ(out.c, A_7C0 & ~BITS(1, 6, 9, 10, 11, 12, 14));
    CHECK_EQ(out.d, A_7D0 & ~BITS(2, 3));
    q1(7, 1);
    CHECK_EQ(out.a, A_7A1 & ~BITS(4, 5));
    q1(0x80000001, 0);
    CHECK_EQ(out.c, A_E1C & ~BITS(11, 16));     /* XOP, FMA4 */

    ctx.xcr0_max = XCR0_AVX;        /* AVX but not AVX-512 */
    q1(7, 0);
    CHECK_EQ(out.b, (A_7B0 & ~BITS(16, 17, 21, 26, 27, 28, 30, 31)) |
                    SPECIAL_7B0);

    ctx.xcr0_max = X86_XCR0_X87;    /* no SSE state: no XSAVE at all */
    q1(1, 0);
    CHECK(!(out.c & (1u << 26)));
    q1(0xd, 0);
    CHECK_LEAF(0, 0, 0, 0);

    intel();
    ctx.host_basic_max = 0xc;       /* leaf 0xd absent: XSAVE hidden */
    q1(1, 0);
    CHECK(!(out.c & (1u << 26)));
}

TEST(leaf7)
{
    intel();
    ctx.xcr0_max = XCR0_AVX | X86_XCR0_AVX512;
    q(7, 0, 2, ONES, ONES, ONES);
    CHECK_EQ(out.a, 1);             /* max subleaf clamped */
    CHECK_EQ(out.b, A_7B0 | SPECIAL_7B0);
    CHECK_EQ(out.c, A_7C0);         /* no PKU/OSPKE, UMIP, LA57 */
    CHECK_EQ(out.d, A_7D0);
    CHECK(!(out.b & 1));            /* FSGSBASE */
    CHECK(!(out.b & (1u << 7)));    /* SMEP */
    CHECK(!(out.b & (1u << 10)));   /* INVPCID */
    CHECK(!(out.d & (1u << 29)));   /* ARCH_CAPS ('a') */

    q1(7, 1);
    CHECK_LEAF(A_7A1, 0, 0, 0);
    q1(7, 2);
    CHECK_LEAF(0, 0, 0, 0);

    /* IBRS offered implies STIBP. */
    q(7, 0, 0, 0, 0, 1u << 26);
    CHECK_EQ(out.d, (1u << 26) | (1u << 27));

    ctx.host_leaf7.a = 0;           /* host has no subleaf 1 */
    q1(7, 1);
    CHECK_LEAF(0, 0, 0, 0);
}

TEST(cache_and_topology)
{
    intel();
    q(2, 0, 0x00feff01 | 0xff, 0xf0b5ff, 0, 0x00c30000);
    CHECK_LEAF(0x00feff01, 0xf0b5ff, 0, 0x00c30000);
    q(4, 1, 0x1c004122 | 0x3c00, 0x01c0003f, 0x3f, 0xfffffff8 | 7);
    CHECK_LEAF(0x1c004122, 0x01c0003f, 0x3f, 7);
    q(4, 4, 0x1c000000, 1, 2, 3);   /* type 0: end of the list */
    CHECK_LEAF(0, 0, 0, 0);
    q(4, 5, 0x1c004121, 1, 2, 3);   /* beyond Xen's 5 subleaves */
    CHECK_LEAF(0, 0, 0, 0);

    /* 0xb follows x2APIC, which 4.17 leaks from the host. */
    q(0xb, 1, 4, 8, 0x201, 6);
    CHECK_LEAF(0, 0, 1, 6);
    ctx.host_leaf1.c &= ~(1u << 21);
    q(0xb, 1, 4, 8, 0x201, 6);
    CHECK_LEAF(0, 0, 0, 0);

    static const uint32_t zero_leaves[] = { 3, 5, 6, 8, 9, 0xa, 0xc };
    for ( unsigned int i = 0; i < ARRAY_SIZE(zero_leaves); i++ )
    {
        q1(zero_leaves[i], 0);
        CHECK_LEAF(0, 0, 0, 0);
    }

    amd();                          /* Intel-only cache leaves */
    q1(2, 0);
    CHECK_LEAF(0, 0, 0, 0);
    q(4, 0, 0x121, 1, 2, 3);
    CHECK_LEAF(0, 0, 0, 0);
}

TEST(leaf_xstate)
{
    intel();
    q(0xd, 0, 0x2e7, 0x240, 0x988, 0);
    CHECK_LEAF(7, 0x240, 0x340, 0);
    q(0xd, 1, 0xf, 0x400, 0x100, 0);    /* XSAVES hidden */
    CHECK_LEAF(7, 0, 0, 0);
    q(0xd, 2, 0x100, 0x240, 0x2 | 0x1, 0);
    CHECK_LEAF(0x100, 0x240, 0x2, 0);
    q(0xd, 3, 0x40, 0x3c0, 0, 0);       /* BNDREGS: MPX not for PV */
    CHECK_LEAF(0, 0, 0, 0);
    q(0xd, 5, 0x40, 0x440, 0, 0);       /* OPMASK: AVX-512 not enabled */
    CHECK_LEAF(0, 0, 0, 0);
    q(0xd, 63, 1, 1, 1, 1);
    CHECK_LEAF(0, 0, 0, 0);

    ctx.xcr0_max = XCR0_AVX | X86_XCR0_AVX512 | X86_XCR0_BNDREGS |
                   X86_XCR0_BNDCSR | (1ull << 9);   /* + MPX, PKRU */
    q(0xd, 0, 0x2ff, 0x240, 0x988, 0);
    CHECK_EQ(out.a, 0xe7);
    q(0xd, 6, 0x200, 0x480, 0, 0);
    CHECK_LEAF(0x200, 0x480, 0, 0);
    q(0xd, 9, 8, 0xa80, 0, 0);
    CHECK_LEAF(0, 0, 0, 0);
}

TEST(xcr0_guest_mask)
{
    CHECK_EQ(pv_xcr0_guest_mask(0x2ff), 0xe7);
    CHECK_EQ(pv_xcr0_guest_mask(0x3), 0x3);
    CHECK_EQ(pv_xcr0_guest_mask(0x1), 0);
    CHECK_EQ(pv_xcr0_guest_mask(0x63), 0x3);    /* partial AVX-512, no YMM */
    CHECK_EQ(pv_xcr0_guest_mask(0x67), 0x7);    /* partial AVX-512 */
    CHECK_EQ(pv_xcr0_guest_mask(0xe3), 0x3);    /* AVX-512 needs YMM */
}

TEST(extended_intel)
{
    intel();
    q(0x80000000, 0, 0x80000008, 1, 2, 3);
    CHECK_LEAF(0x80000008, 0, 0, 0);
    q1(0x80000001, 0);
    CHECK_LEAF(0, 0, A_E1C, A_E1D);
    CHECK(!(out.d & (1u << 26)));   /* 1GB pages */
    q(0x80000002, 0, 0x65746e49, 0x2952286c, 0x726f4320, 0x4d542865);
    CHECK_LEAF(0x65746e49, 0x2952286c, 0x726f4320, 0x4d542865);
    q1(0x80000005, 0);
    CHECK_LEAF(0, 0, 0, 0);
    q(0x80000006, 0, 1, 2, 0x01006040, 4);
    CHECK_LEAF(0, 0, 0x01006040, 0);
    q1(0x80000007, 0);              /* no invariant TSC by default */
    CHECK_LEAF(0, 0, 0, 0);
    q(0x80000008, 0, 0x3030, ONES, ONES, ONES);
    CHECK_LEAF(0x302c, A_E8B, 0, 0);    /* 48 -> 44 bits */
    q(0x80000008, 0, 0x3020, 0, 0, 0);
    CHECK_LEAF(0x3024, 1u << 12, 0, 0); /* >= 36; IBPB from host IBRSB */
    q1(0x80000009, 0);
    CHECK_LEAF(0, 0, 0, 0);
}

TEST(extended_amd)
{
    amd();
    q(0x80000000, 0, 0x80000028, 0x68747541, 0x444d4163, 0x69746e65);
    CHECK_LEAF(0x80000021, 0x68747541, 0x444d4163, 0x69746e65);
    q(0x80000001, 0, 0x30a20f10, 0x20000000 | 0x00ff0000, ONES, ONES);
    CHECK_EQ(out.a, 0x00a20f10);
    CHECK_EQ(out.b, 0x20000000);
    CHECK_EQ(out.c, A_E1C);
    CHECK_EQ(out.d, A_E1D | (A_1D & 0x0183f3ff));
    q(0x80000005, 0, 1, 2, 3, 4);
    CHECK_LEAF(1, 2, 3, 4);
    q(0x80000008, 0, 0x3030, 0, ONES, ONES);
    CHECK_LEAF(0x302c, 1u << 12, 0x0003f0ff, 0);
    q1(0x8000000a, 0);                 /* SVM */
    CHECK_LEAF(0, 0, 0, 0);
    q(0x8000001a, 0, 6, 0, 0, 0);   /* performance hints */
    CHECK_LEAF(6, 0, 0, 0);
    q1(0x8000001d, 0);              /* TopoExt */
    CHECK_LEAF(0, 0, 0, 0);
    q1(0x80000021, 0);
    CHECK_LEAF(A_E21A, 0, 0, 0);
    q1(0x80000022, 0);              /* beyond Xen's AMD limit */
    CHECK_LEAF(0, 0, 0, 0);

    ctx.vendor = PV_VENDOR_HYGON;
    q(0x80000000, 0, 0x80000028, 1, 2, 3);
    CHECK_EQ(out.a, 0x80000021);
}

/* Xen cpuid_hypervisor_leaves() for a PV domain. */
TEST(xen_leaves)
{
    intel();
    q1(0x40000000, 0);
    CHECK_LEAF(0x40000005, 0x566e6558, 0x65584d4d, 0x4d4d566e);
    q1(0x40000001, 0);
    CHECK_LEAF(0x00040011, 0, 0, 0);
    q1(0x40000002, 0);
    CHECK_LEAF(1, 0x40000000, 1, 0);    /* PRESERVE_AD for PV */
    q1(0x40000003, 0);
    CHECK_LEAF(0x6, 0, 2400000, 1);
    q1(0x40000003, 1);
    CHECK_LEAF(0x3456789a, 0x12, 0xd5555555, 0xffffffff);
    q1(0x40000003, 2);
    CHECK_LEAF(2400123, 0, 0, 0);
    q1(0x40000003, 3);
    CHECK_LEAF(0, 0, 0, 0);
    q1(0x40000004, 0);                  /* HVM only */
    CHECK_LEAF(0, 0, 0, 0);
    q1(0x40000005, 0);
    CHECK_LEAF(0, 40, 0, 0);
    q1(0x40000005, 1);
    CHECK_LEAF(0, 0, 0, 0);

    ctx.tsc.vtsc = true;                /* offset applied already */
    q1(0x40000003, 0);
    CHECK_EQ(out.a, 0x7);
    q1(0x40000003, 1);
    CHECK_LEAF(0, 0, 0xd5555555, 0xffffffff);

    static const uint32_t empty[] = {
        0x40000006, 0x40000100, 0x400001ff, 0x40000200, 0x4fffffff,
        0x20000000, 0xc0000000, 0x0000000e, 0x80000009,
    };
    for ( unsigned int i = 0; i < ARRAY_SIZE(empty); i++ )
    {
        q1(empty[i], 0);
        CHECK_LEAF(0, 0, 0, 0);
    }
}

/* ---- MSR policy (Xen read_msr()/write_msr(), guest_{rd,wr}msr()) ------ */

static struct pv_msr_state st;

static void msr_setup(enum pv_cpu_vendor vendor, unsigned int family)
{
    st = (struct pv_msr_state){
        .vendor = vendor, .family = family,
        .cpuid_faulting_avail = true, .spec_ctrl = true, .ibpb = true,
        .ssbd = true, .tsc_aux = true,
        .host_efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME,
        .host_misc_enable_ok = vendor == PV_VENDOR_INTEL,
        .host_misc_enable = 1 | MISC_ENABLE_PERF_AVAIL |
                            MISC_ENABLE_MONITOR_ENABLE,
        .host_platform_id = 0x0010000000000000ull,
        .host_ucode_rev = 0x000000f000000000ull,
        .fs_base = 0x1000, .gs_base_kernel = 0x2000, .gs_base_user = 0x3000,
        .tsc_aux_val = 7,
    };
}

static uint64_t rd(uint32_t msr, enum pv_msr_result expect)
{
    uint64_t v = 0xdead;
    enum pv_msr_result r = pv_msr_read_policy(msr, &st, &v);

    if ( r != expect )
        printf("# MSR %#x read: %d, expected %d\n", msr, r, expect);
    CHECK_EQ(r, expect);
    return v;
}

#define WR(msr, val, expect) CHECK_EQ(pv_msr_write_policy(msr, val, &st), \
                                      expect)

TEST(msr_apic_base_pat_efer)
{
    msr_setup(PV_VENDOR_INTEL, 6);
    CHECK_EQ(rd(MSR_APIC_BASE, PV_MSR_OK), 0xfee00900);
    st.vcpu_id = 1;
    CHECK_EQ(rd(MSR_APIC_BASE, PV_MSR_OK), 0xfee00800);
    WR(MSR_APIC_BASE, 0xfee00800, PV_MSR_GP);

    CHECK_EQ(rd(MSR_IA32_CR_PAT, PV_MSR_OK), 0x0000050100070406ull);
    WR(MSR_IA32_CR_PAT, 0x0000050100070406ull, PV_MSR_GP);

    /* guest_efer(): known bits, SVME hidden; writes must not change it. */
    CHECK_EQ(rd(MSR_EFER, PV_MSR_OK),
             EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
    WR(MSR_EFER, EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE, PV_MSR_IGNORED);
    WR(MSR_EFER, EFER_LME | EFER_LMA | EFER_NXE, PV_MSR_GP);

    CHECK_EQ(rd(MSR_IA32_TSC, PV_MSR_CALLER), 0);
    WR(MSR_IA32_TSC, 0, PV_MSR_GP);
}

TEST(msr_segment_bases)
{
    msr_setup(PV_VENDOR_INTEL, 6);
    CHECK_EQ(rd(MSR_FS_BASE, PV_MSR_OK), 0x1000);
    CHECK_EQ(rd(MSR_GS_BASE, PV_MSR_OK), 0x2000);
    CHECK_EQ(rd(MSR_SHADOW_GS_BASE, PV_MSR_OK), 0x3000);

    WR(MSR_FS_BASE, 0x00007fffffffffffull, PV_MSR_APPLY);
    CHECK_EQ(st.fs_base, 0x00007fffffffffffull);
    WR(MSR_GS_BASE, 0xffff800000000000ull, PV_MSR_APPLY);
    CHECK_EQ(st.gs_base_kernel, 0xffff800000000000ull);
    WR(MSR_SHADOW_GS_BASE, 0xfffffffffffff000ull, PV_MSR_APPLY);
    CHECK_EQ(st.gs_base_user, 0xfffffffffffff000ull);

    /* XSA-193: non-canonical bases are #GP and never stored. */
    WR(MSR_FS_BASE, 0x0000800000000000ull, PV_MSR_GP);
    WR(MSR_GS_BASE, 0xffff7fffffffffffull, PV_MSR_GP);
    WR(MSR_SHADOW_GS_BASE, 0x8000000000000000ull, PV_MSR_GP);
    CHECK_EQ(st.fs_base, 0x00007fffffffffffull);
    CHECK_EQ(st.gs_base_kernel, 0xffff800000000000ull);
    CHECK_EQ(st.gs_base_user, 0xfffffffffffff000ull);
}

TEST(msr_misc_enable_platform)
{
    msr_setup(PV_VENDOR_INTEL, 6);
    /* guest_misc_enable(): -PERF_AVAIL -MONITOR +BTS/PEBS_UNAVAIL +XTPR. */
    CHECK_EQ(rd(MSR_IA32_MISC_ENABLE, PV_MSR_OK), 0x801801);
    WR(MSR_IA32_MISC_ENABLE, 0x801801, PV_MSR_IGNORED);
    WR(MSR_IA32_MISC_ENABLE, 0, PV_MSR_IGNORED);    /* only logged */
    msr_setup(PV_VENDOR_AMD, 0x17);
    rd(MSR_IA32_MISC_ENABLE, PV_MSR_GP);
    WR(MSR_IA32_MISC_ENABLE, 0, PV_MSR_GP);

    msr_setup(PV_VENDOR_INTEL, 6);
    CHECK_EQ(rd(MSR_INTEL_PLATFORM_INFO, PV_MSR_OK), 1ull << 31);
    WR(MSR_INTEL_PLATFORM_INFO, 1ull << 31, PV_MSR_GP);
    st.cpuid_faulting_avail = false;
    CHECK_EQ(rd(MSR_INTEL_PLATFORM_INFO, PV_MSR_OK), 0);

    CHECK_EQ(rd(MSR_IA32_PERF_CAPABILITIES, PV_MSR_OK), 0);
    CHECK_EQ(rd(MSR_IA32_PLATFORM_ID, PV_MSR_OK), 0x0010000000000000ull);
    WR(MSR_IA32_PLATFORM_ID, 0, PV_MSR_GP);
    CHECK_EQ(rd(MSR_IA32_UCODE_REV, PV_MSR_OK), 0x000000f000000000ull);
    WR(MSR_IA32_UCODE_REV, 0, PV_MSR_IGNORED);
    WR(MSR_IA32_UCODE_REV, 1, PV_MSR_GP);
    rd(MSR_IA32_UCODE_WRITE, PV_MSR_GP);
    WR(MSR_IA32_UCODE_WRITE, 0x1000, PV_MSR_GP);
    CHECK_EQ(rd(MSR_IA32_PERF_STATUS, PV_MSR_OK), 0);
    WR(MSR_IA32_PERF_CTL, 0, PV_MSR_IGNORED);
    WR(MSR_IA32_THERM_CONTROL, 0, PV_MSR_IGNORED);
    WR(MSR_IA32_ENERGY_PERF_BIAS, 6, PV_MSR_IGNORED);
    rd(MSR_IA32_ENERGY_PERF_BIAS, PV_MSR_GP);
    WR(MSR_IA32_MPERF, 0, PV_MSR_IGNORED);
    rd(MSR_IA32_APERF, PV_MSR_GP);

    msr_setup(PV_VENDOR_AMD, 0x17);
    rd(MSR_IA32_PLATFORM_ID, PV_MSR_GP);
    CHECK_EQ(rd(MSR_IA32_UCODE_REV, PV_MSR_OK), 0x000000f000000000ull);
    WR(MSR_IA32_UCODE_REV, 0, PV_MSR_GP);
    rd(MSR_IA32_PERF_STATUS, PV_MSR_GP);
    WR(MSR_IA32_PERF_CTL, 0, PV_MSR_GP);
    WR(MSR_AMD_PATCHLOADER, 0x1000, PV_MSR_GP);
}

/* Virtual CPUID faulting: MISC_FEATURES_ENABLES bit 0. */
TEST(msr_cpuid_faulting)
{
    msr_setup(PV_VENDOR_INTEL, 6);
    CHECK_EQ(rd(MSR_INTEL_MISC_FEATURES_ENABLES, PV_MSR_OK), 0);
    WR(MSR_INTEL_MISC_FEATURES_ENABLES, 1, PV_MSR_APPLY);
    CHECK_EQ(rd(MSR_INTEL_MISC_FEATURES_ENABLES, PV_MSR_OK), 1);
    WR(MSR_INTEL_MISC_FEATURES_ENABLES, 2, PV_MSR_GP);
    CHECK_EQ(st.misc_features_enables, 1);
    WR(MSR_INTEL_MISC_FEATURES_ENABLES, 0, PV_MSR_APPLY);
    st.cpuid_faulting_avail = false;
    WR(MSR_INTEL_MISC_FEATURES_ENABLES, 1, PV_MSR_GP);
    WR(MSR_INTEL_MISC_FEATURES_ENABLES, 0, PV_MSR_APPLY);
}

TEST(msr_speculation)
{
    msr_setup(PV_VENDOR_INTEL, 6);
    CHECK_EQ(rd(MSR_SPEC_CTRL, PV_MSR_OK), 0);
    WR(MSR_SPEC_CTRL, SPEC_CTRL_IBRS | SPEC_CTRL_STIBP | SPEC_CTRL_SSBD,
       PV_MSR_OK);
    CHECK_EQ(rd(MSR_SPEC_CTRL, PV_MSR_OK), 7);
    WR(MSR_SPEC_CTRL, SPEC_CTRL_PSFD, PV_MSR_GP);
    WR(MSR_SPEC_CTRL, 1u << 3, PV_MSR_GP);
    st.psfd = true;
    WR(MSR_SPEC_CTRL, SPEC_CTRL_PSFD, PV_MSR_OK);
    st.ssbd = false;
    WR(MSR_SPEC_CTRL, SPEC_CTRL_SSBD, PV_MSR_GP);
    st.spec_ctrl = false;
    rd(MSR_SPEC_CTRL, PV_MSR_GP);
    WR(MSR_SPEC_CTRL, 0, PV_MSR_GP);

    rd(MSR_PRED_CMD, PV_MSR_GP);                    /* write-only */
    WR(MSR_PRED_CMD, PRED_CMD_IBPB, PV_MSR_APPLY);
    WR(MSR_PRED_CMD, 2, PV_MSR_GP);
    st.ibpb = false;
    WR(MSR_PRED_CMD, PRED_CMD_IBPB, PV_MSR_GP);

    rd(MSR_FLUSH_CMD, PV_MSR_GP);
    WR(MSR_FLUSH_CMD, 1, PV_MSR_GP);                /* L1D_FLUSH is HVM */

    rd(MSR_ARCH_CAPABILITIES, PV_MSR_GP);           /* 'a': not default */
    st.arch_caps = true;
    st.arch_caps_val = 0x2b;
    CHECK_EQ(rd(MSR_ARCH_CAPABILITIES, PV_MSR_OK), 0x2b);
    WR(MSR_ARCH_CAPABILITIES, 0x2b, PV_MSR_GP);
}

TEST(msr_tsc_aux_and_dr_masks)
{
    msr_setup(PV_VENDOR_AMD, 0x17);
    CHECK_EQ(rd(MSR_TSC_AUX, PV_MSR_OK), 7);
    WR(MSR_TSC_AUX, 0xfffffffful, PV_MSR_APPLY);
    CHECK_EQ(st.tsc_aux_val, 0xffffffffu);
    WR(MSR_TSC_AUX, 1ull << 32, PV_MSR_GP);
    st.tsc_aux = false;
    rd(MSR_TSC_AUX, PV_MSR_GP);
    WR(MSR_TSC_AUX, 1, PV_MSR_GP);

    rd(MSR_AMD64_DR0_ADDRESS_MASK, PV_MSR_GP);      /* no DBEXT */
    WR(MSR_AMD64_DR1_ADDRESS_MASK, 0xf, PV_MSR_GP);
    st.dbext = true;
    WR(MSR_AMD64_DR0_ADDRESS_MASK, 0xfff, PV_MSR_APPLY);
    WR(MSR_AMD64_DR1_ADDRESS_MASK, 0x1, PV_MSR_APPLY);
    WR(MSR_AMD64_DR3_ADDRESS_MASK, 0x3, PV_MSR_APPLY);
    WR(MSR_AMD64_DR3_ADDRESS_MASK, 1ull << 32, PV_MSR_GP);
    CHECK_EQ(st.dr_mask[0], 0xfff);
    CHECK_EQ(st.dr_mask[1], 0x1);
    CHECK_EQ(st.dr_mask[3], 0x3);
    CHECK_EQ(rd(MSR_AMD64_DR3_ADDRESS_MASK, PV_MSR_OK), 0x3);
    CHECK_EQ(rd(MSR_AMD64_DR1_ADDRESS_MASK + 1, PV_MSR_OK), 0);
}

TEST(msr_amd_specific)
{
    msr_setup(PV_VENDOR_AMD, 0x17);
    CHECK_EQ(rd(MSR_K8_HWCR, PV_MSR_OK), K8_HWCR_TSC_FREQ_SEL);
    WR(MSR_K8_HWCR, 0, PV_MSR_IGNORED);
    CHECK_EQ(rd(MSR_AMD64_DE_CFG, PV_MSR_OK), AMD64_DE_CFG_LFENCE_SERIALISE);
    WR(MSR_AMD64_DE_CFG, 0, PV_MSR_IGNORED);
    CHECK_EQ(rd(MSR_K8_PSTATE_LIMIT, PV_MSR_OK), 0);
    CHECK_EQ(rd(MSR_K8_PSTATE7, PV_MSR_OK), 0);
    CHECK_EQ(rd(MSR_K7_FID_VID_STATUS, PV_MSR_OK), 0);
    WR(MSR_K8_PSTATE_LIMIT + 3, 5, PV_MSR_IGNORED);
    CHECK_EQ(rd(MSR_AMD64_NB_CFG, PV_MSR_OK), 0);
    WR(MSR_AMD64_NB_CFG, 1ull << 46, PV_MSR_IGNORED);
    rd(MSR_FAM10H_MMIO_CONF_BASE, PV_MSR_GP);       /* family 17h */
    st.family = 0x10;
    CHECK_EQ(rd(MSR_FAM10H_MMIO_CONF_BASE, PV_MSR_OK), 0);
    WR(MSR_FAM10H_MMIO_CONF_BASE, 1, PV_MSR_IGNORED);
    st.family = 0xf;
    CHECK_EQ(rd(MSR_K8_HWCR, PV_MSR_OK), 0);

    msr_setup(PV_VENDOR_HYGON, 0x18);
    rd(MSR_K8_PSTATE_LIMIT, PV_MSR_GP);             /* reads: AMD only */
    WR(MSR_K8_PSTATE_LIMIT, 0, PV_MSR_IGNORED);

    msr_setup(PV_VENDOR_INTEL, 6);
    rd(MSR_K8_HWCR, PV_MSR_GP);
    rd(MSR_AMD64_DE_CFG, PV_MSR_GP);
    WR(MSR_AMD64_DE_CFG, 0, PV_MSR_GP);
    rd(MSR_K8_PSTATE_LIMIT, PV_MSR_GP);
}

/* vPMU off (Xen's default): counters read 0, writes dropped. */
TEST(msr_pmu)
{
    msr_setup(PV_VENDOR_INTEL, 6);
    CHECK_EQ(rd(MSR_P6_PERFCTR0, PV_MSR_OK), 0);
    CHECK_EQ(rd(MSR_P6_EVNTSEL3, PV_MSR_OK), 0);
    CHECK_EQ(rd(MSR_CORE_PERF_FIXED_CTR2, PV_MSR_OK), 0);
    WR(MSR_CORE_PERF_GLOBAL_OVF_CTRL, 1, PV_MSR_IGNORED);
    rd(MSR_K7_EVNTSEL0, PV_MSR_GP);
    msr_setup(PV_VENDOR_AMD, 0x17);
    CHECK_EQ(rd(MSR_K7_PERFCTR3, PV_MSR_OK), 0);
    WR(MSR_AMD_FAM15H_PERFCTR5, 1, PV_MSR_IGNORED);
    rd(MSR_P6_PERFCTR0, PV_MSR_GP);
}

/* Xen guest_{rd,wr}msr_xen(): the hypercall-page MSR at 0x40000000. */
TEST(msr_hypercall_page)
{
    msr_setup(PV_VENDOR_INTEL, 6);
    CHECK_EQ(rd(0x40000000, PV_MSR_OK), 0);
    WR(0x40000000, 0x12345000, PV_MSR_CALLER);
    WR(0x40000000, 0x12345001, PV_MSR_GP);      /* page index 1 */
    rd(0x40000001, PV_MSR_GP);
    WR(0x40000001, 0, PV_MSR_GP);
    WR(0x40000200, 0x12345000, PV_MSR_GP);      /* the Viridian alias */
}

/* Everything else is #GP (no msr_relaxed). */
TEST(msr_unknown)
{
    static const uint32_t unknown[] = {
        0x0000003a,     /* FEATURE_CONTROL: needs VMX or LMCE */
        0x00000179,     /* MCG_CAP: no vMCE in Keel */
        0x00000800,     /* x2APIC */
        0x00000da0,     /* XSS */
        0xc0000081,     /* STAR */
        0xc0000082,     /* LSTAR */
        0x00000174,     /* SYSENTER_CS */
        0x12345678,
        0xffffffff,
    };

    msr_setup(PV_VENDOR_INTEL, 6);
    for ( unsigned int i = 0; i < ARRAY_SIZE(unknown); i++ )
    {
        rd(unknown[i], PV_MSR_GP);
        WR(unknown[i], 0, PV_MSR_GP);
    }
}

int main(void)
{
    RUN(leaf0_clamped);
    RUN(leaf1_features);
    RUN(leaf1_osxsave);
    RUN(hwdom_leaks);
    RUN(xsave_dependencies);
    RUN(leaf7);
    RUN(cache_and_topology);
    RUN(leaf_xstate);
    RUN(xcr0_guest_mask);
    RUN(extended_intel);
    RUN(extended_amd);
    RUN(xen_leaves);
    RUN(msr_apic_base_pat_efer);
    RUN(msr_segment_bases);
    RUN(msr_misc_enable_platform);
    RUN(msr_cpuid_faulting);
    RUN(msr_speculation);
    RUN(msr_tsc_aux_and_dr_masks);
    RUN(msr_amd_specific);
    RUN(msr_pmu);
    RUN(msr_hypercall_page);
    RUN(msr_unknown);
    HARNESS_EXIT();
}
